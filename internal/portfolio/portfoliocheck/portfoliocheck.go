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

// Package portfoliocheck checks a portfolio as a whole, the way no single
// object's schema can: references that point at nothing, objects defined
// twice, KPIs no objective uses, objectives without KPIs, dates past the
// agreement's expiry and other combinations the operator would accept but
// that almost always mean a mistake. It is pure: objects in, findings out.
package portfoliocheck

import (
	"fmt"
	"sort"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Severity says whether a finding makes the portfolio invalid.
type Severity string

// Severities.
const (
	// Error: the portfolio is broken; accordctl validate exits 1.
	Error Severity = "error"
	// Warning: probably a mistake, but the operator copes; accordctl
	// validate exits 1 only with --strict.
	Warning Severity = "warning"
)

// Rule names a rule; the names are stable and appear in accordctl's output.
type Rule string

// The rules, with their severity.
const (
	RuleDuplicate                    Rule = "duplicate"                      // error
	RuleDanglingRef                  Rule = "dangling-ref"                   // error
	RuleSelector                     Rule = "selector"                       // error: a selector the operator cannot parse
	RuleUnusedKPI                    Rule = "unused-kpi"                     // warning
	RuleObjectiveWithoutKPIs         Rule = "objective-without-kpis"         // warning
	RulePartnershipWithoutObjectives Rule = "partnership-without-objectives" // warning
	RuleAfterExpiry                  Rule = "after-expiry"                   // warning
	RuleAfterDeadline                Rule = "after-deadline"                 // warning
	RuleOwnerNotPartner              Rule = "owner-not-partner"              // warning
	RuleReportedValues               Rule = "reported-values"                // warning
	RuleEmptyPortfolio               Rule = "empty-portfolio"                // warning
)

// Object is one Accord object of the portfolio.
type Object struct {
	// Key is the caller's handle for the object; findings carry it back.
	Key int
	// Origin names where the object was defined, e.g. "kpis.yaml#2", for
	// messages that point at another object.
	Origin string
	// Obj is a typed Accord object (*v1.Partnership, *v1.Objective,
	// *v1.KPI, *v1.MetricSource, *v1.Review or *v1.Portfolio) whose
	// namespace is set.
	Obj metav1.Object
	// Partial is true when only the object's kind and metadata could be
	// read: it satisfies references and counts for duplicates, but its
	// spec is not checked.
	Partial bool
}

// Finding is one problem with the portfolio, attached to one object.
type Finding struct {
	Key      int
	Severity Severity
	Rule     Rule
	// Field is the path of the offending field, e.g. "spec.kpis[1].name".
	Field string
	// Message says what is wrong, in the style of the API server's field
	// errors (`Not found: "x": ...`).
	Message string
}

// Check runs every rule over objs and returns the findings ordered by the
// objects' position in objs.
func Check(objs []Object) []Finding {
	p := index(objs)
	var out []Finding
	for _, rule := range []func(*portfolio) []Finding{
		duplicates,
		references,
		usage,
		dates,
		owners,
		reportedValues,
		selectors,
	} {
		out = append(out, rule(p)...)
	}
	pos := make(map[int]int, len(objs))
	for i, o := range objs {
		if _, ok := pos[o.Key]; !ok {
			pos[o.Key] = i
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return pos[out[i].Key] < pos[out[j].Key] })
	return out
}

// kindOf names the kind of a typed Accord object.
func kindOf(o metav1.Object) string {
	switch o.(type) {
	case *v1.Partnership:
		return "Partnership"
	case *v1.Objective:
		return "Objective"
	case *v1.KPI:
		return "KPI"
	case *v1.MetricSource:
		return "MetricSource"
	case *v1.Review:
		return "Review"
	case *v1.Portfolio:
		return "Portfolio"
	}
	return fmt.Sprintf("%T", o)
}
