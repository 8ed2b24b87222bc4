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
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// The Da Vinci VBPR guide's own examples (testdata/davinci-vbpr,
// transcribed from its FSH at commit f6d7cb7), served as a FHIR server
// would. Every expected figure is the guide's.
func TestDaVinciVBPRExampleMeasureReports(t *testing.T) {
	reports := map[string]string{}
	for _, id := range []string{"quality-measurereport32", "quality-measurereport24", "vbp-measurereport102"} {
		b, err := os.ReadFile(filepath.Join("testdata", "davinci-vbpr", "MeasureReport-"+id+".json"))
		if err != nil {
			t.Fatal(err)
		}
		reports[id] = string(b)
	}
	srv := serveReports(t, reports)
	const thresholdType = "http://hl7.org/fhir/us/davinci-vbpr/CodeSystem/threshold-type"
	pct := func(v float64) evaluate.ContractValue {
		return evaluate.ContractValue{Value: v, Scale: evaluate.ScalePercent, Unit: "%"}
	}
	baseline2021 := func(v float64, unit string) *evaluate.ContractBaseline {
		return &evaluate.ContractBaseline{ContractValue: evaluate.ContractValue{Value: v, Scale: evaluate.ScaleUnstated, Unit: unit},
			PeriodStart: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), PeriodEnd: time.Date(2021, 12, 31, 23, 59, 59, 0, time.UTC)}
	}
	ubip := evaluate.PaymentStream{Type: "ubip", TypeDisplay: "Utilization incentive payment"}
	cases := []struct {
		name     string
		q        v1.KPISource
		value    float64
		scale    evaluate.Scale
		contract *evaluate.Contract
	}{
		{
			// Diabetes care, blood sugar controlled: 7 of 12 (the guide's
			// vbp-measure-population codes, which FHIR's proportion does
			// not combine) and a score of 0.58 without a unit, under
			// proportion scoring; thresholds 83% (Star 4, gap 3) and 92%
			// (Star 5, gap 4), star score 0.
			name: "quality-measurereport32: Star 4 and Star 5 thresholds in percent next to a 0-1 score",
			q:    v1.KPISource{Query: "MeasureReport/quality-measurereport32"}, value: 0.58, scale: evaluate.ScaleProportion,
			contract: &evaluate.Contract{
				ReportDate: time.Date(2023, 5, 30, 0, 0, 0, 0, time.UTC),
				Thresholds: []evaluate.ContractThreshold{
					{ContractValue: pct(83), Type: "star-4", TypeSystem: thresholdType, TypeDisplay: "Star 4", Gap: new(3.0)},
					{ContractValue: pct(92), Type: "star-5", TypeSystem: thresholdType, TypeDisplay: "Star 5", Gap: new(4.0)},
				},
				StarScore: new(0.0),
			},
		},
		{
			// Plan all-cause readmissions: HEDIS 50th, 75th and 90th
			// percentile thresholds of 7%, 5% and 3%, star score 2.
			name: "quality-measurereport24: HEDIS percentile thresholds",
			q:    v1.KPISource{Query: "MeasureReport/quality-measurereport24"}, value: 0.167, scale: evaluate.ScaleProportion,
			contract: &evaluate.Contract{
				ReportDate: time.Date(2021, 4, 2, 0, 0, 0, 0, time.UTC),
				Thresholds: []evaluate.ContractThreshold{
					{ContractValue: pct(7), Type: "hedis-50-percentile", TypeSystem: thresholdType, TypeDisplay: "HEDIS 50 Percentile"},
					{ContractValue: pct(5), Type: "hedis-75-percentile", TypeSystem: thresholdType, TypeDisplay: "HEDIS 75 Percentile"},
					{ContractValue: pct(3), Type: "hedis-90-percentile", TypeSystem: thresholdType, TypeDisplay: "HEDIS 90 Percentile"},
				},
				StarScore: new(2.0),
			},
		},
		{
			// Inpatient admissions per 1,000: 400 against a 2021 baseline
			// of 250, in the utilization incentive payment stream.
			name: "vbp-measurereport102: a group's baseline and payment stream",
			q:    v1.KPISource{Query: "MeasureReport/vbp-measurereport102", Group: "inpatient-admission"}, value: 400, scale: evaluate.ScaleUnstated,
			contract: &evaluate.Contract{
				ReportDate:     time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC),
				Baseline:       baseline2021(250, "/10*3"),
				PaymentStreams: []evaluate.PaymentStream{ubip},
			},
		},
		{
			name: "vbp-measurereport102: another group has its own baseline",
			q:    v1.KPISource{Query: "MeasureReport/vbp-measurereport102", Group: "snf-avg-los"}, value: 15, scale: evaluate.ScaleUnstated,
			contract: &evaluate.Contract{
				ReportDate:     time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC),
				Baseline:       baseline2021(22, "d"),
				PaymentStreams: []evaluate.PaymentStream{ubip},
			},
		},
		{
			name: "vbp-measurereport102: the weighted average star group feeds shared savings and has no baseline",
			q:    v1.KPISource{Query: "MeasureReport/vbp-measurereport102", Group: "ssq-group-starscore"}, value: 2.5, scale: evaluate.ScaleUnstated,
			contract: &evaluate.Contract{
				ReportDate:     time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC),
				PaymentStreams: []evaluate.PaymentStream{{Type: "ssq", TypeDisplay: "Shared savings gated on quality"}},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, err := fetchFrom(srv, &tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if obs.Value != tc.value || obs.Scale != tc.scale {
				t.Errorf("value %v (%s); want %v (%s)", obs.Value, obs.Scale, tc.value, tc.scale)
			}
			if d := cmp.Diff(tc.contract, obs.Contract); d != "" {
				t.Errorf("contract (-want +got):\n%s", d)
			}
		})
	}
}

// A report without VBPR extensions (HL7's R4 example) has no contract.
func TestReportWithoutVBPRHasNoContract(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "hl7-r4", "MeasureReport-measurereport-cms146-cat3-example.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := serveReports(t, map[string]string{"cat3": string(b)})
	obs, err := fetchFrom(srv, &v1.KPISource{Query: "MeasureReport/cat3"})
	if err != nil || obs.Contract != nil {
		t.Fatalf("got %+v, %v; want a value without a contract", obs.Contract, err)
	}
}
