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

package bench

import (
	"context"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	toolscache "k8s.io/client-go/tools/cache"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Resources are the Accord kinds the tracker watches, by kind.
var Resources = map[string]string{
	v1.KindMetricSource: "metricsources", v1.KindPartnership: "partnerships", v1.KindObjective: "objectives",
	v1.KindKPI: "kpis", v1.KindReview: "reviews", v1.KindPortfolio: "portfolios",
}

// State is what the harness keeps of one object: just enough to decide
// whether it has converged, so the tracker's own memory stays small.
type State struct {
	Kind, Name string
	Generation int64
	// Evaluated is true when status.observedGeneration and the Ready
	// condition's observedGeneration both equal the generation.
	Evaluated bool
	// LastValue is a KPI's status.lastValue.
	LastValue string
}

// Key identifies an object across kinds.
func Key(kind, name string) string { return kind + "/" + name }

// Goal says whether an object is where the harness waits for it to be.
type Goal func(State) bool

// Evaluated is the convergence goal: evaluated for the current generation.
func Evaluated(s State) bool { return s.Evaluated }

// Tracker follows every Accord object of a namespace through watches
// (client-go informers keeping a trimmed copy), and tells when a set of
// objects reaches a goal and when updates stop. It does not poll the API
// server, so it adds only one watch per kind to its load.
type Tracker struct {
	mu      sync.Mutex
	states  map[string]State
	goals   map[string]Goal
	pending map[string]bool
	// doneAt is when each expected object last reached its goal.
	doneAt  map[string]time.Time
	reached time.Time
	// lastUpdate is when the latest change to any object arrived.
	lastUpdate time.Time
	updates    int
	// recent holds the keys of the latest changes, newest last, so that a
	// change where none was expected (at rest) can be named.
	recent []string
	synced []toolscache.InformerSynced
}

// recentKeys is how many of the latest changed keys are kept.
const recentKeys = 5

// StartTracker starts watching ns until ctx ends, and returns once the
// initial lists are in.
func StartTracker(ctx context.Context, cfg *rest.Config, ns string) (*Tracker, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("dynamic client: %w", err)
	}
	t := &Tracker{states: map[string]State{}}
	for kind, resource := range Resources {
		gvr := v1.GroupVersion.WithResource(resource)
		ri := dyn.Resource(gvr).
			Namespace(ns)
		lw := &toolscache.ListWatch{
			ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
				return ri.List(ctx, o)
			},
			WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
				return ri.Watch(ctx, o)
			},
		}
		_, ctrl := toolscache.NewInformerWithOptions(toolscache.InformerOptions{
			ListerWatcher: lw,
			ObjectType:    &unstructured.Unstructured{},
			Transform:     trim,
			Handler: toolscache.ResourceEventHandlerFuncs{
				AddFunc:    func(o any) { t.observe(kind, o) },
				UpdateFunc: func(_, o any) { t.observe(kind, o) },
			},
		})
		go ctrl.RunWithContext(ctx)
		t.synced = append(t.synced, ctrl.HasSynced)
	}
	if !toolscache.WaitForCacheSync(ctx.Done(), t.synced...) {
		return nil, fmt.Errorf("tracker: watches of namespace %s did not sync", ns)
	}
	return t, nil
}

// trim keeps the fields State needs, so the informer's store holds a few
// hundred bytes per object rather than the whole object.
func trim(obj any) (any, error) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return obj, nil // a deletion tombstone
	}
	out := &unstructured.Unstructured{Object: map[string]any{}}
	out.SetAPIVersion(u.GetAPIVersion())
	out.SetKind(u.GetKind())
	out.SetNamespace(u.GetNamespace())
	out.SetName(u.GetName())
	out.SetResourceVersion(u.GetResourceVersion())
	out.SetGeneration(u.GetGeneration())
	observed, _, _ := unstructured.NestedInt64(u.Object, "status", "observedGeneration")
	ready := false
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == v1.ConditionReady && m["observedGeneration"] == u.GetGeneration() {
			ready = true
		}
	}
	last, _, _ := unstructured.NestedString(u.Object, "status", "lastValue")
	out.Object["status"] = map[string]any{"evaluated": ready && observed == u.GetGeneration(), "lastValue": last}
	return out, nil
}

func (t *Tracker) observe(kind string, obj any) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		return
	}
	evaluated, _, _ := unstructured.NestedBool(u.Object, "status", "evaluated")
	last, _, _ := unstructured.NestedString(u.Object, "status", "lastValue")
	s := State{Kind: kind, Name: u.GetName(), Generation: u.GetGeneration(), Evaluated: evaluated, LastValue: last}
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	k := Key(kind, s.Name)
	t.states[k] = s
	t.lastUpdate = now
	t.updates++
	t.recent = append(t.recent, k)
	if len(t.recent) > recentKeys {
		t.recent = t.recent[1:]
	}
	if g, ok := t.goals[k]; ok {
		if g(s) {
			if t.pending[k] {
				t.doneAt[k] = now
			}
			delete(t.pending, k)
		} else {
			t.pending[k] = true
			t.reached = time.Time{}
		}
		if len(t.pending) == 0 && t.reached.IsZero() {
			t.reached = now
		}
	}
}

// Keys returns the keys of every object seen so far.
func (t *Tracker) Keys() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.states))
	for k := range t.states {
		out = append(out, k)
	}
	return out
}

// Expect sets the goal of each key (objects not yet seen count as not
// there) and forgets earlier goals.
func (t *Tracker) Expect(goals map[string]Goal) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	t.goals, t.pending, t.doneAt, t.reached = goals, map[string]bool{}, map[string]time.Time{}, time.Time{}
	for k, g := range goals {
		if s, ok := t.states[k]; !ok || !g(s) {
			t.pending[k] = true
		} else {
			t.doneAt[k] = now
		}
	}
	if len(t.pending) == 0 {
		t.reached = time.Now()
	}
}

// Reached returns when every expected object last reached its goal (zero
// while some have not) and how many are still pending.
func (t *Tracker) Reached() (time.Time, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reached, len(t.pending)
}

// ReachedAt returns when the last of keys reached its goal, and false
// while any of them has not.
func (t *Tracker) ReachedAt(keys []string) (time.Time, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var last time.Time
	for _, k := range keys {
		if t.pending[k] {
			return time.Time{}, false
		}
		if at := t.doneAt[k]; at.After(last) {
			last = at
		}
	}
	return last, true
}

// LastUpdate returns when the latest change to any object arrived, and how
// many changes arrived in all.
func (t *Tracker) LastUpdate() (time.Time, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.lastUpdate, t.updates
}

// Recent returns the keys of the latest changes, newest last.
func (t *Tracker) Recent() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.recent...)
}

// Pending returns up to n keys that have not reached their goal, to say
// what a timeout was waiting for.
func (t *Tracker) Pending(n int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for k := range t.pending {
		if len(out) == n {
			break
		}
		out = append(out, k)
	}
	return out
}
