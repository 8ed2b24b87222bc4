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

package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// firstWriteGrace bounds how long a parent waits for its children's first
// evaluation before it writes a status that says they are pending. The
// children it waits for are in this manager's cache, so this manager's own
// KPI or objective controller evaluates them (with --shard-selector, a
// child outside the shard is not in the cache and counts as missing, not
// pending); the grace only covers a child whose evaluation keeps failing.
// It is long because a manager starting on 10,000 KPIs on 2 cores takes
// minutes to evaluate them all: at 2 minutes, most objectives wrote a
// "pending" status anyway.
const firstWriteGrace = 10 * time.Minute

// childWait holds back a parent's first status write for its generation
// while children it rolls up exist but have not been evaluated yet. Each
// child's evaluation enqueues the parent anyway (enqueueRollup), so the
// write that would only have said "pending" is skipped, and the parent is
// written once, with its children's results. This halved the status
// writes of a manager starting on 10,000 KPIs (docs/benchmarks.md).
type childWait struct {
	// Clock is wall time: the grace bounds real waiting, whatever clock
	// the evaluation uses.
	clock clock.PassiveClock
	mu    sync.Mutex
	since map[reconcile.Request]time.Time
}

func newChildWait(c clock.PassiveClock) *childWait {
	if c == nil {
		c = clock.RealClock{}
	}
	return &childWait{clock: c, since: map[reconcile.Request]time.Time{}}
}

// hold reports whether the parent req should not write yet, and when to
// look again if no child's evaluation enqueues it first. A parent already
// evaluated for its generation, or with no child pending, never waits.
func (w *childWait) hold(req reconcile.Request, parentEvaluated bool, pending int) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if parentEvaluated || pending == 0 {
		delete(w.since, req)
		return 0, false
	}
	now := w.clock.Now()
	first, ok := w.since[req]
	if !ok {
		first = now
		w.since[req] = now
	}
	left := firstWriteGrace - now.Sub(first)
	if left <= 0 {
		delete(w.since, req)
		return 0, false
	}
	return left, true
}

// forget drops a parent that no longer exists.
func (w *childWait) forget(req reconcile.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.since, req)
}

// evaluatedFor reports whether conditions say their object was evaluated
// for generation gen: Ready observed that generation.
func evaluatedFor(gen int64, conds []metav1.Condition) bool {
	c := meta.FindStatusCondition(conds, v1.ConditionReady)
	return c != nil && c.ObservedGeneration == gen
}
