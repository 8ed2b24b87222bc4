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
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// ReasonNeedNotDeclared: Ready=False on a partnership whose
// spec.addresses names a need that no Portfolio selecting it declares.
const ReasonNeedNotDeclared = "NeedNotDeclared"

// Reasons of the HoursDelivered condition.
const (
	// ReasonHoursKept: every judged commitment gave at least the threshold.
	ReasonHoursKept = "CommitmentsKept"
	// ReasonHoursShortfall: a partner gave less than the threshold.
	ReasonHoursShortfall = "HoursShortfall"
	// ReasonNoHoursReported: time is committed, no hours were reported.
	ReasonNoHoursReported = "NoHoursReported"
)

// NeedsOf returns a portfolio's declared needs.
func NeedsOf(pf *v1.Portfolio) []evaluate.Need {
	out := make([]evaluate.Need, 0, len(pf.Spec.Needs))
	for _, n := range pf.Spec.Needs {
		out = append(out, evaluate.Need{Name: n.Name, Priority: n.Priority})
	}
	return out
}

// SelectingPortfolios returns the portfolios among pfs (any namespace)
// whose selector picks p; a portfolio whose selector cannot be parsed
// selects nothing (its own status says why).
func SelectingPortfolios(p *v1.Partnership, pfs []*v1.Portfolio) []*v1.Portfolio {
	var out []*v1.Portfolio
	for _, pf := range pfs {
		if pf.Namespace != p.Namespace {
			continue
		}
		sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
		if err == nil && sel.Matches(labels.Set(p.Labels)) {
			out = append(out, pf)
		}
	}
	return out
}

// FieldProblem is something wrong with one field, in the API server's
// style: the field's path and what is wrong with it.
type FieldProblem struct {
	Field   string
	Message string
}

// UndeclaredNeeds is the rule the operator and accordctl validate share:
// each need a partnership addresses must be declared by a Portfolio that
// selects it. A partnership no Portfolio selects is not checked: there
// is nothing to check against.
func UndeclaredNeeds(p *v1.Partnership, selecting []*v1.Portfolio) []FieldProblem {
	if len(p.Spec.Addresses) == 0 {
		return nil
	}
	declared := make([][]evaluate.Need, 0, len(selecting))
	var names, declaredNames []string
	for _, pf := range selecting {
		declared = append(declared, NeedsOf(pf))
		names = append(names, pf.Name)
		for _, n := range pf.Spec.Needs {
			declaredNames = append(declaredNames, n.Name)
		}
	}
	slices.Sort(declaredNames)
	declaredNames = slices.Compact(declaredNames)
	var out []FieldProblem
	for _, i := range evaluate.UndeclaredNeeds(p.Spec.Addresses, declared) {
		var why string
		switch {
		case len(declaredNames) == 0:
			why = fmt.Sprintf("Portfolio %s declares no needs (spec.needs)", strings.Join(names, ", "))
		default:
			why = fmt.Sprintf("Portfolio %s declares only %s (spec.needs)", strings.Join(names, ", "), strings.Join(declaredNames, ", "))
		}
		out = append(out, FieldProblem{
			Field:   fmt.Sprintf("spec.addresses[%d]", i),
			Message: fmt.Sprintf("Not found: %q: %s", p.Spec.Addresses[i], why),
		})
	}
	return out
}

// needsCondition is Ready=False for undeclared needs, nil when all are
// declared or the portfolios were not given.
func needsCondition(p *v1.Partnership, selecting []*v1.Portfolio, checked bool) *Condition {
	if !checked {
		return nil
	}
	problems := UndeclaredNeeds(p, selecting)
	if len(problems) == 0 {
		return nil
	}
	parts := make([]string, 0, len(problems))
	for _, pr := range problems {
		parts = append(parts, pr.Field+": "+pr.Message)
	}
	return &Condition{v1.ConditionReady, metav1.ConditionFalse, ReasonNeedNotDeclared,
		"The partnership addresses a need its portfolio does not declare (declare it in the Portfolio's spec.needs, or correct the name): " + strings.Join(parts, "; ")}
}

// StaffCommitments converts a partnership's staff commitments and the
// hours reported against them; a reported period whose dates cannot be
// read is skipped (the API server refuses such a date).
func StaffCommitments(p *v1.Partnership) []evaluate.StaffCommitment {
	var out []evaluate.StaffCommitment
	for _, partner := range p.Spec.Partners {
		for _, c := range partner.StaffCommitments {
			sc := evaluate.StaffCommitment{Partner: partner.Name, Role: c.Role, HoursPerMonth: c.HoursPerMonth}
			for _, d := range c.Delivered {
				start, err1 := evaluate.ParseDate(string(d.PeriodStart))
				end, err2 := evaluate.ParseDate(string(d.PeriodEnd))
				if err1 != nil || err2 != nil || end.Before(start) {
					continue
				}
				sc.Delivered = append(sc.Delivered, evaluate.HoursReport{Start: start, End: end, Hours: d.Hours})
			}
			out = append(out, sc)
		}
	}
	return out
}

// StaffTimeOf judges a partnership's staff time.
func StaffTimeOf(p *v1.Partnership) evaluate.StaffTimeResult {
	return evaluate.StaffTime(StaffCommitments(p), p.Spec.DeliveryThresholdPercent)
}

