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

package portfoliocheck

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/numbers"
)

// RuleMilliSuffix (warning): a quantity of money or a percentage written
// with the milli suffix, "1.5m", which Kubernetes reads as 0.0015 where a
// finance officer almost surely meant 1.5 million.
const RuleMilliSuffix Rule = "milli-suffix"

// MilliSuffixes checks one object's quantities as written (the
// document's content, before any conversion: once converted, "1.5m" and
// "0.0015" are the same number). It returns warnings for money and
// percentages written with the milli suffix; Finding.Object and At are
// left for the caller, which knows the document.
func MilliSuffixes(kind string, raw map[string]any) []Finding {
	var out []Finding
	check := func(field string, unit string, path ...any) {
		s, ok := rawString(raw, path...)
		if !ok {
			return
		}
		means, slip := numbers.MilliSlip(s)
		if !slip {
			return
		}
		meant := fmt.Sprintf("for %s million write %q", s[:len(s)-1], s[:len(s)-1]+"M")
		if numbers.IsPercent(unit) {
			meant = fmt.Sprintf("for %s%% write %q", s[:len(s)-1], s[:len(s)-1])
		}
		out = append(out, Finding{Severity: Warning, Rule: RuleMilliSuffix, Field: field,
			Message: fmt.Sprintf("Invalid value: %q means %s (m is milli, a thousandth) in %s; %s", s, means, unitWords(unit), meant)})
	}
	switch kind {
	case portfolio.KindKPI:
		unit, _ := rawString(raw, "spec", "unit")
		if !numbers.IsCurrency(unit) && !numbers.IsPercent(unit) {
			return nil
		}
		check("spec.baseline.value", unit, "spec", "baseline", "value")
		check("spec.target.value", unit, "spec", "target", "value")
		check("spec.target.min", unit, "spec", "target", "min")
		check("spec.target.max", unit, "spec", "target", "max")
		check("spec.tolerance", unit, "spec", "tolerance")
		reported, _, _ := unstructured.NestedSlice(raw, "spec", "reported")
		for i := range reported {
			check(fmt.Sprintf("spec.reported[%d].value", i), unit, "spec", "reported", i, "value")
		}
	case portfolio.KindPartnership:
		currency, _ := rawString(raw, "spec", "agreement", "financial", "currency")
		if currency == "" {
			currency = "USD"
		}
		check("spec.agreement.financial.annualValue", currency, "spec", "agreement", "financial", "annualValue")
	}
	return out
}

func unitWords(unit string) string {
	if numbers.IsPercent(unit) {
		return "a percentage"
	}
	return unit
}

// rawString walks maps (string keys) and lists (int indexes) to a string.
func rawString(m map[string]any, path ...any) (string, bool) {
	var cur any = m
	for _, p := range path {
		switch k := p.(type) {
		case string:
			mm, ok := cur.(map[string]any)
			if !ok {
				return "", false
			}
			cur = mm[k]
		case int:
			l, ok := cur.([]any)
			if !ok || k >= len(l) {
				return "", false
			}
			cur = l[k]
		}
	}
	s, ok := cur.(string)
	return s, ok
}
