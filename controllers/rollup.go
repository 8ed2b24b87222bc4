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
	"context"
	"sync"
	"time"

	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// DefaultRollupDelay is how long a parent (objective, partnership,
// portfolio) waits after a child changes before it rolls its children up.
const DefaultRollupDelay = time.Second

// enqueueRollup maps a child's change to the parents that roll it up and
// enqueues them after delay. The delaying queue keeps one entry per
// parent, so the burst of child changes while a portfolio converges, or
// after a source's answer moves many KPIs, becomes one roll-up and one
// status write per parent per delay instead of one per child: a portfolio
// of 1,000 partnerships would otherwise rewrite its status for each of
// them (docs/benchmarks.md has the figures).
func enqueueRollup(pace pacer, parents handler.MapFunc) handler.EventHandler {
	add := func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], objs ...client.Object) {
		for _, o := range objs {
			for _, req := range parents(ctx, o) {
				if delay := pace.delay(req); delay > 0 {
					q.AddAfter(req, delay)
				} else {
					q.Add(req)
				}
			}
		}
	}
	type queue = workqueue.TypedRateLimitingInterface[reconcile.Request]
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q queue) {
			add(ctx, q, e.Object)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q queue) {
			// Both: a child that moved to another parent changes both.
			add(ctx, q, e.ObjectOld, e.ObjectNew)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q queue) {
			add(ctx, q, e.Object)
		},
		GenericFunc: func(ctx context.Context, e event.GenericEvent, q queue) {
			add(ctx, q, e.Object)
		},
	}
}

// pacer says how long a parent waits after a child's change before it
// rolls its children up.
type pacer interface {
	delay(parent reconcile.Request) time.Duration
}

// fixedDelay is the same delay for every parent: right for objectives and
// partnerships, whose roll-ups read a handful of children.
type fixedDelay time.Duration

func (d fixedDelay) delay(reconcile.Request) time.Duration { return time.Duration(d) }

// rollupCostFactor and maxRollupDelay bound an expensive roll-up's share
// of the time: a parent that took d to roll up waits at least
// rollupCostFactor x d before the next, so it spends at most about a
// tenth of a worker's time on roll-ups however fast its children change.
const (
	rollupCostFactor = 9
	maxRollupDelay   = time.Minute
)

// costPacer stretches a parent's batching delay with the cost of its last
// roll-up. A portfolio reads every selected partnership, objective and
// KPI, so its roll-up grows with the portfolio (about 10,000 KPIs read
// from the cache for 1,000 partnerships); re-run every second while the
// children converge, it took most of the manager's CPU from the children
// it was waiting for (docs/benchmarks.md has the figures). Small parents
// keep the base delay.
type costPacer struct {
	base time.Duration
	mu   sync.Mutex
	cost map[reconcile.Request]time.Duration
}

func newCostPacer(base time.Duration) *costPacer {
	return &costPacer{base: base, cost: map[reconcile.Request]time.Duration{}}
}

func (p *costPacer) delay(req reconcile.Request) time.Duration {
	if p.base < 0 {
		return p.base // roll-ups at once were asked for (Options.RollupDelay)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return min(max(p.base, rollupCostFactor*p.cost[req]), max(p.base, maxRollupDelay))
}

// observe records how long req's latest roll-up took; forget drops a
// parent that no longer exists.
func (p *costPacer) observe(req reconcile.Request, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cost[req] = took
}

func (p *costPacer) forget(req reconcile.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.cost, req)
}
