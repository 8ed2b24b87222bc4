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
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// base is a small, consistent portfolio: every rule passes on it, so a
// case that breaks one thing can only produce that thing's finding.
type base struct {
	partnership *v1.Partnership
	objective   *v1.Objective
	kpi         *v1.KPI
	source      *v1.MetricSource
	review      *v1.Review
	portfolio   *v1.Portfolio
}

func meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: "team"}
}

func newBase() *base {
	p := &v1.Partnership{ObjectMeta: meta("valley"), Spec: v1.PartnershipSpec{
		Partners:  []v1.Partner{{Name: "Valley Hospital"}, {Name: "Pine Clinic"}},
		Agreement: v1.Agreement{EffectiveDate: "2025-07-01", ExpiryDate: "2028-06-30"},
	}}
	p.Labels = map[string]string{"portfolio": "rural"}
	return &base{
		partnership: p,
		objective: &v1.Objective{ObjectMeta: meta("fewer-ed-visits"), Spec: v1.ObjectiveSpec{
			PartnershipRef: v1.LocalObjectReference{Name: "valley"}, Owner: "Pine Clinic",
			StartDate: "2025-07-01", Deadline: "2027-06-30",
			KPIs: []v1.ObjectiveKPI{{Name: "ed-visits", Weight: 1}},
		}},
		kpi: &v1.KPI{ObjectMeta: meta("ed-visits"), Spec: v1.KPISpec{
			Baseline: v1.Baseline{Date: "2025-06-30"}, Target: v1.Target{Date: "2027-06-30"},
			Source: &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "prometheus"}, Query: "up"},
		}},
		source: &v1.MetricSource{ObjectMeta: meta("prometheus"), Spec: v1.MetricSourceSpec{Type: v1.SourcePrometheus, Endpoint: "http://p:9090"}},
		review: &v1.Review{ObjectMeta: meta("q3"), Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley"}, Date: "2026-09-18", Decision: v1.DecisionContinue}},
		portfolio: &v1.Portfolio{ObjectMeta: meta("rural"), Spec: v1.PortfolioSpec{
			Selector: metav1.LabelSelector{MatchLabels: map[string]string{"portfolio": "rural"}},
		}},
	}
}

func (b *base) objects() []Object {
	out := make([]Object, 0, 6)
	for i, o := range []metav1.Object{b.partnership, b.objective, b.kpi, b.source, b.review, b.portfolio} {
		out = append(out, Object{Key: i, Origin: "f.yaml#" + string(rune('0'+i)), Obj: o})
	}
	return out
}

// Keys of the base objects, in objects() order.
const (
	kPartnership = iota
	kObjective
	kKPI
	kSource
	kReview
	kPortfolio
)

func TestConsistentPortfolioHasNoFindings(t *testing.T) {
	if got := check(t, newBase().objects()); len(got) != 0 {
		t.Fatalf("findings on a consistent portfolio: %+v", got)
	}
}

