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

package fhir_test

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
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
	"github.com/accord-dev/accord/internal/sources/fhir"
)

// serveReports is a FHIR server on 127.0.0.1 answering MeasureReport/<id>
// with reports[id].
func serveReports(t *testing.T, reports map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := reports[strings.TrimPrefix(r.URL.Path, "/r4/MeasureReport/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fetchFrom reads q from srv through the Fetcher, as the operator does.
func fetchFrom(srv *httptest.Server, q *v1.KPISource) (evaluate.Observation, error) {
	f := fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(),
		Reader:    fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
		Clock:     clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)),
		Providers: map[v1.SourceType]sources.Provider{v1.SourceFHIR: fhir.Provider{}},
	})
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "quality-fhir", UID: "f1"},
		Spec: v1.MetricSourceSpec{Type: v1.SourceFHIR, Endpoint: srv.URL + "/r4", Timeout: "2s", MinInterval: "0s"}}
	return f.Fetch(context.Background(), src, q)
}

// want is an expected observation or failure.
type want struct {
	value     float64
	scale     evaluate.Scale
	counts    *evaluate.Counts
	at, start time.Time
	reason    sources.Reason
	msg       string
}

func check(t *testing.T, obs evaluate.Observation, err error, w want) {
	t.Helper()
	if w.reason != "" {
		var se *sources.Error
		if !errors.As(err, &se) || se.Reason() != w.reason || !strings.Contains(err.Error(), w.msg) {
			t.Fatalf("got %+v, %v; want reason %s with %q", obs, err, w.reason, w.msg)
		}
		return
	}
	if err != nil {
		t.Fatalf("got %v; want %v", err, w.value)
	}
	if math.Abs(obs.Value-w.value) > 1e-12 || obs.Scale != w.scale {
		t.Errorf("value %v (%s); want %v (%s)", obs.Value, obs.Scale, w.value, w.scale)
	}
	if (obs.Counts == nil) != (w.counts == nil) || (w.counts != nil && *obs.Counts != *w.counts) {
		t.Errorf("counts %+v; want %+v", obs.Counts, w.counts)
	}
	if !w.at.IsZero() && !obs.Time.Equal(w.at) {
		t.Errorf("time %v; want %v", obs.Time, w.at)
	}
	if !w.start.IsZero() && !obs.PeriodStart.Equal(w.start) {
		t.Errorf("period start %v; want %v", obs.PeriodStart, w.start)
	}
}

// HL7's own R4 examples (testdata/hl7-r4, CC0), served as a FHIR server
// would. The expected values are worked by hand from the published counts.
func TestHL7R4ExampleMeasureReports(t *testing.T) {
	reports := map[string]string{}
	for id, file := range map[string]string{
		"measurereport-cms146-cat1-example": "MeasureReport-measurereport-cms146-cat1-example.json",
		"measurereport-cms146-cat2-example": "MeasureReport-measurereport-cms146-cat2-example.json",
		"measurereport-cms146-cat3-example": "MeasureReport-measurereport-cms146-cat3-example.json",
		"hiv-indicators":                    "MeasureReport-hiv-indicators.json",
	} {
		b, err := os.ReadFile(filepath.Join("testdata", "hl7-r4", file))
		if err != nil {
			t.Fatal(err)
		}
		reports[id] = string(b)
	}
	srv := serveReports(t, reports)
	// CMS146 (appropriate testing for children with pharyngitis), first
	// quarter of 2014: period 2014-01-01 to 2014-03-31.
	q1Start := time.Date(2014, 1, 1, 0, 0, 0, 0, time.UTC)
	q1End := time.Date(2014, 3, 31, 23, 59, 59, 0, time.UTC)
	// cat2 and cat3 publish initial-population 500, numerator 200,
	// denominator 500, denominator-exclusion 100 and no measureScore:
	// (200 - 0) / (500 - 100 - 0) = 200 / 400 = 0.5. Reading numerator over
	// denominator without the exclusion, as Accord did before, gave 0.4.
	cms146 := want{value: 0.5, scale: evaluate.ScaleProportion, counts: &evaluate.Counts{Numerator: 200, Denominator: 400}, at: q1End, start: q1Start}
	cases := []struct {
		name string
		q    v1.KPISource
		want want
	}{
		{"the category III summary report is 200 of 400 after the exclusions", v1.KPISource{Query: "MeasureReport/measurereport-cms146-cat3-example"}, cms146},
		{"the category II subject-list report gives the same counts", v1.KPISource{Query: "MeasureReport/measurereport-cms146-cat2-example"}, cms146},
		{"its one group may be named by id, since it carries no code", v1.KPISource{Query: "MeasureReport/measurereport-cms146-cat3-example", Group: "CMS146-group-1"}, cms146},
		{"a group the report does not have is no data", v1.KPISource{Query: "MeasureReport/measurereport-cms146-cat3-example", Group: "CMS146-group-2"},
			want{reason: sources.ReasonQueryReturnedNoData, msg: `no group with code or id "CMS146-group-2"`}},
		// cat1 is one patient's report (subject Patient/123, counts 1 of 1):
		// patient-level data, refused rather than judged.
		{"the category I individual report is refused", v1.KPISource{Query: "MeasureReport/measurereport-cms146-cat1-example"},
			want{reason: sources.ReasonMalformedResponse, msg: "individual report"}},
		// hiv-indicators has three groups, all coded QRPH_ADX_ART1_N, each
		// with measureScore 0 and no unit.
		{"three groups and none chosen are ambiguous", v1.KPISource{Query: "MeasureReport/hiv-indicators"},
			want{reason: sources.ReasonMalformedResponse, msg: "has 3 groups; set spec.source.group"}},
		{"three groups with the chosen code are still ambiguous", v1.KPISource{Query: "MeasureReport/hiv-indicators", Group: "QRPH_ADX_ART1_N"},
			want{reason: sources.ReasonMalformedResponse, msg: `3 groups of the MeasureReport have code "QRPH_ADX_ART1_N"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetchFrom(srv, &tc.q)
			check(t, obs, err, tc.want)
			if err != nil && strings.Contains(err.Error(), "Patient/123") {
				t.Errorf("error %q names the patient", err)
			}
		})
	}
}
