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
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// PortfolioSelector returns the portfolio's partnership selector. When it
// is invalid, the status says so (Ready=False) and the error is returned.
func PortfolioSelector(pf *v1.Portfolio, now time.Time) (labels.Selector, error) {
	sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
	if err != nil {
		pf.Status.ObservedGeneration = pf.Generation
		pf.Status.Conditions = SetConditions(pf.Status.Conditions, pf.Generation, metav1.NewTime(now),
			Condition{v1.ConditionReady, metav1.ConditionFalse, ReasonInvalidSelector, fmt.Sprintf("spec.selector: %v", err)})
		return nil, err
	}
	return sel, nil
}

// PortfolioMembers are what a portfolio rolls up: the selected
// partnerships, and their objectives and KPIs.
type PortfolioMembers struct {
	Partnerships []evaluate.Item
	// ObjectivesAndKPIs each appear once, whatever the number of
	// objectives that share a KPI.
	ObjectivesAndKPIs []evaluate.Item

	kpisSeen map[string]bool
	coverage []coverageMember
}

// AddPartnership adds a selected partnership with its objectives; kpi
// returns a KPI by name, nil when it does not exist (its objective
// reports that).
func (m *PortfolioMembers) AddPartnership(p *v1.Partnership, objectives []v1.Objective, kpi func(name string) (*v1.KPI, error)) error {
	if m.kpisSeen == nil {
		m.kpisSeen = map[string]bool{}
	}
	m.Partnerships = append(m.Partnerships, PartnershipItem(p))
	m.coverage = append(m.coverage, newCoverageMember(p))
	if p.Status.Phase == v1.PhaseExited || p.Status.Phase == v1.PhaseProspect {
		// Its objectives and KPIs are no longer (or not yet) judged: not
		// among the worst, not in the objective counts.
		return nil
	}
	for j := range objectives {
		o := &objectives[j]
		m.ObjectivesAndKPIs = append(m.ObjectivesAndKPIs, ObjectiveItem(o))
		for _, ref := range o.Spec.KPIs {
			if m.kpisSeen[ref.Name] {
				continue
			}
			m.kpisSeen[ref.Name] = true
			k, err := kpi(ref.Name)
			if err != nil {
				return err
			}
			if k != nil {
				m.ObjectivesAndKPIs = append(m.ObjectivesAndKPIs, KPIItem(k))
			}
		}
	}
	return nil
}

// Portfolio rolls up the members and writes the portfolio's status.
func Portfolio(pf *v1.Portfolio, m PortfolioMembers, now time.Time) evaluate.PortfolioResult {
	res := evaluate.Portfolio(m.Partnerships, m.ObjectivesAndKPIs, int(pf.Spec.WorstItems))
	st := &pf.Status
	st.ObservedGeneration = pf.Generation
	st.Partnerships = v1.ConditionCounts{Total: res.Total, Healthy: res.Healthy, AtRisk: res.AtRisk, Unknown: res.Unknown, Exited: res.Exited, Prospects: res.Prospects}
	st.ReviewDue = res.ReviewDue
	st.Objectives = v1.ConditionCounts{Total: res.ObjectivesTotal, Healthy: res.ObjectivesHealthy, AtRisk: res.ObjectivesAtRisk, Unknown: res.ObjectivesUnknown}
	st.Score = res.Score
	st.Worst = nil
	for _, it := range res.Worst {
		st.Worst = append(st.Worst, v1.PortfolioItem{Kind: it.Kind, Name: it.Name, Score: it.Score, Message: it.Message})
	}
	st.Coverage = portfolioCoverage(pf, m.coverage)
	due := Condition{v1.ConditionReviewDue, metav1.ConditionFalse, ReasonNoReviewsDue, "No partnership needs a review"}
	if res.ReviewDue > 0 {
		due = Condition{v1.ConditionReviewDue, metav1.ConditionTrue, ReasonReviewsDue, fmt.Sprintf("%d of %d partnerships need a review", res.ReviewDue, res.Total-res.Exited)}
	}
	conds := append([]Condition{{v1.ConditionReady, metav1.ConditionTrue, ReasonEvaluated, res.Message}},
		healthConditions(res.Health, string(res.Reason), res.Message)...)
	st.Conditions = SetConditions(st.Conditions, pf.Generation, metav1.NewTime(now), append(conds, due)...)
	return res
}
