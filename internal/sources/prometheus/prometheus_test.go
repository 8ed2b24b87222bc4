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

package prometheus_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/prometheus"
	"github.com/accord-dev/accord/internal/sources/sourcestest"
	"github.com/accord-dev/accord/internal/testsupport/promserver"
	"github.com/accord-dev/accord/internal/testsupport/testprom"
)

// One real Prometheus for the package, holding a little backfilled
// history; TestMain stops it.
var (
	once     sync.Once
	promSrv  *promserver.Server
	promDir  string
	promErr  error
	observed time.Time
)

func TestMain(m *testing.M) {
	code := m.Run()
	if promSrv != nil {
		promSrv.Stop()
	}
	if promDir != "" {
		_ = os.RemoveAll(promDir)
	}
	os.Exit(code)
}

func server(t *testing.T) string {
	once.Do(func() {
		// Recent enough for the server's retention, on whole seconds.
		observed = time.Now().UTC().Truncate(time.Minute).Add(-30 * time.Minute)
		var b strings.Builder
		b.WriteString("# TYPE accord_readmission_rate gauge\n")
		b.WriteString(testprom.Sample("accord_readmission_rate", `partner="vrh"`, 17.2, observed))
		b.WriteString(testprom.Sample("accord_readmission_rate", `partner="umc"`, 15, observed))
		b.WriteString("# TYPE accord_broken gauge\n")
		fmt.Fprintf(&b, "accord_broken{} NaN %d\n", observed.Unix())
		b.WriteString("# TYPE accord_many gauge\n")
		for i := range 200 {
			b.WriteString(testprom.Sample("accord_many", fmt.Sprintf(`clinic="clinic-%03d"`, i), float64(i), observed))
		}
		// A quarter's readmissions and discharges per hospital: 70 of 400 at
		// the valley hospital, then (two minutes later) 90 of 800, which an
		// instant query a minute after observed must not see.
		b.WriteString("# TYPE accord_readmissions gauge\n")
		b.WriteString(testprom.Sample("accord_readmissions", `partner="vrh"`, 70, observed))
		b.WriteString(testprom.Sample("accord_readmissions", `partner="vrh"`, 90, observed.Add(2*time.Minute)))
		b.WriteString(testprom.Sample("accord_readmissions", `partner="cah"`, 7, observed))
		b.WriteString(testprom.Sample("accord_readmissions", `partner="neg"`, -3, observed))
		b.WriteString("# TYPE accord_discharges gauge\n")
		b.WriteString(testprom.Sample("accord_discharges", `partner="vrh"`, 400, observed))
		b.WriteString(testprom.Sample("accord_discharges", `partner="vrh"`, 800, observed.Add(2*time.Minute)))
		b.WriteString(testprom.Sample("accord_discharges", `partner="cah"`, 5, observed))
		b.WriteString(testprom.Sample("accord_discharges", `partner="neg"`, 40, observed))
		b.WriteString(testprom.Sample("accord_discharges", `partner="none"`, 0, observed))
		b.WriteString("# EOF\n")
		if promDir, promErr = os.MkdirTemp("", "accord-prometheus-test-"); promErr == nil {
			promSrv, promErr = promserver.Start(promDir, b.String())
		}
	})
	if promErr != nil {
		t.Fatalf("prometheus did not start: %v", promErr)
	}
	return promSrv.URL
}

func fetcher(now time.Time) *fetch.Fetcher {
	return fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(),
		Reader:    fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
		Clock:     clocktesting.NewFakeClock(now),
		Providers: map[v1.SourceType]sources.Provider{v1.SourcePrometheus: prometheus.Provider{}},
	})
}

func source(url string) *v1.MetricSource {
	return &v1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "network-prometheus", UID: "p1", Generation: 1},
		Spec:       v1.MetricSourceSpec{Type: v1.SourcePrometheus, Endpoint: url, Timeout: "5s", MinInterval: "1m", MaxResponseBytes: 8192, MaxConcurrency: 4},
	}
}

