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

// Objective scores the objective from its KPIs and writes its status.
// kpis holds the KPIs it references by name (a missing one is absent);
// partnershipFound says whether its partnership exists.
func Objective(obj *v1.Objective, kpis map[string]*v1.KPI, partnershipFound bool, now time.Time) evaluate.ObjectiveResult {
	return objectiveAt(obj, kpis, partnershipFound, nil, now)
}

// EndedObjective writes the status of an objective whose partnership has
// ended: scored as it stood on the partnership's last day (its KPIs are
// judged as of then too), with Healthy and AtRisk False for the reason
// PartnershipEnded, so that it raises no AtRisk and no events.
func EndedObjective(obj *v1.Objective, kpis map[string]*v1.KPI, ended *Ending, now time.Time) evaluate.ObjectiveResult {
	return objectiveAt(obj, kpis, true, ended, now)
}

func objectiveAt(obj *v1.Objective, kpis map[string]*v1.KPI, partnershipFound bool, ended *Ending, now time.Time) evaluate.ObjectiveResult {
	views := make([]evaluate.KPIView, 0, len(obj.Spec.KPIs))
	for _, ref := range obj.Spec.KPIs {
		views = append(views, KPIView(ref, kpis[ref.Name]))
	}
	judgeAt := now
	if ended != nil {
		judgeAt = ended.judgeAt()
	}
	res := evaluate.Objective(ObjectiveSpec(obj), views, judgeAt)

	ready := Condition{v1.ConditionReady, metav1.ConditionTrue, ReasonEvaluated, res.Message}
	health, reason, message := res.Health, string(res.Reason), res.Message
	if !partnershipFound {
		// An orphaned objective is still scored, but says plainly that
		// nothing counts it.
		message = fmt.Sprintf("Partnership %q does not exist in namespace %s, so this objective counts toward nothing. %s", obj.Spec.PartnershipRef.Name, obj.Namespace, res.Message)
		ready = Condition{v1.ConditionReady, metav1.ConditionFalse, ReasonPartnershipNotFound, message}
		health, reason = evaluate.Unknown, ReasonPartnershipNotFound
	}

	st := &obj.Status
	st.ObservedGeneration = obj.Generation
	st.Score = res.Score
	st.ProgressPercent = res.ProgressPercent
	previous, previousDate := st.ProjectedOutcome, st.OutcomeDate
	st.ProjectedOutcome = v1.ProjectedOutcome(res.Outcome)
	st.OutcomeDate = date(res.OutcomeDate)
	if previous == st.ProjectedOutcome && previousDate != "" && previousDate < st.OutcomeDate {
		// Achieved before, but a KPI's crossing is not recorded: the day
		// it was first seen stays.
		st.OutcomeDate = previousDate
	}
	st.KPIs = v1.ConditionCounts{Total: res.Total, Healthy: res.Healthy, AtRisk: res.AtRisk, Unknown: res.Unknown}
	verdict := healthConditions(health, reason, message)
	if ended != nil {
		verdict = ended.conditions()
		ready.Message = ended.message()
	}
	st.Conditions = SetConditions(st.Conditions, obj.Generation, metav1.NewTime(now), append([]Condition{ready}, verdict...)...)
	return res
}
