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

package assess

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/api/meta"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// The terms of the guide's quality-measurereport32 as the FHIR source
// reads them (internal/sources/fhir/vbpr_test.go checks that reading).
func guideContract() *evaluate.Contract {
	gap3, gap4 := 3.0, 4.0
	star := 0.0
	return &evaluate.Contract{
		ReportDate: time.Date(2023, 5, 30, 0, 0, 0, 0, time.UTC),
		Thresholds: []evaluate.ContractThreshold{
			{ContractValue: evaluate.ContractValue{Value: 83, Scale: evaluate.ScalePercent, Unit: "%"}, Type: "star-4", TypeDisplay: "Star 4", Gap: &gap3},
			{ContractValue: evaluate.ContractValue{Value: 92, Scale: evaluate.ScalePercent, Unit: "%"}, Type: "star-5", TypeDisplay: "Star 5", Gap: &gap4},
		},
		StarScore: &star,
	}
}

func contractKPI(threshold string) *v1.KPI {
	return &v1.KPI{Spec: v1.KPISpec{Source: &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "payer"},
		ContractTarget: &v1.ContractTarget{ThresholdType: threshold}}}}
}

func TestTheContractThresholdIsReadOnTheKPIsScale(t *testing.T) {
	obs := []evaluate.Observation{{Time: time.Date(2022, 8, 31, 23, 59, 59, 0, time.UTC), Value: 0.58, Scale: evaluate.ScaleProportion, Contract: guideContract()}}
	for _, tc := range []struct {
		name    string
		unit    string
		ratePer float64
		want    float64
	}{
		{"a KPI in percent aims at 83", "%", 0, 83},
		{"a rate per 100 aims at 83", "", 100, 83},
		{"a 0-1 proportion aims at 0.83, never 83", "", 1, 0.83},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := contractKPI("star-4")
			spec := evaluate.KPISpec{Unit: tc.unit, RatePer: tc.ratePer}
			if p := contractTerms(k, &spec, obs); p != nil {
				t.Fatal(p.Message)
			}
			if math.Abs(spec.Target-tc.want) > 1e-9 {
				t.Errorf("target %v; want %v", spec.Target, tc.want)
			}
		})
	}
}

func TestAMissingOrUnreadableThresholdIsContractTermMissing(t *testing.T) {
	at := time.Date(2022, 8, 31, 23, 59, 59, 0, time.UTC)
	withTerms := []evaluate.Observation{{Time: at, Value: 0.58, Scale: evaluate.ScaleProportion, Contract: guideContract()}}
	for _, tc := range []struct {
		name string
		k    *v1.KPI
		spec evaluate.KPISpec
		obs  []evaluate.Observation
		want string
	}{
		{"a threshold type the report does not give", contractKPI("hedis-75-percentile"), evaluate.KPISpec{Unit: "%"}, withTerms,
			`the MeasureReport of 30 May 2023 gives no "hedis-75-percentile" threshold (spec.source.contractTarget.thresholdType); it gives only Star 4 (star-4), Star 5 (star-5)`},
		{"a report without contract terms", contractKPI("star-4"), evaluate.KPISpec{Unit: "%"}, []evaluate.Observation{{Time: at, Value: 0.58, Scale: evaluate.ScaleProportion}},
			`the MeasureReport carries no value-based contract terms`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := contractTerms(tc.k, &tc.spec, tc.obs)
			if p == nil || p.Reason != ReasonContractTermMissing || !strings.Contains(p.Message, tc.want) || !p.Config {
				t.Fatalf("got %+v; want ContractTermMissing with %q", p, tc.want)
			}
		})
	}
}