func TestInstantQueriesAgainstARealPrometheus(t *testing.T) {
	url := server(t)
	queryAt := observed.Add(time.Minute)
	cases := []struct {
		name   string
		query  string
		value  float64
		at     time.Time
		reason sources.Reason
		msg    string
	}{
		{name: "one series is a value at its sample's time", query: `accord_readmission_rate{partner="vrh"}`, value: 17.2, at: observed},
		{name: "an aggregate of several series is a value", query: `avg(accord_readmission_rate)`, value: 16.1, at: queryAt},
		{name: "a scalar is a value at the evaluation time", query: `scalar(accord_readmission_rate{partner="umc"})`, value: 15, at: queryAt},
		{name: "several series are refused", query: `accord_readmission_rate`, reason: sources.ReasonMalformedResponse, msg: "returned 2 series"},
		{name: "no series is no data", query: `accord_not_there`, reason: sources.ReasonQueryReturnedNoData, msg: "returned no series"},
		{name: "NaN is not a value", query: `accord_broken`, reason: sources.ReasonMalformedResponse, msg: "not a finite number"},
		{name: "a syntax error names the query", query: `rate(accord_readmission_rate[5m]`, reason: sources.ReasonInvalidQuery, msg: "was rejected"},
		{name: "an answer over the size cap", query: `accord_many`, reason: sources.ReasonResponseTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetcher(queryAt).Fetch(context.Background(), source(url), &v1.KPISource{Query: tc.query})
			if tc.reason == "" {
				if err != nil || obs.Value != tc.value || !obs.Time.Equal(tc.at) {
					t.Fatalf("got %v at %v, %v; want %v at %v", obs.Value, obs.Time, err, tc.value, tc.at)
				}
				return
			}
			re, ok := err.(interface{ Reason() sources.Reason })
			if !ok || re.Reason() != tc.reason || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v; want reason %s with %q", err, tc.reason, tc.msg)
			}
			if strings.Contains(err.Error(), "clinic-0") {
				t.Errorf("error %q leaks response data", err)
			}
		})
	}
}

// Prometheus evaluates at whole milliseconds, rounding the time it is
// asked for to the nearest one. An observation half a millisecond after the
// operator's now would be thrown away as a value from the future, and the
// KPI's first evaluation would show NoData (seen in the demo test).
func TestAnEvaluationTimeIsNeverAfterNow(t *testing.T) {
	url := server(t)
	base := observed.Add(time.Minute)
	for _, sub := range []time.Duration{0, 400 * time.Microsecond, 500 * time.Microsecond, 999_999 * time.Nanosecond} {
		now := base.Add(sub)
		for _, q := range []string{`avg_over_time(accord_readmission_rate{partner="vrh"}[1d])`, `scalar(accord_readmission_rate{partner="umc"})`} {
			obs, err := fetcher(now).Fetch(context.Background(), source(url), &v1.KPISource{Query: q})
			if err != nil {
				t.Fatalf("%s at %s: %v", q, now.Format(time.RFC3339Nano), err)
			}
			if obs.Time.After(now) || now.Sub(obs.Time) >= time.Millisecond {
				t.Errorf("%s at %s: observed at %s; want the millisecond of now, not after it",
					q, now.Format(time.RFC3339Nano), obs.Time.Format(time.RFC3339Nano))
			}
		}
	}
}

func TestKPIsSharingAQueryCauseOneRequest(t *testing.T) {
	url := server(t)
	f := fetcher(observed.Add(time.Minute))
	src := source(url)
	before := sourcestest.Requests(t, "ns", "network-prometheus")
	var wg sync.WaitGroup
	for range 25 {
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), src, &v1.KPISource{Query: `accord_readmission_rate{partner="vrh"}`}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := sourcestest.Requests(t, "ns", "network-prometheus") - before; n != 1 {
		t.Fatalf("%d requests for 25 KPIs sharing one query; want 1", n)
	}
}

