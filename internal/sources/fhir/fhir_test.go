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
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
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
				_, _ = fmt.Fprint(w, `{"resourceType":"Patient","id":"MRN-0042","name":[{"family":"Doe"}]}`)
				return
			}
			if body, ok := reports[id]; ok {
				_, _ = fmt.Fprint(w, body)
				return
			}
			w.WriteHeader(http.StatusNotFound)
			_, _ = fmt.Fprint(w, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found","diagnostics":"Patient/MRN-0042 has no report"}]}`)
		case r.URL.Path == "/r4/MeasureReport" && r.URL.Query().Get("measure") != "":
			_, _ = fmt.Fprintf(w, `{"resourceType":"Bundle","type":"searchset","entry":[{"resource":%s},{"resource":%s},{"resource":%s}]}`,
				report("q2", "complete", "2026-06-30", `{"measureScore":{"value":0.291}}`),
				report("q3", "complete", "2026-09-30", score),
				report("q1", "complete", "2026-03-31", `{"measureScore":{"value":0.302}}`))
		case r.URL.Path == "/r4/MeasureReport":
			_, _ = fmt.Fprint(w, `{"resourceType":"Bundle","type":"searchset","total":0}`)
		default:
			_, _ = fmt.Fprint(w, `{"resourceType":"Patient","id":"MRN-0042","name":[{"family":"Doe"}]}`)
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
		reason sources.Reason
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
			f := fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(),
				Reader:    fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
				Clock:     clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)),
				Providers: map[v1.SourceType]sources.Provider{v1.SourceFHIR: fhir.Provider{}},
			})
			src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "quality-fhir", UID: "f1"},
				Spec: v1.MetricSourceSpec{Type: v1.SourceFHIR, Endpoint: srv.URL + "/r4", Timeout: "2s", MinInterval: "1h"}}
			obs, err := f.Fetch(context.Background(), src, &v1.KPISource{Query: tc.query})
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
			for _, leak := range []string{"MRN-0042", "Doe"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q leaks patient data %q", err, leak)
				}
			}
		})
	}
}

// pop is a population of the FHIR R4 measure-population code system.
func pop(code string, count string) string {
	return fmt.Sprintf(`{"code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/measure-population","code":%q}]},"count":%s}`, code, count)
}

func pops(ps ...string) string { return `"population":[` + strings.Join(ps, ",") + `]` }

