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
	"context"
	"slices"
	"sync"
	"time"
)

// Defaults of the pool of requests to sources (Options.Workers,
// Options.WorkersPerNamespace).
const (
	// DefaultWorkers is how many requests to sources run at once, all
	// namespaces together.
	DefaultWorkers = 32
	// DefaultWorkersPerNamespace is how many of them one namespace may
	// hold: a tenant whose sources never answer holds at most this many,
	// and the others keep the rest.
	DefaultWorkersPerNamespace = 8
	// defaultConcurrency is a source's share when spec.maxConcurrency is
	// unset.
	defaultConcurrency = 4
)

// pool hands out the right to send one request to a source: at most
// workers at once, at most perNamespace for one namespace and at most a
// source's own limit (spec.maxConcurrency) for one source. Waiting
// requests are served round-robin across namespaces, and within a
// namespace round-robin across its sources, so one namespace with a
// thousand queued requests delays another's by one turn, not a thousand.
// It keeps nothing about a namespace or source with no request running
// or waiting.
type pool struct {
	workers, perNamespace int

	mu      sync.Mutex
	running int
	spaces  map[string]*space
	ring    []string // namespaces with waiting tickets, in turn order
	turn    int      // index in ring of the next namespace served
}

// space is one namespace's share of the pool.
type space struct {
	running int
	// lastGrant is when a request of the namespace last started: a
	// namespace with requests waiting and none started for a while is
	// stuck behind its own slow sources (see stalled).
	lastGrant time.Time
	srcs      map[string]*sourceQueue
	ring      []string // sources with waiting tickets, in turn order
	turn      int
}

// sourceQueue is one source's waiting and running requests.
type sourceQueue struct {
	running int
	waiting []*ticket
}

// ticket is one request's place in the pool.
type ticket struct {
	namespace, source string
	limit             int
	granted           chan struct{} // closed when it may run
	isGranted         bool          // under pool.mu
}

func newPool(workers, perNamespace int) *pool {
	if workers <= 0 {
		workers = DefaultWorkers
	}
	if perNamespace <= 0 {
		perNamespace = DefaultWorkersPerNamespace
	}
	return &pool{workers: workers, perNamespace: min(perNamespace, workers), spaces: map[string]*space{}}
}

// enqueue puts a request to source ("namespace/name") of namespace in
// line; limit is the source's own limit. Wait for it with wait.
func (p *pool) enqueue(namespace, source string, limit int, now time.Time) *ticket {
	if limit < 1 {
		limit = defaultConcurrency
	}
	t := &ticket{namespace: namespace, source: source, limit: limit, granted: make(chan struct{})}
	p.mu.Lock()
	defer p.mu.Unlock()
	sp := p.spaces[namespace]
	if sp == nil {
		// A namespace new to the pool has not been stuck yet.
		sp = &space{lastGrant: now, srcs: map[string]*sourceQueue{}}
		p.spaces[namespace] = sp
	}
	sq := sp.srcs[source]
	if sq == nil {
		sq = &sourceQueue{}
		sp.srcs[source] = sq
	}
	if len(sq.waiting) == 0 {
		sp.ring = append(sp.ring, source)
	}
	sq.waiting = append(sq.waiting, t)
	if !slices.Contains(p.ring, namespace) {
		p.ring = append(p.ring, namespace)
	}
	p.dispatch(now)
	return t
}

// wait blocks until t may run or ctx ends; on nil, release t when done.
func (p *pool) wait(ctx context.Context, t *ticket) error {
	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.isGranted {
		// Granted as the deadline passed: give the turn back.
		p.done(t, time.Now())
		return ctx.Err()
	}
	sp := p.spaces[t.namespace]
	sq := sp.srcs[t.source]
	sq.waiting = slices.DeleteFunc(sq.waiting, func(o *ticket) bool { return o == t })
	if len(sq.waiting) == 0 {
		sp.ring, sp.turn = without(sp.ring, sp.turn, t.source)
		if len(sp.ring) == 0 {
			p.ring, p.turn = without(p.ring, p.turn, t.namespace)
		}
	}
	p.tidy(sp, sq, t)
	return ctx.Err()
}

