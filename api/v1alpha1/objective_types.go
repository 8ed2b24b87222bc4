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

package v1alpha1

import (
	fluxmeta "github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProjectedOutcome is where an objective is heading at its deadline.
// +kubebuilder:validation:Enum=OnTrack;AtRisk;Achieved;Missed;Unknown
type ProjectedOutcome string

// Projected outcomes.
const (
	OutcomeOnTrack  ProjectedOutcome = "OnTrack"
	OutcomeAtRisk   ProjectedOutcome = "AtRisk"
	OutcomeAchieved ProjectedOutcome = "Achieved"
	OutcomeMissed   ProjectedOutcome = "Missed"
	OutcomeUnknown  ProjectedOutcome = "Unknown"
)

// ObjectiveSpec is a SMART objective: specific, measurable through weighted
// KPIs, achievable and relevant by the partners' judgement, and time-bound
// by a start date and a deadline.
// +kubebuilder:validation:XValidation:rule="self.deadline > self.startDate",message="spec.deadline must be after spec.startDate",fieldPath=".deadline"
type ObjectiveSpec struct {
	// PartnershipRef names the Partnership this objective belongs to.
	// +required
	PartnershipRef LocalObjectReference `json:"partnershipRef"`

	// Statement is the SMART objective in one sentence, e.g. "Reduce 30-day
	// readmissions among enrolled members by 15% by 2027-06-30".
	// +kubebuilder:validation:MinLength=10
	// +kubebuilder:validation:MaxLength=1000
	// +required
	Statement string `json:"statement"`

	// Owner is the partner accountable for the objective; it should match a
	// partner name in the partnership.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	Owner string `json:"owner,omitempty"`

	// StartDate is when work on the objective began (YYYY-MM-DD).
	// +required
	StartDate Date `json:"startDate"`

	// Deadline is the date by which the objective must be met (YYYY-MM-DD).
	// Must be after startDate.
	// +required
	Deadline Date `json:"deadline"`

	// KPIs measure the objective. Each names a KPI in the same namespace,
	// with a weight in the objective's score and whether it is critical.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	// +optional
	KPIs []ObjectiveKPI `json:"kpis,omitempty"`

	// AtRiskBelow is the score, 0 to 100, under which the objective is AtRisk.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=70
	// +optional
	AtRiskBelow *int32 `json:"atRiskBelow,omitempty"`
}

// ObjectiveKPI is a weighted reference from an objective to a KPI.
type ObjectiveKPI struct {
	// Name of the KPI, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	// +required
	Name string `json:"name"`

	// Weight of the KPI in the objective's score, from 1 to 100. Weights
	// are relative: two KPIs weighted 2 and 1 count two-thirds and one-third.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=1
	// +optional
	Weight int32 `json:"weight,omitempty"`

	// Critical makes the objective AtRisk whenever this KPI is AtRisk,
	// whatever the weighted score.
	// +optional
	Critical bool `json:"critical,omitempty"`
}

// ObjectiveStatus is the observed state of an Objective.
type ObjectiveStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready, Healthy and AtRisk.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Score is the weighted score of the objective's KPIs, 0 to 100.
	// +optional
	Score *int32 `json:"score,omitempty"`

	// ProgressPercent is the weighted progress of the KPIs from baseline
	// toward target, 0 to 100 (may exceed 100 when targets are beaten).
	// +optional
	ProgressPercent *int32 `json:"progressPercent,omitempty"`

	// ProjectedOutcome is where the objective is heading at its deadline.
	// +optional
	ProjectedOutcome ProjectedOutcome `json:"projectedOutcome,omitempty"`

	// OutcomeDate is when the objective reached its outcome, once it is
	// Achieved (the day its last KPI met its target) or Missed (its
	// deadline, which passed without every KPI at target). The operator
	// announces each with one event, Achieved or Missed; absent otherwise.
	// +optional
	OutcomeDate Date `json:"outcomeDate,omitempty"`

	// KPIs counts the objective's KPIs by health.
	// +optional
	KPIs ConditionCounts `json:"kpis,omitempty"`
}

// Objective is a SMART objective of a partnership, measured by weighted KPIs.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=obj,categories=accord
// +kubebuilder:printcolumn:name="Partnership",type=string,JSONPath=`.spec.partnershipRef.name`
// +kubebuilder:printcolumn:name="Healthy",type=string,JSONPath=`.status.conditions[?(@.type=="Healthy")].status`
// +kubebuilder:printcolumn:name="AtRisk",type=string,JSONPath=`.status.conditions[?(@.type=="AtRisk")].status`
// +kubebuilder:printcolumn:name="Score",type=integer,JSONPath=`.status.score`
// +kubebuilder:printcolumn:name="Progress",type=integer,JSONPath=`.status.progressPercent`,priority=1
// +kubebuilder:printcolumn:name="Deadline",type=string,JSONPath=`.spec.deadline`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Objective struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec declares the objective.
	// +required
	Spec ObjectiveSpec `json:"spec"`

	// Status is the objective's observed state, written by the operator.
	// +optional
	Status ObjectiveStatus `json:"status,omitempty"`
}

// ObjectiveList is a list of Objectives.
// +kubebuilder:object:root=true
type ObjectiveList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Objective `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Objective{}, &ObjectiveList{})
}
