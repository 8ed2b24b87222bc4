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
	"strconv"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Review writes whether the review applies to an existing partnership; p
// is the partnership it names, nil when that does not exist, and reviews
// are the partnership's reviews (for its followUpUpdates). The
// partnership's own roll-up does the rest: a new review clears ReviewDue,
// and an Exit decision moves the phase to Exiting.
func Review(rev *v1.Review, p *v1.Partnership, reviews []v1.Review, now time.Time) {
	applied := Condition{v1.ConditionApplied, metav1.ConditionTrue, ReasonRecorded, ""}
	if problem := FollowUpUpdateProblem(rev, reviews); p != nil && problem != "" {
		applied = Condition{v1.ConditionApplied, metav1.ConditionFalse, ReasonFollowUpNotFound, problem}
	} else if p == nil {
		applied = Condition{v1.ConditionApplied, metav1.ConditionFalse, ReasonPartnershipNotFound,
			fmt.Sprintf("Partnership %q does not exist in namespace %s", rev.Spec.PartnershipRef.Name, rev.Namespace)}
	} else {
		applied.Message = fmt.Sprintf("Review of %s on %s decided %s", p.Spec.DisplayName, rev.Spec.Date, rev.Spec.Decision)
		if rev.Spec.Decision == v1.DecisionExit {
			applied.Message += fmt.Sprintf("; the partnership is Exiting, with exit on %s", rev.Spec.ExitDate)
		}
	}
	ready := Condition{v1.ConditionReady, applied.Status, applied.Reason, applied.Message}
	rev.Status.ObservedGeneration = rev.Generation
	rev.Status.Conditions = SetConditions(rev.Status.Conditions, rev.Generation, metav1.NewTime(now), ready, applied)
}

// FollowUpUpdateProblem says which of rev's followUpUpdates names no
// follow-up of an earlier (or the same) review of its partnership, naming
// the field; "" when all do. reviews are the partnership's reviews.
func FollowUpUpdateProblem(rev *v1.Review, reviews []v1.Review) string {
	for i, u := range rev.Spec.FollowUpUpdates {
		field := fmt.Sprintf("spec.followUpUpdates[%d]", i)
		var target *v1.Review
		for j := range reviews {
			if reviews[j].Name == u.Review && reviews[j].Spec.PartnershipRef.Name == rev.Spec.PartnershipRef.Name {
				target = &reviews[j]
			}
		}
		if u.Review == rev.Name {
			target = rev
		}
		if target == nil {
			return fmt.Sprintf("%s.review: Not found: %q: no Review %q of partnership %s in namespace %s", field, u.Review, u.Review, rev.Spec.PartnershipRef.Name, rev.Namespace)
		}
		if target.Spec.Date > rev.Spec.Date {
			return fmt.Sprintf("%s.review: Invalid value: %q: that review (%s) is later than this one (%s); a review can update only earlier actions", field, u.Review, target.Spec.Date, rev.Spec.Date)
		}
		found := false
		var actions []string
		for _, f := range target.Spec.FollowUps {
			found = found || f.Action == u.Action
			actions = append(actions, strconv.Quote(f.Action))
		}
		if !found {
			has := "it has no follow-ups"
			if len(actions) > 0 {
				has = "its follow-ups are " + strings.Join(actions, ", ")
			}
			return fmt.Sprintf("%s.action: Not found: %q: Review %s agreed no such action (%s)", field, u.Action, u.Review, has)
		}
	}
	return ""
}

// FollowUpStates says where each follow-up of reviews stands at now, after
// the updates of later reviews (evaluate.FollowUpStates): by review name
// and action, "Open", "Done" or "Dropped".
func FollowUpStates(reviews []v1.Review, now time.Time) map[evaluate.FollowUpKey]string {
	rv := make([]evaluate.ReviewView, 0, len(reviews))
	for i := range reviews {
		if v, ok := ReviewView(&reviews[i]); ok {
			rv = append(rv, v)
		}
	}
	out := evaluate.FollowUpStates(rv, now)
	for k, s := range out {
		if s == "" {
			out[k] = evaluate.FollowUpOpen
		}
	}
	return out
}
