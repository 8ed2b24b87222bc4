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

// PortfolioSpec selects the partnerships a portfolio rolls up.
type PortfolioSpec struct {
	// DisplayName is the portfolio's name in reports, e.g. "Rural network 2026".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	DisplayName string `json:"displayName"`

	// Selector picks Partnerships in the same namespace by label. An empty
	// selector picks every partnership in the namespace.
	// +required
	Selector metav1.LabelSelector `json:"selector"`

	// WorstItems is how many of the lowest-scoring partnerships, objectives
	// and KPIs the status lists, from 0 to 20.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=20
	// +kubebuilder:default=5
	// +optional
	WorstItems int32 `json:"worstItems,omitempty"`

	// CandidateWeights are the office's priorities in choosing partners:
	// how much each assessment criterion counts when the candidates of the
	// portfolio's Prospect partnerships are ranked, as percentages that
	// add up to 100. Without them, candidates are listed but not ranked.
	// +optional
	CandidateWeights *CandidateWeights `json:"candidateWeights,omitempty"`

	// AssessmentMaxAge is how old a candidate's assessment may be before
	// it is flagged as outdated, as an ISO 8601 period ("P1Y" a year,
	// "P6M" six months). An outdated assessment still ranks.
	// +kubebuilder:default="P1Y"
	// +optional
	AssessmentMaxAge Period `json:"assessmentMaxAge,omitempty"`
}

// CandidateWeights weigh the six partner-selection criteria, each a whole
// percentage from 0 (does not count) to 100; together they add up to 100.
// +kubebuilder:validation:XValidation:rule="self.missionAlignment + self.reach + self.populationsServed + self.financialStability + self.reputation + self.culture == 100",message="spec.candidateWeights must add up to 100: each weight is the percentage its criterion counts in a candidate's score (0 leaves it out), so they cannot all be 0"
type CandidateWeights struct {
	// MissionAlignment: mission and values alignment, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	MissionAlignment int32 `json:"missionAlignment,omitempty"`
	// Reach: geographic and community reach, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	Reach int32 `json:"reach,omitempty"`
	// PopulationsServed: how well the partner serves the target
	// populations, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	PopulationsServed int32 `json:"populationsServed,omitempty"`
	// FinancialStability: the partner's financial health, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	FinancialStability int32 `json:"financialStability,omitempty"`
	// Reputation: standing with patients and peers, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	Reputation int32 `json:"reputation,omitempty"`
	// Culture: fit of ways of working, 0 to 100.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=0
	// +optional
	Culture int32 `json:"culture,omitempty"`
}

// PortfolioItem is one object in a portfolio's list of worst items.
type PortfolioItem struct {
	// Kind of the object: Partnership, Objective or KPI.
	Kind string `json:"kind"`
	// Name of the object.
	Name string `json:"name"`
	// Score of the object, 0 to 100.
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Message explains the object's state.
	// +optional
	Message string `json:"message,omitempty"`
}

// PortfolioStatus is the roll-up of the selected partnerships.
type PortfolioStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready, Healthy, AtRisk and ReviewDue.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Partnerships counts the selected partnerships by health.
	// +optional
	Partnerships ConditionCounts `json:"partnerships,omitempty"`

	// ReviewDue is the number of selected partnerships with ReviewDue True.
	// +optional
	ReviewDue int32 `json:"reviewDue,omitempty"`

	// Objectives counts the selected partnerships' objectives by health.
	// +optional
	Objectives ConditionCounts `json:"objectives,omitempty"`

	// Score is the objective-weighted mean score of the selected
	// partnerships, 0 to 100.
	// +optional
	Score *int32 `json:"score,omitempty"`

	// Worst lists the lowest-scoring items, worst first.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=60
	// +optional
	Worst []PortfolioItem `json:"worst,omitempty"`
}

// Portfolio rolls up the partnerships a label selector picks: counts by
// condition, a weighted score, and the worst items.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pf,categories=accord
// +kubebuilder:printcolumn:name="Partnerships",type=integer,JSONPath=`.status.partnerships.total`
// +kubebuilder:printcolumn:name="Healthy",type=integer,JSONPath=`.status.partnerships.healthy`
// +kubebuilder:printcolumn:name="AtRisk",type=integer,JSONPath=`.status.partnerships.atRisk`
// +kubebuilder:printcolumn:name="ReviewDue",type=integer,JSONPath=`.status.reviewDue`
// +kubebuilder:printcolumn:name="Score",type=integer,JSONPath=`.status.score`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Portfolio struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec declares the portfolio.
	// +required
	Spec PortfolioSpec `json:"spec"`

	// Status is the portfolio's roll-up, written by the operator.
	// +optional
	Status PortfolioStatus `json:"status,omitempty"`
}

// PortfolioList is a list of Portfolios.
// +kubebuilder:object:root=true
type PortfolioList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Portfolio `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Portfolio{}, &PortfolioList{})
}
