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
)

// Review writes whether the review applies to an existing partnership; p
// is the partnership it names, nil when that does not exist. The
// partnership's own roll-up does the rest: a new review clears ReviewDue,
// and an Exit decision moves the phase to Exiting.
func Review(rev *v1.Review, p *v1.Partnership, now time.Time) {
	applied := Condition{v1.ConditionApplied, metav1.ConditionTrue, ReasonRecorded, ""}
	if p == nil {
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
