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

package sources

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Fetcher reads KPI values through the Provider registered for each source
// type. It implements the KPI reconciler's Fetcher.
type Fetcher struct {
	// Reader reads Secrets and ConfigMaps; use the manager's API reader so
	// that credentials are not cached cluster-wide in the informer cache.
	Reader    client.Reader
	Clock     clock.PassiveClock
	Providers map[v1.SourceType]Provider
	// AllowedHosts limits the hosts sources may reach; the zero value
	// allows all. It is checked before any connection is made.
	AllowedHosts HostAllowList

	flight singleflight.Group
	mu     sync.Mutex
	cache  map[string]*entry
	slots  map[string]chan struct{}
	// Requests counts upstream requests per source, for tests and
	// benchmarks that check identical queries are fetched once.
	requests map[string]int
	outcomes map[string]Outcome
	// Changed, when set, receives the source whose outcome changed
	// (success to failure, a new reason, or back), without blocking.
	Changed chan<- event.GenericEvent
	// answers receive the pairs whose answer changed (AnnounceAnswers).
	answers []chan<- event.GenericEvent
}

// AnnounceAnswers makes the fetcher send ch, without blocking, a KPI
// standing for each (source, query) pair that answered with something new:
// a value or time other than the previous request's, or a value after a
// failure (see newAnswer). The KPIs that share the pair would otherwise
// see the new answer only at their own next evaluation, up to an interval
// after the KPI that fetched it. The KPI has only its namespace and
// spec.source set.
func (f *Fetcher) AnnounceAnswers(ch chan<- event.GenericEvent) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, ch)
}

// Outcome is the result of the latest request to a source, for its status.
type Outcome struct {
	LastAttempt time.Time
	LastSuccess time.Time
	// Reason and Error describe the latest failure; empty after a success.
	Reason, Error string
}

type entry struct {
	obs      evaluate.Observation
	err      error
	at       time.Time
	failures int
	retryAt  time.Time
}

// Backoff after consecutive failures: 30s doubling to 30m, with up to 20%
// jitter so that many KPIs on one broken source do not retry in lockstep.
const (
	backoffBase = 30 * time.Second
	backoffMax  = 30 * time.Minute
)

func backoff(failures int) time.Duration {
	d := backoffBase
	for i := 1; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

// PairKey names a (source, query) pair within a namespace: KPIs with the
// same key share one request and one answer.
func PairKey(q *v1.KPISource) string {
	return strings.Join([]string{q.SourceRef.Name, q.Query, q.JSONPath, q.TimestampJSONPath,
		q.NumeratorJSONPath, q.DenominatorJSONPath, q.PeriodStartJSONPath, q.PeriodEndJSONPath, q.DenominatorQuery, q.Group}, "\x00")
}

// key identifies a pair in the cache; a new source (UID) or spec
// (generation) starts afresh.
func key(src *v1.MetricSource, q *v1.KPISource) string {
	return strings.Join([]string{src.Namespace, string(src.UID), fmt.Sprint(src.Generation), PairKey(q)}, "\x00")
}

// MinInterval is how long an answer from src is served from the cache:
// spec.minInterval, 1m when unset or unreadable; "0s" caches nothing.
func MinInterval(src *v1.MetricSource) time.Duration {
	if src.Spec.MinInterval != "" {
		if d, err := evaluate.ParseDuration(string(src.Spec.MinInterval)); err == nil {
			return d
		}
	}
	return time.Minute
}

// Fetch returns the latest value for q from src: from the cache when the
// same (source, query) was read less than the source's minInterval ago
// (or, after failures, until the backoff expires), else from the source.
func (f *Fetcher) Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error) {
	p, ok := f.Providers[src.Spec.Type]
	if !ok {
		return evaluate.Observation{}, Errorf(ReasonUnsupportedType, "no provider reads sources of type %s", src.Spec.Type)
	}
	k := key(src, q)
	now := f.Clock.Now()
	minInterval := MinInterval(src)
	f.mu.Lock()
	if f.cache == nil {
		f.cache, f.slots, f.requests = map[string]*entry{}, map[string]chan struct{}{}, map[string]int{}
	}
	if e, ok := f.cache[k]; ok {
		fresh := e.err == nil && now.Sub(e.at) < minInterval
		waiting := e.err != nil && now.Before(e.retryAt)
		if fresh || waiting {
			f.mu.Unlock()
			return e.obs, e.err
		}
	}
	f.mu.Unlock()

	v, _, _ := f.flight.Do(k, func() (any, error) {
		obs, err := f.fetch(ctx, p, src, q)
		f.mu.Lock()
		defer f.mu.Unlock()
		e := f.cache[k]
		if e == nil {
			e = &entry{}
			f.cache[k] = e
		} else if newAnswer(e.obs, e.err, obs, err) {
			f.announce(src, q)
		}
		e.obs, e.err, e.at = obs, err, f.Clock.Now()
		f.record(src, e.at, err)
		if err != nil {
			e.failures++
			e.retryAt = e.at.Add(backoff(e.failures))
		} else {
			e.failures = 0
		}
		return e, nil
	})
	e := v.(*entry)
	return e.obs, e.err
}

