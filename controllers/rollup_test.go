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
	"testing"
	"time"

	"github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

func TestABurstOfChildChangesRollsUpOncePerParent(t *testing.T) {
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	q := workqueue.NewTypedRateLimitingQueueWithConfig(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request](),
		workqueue.TypedRateLimitingQueueConfig[reconcile.Request]{Clock: clk})
	defer q.ShutDown()
	parent := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "rural-network"}}
	h := enqueueRollup(fixedDelay(time.Second), func(context.Context, client.Object) []reconcile.Request { return []reconcile.Request{parent} })
	ctx := context.Background()
	for _, name := range []string{"a", "b", "c", "d"} {
		kpi := &v1.KPI{}
		kpi.Name = name
		h.Create(ctx, event.CreateEvent{Object: kpi}, q)
		h.Update(ctx, event.UpdateEvent{ObjectOld: kpi, ObjectNew: kpi}, q)
	}
	if q.Len() != 0 {
		t.Fatalf("%d roll-ups queued before the delay passed; want none", q.Len())
	}
	clk.Step(time.Second)
	// The queue's own goroutine moves the item the clock made ready.
	gomega.NewWithT(t).Eventually(q.Len).WithTimeout(5 * time.Second).Should(gomega.BeNumerically(">=", 1))
	if q.Len() != 1 {
		t.Fatalf("%d roll-ups queued for 8 child changes of one parent; want 1", q.Len())
	}
	if got, _ := q.Get(); got != parent {
		t.Fatalf("queued %v; want the parent %v", got, parent)
	}
}

func TestAnExpensiveRollupWaitsInProportionToItsCost(t *testing.T) {
	pf := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "statewide"}}
	other := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "rural-network"}}
	for _, tc := range []struct {
		name string
		cost time.Duration // the last roll-up's duration; 0: none yet
		want time.Duration
	}{
		{name: "a parent not rolled up yet waits the base delay", want: time.Second},
		{name: "a cheap roll-up keeps the base delay", cost: 20 * time.Millisecond, want: time.Second},
		{name: "a roll-up costing 400ms waits 9 times that", cost: 400 * time.Millisecond, want: 3600 * time.Millisecond},
		{name: "the wait is capped at a minute", cost: 30 * time.Second, want: time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newCostPacer(time.Second)
			if tc.cost > 0 {
				p.observe(pf, tc.cost)
			}
			if got := p.delay(pf); got != tc.want {
				t.Errorf("delay = %s; want %s", got, tc.want)
			}
			if got := p.delay(other); got != time.Second {
				t.Errorf("another parent's delay = %s; want the base 1s", got)
			}
			p.forget(pf)
			if got := p.delay(pf); got != time.Second {
				t.Errorf("after forget: delay = %s; want the base 1s", got)
			}
		})
	}
}

func TestRollupsAtOnceAreNotPaced(t *testing.T) {
	pf := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "statewide"}}
	p := newCostPacer(-1)
	p.observe(pf, time.Second)
	if got := p.delay(pf); got > 0 {
		t.Fatalf("delay = %s with a negative base; want none", got)
	}
}