func TestRatesFromANumeratorAndADenominatorQuery(t *testing.T) {
	url := server(t)
	queryAt := observed.Add(time.Minute)
	cases := []struct {
		name          string
		num, den      string
		value         float64
		counts        evaluate.Counts
		at            time.Time
		reason        sources.Reason
		msg           string
		mustNotRepeat string
	}{
		{name: "two series read at one instant: 70 of 400 is 0.175 at their samples' time",
			num: `accord_readmissions{partner="vrh"}`, den: `accord_discharges{partner="vrh"}`,
			value: 0.175, counts: evaluate.Counts{Numerator: 70, Denominator: 400}, at: observed},
		{name: "computed counts are observed at the evaluation time",
			num: `sum(accord_readmissions{partner="vrh"})`, den: `sum(accord_discharges{partner="vrh"})`,
			value: 0.175, counts: evaluate.Counts{Numerator: 70, Denominator: 400}, at: queryAt},
		{name: "the rate is as old as its older count",
			num: `sum(accord_readmissions{partner="vrh"})`, den: `accord_discharges{partner="vrh"}`,
			value: 0.175, counts: evaluate.Counts{Numerator: 70, Denominator: 400}, at: observed},
		{name: "a numerator above its denominator", num: `accord_readmissions{partner="cah"}`, den: `accord_discharges{partner="cah"}`,
			reason: sources.ReasonMalformedResponse, msg: "numerator above its denominator", mustNotRepeat: "7"},
		{name: "a negative count", num: `accord_readmissions{partner="neg"}`, den: `accord_discharges{partner="neg"}`,
			reason: sources.ReasonMalformedResponse, msg: "negative count", mustNotRepeat: "-3"},
		{name: "a denominator of 0", num: `scalar(accord_readmissions{partner="vrh"}) * 0`, den: `accord_discharges{partner="none"}`,
			reason: sources.ReasonMalformedResponse, msg: "denominator of 0"},
		{name: "a denominator that is not a number", num: `accord_readmissions{partner="vrh"}`, den: `accord_broken`,
			reason: sources.ReasonMalformedResponse, msg: `query "accord_broken" returned NaN`},
		{name: "a denominator with no series", num: `accord_readmissions{partner="vrh"}`, den: `accord_discharges{partner="gone"}`,
			reason: sources.ReasonQueryReturnedNoData, msg: "returned no series"},
		{name: "a denominator of several series", num: `sum(accord_readmissions)`, den: `accord_discharges`,
			reason: sources.ReasonMalformedResponse, msg: "returned 4 series"},
		{name: "a denominator query that does not parse", num: `accord_readmissions{partner="vrh"}`, den: `sum(accord_discharges`,
			reason: sources.ReasonInvalidQuery, msg: "was rejected"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetcher(queryAt).Fetch(context.Background(), source(url), &v1.KPISource{Query: tc.num, DenominatorQuery: tc.den})
			if tc.reason == "" {
				if err != nil || math.Abs(obs.Value-tc.value) > 1e-12 || obs.Scale != evaluate.ScaleProportion || obs.Counts == nil || *obs.Counts != tc.counts || !obs.Time.Equal(tc.at) {
					t.Fatalf("got %v (%s) of %+v at %v, %v; want %v of %+v at %v", obs.Value, obs.Scale, obs.Counts, obs.Time, err, tc.value, tc.counts, tc.at)
				}
				return
			}
			re, ok := err.(interface{ Reason() sources.Reason })
			if !ok || re.Reason() != tc.reason || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v; want reason %s with %q", err, tc.reason, tc.msg)
			}
			if tc.mustNotRepeat != "" && strings.Contains(err.Error(), tc.mustNotRepeat) {
				t.Errorf("error %q repeats the count %s", err, tc.mustNotRepeat)
			}
		})
	}
}

func TestFieldsOfOtherSourceTypesAreRefused(t *testing.T) {
	url := server(t)
	for field, q := range map[string]v1.KPISource{
		"jsonPath":          {Query: "up", JSONPath: "{.value}"},
		"numeratorJSONPath": {Query: "up", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
		"periodEndJSONPath": {Query: "up", PeriodEndJSONPath: "{.end}"},
		"group":             {Query: "up", Group: "readmit-30d"},
	} {
		t.Run(field, func(t *testing.T) {
			_, err := fetcher(observed).Fetch(context.Background(), source(url), &q)
			re, ok := err.(interface{ Reason() sources.Reason })
			if !ok || re.Reason() != sources.ReasonInvalidQuery || !strings.Contains(err.Error(), "spec.source."+field+" applies to") {
				t.Fatalf("got %v; want InvalidQuery naming spec.source.%s", err, field)
			}
		})
	}
}
