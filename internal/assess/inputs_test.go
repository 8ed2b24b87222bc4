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
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

func rateKPI() *v1.KPI {
	return &v1.KPI{Spec: v1.KPISpec{
		RatePer: new(resource.MustParse("100")),
		Source:  &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "quality-fhir"}, Query: "MeasureReport/x"},
	}}
}

func TestRateInputsConvertScoresAndRefuseAnUnstatedOne(t *testing.T) {
	k := rateKPI()
	spec := evaluate.KPISpec{RatePer: 100}
	day := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	obs := []evaluate.Observation{
		{Time: day.AddDate(0, -6, 0), Value: 0.175, Scale: evaluate.ScaleProportion},
		{Time: day.AddDate(0, -3, 0), Counts: &evaluate.Counts{Numerator: 700, Denominator: 4000}},
		{Time: day, Value: 0.643, Scale: evaluate.ScaleUnstated},
	}
	got, problem := RateInputs(k, spec, obs, nil)
	if len(got) != 2 || got[0].Value != 17.5 || got[1].Value != 17.5 || got[0].Scale != "" {
		t.Errorf("converted %+v", got)
	}
	if problem == nil || problem.Reason != "MalformedResponse" || !strings.Contains(problem.Message, `MetricSource "quality-fhir"`) ||
		!strings.Contains(problem.Message, "0-1 proportion or a percentage") {
		t.Errorf("problem %+v", problem)
	}
}

func TestHistoryKeepsCountsButNoSmallCells(t *testing.T) {
	day := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	obs := []evaluate.Observation{
		{Time: day.AddDate(0, -3, 0), Value: 17.5, Counts: &evaluate.Counts{Numerator: 7, Denominator: 40}},
		{Time: day, Value: 17.5, Counts: &evaluate.Counts{Numerator: 700, Denominator: 4000}},
		{Time: day.AddDate(0, 1, 0), Value: 20, Counts: &evaluate.Counts{Numerator: 1, Denominator: 5}},
	}
	h := toHistory(obs, 30)
	if h[0].Numerator != nil || h[0].Denominator == nil || *h[0].Denominator != 40 {
		t.Errorf("7 of 40 kept as %v of %v; want the numerator left out", h[0].Numerator, h[0].Denominator)
	}
	if h[1].Numerator == nil || *h[1].Numerator != 700 || *h[1].Denominator != 4000 {
		t.Errorf("700 of 4,000 kept as %v of %v", h[1].Numerator, h[1].Denominator)
	}
	if h[2].Numerator != nil || h[2].Denominator != nil {
		t.Errorf("1 of 5 kept as %v of %v; want neither", h[2].Numerator, h[2].Denominator)
	}
	back, _ := RateInputs(rateKPI(), evaluate.KPISpec{RatePer: 100}, HistoryObservations(h), nil)
	if c := back[0].Counts; c == nil || c.Numerator != 7 || c.Denominator != 40 {
		t.Errorf("the suppressed numerator was not recovered from the rate: %+v", c)
	}
	if back[2].Counts != nil {
		t.Errorf("a period without its denominator has counts %+v", back[2].Counts)
	}
}