// The gap to a threshold (3 and 4 patients in the guide's example) is
// a small count: it never reaches the status.
func TestTheStatusKeepsTheTermsButNotTheGap(t *testing.T) {
	k := contractKPI("star-4")
	k.Spec.Unit = "%"
	spec := evaluate.KPISpec{Unit: "%", Direction: evaluate.HigherIsBetter, BaselineDate: time.Date(2021, 12, 31, 0, 0, 0, 0, time.UTC), Baseline: 50,
		TargetDate: time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC), MaxAge: 2000 * 24 * time.Hour}
	obs := []evaluate.Observation{{Time: time.Date(2022, 8, 31, 23, 59, 59, 0, time.UTC), Value: 0.58, Scale: evaluate.ScaleProportion, Contract: guideContract()}}
	KPI(k, spec, obs, nil, time.Date(2022, 9, 1, 0, 0, 0, 0, time.UTC))
	want := &v1.ContractStatus{ReportDate: "2023-05-30", PeriodEnd: "2022-08-31", TargetThresholdType: "star-4", Target: "83", StarScore: "0",
		Thresholds: []v1.ContractThresholdStatus{
			{Type: "star-4", Display: "Star 4", Value: "83", Reported: "83%"},
			{Type: "star-5", Display: "Star 5", Value: "92", Reported: "92%"},
		}}
	if d := cmp.Diff(want, k.Status.Contract); d != "" {
		t.Errorf("status.contract (-want +got):\n%s", d)
	}
	if c := meta.FindStatusCondition(k.Status.Conditions, v1.ConditionHealthy); c == nil || !strings.HasSuffix(c.Message, "Target 83% (the contract's Star 4 threshold, report of 30 May 2023).") {
		t.Errorf("Healthy %+v; want the target's source named", c)
	}
}

func TestContractChangesReadAsSentences(t *testing.T) {
	old := &v1.ContractStatus{Thresholds: []v1.ContractThresholdStatus{{Type: "star-4", Display: "Star 4", Reported: "83%"}, {Type: "star-5", Display: "Star 5", Reported: "92%"}},
		Baseline: &v1.ContractBaselineStatus{Reported: "250 /10*3"}}
	cur := &v1.ContractStatus{Thresholds: []v1.ContractThresholdStatus{{Type: "star-4", Display: "Star 4", Reported: "85%"}, {Type: "star-3", Display: "Star 3", Reported: "70%"}},
		Baseline: &v1.ContractBaselineStatus{Reported: "240 /10*3"}}
	want := []string{
		"the Star 4 threshold moved from 83% to 85%",
		"the contract now gives a Star 3 threshold of 70%",
		"the contract no longer gives a Star 5 threshold (it was 92%)",
		"the contract's baseline moved from 250 /10*3 to 240 /10*3",
	}
	if d := cmp.Diff(want, ContractChanges(old, cur)); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := ContractChanges(nil, cur); got != nil {
		t.Errorf("first terms: %v; want no change", got)
	}
	if got := ContractChanges(cur, cur); got != nil {
		t.Errorf("same terms: %v; want no change", got)
	}
}

func TestTheContractsWeightForTheMeasureReadsAsASentence(t *testing.T) {
	blood := &evaluate.ContractComponent{Contract: "Example Value-Based Contract - ABC Payer and GoodHealth", Display: "Diabetes Care - Blood Sugar Controlled",
		Weight: new(3.0), ContractualWeight: 18, Status: "contractual", StatusDisplay: "Contractual"}
	reporting := &evaluate.ContractComponent{Display: "Medication Adherence for Cholesterol (Statins)", Weight: new(3.0), ContractualWeight: 18, Status: "reporting-only"}
	cases := []struct {
		name string
		c    *evaluate.ContractComponent
		want string
	}{
		{"a contractual measure with its share of the weights", blood,
			"In Example Value-Based Contract - ABC Payer and GoodHealth, Diabetes Care - Blood Sugar Controlled weighs 3 of the contractual measures' 18 and counts towards payment (contractual)."},
		{"a reporting-only measure in a contract without a title", reporting,
			"Medication Adherence for Cholesterol (Statins) weighs 3 of the contractual measures' 18 and is reported only and counts towards no payment (reporting only)."},
		{"nothing but its place in the contract", &evaluate.ContractComponent{Display: "Eye exam"}, "Eye exam is one of the contract's measures."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := ContractStatus(&evaluate.Contract{Component: tc.c}, time.Time{}, evaluate.KPISpec{})
			if got := ComponentSentence(st); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
	if got := ComponentSentence(ContractStatus(guideContract(), time.Time{}, evaluate.KPISpec{})); got != "" {
		t.Errorf("a KPI that does not read the contract's Measure: %q, want none", got)
	}
}
