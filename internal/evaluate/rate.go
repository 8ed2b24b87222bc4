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

package evaluate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
)

// DefaultConfidence is the confidence level of a rate's intervals when
// the KPI does not set one.
const DefaultConfidence = 0.95

// ReasonMalformedResponse is the MetricsAvailable reason of a source
// answer the KPI cannot interpret unambiguously.
const ReasonMalformedResponse = "MalformedResponse"

// RateError is why an observation cannot be read as a rate's value. Its
// Reason is the KPI's MetricsAvailable reason.
type RateError struct{ Msg string }

func (e *RateError) Error() string { return e.Msg }

// Reason is MalformedResponse: the source answered, but not in a form
// the KPI can read.
func (e *RateError) Reason() string { return ReasonMalformedResponse }

// RateValue is an observation's value in the unit of a KPI that is a
// rate per ratePer (100 for a percentage): numerator / denominator x
// ratePer when the counts are there, a proportion or percentage score
// converted to ratePer, and a value of unknown scale (or no scale at all)
// taken as already in the KPI's unit only when the KPI is not a rate or
// the source did not call it a score. A rate whose score has an unstated
// scale is an error: 0.643 and 64.3 must never be confused.
func RateValue(o Observation, ratePer float64) (float64, error) {
	if o.Counts != nil {
		n, d := o.Counts.Numerator, o.Counts.Denominator
		switch {
		case math.IsNaN(n) || math.IsNaN(d) || n < 0 || d < 0:
			return 0, &RateError{fmt.Sprintf("the numerator and denominator must be zero or more, got %s and %s", FormatCount(n), FormatCount(d))}
		case d == 0:
			return 0, &RateError{"the denominator is 0, so the rate is undefined"}
		case n > d:
			return 0, &RateError{fmt.Sprintf("the numerator (%s) is greater than the denominator (%s)", FormatCount(n), FormatCount(d))}
		}
		if ratePer <= 0 {
			return 0, &RateError{"the source gave a numerator and denominator, but the KPI sets no spec.ratePer to turn them into its value"}
		}
		return n / d * ratePer, nil
	}
	switch o.Scale {
	case ScaleProportion:
		if ratePer <= 0 {
			return 0, &RateError{fmt.Sprintf("the source gave %s as a 0-1 proportion, but the KPI sets no spec.ratePer (100 for a percentage) to convert it", FormatNumber(o.Value))}
		}
		if o.Value < 0 || o.Value > 1 {
			return 0, &RateError{fmt.Sprintf("the source called %s a proportion, which must be from 0 to 1", FormatNumber(o.Value))}
		}
		return o.Value * ratePer, nil
	case ScalePercent:
		if ratePer <= 0 {
			return o.Value, nil // a percentage on a plain "%" KPI is its value
		}
		return o.Value / 100 * ratePer, nil
	case ScaleUnstated:
		if ratePer > 0 {
			return 0, &RateError{fmt.Sprintf("the source gave a score of %s without saying whether it is a 0-1 proportion or a percentage, and no numerator and denominator; the KPI is a rate per %s and cannot tell which", FormatNumber(o.Value), FormatNumber(ratePer))}
		}
	}
	return o.Value, nil
}

// KPIValue is an observation's value in the unit of a KPI whose spec.unit
// is unit and that is a rate per ratePer (0 when it is not a rate): an
// amount of money only on a KPI in that currency, never as a rate, and
// anything else as RateValue reads it.
func KPIValue(o Observation, ratePer float64, unit string) (float64, error) {
	if o.Currency == "" {
		return RateValue(o, ratePer)
	}
	switch {
	case ratePer > 0:
		return 0, &RateError{fmt.Sprintf("the source gave an amount of money (%s), which is not a rate; the KPI sets spec.ratePer", o.Currency)}
	case !strings.EqualFold(strings.TrimSpace(unit), o.Currency):
		return 0, &RateError{fmt.Sprintf("the source gave an amount in %s; a KPI reads it only when its spec.unit is %q, and this one's is %q", o.Currency, o.Currency, unit)}
	}
	return o.Value, nil
}

// z is the two-sided standard normal quantile for a confidence level:
// 1.96 for 0.95.
func z(confidence float64) float64 {
	if confidence <= 0 || confidence >= 1 {
		confidence = DefaultConfidence
	}
	return distuv.UnitNormal.Quantile(1 - (1-confidence)/2)
}

// Wilson is the Wilson score interval (Wilson 1927) for x successes in n
// trials at the two-sided confidence level, as proportions from 0 to 1.
// Unlike the normal approximation it stays inside [0, 1] and keeps its
// coverage for small n and rates near 0, which is where critical-access
// hospitals' counts are. n <= 0 gives [0, 1].
func Wilson(x, n, confidence float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	zz := z(confidence)
	p := x / n
	z2 := zz * zz
	den := 1 + z2/n
	mid := (p + z2/(2*n)) / den
	half := zz * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / den
	return math.Max(0, mid-half), math.Min(1, mid+half)
}

// FormatCount renders a count for a message, a status field or a report.
// Counts from 1 to 10 are "fewer than 11": CMS's cell-size suppression
// practice, since a small count with a date and a facility can identify
// a patient.
func FormatCount(n float64) string {
	if n >= 1 && n <= 10 {
		return "fewer than 11"
	}
	s := strconv.FormatFloat(math.Round(n), 'f', 0, 64)
	return thousands(s)
}

// SmallCell says whether a count must be suppressed (1 to 10).
func SmallCell(n float64) bool { return n >= 1 && n <= 10 }

// CountsWords is a rate's counts for a table a person reads: "7 of 40
// discharges", with a count from 1 to 10 written "fewer than 11" and a
// small cell's period said to be too small to judge; "" when the
// observation has no counts.
func CountsWords(o Observation, spec KPISpec) string {
	switch {
	case o.SmallCell:
		return fmt.Sprintf("%s %s: too few to judge", denominatorCount(o), spec.denominatorLabel())
	case o.Counts == nil:
		return ""
	}
	num := FormatCount(o.Counts.Numerator)
	if o.Counts.Numerator < 0 {
		num = FormatCount(1) // kept out of the status as a small cell
	}
	return fmt.Sprintf("%s of %s %s", num, FormatCount(o.Counts.Denominator), spec.denominatorLabel())
}

// denominatorCount is an observation's denominator for a message: "fewer
// than 11" for a small cell, whether its counts are at hand or were kept
// out of the status.
func denominatorCount(o Observation) string {
	if o.Counts == nil {
		return FormatCount(1) // SmallCell: read back without its counts
	}
	return FormatCount(o.Counts.Denominator)
}