func TestEachRuleFindsItsProblem(t *testing.T) {
	cases := []struct {
		name     string
		edit     func(b *base) []Object
		key      int
		severity Severity
		rule     Rule
		field    string
		message  string
		count    int // findings in all, when the problem has a knock-on effect; 0 means 1
	}{
		{"objective names a missing partnership", func(b *base) []Object {
			b.objective.Spec.PartnershipRef.Name = "valey"
			b.review.Spec.PartnershipRef.Name = "valley"
			return b.objects()
		}, kObjective, Error, RuleDanglingRef, "spec.partnershipRef.name", `Not found: "valey": no Partnership "valey" in namespace team among the objects validated; did you mean "valley"?`,
			2}, // and partnership "valley" has no objective left
		{"objective names a missing KPI", func(b *base) []Object {
			b.objective.Spec.KPIs = append(b.objective.Spec.KPIs, v1.ObjectiveKPI{Name: "readmissions"})
			return b.objects()
		}, kObjective, Error, RuleDanglingRef, "spec.kpis[1].name", `no KPI "readmissions" in namespace team`, 0},
		{"KPI names a missing metric source", func(b *base) []Object {
			b.kpi.Spec.Source.SourceRef.Name = "fhir"
			return b.objects()
		}, kKPI, Error, RuleDanglingRef, "spec.source.sourceRef.name", `no MetricSource "fhir"`, 0},
		{"review names a missing partnership", func(b *base) []Object {
			b.review.Spec.PartnershipRef.Name = "telehealth"
			return b.objects()
		}, kReview, Error, RuleDanglingRef, "spec.partnershipRef.name", `no Partnership "telehealth"`, 0},
		{"follow-up update naming an action the review did not agree", func(b *base) []Object {
			b.review.Spec.FollowUps = []v1.FollowUp{{Action: "Share the Q3 figures"}}
			later := &v1.Review{ObjectMeta: meta("q4"), Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley"}, Date: "2026-12-10", Decision: v1.DecisionContinue,
				FollowUpUpdates: []v1.FollowUpUpdate{{Review: "q3", Action: "Share the Q3 figure", State: v1.FollowUpDone}}}}
			return append(b.objects(), Object{Key: 9, Origin: "g.yaml#0", Obj: later})
		}, 9, Error, RuleDanglingRef, "spec.followUpUpdates[0].action", `Not found: "Share the Q3 figure": Review q3 agreed no such action (its follow-ups are "Share the Q3 figures")`, 0},
		{"follow-up update naming a review that does not exist", func(b *base) []Object {
			later := &v1.Review{ObjectMeta: meta("q4"), Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley"}, Date: "2026-12-10", Decision: v1.DecisionContinue,
				FollowUpUpdates: []v1.FollowUpUpdate{{Review: "q2", Action: "Anything", State: v1.FollowUpDropped}}}}
			return append(b.objects(), Object{Key: 9, Origin: "g.yaml#0", Obj: later})
		}, 9, Error, RuleDanglingRef, "spec.followUpUpdates[0].review", `Not found: "q2": no Review "q2" of partnership valley in namespace team`, 0},
		{"reference into another namespace", func(b *base) []Object {
			b.source.Namespace = "monitoring"
			return b.objects()
		}, kKPI, Error, RuleDanglingRef, "spec.source.sourceRef.name", "there is one in namespace monitoring, but references stay within", 0},
		{"partnership addresses a need its portfolio does not declare", func(b *base) []Object {
			b.portfolio.Spec.Needs = []v1.OfficeNeed{{Name: "transport", Priority: 2}, {Name: "behavioral-health", Priority: 1}}
			b.partnership.Spec.Addresses = []string{"transport", "dental"}
			return b.objects()
		}, kPartnership, Error, RuleUndeclaredNeed, "spec.addresses[1]",
			`Not found: "dental": Portfolio rural declares only behavioral-health, transport (spec.needs) (among the objects validated)`, 0},
		{"a negative amount received", func(b *base) []Object {
			b.partnership.Spec.Partners[1].Receives = []v1.Exchange{{Kind: v1.ExchangeMoney, Description: "Grant", Amount: new(resource.MustParse("-5000")), Unit: "USD"}}
			return b.objects()
		}, kPartnership, Error, RuleExchangeAmount, "spec.partners[1].receives[0].amount", `Invalid value: "-5k": must be zero or more`, 0},
		{"the same KPI defined twice", func(b *base) []Object {
			return append(b.objects(), Object{Key: 9, Origin: "g.yaml#0", Obj: b.kpi.DeepCopy()})
		}, 9, Error, RuleDuplicate, "metadata.name", `Duplicate value: "ed-visits": KPI team/ed-visits is already defined at f.yaml#2`, 0},
		{"KPI no objective uses", func(b *base) []Object {
			extra := b.kpi.DeepCopy()
			extra.Name = "spare"
			return append(b.objects(), Object{Key: 9, Obj: extra})
		}, 9, Warning, RuleUnusedKPI, "metadata.name", "no Objective lists this KPI", 0},
		{"objective without KPIs", func(b *base) []Object {
			b.objective.Spec.KPIs = nil
			objs := b.objects()
			return append(objs[:kKPI], objs[kSource:]...) // the KPI would be unused
		}, kObjective, Warning, RuleObjectiveWithoutKPIs, "spec.kpis", "lists no KPIs", 0},
		{"partnership without objectives", func(b *base) []Object {
			other := b.partnership.DeepCopy()
			other.Name = "idle"
			other.Labels = nil
			return append(b.objects(), Object{Key: 9, Obj: other})
		}, 9, Warning, RulePartnershipWithoutObjectives, "metadata.name", "no Objective names this partnership", 0},
		{"objective deadline after the agreement expires", func(b *base) []Object {
			b.objective.Spec.Deadline = "2028-12-31"
			b.kpi.Spec.Target.Date = "2028-06-30"
			return b.objects()
		}, kObjective, Warning, RuleAfterExpiry, "spec.deadline", `Invalid value: "2028-12-31": after the agreement of Partnership "valley" expires on 2028-06-30`, 0},
		{"KPI target after the objective's deadline", func(b *base) []Object {
			b.kpi.Spec.Target.Date = "2027-12-31"
			return b.objects()
		}, kKPI, Warning, RuleAfterDeadline, "spec.target.date", `after the deadline 2027-06-30 of Objective "fewer-ed-visits"`, 0},
		{"objective owner who is not a partner", func(b *base) []Object {
			b.objective.Spec.Owner = "Pine Clinc"
			return b.objects()
		}, kObjective, Warning, RuleOwnerNotPartner, "spec.owner", `not a partner of Partnership "valley"; did you mean "Pine Clinic"?`, 0},
		{"reported values on a KPI read from Prometheus", func(b *base) []Object {
			b.kpi.Spec.Reported = []v1.ReportedValue{{PeriodEnd: "2025-09-30"}}
			return b.objects()
		}, kKPI, Warning, RuleReportedValues, "spec.reported", `reads MetricSource "prometheus" of type Prometheus, so the operator ignores its 1 reported values`, 0},
		{"Reported source without values", func(b *base) []Object {
			b.source.Spec = v1.MetricSourceSpec{Type: v1.SourceReported}
			return b.objects()
		}, kKPI, Warning, RuleReportedValues, "spec.reported", "Required value", 0},
		{"a contract target on a KPI read from Prometheus", func(b *base) []Object {
			b.kpi.Spec.Source.ContractTarget = &v1.ContractTarget{ThresholdType: "star-4"}
			return b.objects()
		}, kKPI, Error, RuleContractTarget, "spec.source.contractTarget", `MetricSource "prometheus" has type Prometheus; set spec.target.value instead`, 0},
		{"portfolio selecting nothing", func(b *base) []Object {
			b.portfolio.Spec.Selector.MatchLabels["portfolio"] = "urban"
			return b.objects()
		}, kPortfolio, Warning, RuleEmptyPortfolio, "spec.selector", "selects no Partnership in namespace team", 0},
		{"portfolio selector with a bad operator", func(b *base) []Object {
			b.portfolio.Spec.Selector.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "tier", Operator: "Near"}}
			return b.objects()
		}, kPortfolio, Error, RuleSelector, "spec.selector", `"Near" is not a valid label selector operator`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := check(t, tc.edit(newBase()))
			if want := max(tc.count, 1); len(got) != want {
				t.Fatalf("want %d findings, got %d: %+v", want, len(got), got)
			}
			var f *keyed
			for i := range got {
				if got[i].Rule == tc.rule && got[i].Key == tc.key {
					f = &got[i]
				}
			}
			if f == nil {
				t.Fatalf("no %s finding on object %d: %+v", tc.rule, tc.key, got)
			}
			if f.Severity != tc.severity || f.Field != tc.field {
				t.Errorf("got %s on %s, want %s on %s", f.Severity, f.Field, tc.severity, tc.field)
			}
			if !strings.Contains(f.Message, tc.message) {
				t.Errorf("message %q does not contain %q", f.Message, tc.message)
			}
		})
	}
}