// newAnswer reports whether a successful request brought what the KPIs
// sharing its pair have not seen: a value or time other than the previous
// request's, or any value after a failure. Failures are not news to
// spread: each KPI meets one at its own evaluation, so a moment's failure
// does not rewrite every KPI of the pair twice.
func newAnswer(prevObs evaluate.Observation, prevErr error, obs evaluate.Observation, err error) bool {
	if err != nil {
		return false
	}
	return prevErr != nil || prevObs.Value != obs.Value || !prevObs.Time.Equal(obs.Time)
}

// announce sends the pair to every AnnounceAnswers channel. Called with
// f.mu held. A full channel drops it: the KPIs still re-evaluate on their
// own interval.
func (f *Fetcher) announce(src *v1.MetricSource, q *v1.KPISource) {
	if len(f.answers) == 0 {
		return
	}
	pair := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: src.Namespace}, Spec: v1.KPISpec{Source: q.DeepCopy()}}
	for _, ch := range f.answers {
		select {
		case ch <- event.GenericEvent{Object: pair}:
		default:
		}
	}
}

// fetch makes one upstream request, within the source's concurrency limit.
func (f *Fetcher) fetch(ctx context.Context, p Provider, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error) {
	endpoint, err := url.Parse(src.Spec.Endpoint)
	if err != nil || endpoint.Host == "" {
		return evaluate.Observation{}, Errorf(ReasonInvalidQuery, "spec.endpoint is not an absolute URL")
	}
	if !f.AllowedHosts.Allows(endpoint) {
		return evaluate.Observation{}, f.AllowedHosts.notAllowed(endpoint)
	}
	slot := f.slot(src)
	select {
	case slot <- struct{}{}:
		defer func() { <-slot }()
	case <-ctx.Done():
		return evaluate.Observation{}, Errorf(ReasonTimeout, "waited too long for a free connection to the source")
	}
	c, err := httpClient(ctx, f.Reader, src, endpoint)
	if err != nil {
		return evaluate.Observation{}, err
	}
	// Each fetch has its own transport; without this its idle keep-alive
	// connection, and two goroutines, would outlive it until the source
	// hangs up, which some never do.
	defer c.CloseIdleConnections()
	f.mu.Lock()
	f.requests[src.Namespace+"/"+src.Name]++
	f.mu.Unlock()
	req := Request{
		Source: src, Query: q, Endpoint: endpoint, Client: c, MaxBytes: src.Spec.MaxResponseBytes, Now: f.Clock.Now(),
		authorize: func(r *http.Request) error { return authorize(ctx, f.Reader, src, r) },
	}
	obs, err := p.Fetch(ctx, req)
	if err != nil {
		return evaluate.Observation{}, classify(err)
	}
	return obs, nil
}

// record keeps the outcome of a request to src and announces changes.
// Called with f.mu held.
func (f *Fetcher) record(src *v1.MetricSource, at time.Time, err error) {
	if f.outcomes == nil {
		f.outcomes = map[string]Outcome{}
	}
	k := src.Namespace + "/" + src.Name
	prev := f.outcomes[k]
	cur := prev
	cur.LastAttempt = at
	cur.Reason, cur.Error = "", ""
	if err != nil {
		cur.Reason, cur.Error = ReasonSourceUnreachable, err.Error()
		var re interface{ Reason() string }
		if errors.As(err, &re) {
			cur.Reason = re.Reason()
		}
	} else {
		cur.LastSuccess = at
	}
	f.outcomes[k] = cur
	changed := prev.Reason != cur.Reason || prev.Error != cur.Error || prev.LastSuccess.IsZero() != cur.LastSuccess.IsZero()
	if changed && f.Changed != nil {
		select {
		case f.Changed <- event.GenericEvent{Object: src.DeepCopy()}:
		default: // the source is re-read on its next reconcile anyway
		}
	}
}

// Outcome returns the latest outcome for the source "namespace/name".
func (f *Fetcher) Outcome(source string) (Outcome, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	o, ok := f.outcomes[source]
	return o, ok
}

func (f *Fetcher) slot(src *v1.MetricSource) chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := src.Namespace + "/" + src.Name
	n := int(src.Spec.MaxConcurrency)
	if n < 1 {
		n = 4
	}
	s, ok := f.slots[k]
	if !ok || cap(s) != n {
		s = make(chan struct{}, n)
		f.slots[k] = s
	}
	return s
}

// Requests returns how many upstream requests were made to the named
// source ("namespace/name").
func (f *Fetcher) Requests(source string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[source]
}
