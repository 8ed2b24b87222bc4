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
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// serveResources serves FHIR resources by "Type/id" under /r4, as a FHIR
// server would, and 404 for anything else.
func serveResources(t *testing.T, resources map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := resources[strings.TrimPrefix(r.URL.Path, "/r4/")]
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

func guideFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "davinci-vbpr", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The guide's contract Measure vbp-measure01 lists nine measures; eight
// are contractual with weights 1, 3, 3, 3, 3, 3, 1 and 1 (18 in all), and
// Medication Adherence for Cholesterol (weight 3) is reporting only. Its
// quality-measurereport32 is of "Diabetes Care - Blood Sugar Controlled",
// weight 3, contractual. Every expected figure is the guide's.
func TestTheContractMeasureGivesTheMeasuresWeightAndContractualStatus(t *testing.T) {
	report32 := guideFile(t, "MeasureReport-quality-measurereport32.json")
	const blood = "http://example.org/Measure/measure-diabetes-care-blood-sugar-controlled-FHIR|1.0.000"
	const statins = "http://example.org/Measure/measure-med-adherence-cholesterol-statins-FHIR|1.0.000"
	if !strings.Contains(report32, blood) {
		t.Fatalf("the guide's quality-measurereport32 is not of %s", blood)
	}
	srv := serveResources(t, map[string]string{
		"MeasureReport/quality-measurereport32": report32,
		// The same report as if it were of the reporting-only measure.
		"MeasureReport/statins":                 strings.Replace(report32, blood, statins, 1),
		"MeasureReport/unversioned":             strings.Replace(report32, blood, strings.TrimSuffix(blood, "|1.0.000"), 1),
		"MeasureReport/quality-measurereport24": guideFile(t, "MeasureReport-quality-measurereport24.json"),
		"Measure/vbp-measure01":                 guideFile(t, "Measure-vbp-measure01.json"),
		"Measure/not-a-measure":                 report32,
	})
	const contract = "Example Value-Based Contract - ABC Payer and GoodHealth"
	cases := []struct {
		name, query, measure string
		want                 *evaluate.ContractComponent
		reason               sources.Reason
	}{
		{name: "a contractual measure: its weight and the contractual measures' total",
			query: "MeasureReport/quality-measurereport32", measure: "Measure/vbp-measure01",
			want: &evaluate.ContractComponent{Contract: contract, Display: "Diabetes Care - Blood Sugar Controlled", Weight: new(3.0), ContractualWeight: 18, Status: "contractual", StatusDisplay: "Contractual"}},
		{name: "a reporting-only measure keeps its weight but counts towards nothing paid",
			query: "MeasureReport/statins", measure: "Measure/vbp-measure01",
			want: &evaluate.ContractComponent{Contract: contract, Display: "Medication Adherence for Cholesterol (Statins)", Weight: new(3.0), ContractualWeight: 18, Status: "reporting-only", StatusDisplay: "Reporting only"}},
		{name: "a report that names its measure without a version still matches",
			query: "MeasureReport/unversioned", measure: "Measure/vbp-measure01",
			want: &evaluate.ContractComponent{Contract: contract, Display: "Diabetes Care - Blood Sugar Controlled", Weight: new(3.0), ContractualWeight: 18, Status: "contractual", StatusDisplay: "Contractual"}},
		{name: "a measure the contract does not list is refused, not guessed",
			query: "MeasureReport/quality-measurereport24", measure: "Measure/vbp-measure01", reason: sources.ReasonMalformedResponse},
		{name: "a contract Measure the server does not have",
			query: "MeasureReport/quality-measurereport32", measure: "Measure/missing", reason: sources.ReasonQueryReturnedNoData},
		{name: "an answer that is not a Measure",
			query: "MeasureReport/quality-measurereport32", measure: "Measure/not-a-measure", reason: sources.ReasonMalformedResponse},
		{name: "a reference that climbs out of the server's base",
			query: "MeasureReport/quality-measurereport32", measure: "Measure/../x", reason: sources.ReasonInvalidQuery},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetchFrom(srv, &v1.KPISource{Query: tc.query, ContractMeasure: tc.measure})
			if tc.reason != "" {
				var se *sources.Error
				if !errors.As(err, &se) || se.Reason() != tc.reason {
					t.Fatalf("got %v (%+v); want reason %s", err, obs.Contract, tc.reason)
				}
				if strings.Contains(err.Error(), "Blood Sugar") || strings.Contains(err.Error(), "ABC Payer") {
					t.Errorf("the message quotes the answer: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, obs.Contract.Component); d != "" {
				t.Errorf("component (-want +got):\n%s", d)
			}
			if _, ok := obs.Contract.Threshold("star-4"); !ok {
				t.Errorf("the report's own terms were lost: %+v", obs.Contract)
			}
		})
	}
}

// The guide's payment report vbp-measurereport104 gives some groups' scores
// as amounts of money (alternate-measurescore valueMoney): the estimated
// incentive, the Star performance payment. A KPI reads them with their
// currency; a group whose alternate score is a yes/no has no value.
func TestMoneyScoresAreReadWithTheirCurrency(t *testing.T) {
	srv := serveResources(t, map[string]string{
		"MeasureReport/vbp-measurereport104": guideFile(t, "MeasureReport-vbp-measurereport104.json"),
	})
	cases := []struct {
		name, group string
		value       float64
		currency    string
		reason      sources.Reason
	}{
		{name: "the earned incentive", group: "earned-incentive", value: 500, currency: "USD"},
		{name: "the Star performance payment", group: "star-performance", value: 132884, currency: "USD"},
		{name: "a plain count is not money", group: "eligible-member", value: 2914},
		{name: "a percentage is not money", group: "min-base-incentive-target", value: 80},
		{name: "a yes/no alternate score is no value", group: "early-performance-bonus-met", reason: sources.ReasonQueryReturnedNoData},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetchFrom(srv, &v1.KPISource{Query: "MeasureReport/vbp-measurereport104", Group: tc.group})
			if tc.reason != "" {
				var se *sources.Error
				if !errors.As(err, &se) || se.Reason() != tc.reason {
					t.Fatalf("got %+v, %v; want reason %s", obs, err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if obs.Value != tc.value || obs.Currency != tc.currency {
				t.Errorf("got %v %q; want %v %q", obs.Value, obs.Currency, tc.value, tc.currency)
			}
		})
	}
}