func TestAutoRenewingAgreementsHaveNoEnd(t *testing.T) {
	b := newBase()
	b.partnership.Spec.Agreement.AutoRenew = true
	b.objective.Spec.Deadline = "2029-06-30"
	b.kpi.Spec.Target.Date = "2029-06-30"
	if got := check(t, b.objects()); len(got) != 0 {
		t.Fatalf("findings for an auto-renewing agreement: %+v", got)
	}
}

// An object whose spec could not be read still satisfies references, and
// its kind's usage rules stay silent rather than guess.
func TestPartialObjectsSatisfyReferencesOnly(t *testing.T) {
	b := newBase()
	objs := b.objects()
	objs[kSource] = Object{Key: kSource, Obj: &v1.MetricSource{ObjectMeta: meta("prometheus")}, Partial: true}
	objs[kObjective] = Object{Key: kObjective, Obj: &v1.Objective{ObjectMeta: meta("fewer-ed-visits")}, Partial: true}
	if got := check(t, objs); len(got) != 0 {
		t.Fatalf("findings with partial objects: %+v", got)
	}
}

func TestFindingsFollowTheObjectsOrder(t *testing.T) {
	b := newBase()
	b.review.Spec.PartnershipRef.Name = "nowhere"         // key 4
	b.objective.Spec.PartnershipRef.Name = "nowhere-else" // key 1
	b.kpi.Spec.Source.SourceRef.Name = "nothing"          // key 2
	got := check(t, b.objects())
	keys := make([]int, 0, len(got))
	for _, f := range got {
		keys = append(keys, f.Key)
	}
	// The partnership, left without objectives, comes first.
	want := []int{kPartnership, kObjective, kKPI, kReview}
	if len(keys) != len(want) {
		t.Fatalf("finding keys %v, want %v", keys, want)
	}
	for i := range keys {
		if keys[i] != want[i] {
			t.Fatalf("finding keys %v, want %v (object order)", keys, want)
		}
	}
}
