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
	ts := metav1.NewTime(now)
	spec, err := PartnershipSpec(p)
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
	conds := append([]Condition{{v1.ConditionReady, metav1.ConditionTrue, ReasonEvaluated, res.HealthMessage}},
		healthConditions(res.Health, string(res.HealthReason), res.HealthMessage)...)
	st.Conditions = SetConditions(st.Conditions, p.Generation, ts, append(conds, due)...)
	return res, nil
}
