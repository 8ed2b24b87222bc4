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
// that almost always mean a mistake. It is pure: a portfolio.Set in,
// findings out.
package portfoliocheck

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/portfolio"
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
	// RuleContractTarget: spec.source.contractTarget or contractMeasure
	// on a KPI whose MetricSource is not FHIR, where there is no contract
	// to read.
	RuleContractTarget Rule = "contract-target" // error
	// RuleUndeclaredNeed: spec.addresses names a need no Portfolio that
	// selects the partnership declares in spec.needs.
	RuleUndeclaredNeed Rule = "undeclared-need" // error
	// RuleExchangeAmount: an amount a partner gives or receives below zero.
	RuleExchangeAmount Rule = "exchange-amount" // error
	// RuleProspectDates: a Prospect's draft agreement dated before today
	// (CheckAt only).
	RuleProspectDates Rule = "prospect-dates" // error
)

// Finding is one problem with the portfolio, attached to one object.
type Finding struct {
	// Object is the object the finding is about.
	Object portfolio.Ref
	// At is where it is defined: for a duplicate, the repeating document.
	At       portfolio.Origin
	Severity Severity
	Rule     Rule
	// Field is the path of the offending field, e.g. "spec.kpis[1].name".
	Field string
	// Message says what is wrong, in the style of the API server's field
	// errors (`Not found: "x": ...`).
	Message string
}

// Check runs every rule over the set and returns the findings in the
// order of the documents the objects were read from. Read the set with
// portfolio.Options.KeepPartial, so that objects whose spec the schema
// refused still satisfy references.
func Check(s *portfolio.Set) []Finding { return CheckAt(s, time.Time{}) }

// CheckAt is Check with the rules that need today's date (a Prospect's
// draft agreement must not be dated in the past) judged at now; a zero
// now skips them.
func CheckAt(s *portfolio.Set, now time.Time) []Finding {
	p := &rules{s: s, now: now}
	for _, rule := range []func(*rules){
		(*rules).duplicates,
		(*rules).references,
		(*rules).followUpUpdates,
		(*rules).usage,
		(*rules).dates,
		(*rules).owners,
		(*rules).reportedValues,
		(*rules).contractTargets,
		(*rules).rateValues,
		(*rules).measureDirections,
		(*rules).selectors,
		(*rules).needs,
		(*rules).prospectDates,
	} {
		rule(p)
	}
	slices.SortStableFunc(p.out, func(a, b Finding) int { return cmp.Compare(a.At.Seq, b.At.Seq) })
	return p.out
}

// rules holds the set and the findings so far.
type rules struct {
	s   *portfolio.Set
	now time.Time
	out []Finding
}

// add records a finding on the object o of a kind.
func (p *rules) add(kind string, o client.Object, sev Severity, rule Rule, field, message string) {
	ref := portfolio.Ref{Kind: kind, Key: portfolio.KeyOf(o)}
	at, _ := p.s.Origin(ref)
	p.out = append(p.out, Finding{Object: ref, At: at, Severity: sev, Rule: rule, Field: field, Message: message})
}

// duplicates finds objects defined more than once: applying both keeps
// only the last, silently.
func (p *rules) duplicates() {
	for _, d := range p.s.Duplicates() {
		p.out = append(p.out, Finding{Object: d.Ref, At: d.Origin, Severity: Error, Rule: RuleDuplicate, Field: "metadata.name",
			Message: fmt.Sprintf("Duplicate value: %q: %s %s/%s is already defined at %s; applying both would keep only the last",
				d.Name, d.Kind, d.Namespace, d.Name, d.First)})
	}
}
