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

package snapshot

import (
	"strconv"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Value formats a status value (a decimal string such as "17.2") with
// the KPI's unit, as the operator's messages do: "17.2%", "USD 700,000".
// Empty stays empty.
func (k *KPI) Value(s string) string {
	if s == "" {
		return ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s + " " + k.Object.Spec.Unit
	}
	return evaluate.FormatValue(f, k.Object.Spec.Unit)
}

// Quantity formats a spec quantity with the KPI's unit.
func (k *KPI) Quantity(q *resource.Quantity) string {
	if q == nil {
		return ""
	}
	return evaluate.FormatValue(q.AsApproximateFloat64(), k.Object.Spec.Unit)
}

// Target says what the KPI must reach and by when: "15.3% by 2027-06-30",
// or "40 to 60 members/FTE by 2026-06-30" for a range.
func (k *KPI) Target() string {
	t := k.Object.Spec.Target
	if k.Object.Spec.Direction == v1.InRange {
		lo := ""
		if t.Min != nil {
			lo = evaluate.FormatNumber(t.Min.AsApproximateFloat64())
		}
		return lo + " to " + k.Quantity(t.Max) + " by " + string(t.Date)
	}
	return k.Quantity(t.Value) + " by " + string(t.Date)
}

// Baseline says where the KPI started: "18% on 2025-06-30".
func (k *KPI) Baseline() string {
	b := k.Object.Spec.Baseline
	return evaluate.FormatValue(b.Value.AsApproximateFloat64(), k.Object.Spec.Unit) + " on " + string(b.Date)
}

// Latest is the latest value and its date, e.g. "17.2% on 2026-09-30",
// or "no data yet".
func (k *KPI) Latest() string {
	st := k.Object.Status
	if st.LastValue == "" {
		return "no data yet"
	}
	s := k.Value(st.LastValue)
	if st.LastObservedTime != nil {
		s += " on " + st.LastObservedTime.UTC().Format(time.DateOnly)
	}
	return s
}

// Direction says which way is good, in words.
func (k *KPI) Direction() string {
	switch k.Object.Spec.Direction {
	case v1.HigherIsBetter:
		return "Higher is better"
	case v1.LowerIsBetter:
		return "Lower is better"
	default:
		return "Within a range"
	}
}

// Tolerance is the KPI's tolerance with its unit ("0.5%"), or "none".
func (k *KPI) Tolerance() string {
	if k.Object.Spec.Tolerance == nil || k.Object.Spec.Tolerance.IsZero() {
		return "none"
	}
	return k.Quantity(k.Object.Spec.Tolerance)
}

// Source says where the values come from without naming anything that
// could carry a credential: the MetricSource's name, or "reported in git".
func (k *KPI) Source() string {
	if k.Object.Spec.Source == nil {
		return "Reported in git"
	}
	return "MetricSource " + k.Object.Spec.Source.SourceRef.Name
}

// PeriodWords renders an API calendar period ("P3M") for people: "3
// months". A period that does not parse is shown as written.
func PeriodWords(p v1.Period) string {
	if p == "" {
		return ""
	}
	parsed, err := evaluate.ParsePeriod(string(p))
	if err != nil {
		return string(p)
	}
	return parsed.Words()
}