// release ends t's request and lets the next one run.
func (p *pool) release(t *ticket) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done(t, time.Now())
}

func (p *pool) done(t *ticket, now time.Time) {
	sp := p.spaces[t.namespace]
	sq := sp.srcs[t.source]
	p.running--
	sp.running--
	sq.running--
	p.tidy(sp, sq, t)
	p.dispatch(now)
}

// tidy forgets a source and a namespace with nothing running or waiting.
func (p *pool) tidy(sp *space, sq *sourceQueue, t *ticket) {
	if sq.running == 0 && len(sq.waiting) == 0 {
		delete(sp.srcs, t.source)
	}
	if sp.running == 0 && len(sp.srcs) == 0 {
		delete(p.spaces, t.namespace)
	}
}

// stalled reports whether t still waits while its namespace has started
// no request for longer than d: the namespace's share is held by requests
// that do not finish, and a caller gains nothing by waiting on t.
func (p *pool) stalled(t *ticket, now time.Time, d time.Duration) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t.isGranted {
		return false
	}
	sp := p.spaces[t.namespace]
	return sp != nil && now.Sub(sp.lastGrant) > d
}

// dispatch grants waiting tickets while workers are free, one per
// namespace in turn, and within a namespace one per source in turn.
func (p *pool) dispatch(now time.Time) {
	for p.running < p.workers {
		t := p.next()
		if t == nil {
			return
		}
		sp := p.spaces[t.namespace]
		p.running++
		sp.running++
		sp.srcs[t.source].running++
		sp.lastGrant = now
		t.isGranted = true
		close(t.granted)
	}
}

// next takes the next ticket that may run, advancing the turns; nil when
// every waiting ticket is held back by its namespace's or source's limit.
func (p *pool) next() *ticket {
	for i := range len(p.ring) {
		at := (p.turn + i) % len(p.ring)
		ns := p.ring[at]
		sp := p.spaces[ns]
		if sp.running >= p.perNamespace {
			continue
		}
		for j := range len(sp.ring) {
			sat := (sp.turn + j) % len(sp.ring)
			src := sp.ring[sat]
			sq := sp.srcs[src]
			if sq.running >= sq.waiting[0].limit {
				continue
			}
			t := sq.waiting[0]
			sq.waiting = sq.waiting[1:]
			if len(sq.waiting) == 0 {
				sq.waiting = nil
				sp.ring = slices.Delete(sp.ring, sat, sat+1)
				sp.turn = sat
			} else {
				sp.turn = sat + 1
			}
			if len(sp.ring) == 0 {
				p.ring = slices.Delete(p.ring, at, at+1)
				p.turn = at
			} else {
				p.turn = at + 1
			}
			if len(p.ring) > 0 {
				p.turn %= len(p.ring)
			} else {
				p.turn = 0
			}
			if len(sp.ring) > 0 {
				sp.turn %= len(sp.ring)
			} else {
				sp.turn = 0
			}
			return t
		}
	}
	return nil
}

// without removes v from ring, keeping turn on the same next element.
func without(ring []string, turn int, v string) ([]string, int) {
	i := slices.Index(ring, v)
	if i < 0 {
		return ring, turn
	}
	ring = slices.Delete(ring, i, i+1)
	if i < turn {
		turn--
	}
	if len(ring) == 0 || turn >= len(ring) {
		turn = 0
	}
	return ring, turn
}

// len counts the namespaces and sources the pool keeps, for tests.
func (p *pool) len() (namespaces, srcs int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, sp := range p.spaces {
		srcs += len(sp.srcs)
	}
	return len(p.spaces), srcs
}
