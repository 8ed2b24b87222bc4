/*
Copyright 2026 The Accord Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Package fetch decides when Accord asks a live metric source, and tells
// who needs to know what it answered. A Fetcher is made of small parts:
// an answer cache with eviction and a size bound (cache.go), request
// merging (one request per (source, query) per minInterval however many
// KPIs share it, with singleflight), backoff with jitter after failures
// (backoff.go), per-source slots (slots.go), the latest outcome per
// source (outcomes.go), coalescing notifiers of new answers and changed
// outcomes (notify.go) and request counters as Prometheus metrics
// (metrics.go). How to talk to a source once is package sources' job.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/singleflight"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Options configure a Fetcher.
type Options struct {
	// Reader reads Secrets and ConfigMaps; use the manager's API reader so
	// that credentials are not cached cluster-wide in the informer cache.
	Reader client.Reader
	// Clock is "now"; nil is real time.
	Clock clock.PassiveClock
	// Providers read each source type; registry.Providers lists them.
	Providers map[v1.SourceType]sources.Provider
	// AllowedHosts is what sources may reach: hosts, checked before any
	// connection is made, and addresses, checked at connect time. The
	// zero value allows nothing (sources.AllowLoopbackForTests for tests).
	AllowedHosts sources.HostAllowList
	// MaxAnswers bounds the answers cached; the least recently used go
	// first. 0 means DefaultMaxAnswers.
	MaxAnswers int
	// IdleAfter is how long an answer no KPI asks for is kept. 0 means
	// DefaultIdleAfter.
	IdleAfter time.Duration
}

// DefaultMaxAnswers bounds the cache: one answer per (source, query) pair
// in use, far more pairs than the benchmark's 10,000 KPIs share.
const DefaultMaxAnswers = 100_000

// DefaultIdleAfter is longer than a KPI's default evaluation interval (1h),
// so the pairs of KPIs on it are never forgotten between two evaluations.
const DefaultIdleAfter = 2 * time.Hour

// Fetcher reads KPI values through the Provider of each source type. It
// implements the KPI reconciler's Fetcher and the MetricSource
// reconciler's outcomes.
type Fetcher struct {
	reader    client.Reader
	clock     clock.PassiveClock
	providers map[v1.SourceType]sources.Provider
	allowed   sources.HostAllowList

	flight   singleflight.Group // request merging
	cache    *cache
	slots    slots
	outcomes outcomes
	answers  Notifier[Pair]
	changes  Notifier[types.NamespacedName]
}

// New makes a Fetcher.
func New(opts Options) *Fetcher {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if opts.MaxAnswers <= 0 {
		opts.MaxAnswers = DefaultMaxAnswers
	}
	if opts.IdleAfter <= 0 {
		opts.IdleAfter = DefaultIdleAfter
	}
	return &Fetcher{
		reader: opts.Reader, clock: opts.Clock, providers: opts.Providers, allowed: opts.AllowedHosts,
		cache: newCache(opts.MaxAnswers, opts.IdleAfter),
	}
}

// Pair is the message that a (source, query) pair answered with something
// new: a value or time other than the previous request's, or a value after
// a failure. The KPIs that share the pair would otherwise see the new
// answer only at their own next evaluation, up to an interval after the
// KPI that fetched it.
type Pair struct {
	// Namespace and Source name the MetricSource.
	Namespace, Source string
	// Key is the pair's sources.PairKey, as the KPI index holds it.
	Key string
}

// Answers returns a channel of the pairs that answered with something new,
// until ctx ends. It never drops a pair: while the receiver is behind, a
// pair announced again waits once (see Notifier).
func (f *Fetcher) Answers(ctx context.Context, buffer int) <-chan event.TypedGenericEvent[Pair] {
	return f.answers.Subscribe(ctx, buffer)
}

// OutcomeChanges returns a channel of the sources whose outcome changed
// (success to failure, a new reason, or back), until ctx ends.
func (f *Fetcher) OutcomeChanges(ctx context.Context, buffer int) <-chan event.TypedGenericEvent[types.NamespacedName] {
	return f.changes.Subscribe(ctx, buffer)
}

// Fetch returns the latest value for q from src: from the cache when the
// same (source, query) was read less than the source's minInterval ago
// (or, after failures, until the backoff expires), else from the source,
// in one request however many callers ask at once.
func (f *Fetcher) Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error) {
	p, ok := f.providers[src.Spec.Type]
	if !ok {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonUnsupportedType, "no provider reads sources of type %s", src.Spec.Type)
	}
	k := keyOf(src, q)
	if obs, err, ok := f.cache.lookup(k, f.clock.Now(), sources.MinInterval(src)); ok {
		return obs, err
	}
	v, _, _ := f.flight.Do(fmt.Sprintf("%s\x00%s\x00%d\x00%s", k.source, k.uid, k.generation, k.pair), func() (any, error) {
		obs, err := f.request(ctx, p, src, q)
		at := f.clock.Now()
		if f.cache.store(k, obs, err, at) {
			f.answers.Notify(Pair{Namespace: src.Namespace, Source: src.Name, Key: k.pair})
		}
		if f.outcomes.record(k.source, at, err) {
			f.changes.Notify(types.NamespacedName{Namespace: src.Namespace, Name: src.Name})
		}
		return result{obs, err}, nil
	})
	r := v.(result)
	return r.obs, r.err
}

type result struct {
	obs evaluate.Observation
	err error
}

// request makes one upstream request, within the source's slots.
func (f *Fetcher) request(ctx context.Context, p sources.Provider, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error) {
	endpoint, err := sources.Endpoint(src, f.allowed)
	if err != nil {
		return evaluate.Observation{}, err
	}
	release, err := f.slots.acquire(ctx, src)
	if err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonTimeout, "waited too long for a free connection to the source")
	}
	defer release()
	req, err := sources.NewRequest(ctx, f.reader, src, q, endpoint, f.clock.Now(), f.allowed)
	if err != nil {
		return evaluate.Observation{}, err
	}
	defer req.Close()
	obs, err := sources.Read(ctx, p, req)
	res := resultSuccess
	if se, ok := errors.AsType[*sources.Error](err); ok {
		res = string(se.Reason())
	}
	requests.WithLabelValues(src.Namespace, src.Name, res).Inc()
	return obs, err
}

// Outcome returns the latest outcome for the source "namespace/name".
func (f *Fetcher) Outcome(source string) (sources.Outcome, bool) {
	return f.outcomes.get(source)
}

// Forget drops everything kept about a deleted source: its answers, slots,
// outcome and request counters.
func (f *Fetcher) Forget(namespace, name string) {
	source := namespace + "/" + name
	f.cache.forget(source)
	f.slots.forget(source)
	f.outcomes.forget(source)
	requests.DeletePartialMatch(map[string]string{"namespace": namespace, "source": name})
}
