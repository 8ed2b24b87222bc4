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
	"fmt"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// constant answers 1 to every query without a network: the cache is pure
// bookkeeping, the network parts have their own tests.
type constant struct{ calls *int }

func (c constant) Fetch(context.Context, sources.Request) (evaluate.Observation, error) {
	*c.calls++
	return evaluate.Observation{Time: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Value: 1}, nil
}

func gaugeValue(t *testing.T) float64 {
	t.Helper()
	var m dto.Metric
	if err := cachedAnswers.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetGauge().GetValue()
}

// sizes counts what a fetcher keeps.
type sizes struct{ answers, sourcesWithAnswers, slots, outcomes int }

func sizesOf(f *Fetcher) sizes {
	a, s := f.cache.len()
	return sizes{answers: a, sourcesWithAnswers: s, slots: poolEntries(f), outcomes: f.outcomes.len()}
}

func poolEntries(f *Fetcher) int {
	n, s := f.pool.len()
	return n + s
}

// Issue 18, test 9: 10,000 source generations, 10,000 sources created
// and deleted, and 10,000 query edits, then deletion: the fetcher's maps
// and the cached-answers gauge come back down.
func TestTheCacheShrinksBackAfterTenThousandSourceGenerationsAndDeletions(t *testing.T) {
	const n = 10_000
	calls := 0
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	f := New(Options{AllowedHosts: sources.AllowLoopbackForTests(), Clock: clk, Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: constant{&calls}}})
	gauge := gaugeValue(t)
	queries := []*v1.KPISource{{Query: "/a"}, {Query: "/b"}, {Query: "/c"}}
	src := func(name string, uid types.UID, generation int64) *v1.MetricSource {
		return &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: uid, Generation: generation},
			Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: "http://127.0.0.1:1", MinInterval: "1m"}}
	}
	fetchAll := func(s *v1.MetricSource) {
		t.Helper()
		for _, q := range queries {
			if _, err := f.Fetch(context.Background(), s, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	check := func(when string, want sizes) {
		t.Helper()
		if got := sizesOf(f); got != want {
			t.Errorf("%s: the fetcher keeps %+v; want %+v", when, got, want)
		}
		if got := gaugeValue(t) - gauge; got != float64(want.answers) {
			t.Errorf("%s: accord_source_cached_answers grew by %v; want %d", when, got, want.answers)
		}
	}

	// n spec edits of one source: each generation's answers replace
	// the last one's.
	for g := int64(1); g <= n; g++ {
		fetchAll(src("edited", "u-edited", g))
	}
	check("after 10,000 generations", sizes{answers: 3, sourcesWithAnswers: 1, slots: 0, outcomes: 1})
	// Recreated under the same name: another UID starts afresh.
	fetchAll(src("edited", "u-edited-again", 1))
	check("after a recreation", sizes{answers: 3, sourcesWithAnswers: 1, slots: 0, outcomes: 1})

	// n sources created, read and deleted.
	for i := range n {
		name := fmt.Sprintf("s%d", i)
		fetchAll(src(name, types.UID("u-"+name), 1))
		f.Forget("ns", name)
	}
	check("after 10,000 deletions", sizes{answers: 3, sourcesWithAnswers: 1, slots: 0, outcomes: 1})
	f.Forget("ns", "edited")
	check("after deleting the edited source", sizes{})

	// n queries no KPI asks for any more: gone once idle.
	kept := src("kept", "u-kept", 1)
	for i := range n {
		if _, err := f.Fetch(context.Background(), kept, &v1.KPISource{Query: fmt.Sprintf("/q%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	check("after 10,000 queries", sizes{answers: n, sourcesWithAnswers: 1, slots: 0, outcomes: 1})
	clk.Step(DefaultIdleAfter + time.Minute)
	fetchAll(kept)
	check("once the old queries are idle", sizes{answers: 3, sourcesWithAnswers: 1, slots: 0, outcomes: 1})
	if want := 3*n + 3 + 3*n + n + 3; calls != want {
		t.Errorf("%d requests; want %d, one per pair and version, or the test measured the wrong thing", calls, want)
	}
}

func TestTheCacheHoldsAtMostMaxAnswers(t *testing.T) {
	calls := 0
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
	f := New(Options{AllowedHosts: sources.AllowLoopbackForTests(), Clock: clk, MaxAnswers: 100, Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: constant{&calls}}})
	s := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "busy", UID: "u1", Generation: 1},
		Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: "http://127.0.0.1:1", MinInterval: "1h"}}
	hot := &v1.KPISource{Query: "/hot"}
	for i := range 1000 {
		for _, q := range []*v1.KPISource{hot, {Query: fmt.Sprintf("/q%d", i)}} {
			if _, err := f.Fetch(context.Background(), s, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	if a, _ := f.cache.len(); a != 100 {
		t.Errorf("%d answers cached; MaxAnswers is 100", a)
	}
	// The pair asked for all along is the last to go: fetched once.
	if want := 1 + 1000; calls != want {
		t.Errorf("%d requests; want %d (the hot pair served from the cache)", calls, want)
	}
}
