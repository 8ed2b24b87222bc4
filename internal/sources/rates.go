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

package sources

import (
	"math"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// queryField is a spec.source field that only one source type reads.
type queryField struct {
	name string
	typ  v1.SourceType
	get  func(*v1.KPISource) string
}

// queryFields lists them. The API server cannot refuse a field meant for
// another type (the type is on the MetricSource, not the KPI), so each
// provider calls CheckQueryFields before it asks anything.
var queryFields = []queryField{
	{"jsonPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.JSONPath }},
	{"timestampJSONPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.TimestampJSONPath }},
	{"numeratorJSONPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.NumeratorJSONPath }},
	{"denominatorJSONPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.DenominatorJSONPath }},
	{"periodStartJSONPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.PeriodStartJSONPath }},
	{"periodEndJSONPath", v1.SourceHTTPJSON, func(q *v1.KPISource) string { return q.PeriodEndJSONPath }},
	{"denominatorQuery", v1.SourcePrometheus, func(q *v1.KPISource) string { return q.DenominatorQuery }},
	{"group", v1.SourceFHIR, func(q *v1.KPISource) string { return q.Group }},
	{"contractTarget", v1.SourceFHIR, func(q *v1.KPISource) string {
		if q.ContractTarget == nil {
			return ""
		}
		return q.ContractTarget.ThresholdType
	}},
	{"contractMeasure", v1.SourceFHIR, func(q *v1.KPISource) string { return q.ContractMeasure }},
}

// CheckQueryFields refuses, as InvalidQuery naming the field, a spec.source
// field that sources of type t do not read: left in place it would be
// silently ignored, and a KPI meant as a rate would be read as a plain
// value.
func CheckQueryFields(t v1.SourceType, q *v1.KPISource) error {
	for _, f := range queryFields {
		if f.typ != t && f.get(q) != "" {
			return Errorf(ReasonInvalidQuery, "spec.source.%s applies to %s sources only; this KPI's source is %s", f.name, f.typ, t)
		}
	}
	return nil
}

// RateCounts checks a rate's numerator and denominator as a source gave
// them and returns the observation they make: the counts, and the value
// numerator / denominator as a 0-1 proportion. what names where the counts
// came from ("the HTTP JSON answer", "the MeasureReport's group") for the
// message. Messages never give the counts themselves: a count from 1 to
// 10 is a small cell that must not reach a condition.
func RateCounts(num, den float64, what string) (evaluate.Observation, error) {
	switch {
	case math.IsNaN(num) || math.IsInf(num, 0) || math.IsNaN(den) || math.IsInf(den, 0):
		return evaluate.Observation{}, Errorf(ReasonMalformedResponse, "%s gives a numerator or denominator that is not a finite number", what)
	case num < 0 || den < 0:
		return evaluate.Observation{}, Errorf(ReasonMalformedResponse, "%s gives a negative count; counts are 0 or more", what)
	case den == 0:
		return evaluate.Observation{}, Errorf(ReasonMalformedResponse, "%s gives a denominator of 0, so there is no rate to judge", what)
	case num > den:
		return evaluate.Observation{}, Errorf(ReasonMalformedResponse, "%s gives a numerator above its denominator; a rate's numerator counts members of its denominator", what)
	}
	return evaluate.Observation{Value: num / den, Scale: evaluate.ScaleProportion, Counts: &evaluate.Counts{Numerator: num, Denominator: den}}, nil
}

// WholeNumber reports whether v is a count: finite, with no fraction.
func WholeNumber(v float64) bool {
	return !math.IsNaN(v) && !math.IsInf(v, 0) && v == math.Trunc(v)
}
