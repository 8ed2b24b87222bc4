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

package fetch

import (
	"container/list"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// key identifies an answer: a (source, query) pair of one version of a
// source. A new source (UID) or spec (generation) starts afresh.
type key struct {
	source     string // "namespace/name"
	uid        types.UID
	generation int64
	pair       string // sources.PairKey
}

func keyOf(src *v1.MetricSource, q *v1.KPISource) key {
	return key{source: sourceName(src), uid: src.UID, generation: src.Generation, pair: sources.PairKey(q)}
}

func sourceName(src *v1.MetricSource) string { return src.Namespace + "/" + src.Name }

// answer is the latest answer to one pair.
type answer struct {
	key      key
	obs      evaluate.Observation
	err      error
	at       time.Time // when it was fetched
	failures int       // consecutive
	retryAt  time.Time // after a failure, the end of its backoff
	used     time.Time // when a KPI last asked for it
}

// cache keeps the latest answer per pair. It forgets an answer when its
// source is deleted (forget), when the source's spec changes (a newer
// generation or another UID is stored), when no KPI asked for it for
// idle (and it is not backing off), and, past max answers, the least
// recently used one.
type cache struct {
	max  int
	idle time.Duration

	mu       sync.Mutex
	lru      *list.List // of *answer, most recently used first
	byKey    map[key]*list.Element
	bySource map[string]map[key]struct{}
	swept    time.Time
}

func newCache(max int, idle time.Duration) *cache {
	return &cache{max: max, idle: idle, lru: list.New(), byKey: map[key]*list.Element{}, bySource: map[string]map[key]struct{}{}}
}

// lookup returns the answer for k if it is still to be served: a success
// younger than minInterval, or a failure still backing off.
func (c *cache) lookup(k key, now time.Time, minInterval time.Duration) (evaluate.Observation, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		return evaluate.Observation{}, nil, false
	}
	a := el.Value.(*answer)
	a.used = now
	c.lru.MoveToFront(el)
	fresh := a.err == nil && now.Sub(a.at) < minInterval
	waiting := a.err != nil && now.Before(a.retryAt)
	return a.obs, a.err, fresh || waiting
}

// latest returns the answer kept for k, however old: what a caller that
// stops waiting for a new one shows meanwhile.
func (c *cache) latest(k key) (evaluate.Observation, error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[k]
	if !ok {
		return evaluate.Observation{}, nil, false
	}
	a := el.Value.(*answer)
	return a.obs, a.err, true
}

// store keeps the answer fetched for k at at and reports whether it is
// news to the KPIs sharing the pair (see newAnswer).
func (c *cache) store(k key, obs evaluate.Observation, err error, at time.Time) (news bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropOlderVersions(k)
	el, ok := c.byKey[k]
	if !ok {
		el = c.lru.PushFront(&answer{key: k})
		c.byKey[k] = el
		if c.bySource[k.source] == nil {
			c.bySource[k.source] = map[key]struct{}{}
		}
		c.bySource[k.source][k] = struct{}{}
		cachedAnswers.Inc()
	} else {
		c.lru.MoveToFront(el)
	}
	a := el.Value.(*answer)
	news = ok && newAnswer(a.obs, a.err, obs, err)
	a.obs, a.err, a.at, a.used = obs, err, at, at
	if err != nil {
		a.failures++
		a.retryAt = at.Add(backoff(a.failures))
	} else {
		a.failures, a.retryAt = 0, time.Time{}
	}
	for c.max > 0 && c.lru.Len() > c.max {
		c.remove(c.lru.Back())
	}
	if at.Sub(c.swept) >= c.idle/4 {
		c.sweep(at)
	}
	return news
}

// newAnswer reports whether a successful request brought what the KPIs
// sharing its pair have not seen: an observation other than the previous
// request's (value, time, a rate's counts, scale or period start: 14 of 80
// is news after 7 of 40 although the rate is the same, because a rate is
// judged on its counts), or any value after a failure. Failures are not
// news to spread: each KPI meets one at its own evaluation, so a moment's
// failure does not rewrite every KPI of the pair twice.
func newAnswer(prevObs evaluate.Observation, prevErr error, obs evaluate.Observation, err error) bool {
	if err != nil {
		return false
	}
	return prevErr != nil || !prevObs.Equal(obs)
}

// dropOlderVersions forgets the answers of k's source that belong to
// another version of it: its spec changed or it was recreated.
func (c *cache) dropOlderVersions(k key) {
	for other := range c.bySource[k.source] {
		if other.uid != k.uid || other.generation < k.generation {
			c.remove(c.byKey[other])
		}
	}
}

// sweep forgets the answers no KPI asked for during idle, unless they are
// still backing off (forgetting those would reset the backoff). The list
// is in order of use, so it stops at the first answer used since.
func (c *cache) sweep(now time.Time) {
	c.swept = now
	for el := c.lru.Back(); el != nil; {
		prev := el.Prev()
		a := el.Value.(*answer)
		if now.Sub(a.used) <= c.idle {
			break // the rest were used more recently
		}
		if !now.Before(a.retryAt) {
			c.remove(el)
		}
		el = prev
	}
}

// forget drops every answer of a deleted source.
func (c *cache) forget(source string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.bySource[source] {
		c.remove(c.byKey[k])
	}
}

func (c *cache) remove(el *list.Element) {
	a := c.lru.Remove(el).(*answer)
	delete(c.byKey, a.key)
	if s := c.bySource[a.key.source]; s != nil {
		delete(s, a.key)
		if len(s) == 0 {
			delete(c.bySource, a.key.source)
		}
	}
	cachedAnswers.Dec()
}

// len counts the answers and the sources they belong to.
func (c *cache) len() (answers, srcs int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.byKey), len(c.bySource)
}