// Reports of our own for what HL7's examples do not show: exclusions and
// exceptions together, scores in each unit, several groups, and counts no
// rate can be made of. Expected values are worked by hand in the names.
func TestProportionsScoresAndGroups(t *testing.T) {
	const deqm = `"extension":[{"url":"http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-measureScoring","valueCodeableConcept":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/measure-scoring","code":"%s"}]}}]`
	readmit := func(code string, num, den string) string {
		return fmt.Sprintf(`{"id":"g-%s","code":{"coding":[{"system":"http://quality.example/groups","code":%q}]},%s}`, code, code, pops(pop("numerator", num), pop("denominator", den)))
	}
	reports := map[string]string{
		"exclusions": report("exclusions", "complete", "2026-09-30", "{"+pops(pop("initial-population", "1200"), pop("numerator", "300"), pop("numerator-exclusion", "5"),
			pop("denominator", "1000"), pop("denominator-exclusion", "40"), pop("denominator-exception", "10"))+"}"),
		"percent":       report("percent", "complete", "2026-09-30", `{"measureScore":{"value":64.3,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}`),
		"unity":         report("unity", "complete", "2026-09-30", `{"measureScore":{"value":0.643,"unit":"1","system":"http://unitsofmeasure.org","code":"1"}}`),
		"unitless":      report("unitless", "complete", "2026-09-30", `{"measureScore":{"value":0.643}}`),
		"declared":      report("declared", "complete", "2026-09-30", `{`+fmt.Sprintf(deqm, "proportion")+`,"measureScore":{"value":0.643}}`),
		"declared-100":  report("declared-100", "complete", "2026-09-30", `{`+fmt.Sprintf(deqm, "proportion")+`,"measureScore":{"value":64.3}}`),
		"score-counts":  report("score-counts", "complete", "2026-09-30", `{"measureScore":{"value":64.3},`+pops(pop("numerator", "643"), pop("denominator", "1000"))+`}`),
		"no-exclusions": report("no-exclusions", "complete", "2026-09-30", `{"measureScore":{"value":0.4,"unit":"1"},`+pops(pop("numerator", "200"), pop("denominator", "500"), pop("denominator-exclusion", "100"))+`}`),
		"ratio":         report("ratio", "complete", "2026-09-30", `{`+fmt.Sprintf(deqm, "ratio")+`,"measureScore":{"value":1.2},`+pops(pop("numerator", "1200"), pop("denominator", "1000"))+`}`),
		"two-groups":    report("two-groups", "complete", "2026-09-30", readmit("readmit-30d", "70", "400")+","+readmit("readmit-90d", "110", "400")),
		"negative":      report("negative", "complete", "2026-09-30", "{"+pops(pop("numerator", "-7"), pop("denominator", "40"))+"}"),
		"fraction":      report("fraction", "complete", "2026-09-30", "{"+pops(pop("numerator", "7.5"), pop("denominator", "40"))+"}"),
		"above":         report("above", "complete", "2026-09-30", "{"+pops(pop("numerator", "9"), pop("denominator", "7"))+"}"),
		"zero":          report("zero", "complete", "2026-09-30", "{"+pops(pop("numerator", "0"), pop("denominator", "0"))+"}"),
		"all-excluded":  report("all-excluded", "complete", "2026-09-30", "{"+pops(pop("numerator", "0"), pop("denominator", "8"), pop("denominator-exclusion", "8"))+"}"),
		"over-excluded": report("over-excluded", "complete", "2026-09-30", "{"+pops(pop("numerator", "2"), pop("denominator", "8"), pop("denominator-exclusion", "6"), pop("denominator-exception", "3"))+"}"),
		"num-excluded":  report("num-excluded", "complete", "2026-09-30", "{"+pops(pop("numerator", "2"), pop("numerator-exclusion", "3"), pop("denominator", "8"))+"}"),
		"over-initial":  report("over-initial", "complete", "2026-09-30", "{"+pops(pop("initial-population", "6"), pop("numerator", "2"), pop("denominator", "8"))+"}"),
		"twice":         report("twice", "complete", "2026-09-30", "{"+pops(pop("numerator", "2"), pop("numerator", "3"), pop("denominator", "8"))+"}"),
		"backwards":     strings.Replace(report("backwards", "complete", "2026-09-30", score), `"start":"2026-01-01"`, `"start":"2026-12-01"`, 1),
	}
	srv := serveReports(t, reports)
	endOfQ3 := time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
	jan1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		q    v1.KPISource
		want want
	}{
		{"exclusions and exceptions: (300 - 5) / (1000 - 40 - 10) = 295 / 950", v1.KPISource{Query: "MeasureReport/exclusions"},
			want{value: 295.0 / 950, scale: evaluate.ScaleProportion, counts: &evaluate.Counts{Numerator: 295, Denominator: 950}, at: endOfQ3, start: jan1}},
		{"a score in UCUM % is a percentage", v1.KPISource{Query: "MeasureReport/percent"}, want{value: 64.3, scale: evaluate.ScalePercent, at: endOfQ3}},
		{"a score in UCUM 1 is a proportion", v1.KPISource{Query: "MeasureReport/unity"}, want{value: 0.643, scale: evaluate.ScaleProportion}},
		{"a score without a unit is unstated", v1.KPISource{Query: "MeasureReport/unitless"}, want{value: 0.643, scale: evaluate.ScaleUnstated}},
		{"a unitless score of a report declaring proportion scoring is a proportion", v1.KPISource{Query: "MeasureReport/declared"}, want{value: 0.643, scale: evaluate.ScaleProportion}},
		{"a unitless proportion score above 1 is refused", v1.KPISource{Query: "MeasureReport/declared-100"},
			want{reason: sources.ReasonMalformedResponse, msg: "outside 0 to 1, though the report declares proportion scoring"}},
		{"counts of 643 in 1000 show a unitless 64.3 is a percentage", v1.KPISource{Query: "MeasureReport/score-counts"},
			want{value: 64.3, scale: evaluate.ScalePercent, counts: &evaluate.Counts{Numerator: 643, Denominator: 1000}}},
		{"a score of 200 / 500 that ignores 100 exclusions disagrees with 200 / 400", v1.KPISource{Query: "MeasureReport/no-exclusions"},
			want{reason: sources.ReasonMalformedResponse, msg: "disagrees with its populations"}},
		{"a ratio measure's populations are not a proportion", v1.KPISource{Query: "MeasureReport/ratio"}, want{value: 1.2, scale: evaluate.ScaleUnstated}},
		{"two groups and none chosen", v1.KPISource{Query: "MeasureReport/two-groups"},
			want{reason: sources.ReasonMalformedResponse, msg: "has 2 groups; set spec.source.group"}},
		{"the group chosen by code: 110 of 400", v1.KPISource{Query: "MeasureReport/two-groups", Group: "readmit-90d"},
			want{value: 110.0 / 400, scale: evaluate.ScaleProportion, counts: &evaluate.Counts{Numerator: 110, Denominator: 400}}},
		{"the group chosen by system and code: 70 of 400", v1.KPISource{Query: "MeasureReport/two-groups", Group: "http://quality.example/groups|readmit-30d"},
			want{value: 70.0 / 400, scale: evaluate.ScaleProportion, counts: &evaluate.Counts{Numerator: 70, Denominator: 400}}},
		{"a code in another system is not the group", v1.KPISource{Query: "MeasureReport/two-groups", Group: "http://other.example|readmit-30d"},
			want{reason: sources.ReasonQueryReturnedNoData, msg: "no group with code or id"}},
		{"a negative count", v1.KPISource{Query: "MeasureReport/negative"}, want{reason: sources.ReasonMalformedResponse, msg: "numerator count of the MeasureReport's group is not a whole number of 0 or more"}},
		{"a count with a fraction", v1.KPISource{Query: "MeasureReport/fraction"}, want{reason: sources.ReasonMalformedResponse, msg: "not a whole number"}},
		{"a numerator above its denominator", v1.KPISource{Query: "MeasureReport/above"}, want{reason: sources.ReasonMalformedResponse, msg: "numerator above its denominator"}},
		{"a denominator of 0", v1.KPISource{Query: "MeasureReport/zero"}, want{reason: sources.ReasonMalformedResponse, msg: "denominator of 0"}},
		{"a denominator emptied by its exclusions", v1.KPISource{Query: "MeasureReport/all-excluded"}, want{reason: sources.ReasonMalformedResponse, msg: "after exclusions and exceptions, gives a denominator of 0"}},
		{"more exclusions and exceptions than the denominator", v1.KPISource{Query: "MeasureReport/over-excluded"}, want{reason: sources.ReasonMalformedResponse, msg: "more denominator exclusions and exceptions"}},
		{"more numerator exclusions than the numerator", v1.KPISource{Query: "MeasureReport/num-excluded"}, want{reason: sources.ReasonMalformedResponse, msg: "more numerator exclusions"}},
		{"a denominator above the initial population", v1.KPISource{Query: "MeasureReport/over-initial"}, want{reason: sources.ReasonMalformedResponse, msg: "larger than the initial population"}},
		{"a population given twice", v1.KPISource{Query: "MeasureReport/twice"}, want{reason: sources.ReasonMalformedResponse, msg: "two numerator populations"}},
		{"a period that starts after it ends", v1.KPISource{Query: "MeasureReport/backwards"}, want{reason: sources.ReasonMalformedResponse, msg: "starts after it ends"}},
		{"an HTTP JSON field on a FHIR source", v1.KPISource{Query: "MeasureReport/exclusions", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonInvalidQuery, msg: "spec.source.numeratorJSONPath applies to HTTPJSON sources only"}},
		{"a Prometheus field on a FHIR source", v1.KPISource{Query: "MeasureReport/exclusions", DenominatorQuery: "sum(x)"},
			want{reason: sources.ReasonInvalidQuery, msg: "spec.source.denominatorQuery applies to Prometheus sources only"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetchFrom(srv, &tc.q)
			check(t, obs, err, tc.want)
			if err == nil {
				return
			}
			// Small counts (1 to 10) never reach a message, nor does the
			// patient reference the report carries.
			for _, leak := range []string{"MRN-0042", "7", "8", "9"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q repeats %q from the report", err, leak)
				}
			}
		})
	}
}
