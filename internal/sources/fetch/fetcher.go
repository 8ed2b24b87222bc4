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
// KPIs share it), backoff with jitter after failures (backoff.go), a
// bounded pool of requests fair across namespaces with per-source limits
// (pool.go), the latest outcome per source (outcomes.go), coalescing
// notifiers of new answers, changed outcomes and answers a KPI stopped
// waiting for (notify.go) and request counters as Prometheus metrics
// (metrics.go). How to talk to a source once is package sources' job.
package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

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
	// Reader reads Secrets and ConfigMaps (manager.NewFetcher gives it the
	// label-restricted Secret cache).
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
	// Workers bounds the requests to sources running at once, all
	// namespaces together; 0 means DefaultWorkers.
	Workers int
	// WorkersPerNamespace bounds those of one namespace, so that a tenant
	// whose sources never answer cannot hold every worker; 0 means
	// DefaultWorkersPerNamespace.
	WorkersPerNamespace int
	// Wait is how long Fetch waits for an answer not yet in the cache
	// before it returns what it has (see Fetch); 0 means DefaultWait, a
	// negative value waits for the answer (accordctl, which evaluates
	// once).
	Wait time.Duration
	// QueueWait bounds how long a request waits for a free worker before
	// it fails with Timeout; 0 means sources.MaxTimeout.
	QueueWait time.Duration
	// MaxResponseBytes is the largest answer any source may send, whatever
	// its spec.maxResponseBytes; 0 means sources.DefaultResponseCeiling.
	MaxResponseBytes int64
	// MaxBytesInFlight is the memory answers being read and decoded may
	// take at once (see sources.Budget); 0 means
	// sources.DefaultBytesInFlight.
	MaxBytesInFlight int64
}

// DefaultMaxAnswers bounds the cache: one answer per (source, query) pair
// in use, far more pairs than the benchmark's 10,000 KPIs share.
const DefaultMaxAnswers = 100_000

// DefaultIdleAfter is longer than a KPI's default evaluation interval (1h),
// so the pairs of KPIs on it are never forgotten between two evaluations.
const DefaultIdleAfter = 2 * time.Hour

// DefaultWait is how long a KPI's evaluation waits for a source: sources
// that answer within it are evaluated at once, as if read in line; a KPI
// whose source takes longer is evaluated again when the answer is in, so
// a slow source holds a reconcile worker for at most this long.
const DefaultWait = 2 * time.Second

// Fetcher reads KPI values through the Provider of each source type. It
// implements the KPI reconciler's Fetcher and the MetricSource
// reconciler's outcomes.
type Fetcher struct {
	reader    client.Reader
	clock     clock.PassiveClock
	providers map[v1.SourceType]sources.Provider
	allowed   sources.HostAllowList
	wait      time.Duration
	queueWait time.Duration
	ceiling   int64
	budget    *sources.Budget

	mu       sync.Mutex
	flights  map[key]*flight // request merging: one request per pair at a time
	cache    *cache
	pool     *pool
	outcomes outcomes
	answers  Notifier[Pair]
	changes  Notifier[types.NamespacedName]
	woken    Notifier[types.NamespacedName]
}

// flight is one request in progress, shared by every caller of its pair.
type flight struct {
	created time.Time
	ticket  *ticket // nil when the endpoint was refused
	done    chan struct{}
	// Under Fetcher.mu: the answer once finished, and the callers that
	// stopped waiting for it.
	finished bool
	obs      evaluate.Observation
	err      error
	waiters  map[types.NamespacedName]struct{}
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
	if opts.Wait == 0 {
		opts.Wait = DefaultWait
	}
	if opts.QueueWait <= 0 {
		opts.QueueWait = sources.MaxTimeout
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = sources.DefaultResponseCeiling
	}
	return &Fetcher{
		reader: opts.Reader, clock: opts.Clock, providers: opts.Providers, allowed: opts.AllowedHosts,
		wait: opts.Wait, queueWait: opts.QueueWait, ceiling: opts.MaxResponseBytes, budget: sources.NewBudget(opts.MaxBytesInFlight),
		flights: map[key]*flight{},
		cache:   newCache(opts.MaxAnswers, opts.IdleAfter),
		pool:    newPool(opts.Workers, opts.WorkersPerNamespace),
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

// Woken returns a channel of the callers (see WithCaller) a Fetch stopped
// waiting for, each once the answer it waited for is in, until ctx ends:
// the KPI reconciler evaluates them again then.
func (f *Fetcher) Woken(ctx context.Context, buffer int) <-chan event.TypedGenericEvent[types.NamespacedName] {
	return f.woken.Subscribe(ctx, buffer)
}

type callerKey struct{}

// WithCaller names the object (a KPI) a Fetch with ctx is for, so that if
// the Fetch stops waiting, Woken announces it when the answer is in.
func WithCaller(ctx context.Context, caller types.NamespacedName) context.Context {
	return context.WithValue(ctx, callerKey{}, caller)
}

// Fetch returns the latest value for q from src: from the cache when the
// same (source, query) was read less than the source's minInterval ago
// (or, after failures, until the backoff expires), else from the source,
// in one request however many callers ask at once.
//
// The request runs in the Fetcher's pool, not in the caller: Fetch waits
// for it at most Options.Wait (less when the request started earlier,
// nothing when its namespace's share of the pool is held by requests that
// do not finish). If the answer is not in by then, Fetch returns the
// pair's previous answer, or a Timeout error when there is none, and
// Woken announces the caller once the answer is in.
func (f *Fetcher) Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error) {
	p, ok := f.providers[src.Spec.Type]
	if !ok {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonUnsupportedType, "no provider reads sources of type %s", src.Spec.Type)
	}
	k := keyOf(src, q)
	if obs, err, ok := f.cache.lookup(k, f.clock.Now(), sources.MinInterval(src)); ok {
		return obs, err
	}
	start := time.Now()
	fl := f.join(k, p, src, q, start)
	if f.wait < 0 {
		select {
		case <-fl.done:
			return fl.obs, fl.err
		case <-ctx.Done():
			return evaluate.Observation{}, sources.Errorf(sources.ReasonTimeout, "the request timed out")
		}
	}
	wait := min(f.wait, fl.created.Add(f.wait).Sub(start))
	if fl.ticket != nil && f.pool.stalled(fl.ticket, start, f.wait) {
		wait = 0
	}
	if wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-fl.done:
			return fl.obs, fl.err
		case <-timer.C:
		case <-ctx.Done():
		}
	}
	return f.pending(ctx, k, fl)
}

