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

package reviewpack

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// Question is a decision the review must take, derived from the state.
type Question struct {
	// Topic names what it is about, e.g. "KPI vicn-readmission-rate-30d".
	Topic string
	// Ask is the question; Why is the state that raises it.
	Ask, Why string
}

// questions derives the decisions the meeting must take: what to do about
// each at-risk objective and KPI, a review that is due, an agreement in
// its renewal window or expired, KPIs without data, and the last review's
// follow-ups that are past due.
func questions(snap *snapshot.Partnership) []Question {
	p := snap.Object
	var qs []Question
	if c := meta.FindStatusCondition(p.Status.Conditions, v1.ConditionReviewDue); c != nil && c.Status == metav1.ConditionTrue {
		qs = append(qs, Question{Topic: "Partnership " + p.Name, Why: c.Message,
			Ask: "A review is due: which decision does this review record (Continue, Revise or Exit)?"})
	}
	switch p.Status.AgreementState {
	case v1.AgreementRenewalWindow:
		ask := "Renew the agreement or exit?"
		if p.Spec.Agreement.AutoRenew {
			ask = "The agreement renews automatically: let it renew, renegotiate, or give notice to exit?"
		}
		qs = append(qs, Question{Topic: "Agreement", Ask: ask, Why: fmt.Sprintf("The agreement expires on %s%s and is within its renewal notice window.",
			p.Spec.Agreement.ExpiryDate, daysLeft(p.Status.DaysToExpiry))})
	case v1.AgreementExpired:
		qs = append(qs, Question{Topic: "Agreement", Ask: "Renew the expired agreement, or record the exit?",
			Why: fmt.Sprintf("The agreement expired on %s.", p.Spec.Agreement.ExpiryDate)})
	}
	if c := meta.FindStatusCondition(p.Status.Conditions, v1.ConditionCompliant); c != nil && c.Status == metav1.ConditionFalse {
		qs = append(qs, Question{Topic: "Data sharing", Why: c.Message,
			Ask: "The data-sharing instruments do not cover the partnership: who renews or extends them, and by when?"})
	}
	for _, o := range snap.Objectives {
		if c := meta.FindStatusCondition(o.Object.Status.Conditions, v1.ConditionAtRisk); c != nil && c.Status == metav1.ConditionTrue {
			qs = append(qs, Question{Topic: "Objective " + o.Object.Name, Why: c.Message,
				Ask: "The objective is at risk: continue with a recovery plan, revise the objective (targets or deadline), or escalate?"})
		}
	}
	for _, k := range snap.KPIs {
		st := k.Object.Status
		if c := meta.FindStatusCondition(st.Conditions, v1.ConditionAtRisk); c != nil && c.Status == metav1.ConditionTrue {
			qs = append(qs, Question{Topic: "KPI " + k.Object.Name, Why: c.Message,
				Ask: "The KPI is at risk: continue on the current plan, re-baseline its glide path, or escalate?"})
		}
		c := meta.FindStatusCondition(st.Conditions, v1.ConditionMetricsAvailable)
		switch {
		case st.LastValue == "":
			why := "No value has been reported or read yet."
			if c != nil && c.Message != "" {
				why = c.Message
			}
			qs = append(qs, Question{Topic: "KPI " + k.Object.Name, Why: why, Ask: "The KPI has no data: who provides it, and by when?"})
		case c != nil && c.Status != metav1.ConditionTrue:
			qs = append(qs, Question{Topic: "KPI " + k.Object.Name, Why: c.Message, Ask: "The KPI's data is missing or stale: who fixes the feed, and by when?"})
		}
	}
	// Partners that gave less time than they committed.
	if c := meta.FindStatusCondition(p.Status.Conditions, v1.ConditionHoursDelivered); c != nil && c.Status == metav1.ConditionFalse {
		qs = append(qs, Question{Topic: "Staff time", Why: c.Message,
			Ask: "A partner gave much less time than it committed: what stands in the way, and should the commitment or the plan change?"})
	}
	// The actions still open past their due date, after later reviews'
	// updates (the partnership's status lists them).
	for _, f := range p.Status.OverdueFollowUps {
		owner := ""
		if f.Owner != "" {
			owner = " (" + f.Owner + ")"
		}
		qs = append(qs, Question{Topic: "Review " + f.Review, Ask: "This action is overdue: is it done, or should it be dropped: " + f.Action + owner + "?",
			Why: fmt.Sprintf("It was due on %s, agreed at the review of %s; record the answer in the next Review's followUpUpdates.", f.Due, f.ReviewDate)})
	}
	return qs
}

func daysLeft(d *int32) string {
	if d == nil {
		return ""
	}
	return fmt.Sprintf(" (in %d days)", *d)
}
