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
	"github.com/accord-dev/accord/internal/sources"
)

// answeredWords is when a source last answered, as a programme manager
// reads it: "2 December 2026 at 00:23 UTC". Minutes, not seconds: the
// message changes (and the status is written) at most once a minute.
const answeredWords = dayWords + " at 15:04 UTC"

// maxLastError bounds status.lastError.
const maxLastError = 1024

// MetricSource writes whether the source is usable. Reported sources are
// always reachable; a live source reports the outcome of the latest
// request a KPI made to it, or that none was made yet (outcome nil).
func MetricSource(src *v1.MetricSource, outcome *sources.Outcome, now time.Time) {
	reach := Condition{v1.ConditionReachable, metav1.ConditionUnknown, ReasonNotYetQueried, "No KPI has queried this source yet"}
	src.Status.LastError = ""
	switch {
	case src.Spec.Type == v1.SourceReported:
		reach = Condition{v1.ConditionReachable, metav1.ConditionTrue, ReasonValuesInGit, "Values are committed in git on each KPI"}
	case outcome != nil && outcome.Reason == "":
		reach = Condition{v1.ConditionReachable, metav1.ConditionTrue, ReasonAnswered, "The source answered on " + outcome.LastAttempt.UTC().Format(answeredWords)}
	case outcome != nil:
		reach = Condition{v1.ConditionReachable, metav1.ConditionFalse, outcome.Reason, outcome.Error}
		src.Status.LastError = truncate(outcome.Error, maxLastError)
	}
	if outcome != nil && !outcome.LastSuccess.IsZero() {
		t := metav1.NewTime(outcome.LastSuccess)
		if src.Status.LastSuccessTime == nil || !src.Status.LastSuccessTime.Equal(&t) {
			src.Status.LastSuccessTime = &t
		}
	}
	src.Status.ObservedGeneration = src.Generation
	src.Status.Conditions = SetConditions(src.Status.Conditions, src.Generation, metav1.NewTime(now),
		Condition{v1.ConditionReady, metav1.ConditionTrue, ReasonConfigured, fmt.Sprintf("%s source configured", src.Spec.Type)}, reach)
}
