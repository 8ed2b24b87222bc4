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
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

func TestAParentWaitsForItsChildrensFirstEvaluationWithinTheGrace(t *testing.T) {
	req := reconcile.Request{NamespacedName: types.NamespacedName{Namespace: "ns", Name: "reduce-readmissions"}}
	type step struct {
		advance         time.Duration
		parentEvaluated bool
		pending         int
		wantHold        bool
		wantAfter       time.Duration
	}
	for _, tc := range []struct {
		name  string
		steps []step
	}{
		{name: "no child pending: writes at once", steps: []step{{pending: 0}}},
		{name: "parent already evaluated for its generation: writes at once", steps: []step{{parentEvaluated: true, pending: 2}}},
		{name: "children pending: holds and looks again when the grace ends", steps: []step{
			{pending: 3, wantHold: true, wantAfter: firstWriteGrace},
			{advance: 30 * time.Second, pending: 1, wantHold: true, wantAfter: firstWriteGrace - 30*time.Second},
			{advance: time.Second, pending: 0},
		}},
		{name: "a child nobody evaluates: writes once the grace is over", steps: []step{
			{pending: 1, wantHold: true, wantAfter: firstWriteGrace},
			{advance: firstWriteGrace, pending: 1},
		}},
		{name: "the grace restarts after a write", steps: []step{
			{pending: 1, wantHold: true, wantAfter: firstWriteGrace},
			{advance: time.Minute, pending: 0},
			{advance: time.Minute, pending: 1, wantHold: true, wantAfter: firstWriteGrace},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := clocktesting.NewFakePassiveClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
			w := newChildWait(clk)
			for i, s := range tc.steps {
				clk.SetTime(clk.Now().Add(s.advance))
				after, hold := w.hold(req, s.parentEvaluated, s.pending)
				if hold != s.wantHold || after != s.wantAfter {
					t.Fatalf("step %d: hold = %v after %s; want %v after %s", i, hold, after, s.wantHold, s.wantAfter)
				}
			}
			w.forget(req)
			if len(w.since) != 0 {
				t.Fatalf("forget left %d entries", len(w.since))
			}
		})
	}
}