// join returns the flight of k, starting one if none is in progress.
func (f *Fetcher) join(k key, p sources.Provider, src *v1.MetricSource, q *v1.KPISource, now time.Time) *flight {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fl, ok := f.flights[k]; ok {
		return fl
	}
	fl := &flight{created: now, done: make(chan struct{}), waiters: map[types.NamespacedName]struct{}{}}
	endpoint, err := sources.Endpoint(src, f.allowed)
	if err == nil {
		fl.ticket = f.pool.enqueue(src.Namespace, k.source, int(src.Spec.MaxConcurrency), now)
	}
	f.flights[k] = fl
	go f.fly(k, fl, p, src, q, endpoint, err)
	return fl
}

// fly makes the flight's request and hands its answer to the cache, the
// outcomes, the notifiers and the callers.
func (f *Fetcher) fly(k key, fl *flight, p sources.Provider, src *v1.MetricSource, q *v1.KPISource, endpoint *url.URL, refused error) {
	obs, err := evaluate.Observation{}, refused
	if refused == nil {
		obs, err = f.request(fl.ticket, p, src, q, endpoint)
	}
	at := f.clock.Now()
	if f.cache.store(k, obs, err, at) {
		f.answers.Notify(Pair{Namespace: src.Namespace, Source: src.Name, Key: k.pair})
	}
	if f.outcomes.record(k.source, at, err) {
		f.changes.Notify(types.NamespacedName{Namespace: src.Namespace, Name: src.Name})
	}
	f.mu.Lock()
	delete(f.flights, k)
	fl.finished, fl.obs, fl.err = true, obs, err
	waiters := fl.waiters
	f.mu.Unlock()
	close(fl.done)
	for w := range waiters {
		f.woken.Notify(w)
	}
}

// pending is what a caller that stops waiting for fl gets: the answer if
// it came meanwhile, else the pair's previous answer, else a Timeout
// error; the caller is announced on Woken when the answer is in.
func (f *Fetcher) pending(ctx context.Context, k key, fl *flight) (evaluate.Observation, error) {
	f.mu.Lock()
	if fl.finished {
		f.mu.Unlock()
		return fl.obs, fl.err
	}
	if caller, ok := ctx.Value(callerKey{}).(types.NamespacedName); ok {
		fl.waiters[caller] = struct{}{}
	}
	f.mu.Unlock()
	if obs, err, ok := f.cache.latest(k); ok {
		return obs, err
	}
	return evaluate.Observation{}, sources.Errorf(sources.ReasonTimeout,
		"the source has not answered within %s; the KPI is evaluated again as soon as it does", seconds(f.wait))
}

// seconds says a duration of a few seconds in words.
func seconds(d time.Duration) string {
	n := int(d.Round(time.Second) / time.Second)
	if n == 1 {
		return "1 second"
	}
	return fmt.Sprintf("%d seconds", n)
}

// request makes one upstream request, once the pool lets it run, within
// the source's timeout as a hard deadline for the whole of it (every
// HTTP request a provider makes, reading its answer included).
func (f *Fetcher) request(t *ticket, p sources.Provider, src *v1.MetricSource, q *v1.KPISource, endpoint *url.URL) (evaluate.Observation, error) {
	queued, cancel := context.WithTimeout(context.Background(), f.queueWait)
	err := f.pool.wait(queued, t)
	cancel()
	if err != nil {
		requests.WithLabelValues(src.Namespace, src.Name, string(sources.ReasonTimeout)).Inc()
		return evaluate.Observation{}, sources.Errorf(sources.ReasonTimeout,
			"waited %s for a free connection: the namespace's requests to its sources are all taken by ones that have not answered", seconds(f.queueWait))
	}
	defer f.pool.release(t)
	ctx, cancel := context.WithTimeout(context.Background(), sources.Timeout(src))
	defer cancel()
	req, err := sources.NewRequest(ctx, f.reader, src, q, endpoint, f.clock.Now(), f.allowed)
	if err != nil {
		return evaluate.Observation{}, err
	}
	req.MaxBytes, req.Ceiling = sources.MaxBytes(src, f.ceiling), f.ceiling
	req = req.WithBudget(f.budget)
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

// Forget drops everything kept about a deleted source: its answers,
// outcome and request counters. (The pool keeps nothing about a source
// with no request.)
func (f *Fetcher) Forget(namespace, name string) {
	source := namespace + "/" + name
	f.cache.forget(source)
	f.outcomes.forget(source)
	requests.DeletePartialMatch(map[string]string{"namespace": namespace, "source": name})
}
