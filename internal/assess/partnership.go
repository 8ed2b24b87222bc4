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

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Partnership rolls up the partnership's objectives, reviews and agreement
// and writes its status. objectives and reviews are those that name it.
// An error means the spec cannot be read; the status then says so with
// Ready=False.
func Partnership(p *v1.Partnership, objectives []v1.Objective, reviews []v1.Review, now time.Time) (evaluate.PartnershipResult, error) {
	return partnership(p, objectives, reviews, nil, false, now)
}

// PartnershipIn is Partnership with the portfolios that select p (from
// SelectingPortfolios), so that the needs it addresses are checked
// against the needs they declare: a need none declares makes Ready
// False (NeedNotDeclared). The operator and accordctl evaluate call it.
func PartnershipIn(p *v1.Partnership, objectives []v1.Objective, reviews []v1.Review, selecting []*v1.Portfolio, now time.Time) (evaluate.PartnershipResult, error) {
	return partnership(p, objectives, reviews, selecting, true, now)
}

func partnership(p *v1.Partnership, objectives []v1.Objective, reviews []v1.Review, selecting []*v1.Portfolio, checkNeeds bool, now time.Time) (evaluate.PartnershipResult, error) {
	ts := metav1.NewTime(now)
	spec, err := PartnershipSpec(p)
	if err == nil && spec.DesiredPhase == evaluate.PhaseProspect {
		spec.Prospect = ProspectSpec(p, weightsAmong(selecting))
	}
	if err != nil {
		p.Status.ObservedGeneration = p.Generation
		p.Status.Conditions = SetConditions(p.Status.Conditions, p.Generation, ts,
			Condition{v1.ConditionReady, metav1.ConditionFalse, ReasonInvalidSpec, err.Error()})
		return evaluate.PartnershipResult{}, err
	}
	views := make([]evaluate.ObjectiveView, 0, len(objectives))
	for i := range objectives {
		views = append(views, ObjectiveView(&objectives[i]))
	}
	rv := make([]evaluate.ReviewView, 0, len(reviews))
	for i := range reviews {
		if v, ok := ReviewView(&reviews[i]); ok {
			rv = append(rv, v)
		}
	}
	var since time.Time
	if p.Status.AtRiskSince != nil {
		since = p.Status.AtRiskSince.UTC()
	}
	res := evaluate.Partnership(spec, views, rv, since, now)

	st := &p.Status
	previousSince := st.AtRiskSince
	st.ObservedGeneration = p.Generation
	st.Phase = v1.PartnershipPhase(res.Phase)
	st.AgreementState = v1.AgreementState(res.AgreementState)
	st.DaysToExpiry = res.DaysToExpiry
	st.TermEndDate = date(res.TermEnd)
	st.RenewalIntent = ""
	if res.RenewalIntent != nil {
		st.RenewalIntent = res.RenewalIntent.Name
	}
	st.EndDate = date(res.Ended)
	st.FollowUps = nil
	if res.FollowUps != nil {
		c := v1.FollowUpCounts(*res.FollowUps)
		st.FollowUps = &c
	}
	st.OverdueFollowUps = nil
	for _, a := range res.Overdue {
		st.OverdueFollowUps = append(st.OverdueFollowUps, v1.OverdueFollowUp{
			Review: a.Review, ReviewDate: date(a.ReviewDate), Action: a.Action, Owner: a.Owner, Due: date(a.Due)})
	}
	st.Expiries = nil
	for _, e := range res.Expiries {
		st.Expiries = append(st.Expiries, v1.Expiry{Instrument: v1.Instrument(e.Instrument), Ref: e.Ref,
			ExpiryDate: date(e.Expiry), NoticeDate: date(e.Notice), State: v1.ExpiryState(e.State)})
	}
	st.Candidates, st.RankedBy = candidateStandings(res.Ranking), ""
	if res.Ranking != nil && spec.Prospect != nil {
		st.RankedBy = spec.Prospect.WeightsFrom
	}
	st.Score = res.Score
	st.Objectives = v1.ConditionCounts{Total: res.Total, Healthy: res.Healthy, AtRisk: res.AtRisk, Unknown: res.Unknown}
	st.LastReview, st.LastReviewDate = "", ""
	if res.LastReview != nil {
		st.LastReview, st.LastReviewDate = res.LastReview.Name, date(res.LastReview.Date)
	}
	st.NextReviewDate = date(res.NextReviewDate)
	st.AtRiskSince = nil
	if !res.AtRiskSince.IsZero() {
		t := metav1.NewTime(res.AtRiskSince)
		// Keep the stored value (and its precision) when unchanged, so
		// that an unchanged partnership causes no write.
		if previousSince != nil && previousSince.Equal(&t) {
			t = *previousSince
		}
		st.AtRiskSince = &t
	}
	due := Condition{v1.ConditionReviewDue, metav1.ConditionFalse, string(res.ReviewReason), res.ReviewMessage}
	if res.ReviewDue {
		due.Status = metav1.ConditionTrue
	}
	ready := Condition{v1.ConditionReady, metav1.ConditionTrue, ReasonEvaluated, res.HealthMessage}
	if c := needsCondition(p, selecting, checkNeeds); c != nil {
		ready = *c
	}
	conds := append([]Condition{ready}, healthConditions(res.Health, string(res.HealthReason), res.HealthMessage)...)
	compliant := Condition{v1.ConditionCompliant, metav1.ConditionStatus(res.Compliance), string(res.ComplianceReason), res.ComplianceMessage}
	st.Conditions = SetConditions(st.Conditions, p.Generation, ts, append(conds, due, compliant)...)
	setStaffTime(p, res.Phase == evaluate.PhaseExited, ts)
	return res, nil
}

