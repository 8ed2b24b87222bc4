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
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fhir"
)

// report renders a MeasureReport; extra is spliced into its group and may
// carry content Accord must never decode into messages.
func report(id, status, end, group string) string {
	return fmt.Sprintf(`{"resourceType":"MeasureReport","id":%q,"status":%q,"type":"summary",
  "measure":"http://quality.example/Measure/hba1c-poor-control",
  "subject":{"reference":"Patient/MRN-0042"},
  "period":{"start":"2026-01-01","end":%q},
  "group":[%s]}`, id, status, end, group)
}

const score = `{"measureScore":{"value":0.284,"unit":"1"}}`

// qualityServer is a health plan's FHIR server on 127.0.0.1.
func qualityServer(t *testing.T) *httptest.Server {
	reports := map[string]string{
		"q3":      report("q3", "complete", "2026-09-30", score),
		"ratio":   report("ratio", "complete", "2026-09-30", `{"population":[{"code":{"coding":[{"code":"numerator"}]},"count":284},{"code":{"coding":[{"code":"denominator"}]},"count":1000}]}`),
		"pending": report("pending", "pending", "2026-09-30", score),
		"noscore": report("noscore", "complete", "2026-09-30", `{"population":[{"code":{"coding":[{"code":"initial-population"}]},"count":12}]}`),
		"nan":     report("nan", "complete", "2026-09-30", `{"measureScore":{"value":"NaN"}}`),
		"month":   report("month", "complete", "2026-09", score),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/fhir+json")
		switch {
		case strings.HasPrefix(r.URL.Path, "/r4/MeasureReport/"):
			id := strings.TrimPrefix(r.URL.Path, "/r4/MeasureReport/")
			if id == "wrong-type" {
				fmt.Fprint(w, `{"resourceType":"Patient","id":"MRN-0042","name":[{"family":"Doe"}]}`)
				return
			}
			if body, ok := reports[id]; ok {
				fmt.Fprint(w, body)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"Patient/MRN-0042 has no report"}]}`)
		case r.URL.Path == "/r4/MeasureReport" && r.URL.Query().Get("measure") != "":
			fmt.Fprintf(w, `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":%s},{"resource":%s},{"resource":%s}]}`,
				report("q2", "complete", "2026-06-30", `{"measureScore":{"value":0.291}}`),
				report("q3", "complete", "2026-09-30", score),
				report("q1", "complete", "2026-03-31", `{"measureScore":{"value":0.302}}`))
		case r.URL.Path == "/r4/MeasureReport":
			fmt.Fprint(w, `{"resourceType":"Bundle","type":"searchset","total":0}`)
		default:
			fmt.Fprint(w, `{"resourceType":"Patient","id":"MRN-0042","name":[{"family":"Doe"}]}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestMeasureReports(t *testing.T) {
	srv := qualityServer(t)
	endOfQ3 := time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
	cases := []struct {
		name   string
		query  string
		value  float64
		at     time.Time
		reason string
		msg    string
	}{
		{name: "a report read by id gives its measure score at the end of its period", query: "MeasureReport/q3", value: 0.284, at: endOfQ3},
		{name: "a search gives the latest report", query: "MeasureReport?measure=http://quality.example/Measure/hba1c-poor-control&subject=Organization/pine-ridge", value: 0.284, at: endOfQ3},
		{name: "numerator over denominator without a score", query: "MeasureReport/ratio", value: 0.284, at: endOfQ3},
		{name: "a partial date means the end of the month", query: "MeasureReport/month", value: 0.284, at: endOfQ3},
		{name: "a pending report is no data", query: "MeasureReport/pending", reason: sources.ReasonQueryReturnedNoData, msg: "pending, not complete"},
		{name: "a report without score or ratio is no data", query: "MeasureReport/noscore", reason: sources.ReasonQueryReturnedNoData, msg: "neither a measureScore"},
		{name: "a score that is not a number", query: "MeasureReport/nan", reason: sources.ReasonMalformedResponse},
		{name: "an unknown report is no data", query: "MeasureReport/nope", reason: sources.ReasonQueryReturnedNoData, msg: "404"},
		{name: "an empty search is no data", query: "MeasureReport?subject=Organization/none", reason: sources.ReasonQueryReturnedNoData, msg: "found no MeasureReport"},
		{name: "another resource type is refused", query: "MeasureReport/wrong-type", reason: sources.ReasonMalformedResponse, msg: "a Patient"},
		{name: "a query that climbs out of MeasureReport", query: "MeasureReport/../Patient/MRN-0042", reason: sources.ReasonInvalidQuery},
		{name: "a query that is not a MeasureReport path", query: "Patient/MRN-0042", reason: sources.ReasonInvalidQuery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &sources.Fetcher{
				Reader:    fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
				Clock:     clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)),
				Providers: map[v1.SourceType]sources.Provider{v1.SourceFHIR: fhir.Provider{}},
			}
			src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "quality-fhir", UID: "f1"},
				Spec: v1.MetricSourceSpec{Type: v1.SourceFHIR, Endpoint: srv.URL + "/r4", Timeout: "2s", MinInterval: "1h"}}
			obs, err := f.Fetch(context.Background(), src, &v1.KPISource{Query: tc.query})
			if tc.reason == "" {
				if err != nil || obs.Value != tc.value || !obs.Time.Equal(tc.at) {
					t.Fatalf("got %v at %v, %v; want %v at %v", obs.Value, obs.Time, err, tc.value, tc.at)
				}
				return
			}
			re, ok := err.(interface{ Reason() string })
			if !ok || re.Reason() != tc.reason || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got %v; want reason %s with %q", err, tc.reason, tc.msg)
			}
			for _, leak := range []string{"MRN-0042", "Doe"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q leaks patient data %q", err, leak)
				}
			}
		})
	}
}
