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
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

func TestGenerateBuildsTheSizeAskedForDeterministically(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	spec := Spec{Partnerships: 7, Namespace: "bench", Now: now, Interval: "60s"}
	a, err := Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(spec)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same spec generated two different portfolios")
	}
	if got := []int{len(a.Partnerships), len(a.Objectives), len(a.KPIs), len(a.Reviews)}; !reflect.DeepEqual(got, []int{7, 21, 63, 7}) {
		t.Errorf("partnerships, objectives, KPIs, reviews = %v; want 7 x (1, 3, 9, 1)", got)
	}
	// Live KPIs share (source, query) pairs, as regions share a measure:
	// that sharing is what the upstream-requests figure checks.
	live := 0
	for _, k := range a.KPIInfos() {
		if k.Query != "" {
			live++
		}
	}
	pairs := a.Pairs()
	if total := pairs["HTTPJSON"] + pairs["Prometheus"]; total == 0 || total >= live {
		t.Errorf("%d distinct pairs for %d live KPIs; want some sharing", total, live)
	}
	if _, err := Generate(Spec{Partnerships: 0, Namespace: "bench", Interval: "60s"}); err == nil || !strings.Contains(err.Error(), "partnerships") {
		t.Errorf("zero partnerships: err = %v; want one naming partnerships", err)
	}
}

func TestQuantileInterpolatesWithinTheBucketLikeHistogramQuantile(t *testing.T) {
	// 10 observations: 4 under 0.01 s, 4 more under 0.1 s, 2 under 1 s.
	h := Histogram{Bounds: []float64{0.01, 0.1, 1}, Counts: []float64{4, 8, 10}, Count: 10}
	for _, c := range []struct{ q, want float64 }{
		{0.2, 0.005},  // rank 2 of 4 in the first bucket
		{0.5, 0.0325}, // rank 5: 1 of 4 into (0.01, 0.1]
		{0.99, 0.955}, // rank 9.9: 1.9 of 2 into (0.1, 1]
	} {
		if got := h.Quantile(c.q); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("Quantile(%v) = %v; want %v", c.q, got, c.want)
		}
	}
	window := h.Sub(Histogram{Bounds: h.Bounds, Counts: []float64{4, 4, 4}, Count: 4})
	if window.Count != 6 || math.Abs(window.Quantile(0.5)-0.0775) > 1e-9 {
		t.Errorf("window after 4 fast observations: count %v, median %v; want 6 and 0.0775 (rank 3 of the 4 left in (0.01, 0.1])", window.Count, window.Quantile(0.5))
	}
	if !math.IsNaN((Histogram{}).Quantile(0.5)) {
		t.Error("an empty histogram has a quantile")
	}
}

func TestExponentTellsLinearFromQuadratic(t *testing.T) {
	for _, c := range []struct {
		name                 string
		s0, s1, f0, f1, want float64
	}{
		{"linear", 1000, 10000, 2, 20, 1},
		{"quadratic", 1000, 10000, 2, 200, 2},
		{"constant", 1000, 10000, 5, 5, 0},
	} {
		if got := Exponent(c.s0, c.s1, c.f0, c.f1); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s: Exponent = %v; want %v", c.name, got, c.want)
		}
	}
	if !math.IsNaN(Exponent(1000, 10000, 0, 5)) {
		t.Error("a zero figure has a growth exponent")
	}
}

// TestRunOnATinyPortfolio keeps the harness working: the whole benchmark on
// two partnerships against its own control plane, Prometheus and partner
// API. It checks the goals that hold at any size: everything converges, and
// nothing is written at rest.
func TestRunOnATinyPortfolio(t *testing.T) {
	root, err := testenv.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	// The interval is the API's minimum (1m): live values re-converge
	// within one of it.
	cfg.Partnerships, cfg.Rest, cfg.Interval, cfg.Quiet, cfg.Timeout = 2, 3*time.Second, time.Minute, 2*time.Second, 3*time.Minute
	cfg.Root = root
	if cfg.Assets, err = testenv.Assets(root); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	res, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects != 2*14+5 || res.Converged <= 0 || res.Floor <= 0 {
		t.Errorf("objects %d, converged %s, floor %s; want 33 objects and both times measured", res.Objects, res.Converged, res.Floor)
	}
	if res.RestWrites != 0 || res.RestEvents != 0 || res.RestObjectChanges != 0 {
		t.Errorf("at rest: %v status writes, %v events, %d object changes; want none", res.RestWrites, res.RestEvents, res.RestObjectChanges)
	}
	if res.ChangedReported+res.ChangedLive == 0 || res.ReconvergedReported <= 0 {
		t.Errorf("changed %d reported and %d live KPIs, re-converged in %s; want a measured change", res.ChangedReported, res.ChangedLive, res.ReconvergedReported)
	}
	if md := res.Markdown(); !strings.Contains(md, "status writes at rest") || !strings.Contains(md, "| KPI |") {
		t.Errorf("the report lacks its figures:\n%s", md)
	}
}