// setStaffTime writes status.staffTime and the HoursDelivered condition;
// an ended partnership, or one without committed time, has neither.
func setStaffTime(p *v1.Partnership, ended bool, ts metav1.Time) {
	st := &p.Status
	st.StaffTime = nil
	res := StaffTimeOf(p)
	if ended || !res.Judged {
		meta.RemoveStatusCondition(&st.Conditions, v1.ConditionHoursDelivered)
		return
	}
	for _, d := range res.Deliveries {
		st.StaffTime = append(st.StaffTime, v1.StaffTimeDelivery{
			Partner: d.Partner, Role: d.Role, PeriodStart: date(d.Start), PeriodEnd: date(d.End),
			CommittedHours: int32(d.Committed + 0.5), DeliveredHours: d.Delivered, Percent: d.Percent, Short: d.Short,
		})
	}
	c := Condition{v1.ConditionHoursDelivered, metav1.ConditionTrue, ReasonHoursKept, res.Message}
	switch {
	case !res.Reported:
		c.Status, c.Reason = metav1.ConditionUnknown, ReasonNoHoursReported
	case res.Short:
		c.Status, c.Reason = metav1.ConditionFalse, ReasonHoursShortfall
	}
	st.Conditions = SetConditions(st.Conditions, p.Generation, ts, c)
}

// coverageMember is what the coverage keeps of a selected partnership.
// It copies what it keeps: the roll-up reads partnerships straight from
// the informer cache.
type coverageMember struct {
	member   evaluate.CoverageMember
	exchange *v1.PartnershipExchange
}

func newCoverageMember(p *v1.Partnership) coverageMember {
	ended := p.Status.Phase == v1.PhaseExited
	m := coverageMember{member: evaluate.CoverageMember{Name: p.Name, Addresses: slices.Clone(p.Spec.Addresses), Ended: ended}}
	ex := &v1.PartnershipExchange{Name: p.Name, Addresses: slices.Clone(p.Spec.Addresses), Ended: ended}
	declares := len(p.Spec.Addresses) > 0
	delivered := map[string][2]int32{}
	short := map[string][]string{}
	for _, d := range p.Status.StaffTime {
		v := delivered[d.Partner]
		delivered[d.Partner] = [2]int32{v[0] + d.DeliveredHours, v[1] + d.CommittedHours}
		if d.Short {
			short[d.Partner] = append(short[d.Partner], d.Role)
		}
	}
	for _, partner := range p.Spec.Partners {
		pe := v1.PartnerExchange{Name: partner.Name, Gives: ExchangeTotals(partner.Contributes), Receives: ExchangeTotals(partner.Receives)}
		for _, c := range partner.StaffCommitments {
			pe.CommittedHoursPerMonth += c.HoursPerMonth
		}
		if v, ok := delivered[partner.Name]; ok {
			pe.DeliveredHours, pe.CommittedHours = &v[0], &v[1]
		}
		pe.ShortRoles = short[partner.Name]
		declares = declares || len(pe.Gives) > 0 || len(pe.Receives) > 0 || pe.CommittedHoursPerMonth > 0
		ex.Partners = append(ex.Partners, pe)
	}
	if declares {
		m.exchange = ex
	}
	return m
}

// ExchangeTotals sums what a partner gives or receives by kind and unit
// (evaluate.SumExchange), for status and the readers of a spec.
func ExchangeTotals(items []v1.Exchange) []v1.ExchangeTotal {
	if len(items) == 0 {
		return nil
	}
	in := make([]evaluate.ExchangeItem, 0, len(items))
	for _, it := range items {
		e := evaluate.ExchangeItem{Kind: string(it.Kind), Unit: it.Unit, Description: it.Description}
		if it.Amount != nil {
			e.Amount = it.Amount.AsDec().String()
		}
		in = append(in, e)
	}
	var out []v1.ExchangeTotal
	for _, t := range evaluate.SumExchange(in) {
		out = append(out, v1.ExchangeTotal{Kind: v1.ExchangeKind(t.Kind), Unit: t.Unit, Amount: t.Amount, Items: t.Items, Descriptions: t.Descriptions})
	}
	return out
}

// portfolioCoverage is the portfolio's status.coverage: nil when it
// declares no needs and no member declares an exchange.
func portfolioCoverage(pf *v1.Portfolio, members []coverageMember) *v1.PortfolioCoverage {
	cm := make([]evaluate.CoverageMember, 0, len(members))
	var exchanges []v1.PartnershipExchange
	for _, m := range members {
		cm = append(cm, m.member)
		if m.exchange != nil {
			exchanges = append(exchanges, *m.exchange)
		}
	}
	if len(pf.Spec.Needs) == 0 && len(exchanges) == 0 {
		return nil
	}
	slices.SortFunc(exchanges, func(a, b v1.PartnershipExchange) int { return strings.Compare(a.Name, b.Name) })
	res := evaluate.Coverage(NeedsOf(pf), cm)
	out := &v1.PortfolioCoverage{Gaps: res.Gaps, Overlaps: res.Overlaps, Partnerships: exchanges}
	for _, n := range res.Needs {
		out.Needs = append(out.Needs, v1.NeedCoverage{Name: n.Name, Priority: n.Priority, Partnerships: n.Partnerships, Ended: n.Ended})
	}
	return out
}