// Ending is the end of the partnership, or partnerships, an objective or
// KPI counts toward, once all of them have ended.
type Ending struct {
	// LastDay is the last day of the partnership that ended last.
	LastDay time.Time
	// Partnership names it, for messages.
	Partnership string
}

// EndingOf reads a partnership's end from its status: nil unless it is
// Exited. The reconcilers of objectives and KPIs use it; accordctl
// evaluate computes the same from the spec (PartnershipEnding).
func EndingOf(p *v1.Partnership) *Ending {
	if p == nil || p.Status.Phase != v1.PhaseExited {
		return nil
	}
	d, err := evaluate.ParseDate(string(p.Status.EndDate))
	if err != nil {
		return nil
	}
	return &Ending{LastDay: d, Partnership: p.Name}
}

// PartnershipEnding is EndingOf computed from the spec and reviews at now,
// for accordctl evaluate, which judges children before their parents.
func PartnershipEnding(p *v1.Partnership, reviews []v1.Review, now time.Time) *Ending {
	spec, err := PartnershipSpec(p)
	if err != nil {
		return nil
	}
	rv := make([]evaluate.ReviewView, 0, len(reviews))
	for i := range reviews {
		if v, ok := ReviewView(&reviews[i]); ok {
			rv = append(rv, v)
		}
	}
	end, ok := evaluate.PartnershipEnd(spec, rv, now)
	if !ok {
		return nil
	}
	return &Ending{LastDay: end, Partnership: p.Name}
}

// AllEnded returns the ending of a child whose parents have all ended
// (the latest of their ends), nil when any has not or there is none.
func AllEnded(endings []*Ending) *Ending {
	var out *Ending
	for _, e := range endings {
		if e == nil {
			return nil
		}
		if out == nil || e.LastDay.After(out.LastDay) {
			out = e
		}
	}
	return out
}

// judgeAt is the moment an ended child is judged at: the end of its
// partnership's last day, so that its final verdict stays as it stood.
func (e *Ending) judgeAt() time.Time { return e.LastDay.Add(24*time.Hour - time.Nanosecond) }

// message says why an ended child is not judged any more.
func (e *Ending) message() string {
	return fmt.Sprintf("Partnership %s ended on %s; this is no longer judged (the values and score are as they stood on its last day)", e.Partnership, e.LastDay.Format(time.DateOnly))
}

// endedConditions replaces the verdict conditions of a child of an ended
// partnership: not Healthy, not AtRisk, for the reason PartnershipEnded.
func (e *Ending) conditions() []Condition {
	msg, reason := e.message(), string(evaluate.ReasonPartnershipEnded)
	return []Condition{
		{v1.ConditionHealthy, metav1.ConditionFalse, reason, msg},
		{v1.ConditionAtRisk, metav1.ConditionFalse, reason, msg},
	}
}
