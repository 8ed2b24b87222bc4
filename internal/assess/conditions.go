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
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// maxMessage is the API's limit on a condition message.
const maxMessage = 32000

// Condition is a condition to set, without the bookkeeping fields.
type Condition struct {
	Type    string
	Status  metav1.ConditionStatus
	Reason  string
	Message string
}

// SetConditions sets each condition with the object's generation,
// keeping LastTransitionTime when the status is unchanged, and returns the
// updated list. Messages are capped at the API's limit.
func SetConditions(existing []metav1.Condition, generation int64, now metav1.Time, conds ...Condition) []metav1.Condition {
	out := append([]metav1.Condition(nil), existing...)
	for _, c := range conds {
		msg := c.Message
		if len(msg) > maxMessage {
			msg = msg[:maxMessage]
		}
		meta.SetStatusCondition(&out, metav1.Condition{
			Type: c.Type, Status: c.Status, Reason: c.Reason, Message: msg,
			ObservedGeneration: generation, LastTransitionTime: now,
		})
		if c.Type == v1.ConditionReady {
			// kstatus's abnormal-true convention: a spec the operator
			// cannot evaluate is Stalled, so Flux reports it as Failed.
			if c.Status == metav1.ConditionFalse {
				meta.SetStatusCondition(&out, metav1.Condition{
					Type: v1.ConditionStalled, Status: metav1.ConditionTrue, Reason: c.Reason, Message: msg,
					ObservedGeneration: generation, LastTransitionTime: now,
				})
			} else {
				meta.RemoveStatusCondition(&out, v1.ConditionStalled)
			}
		}
	}
	return out
}

// healthConditions maps a verdict onto the Healthy and AtRisk conditions.
func healthConditions(h evaluate.Health, reason, message string) []Condition {
	healthy, atRisk := metav1.ConditionUnknown, metav1.ConditionUnknown
	switch h {
	case evaluate.Healthy:
		healthy, atRisk = metav1.ConditionTrue, metav1.ConditionFalse
	case evaluate.AtRisk:
		healthy, atRisk = metav1.ConditionFalse, metav1.ConditionTrue
	case evaluate.Breaching, evaluate.Inactive:
		healthy, atRisk = metav1.ConditionFalse, metav1.ConditionFalse
	}
	return []Condition{
		{Type: v1.ConditionHealthy, Status: healthy, Reason: reason, Message: message},
		{Type: v1.ConditionAtRisk, Status: atRisk, Reason: reason, Message: message},
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// Conditions returns the status conditions of an Accord object, nil for
// any other object.
func Conditions(o client.Object) []metav1.Condition {
	if g, ok := o.(v1.ConditionGetter); ok {
		return g.GetConditions()
	}
	return nil
}
