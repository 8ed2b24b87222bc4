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

	// Needs are what the office needs from its partnerships, each with a
	// priority. Partnerships name the needs they address in
	// spec.addresses; status.coverage shows the needs no partnership
	// addresses (gaps) and those two or more address (overlaps). Names are
	// unique.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=100
	// +optional
	Needs []OfficeNeed `json:"needs,omitempty"`

	// Capabilities are what the office brings to its partnerships (a
	// specialty, a data team, a patient population), each with a priority:
	// how much the office wants to offer it. Names are unique.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=100
	// +optional
	Capabilities []OfficeCapability `json:"capabilities,omitempty"`

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

// OfficeNeed is one thing the office needs from its partnerships.
type OfficeNeed struct {
	// Name of the need, a DNS label that partnerships use in
	// spec.addresses, e.g. "behavioral-health-access".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +required
	Name string `json:"name"`

	// Description says what the need is in a sentence, e.g. "Same-week
	// access to behavioral health for adults in Cedar and Pine counties".
	// +kubebuilder:validation:MaxLength=500
	// +optional
	Description string `json:"description,omitempty"`

	// Priority from 1 (highest) to 5 (lowest).
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 5",message="priority must be from 1 (highest) to 5 (lowest)"
	// +required
	Priority int32 `json:"priority"`
}

// OfficeCapability is one thing the office brings to its partnerships.
type OfficeCapability struct {
	// Name of the capability, a DNS label, e.g. "care-transitions-nursing".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +required
	Name string `json:"name"`

	// Description says what the office offers in a sentence.
	// +kubebuilder:validation:MaxLength=500
	// +optional
	Description string `json:"description,omitempty"`

	// Priority from 1 (most wanted to offer) to 5 (least).
	// +kubebuilder:validation:XValidation:rule="self >= 1 && self <= 5",message="priority must be from 1 (highest) to 5 (lowest)"
	// +required
	Priority int32 `json:"priority"`
}

// PortfolioCoverage is which of the office's needs its partnerships
// address, and what each partner of them gives and receives.
type PortfolioCoverage struct {
	// Gaps are the needs no running partnership addresses, highest
	// priority first.
	// +listType=atomic
	// +optional
	Gaps []string `json:"gaps,omitempty"`

	// Overlaps are the needs two or more running partnerships address,
	// highest priority first.
	// +listType=atomic
	// +optional
	Overlaps []string `json:"overlaps,omitempty"`

	// Needs lists every declared need with the partnerships that address
	// it, highest priority first.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +optional
	Needs []NeedCoverage `json:"needs,omitempty"`

	// Partnerships lists, for each selected partnership that addresses a
	// need, declares what its partners give or receive, or commits staff
	// time, what each partner gives and receives, summed only where kind
	// and unit agree.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	// +optional
	Partnerships []PartnershipExchange `json:"partnerships,omitempty"`
}

// NeedCoverage is one need and the partnerships that address it.
type NeedCoverage struct {
	// Name of the need.
	Name string `json:"name"`
	// Priority of the need, 1 (highest) to 5.
	Priority int32 `json:"priority"`
	// Partnerships that address it and have not ended.
	// +listType=atomic
	// +optional
	Partnerships []string `json:"partnerships,omitempty"`
	// Ended are the partnerships that addressed it and have ended: they
	// no longer cover it.
	// +listType=atomic
	// +optional
	Ended []string `json:"ended,omitempty"`
}

// PartnershipExchange is what each partner of one partnership gives and
// receives.
type PartnershipExchange struct {
	// Name of the partnership.
	Name string `json:"name"`
	// Addresses are the needs it addresses.
	// +listType=atomic
	// +optional
	Addresses []string `json:"addresses,omitempty"`
	// Ended is true once the partnership is Exited.
	// +optional
	Ended bool `json:"ended,omitempty"`
	// Partners lists each partner's side of the exchange.
	// +listType=atomic
	// +optional
	Partners []PartnerExchange `json:"partners,omitempty"`
}

// PartnerExchange is one partner's side of a partnership: what it gives
// (money, staff time, data, volume, expertise) and what it receives.
type PartnerExchange struct {
	// Name of the partner.
	Name string `json:"name"`
	// Gives totals what the partner contributes, by kind and unit.
	// +listType=atomic
	// +optional
	Gives []ExchangeTotal `json:"gives,omitempty"`
	// Receives totals what the partner receives, by kind and unit.
	// +listType=atomic
	// +optional
	Receives []ExchangeTotal `json:"receives,omitempty"`
	// CommittedHoursPerMonth is the staff time the partner committed, the
	// sum of its staffCommitments.
	// +optional
	CommittedHoursPerMonth int32 `json:"committedHoursPerMonth,omitempty"`
	// DeliveredHours is the staff time reported as given in the latest
	// period, summed over the partner's roles, and CommittedHours what was
	// committed for the same periods.
	// +optional
	DeliveredHours *int32 `json:"deliveredHours,omitempty"`
	// CommittedHours for the periods DeliveredHours covers.
	// +optional
	CommittedHours *int32 `json:"committedHours,omitempty"`
	// ShortRoles are the staff roles whose latest reported period fell
	// below the partnership's deliveryThresholdPercent.
	// +listType=atomic
	// +optional
	ShortRoles []string `json:"shortRoles,omitempty"`
}

// ExchangeTotal is the total of one kind of contribution in one unit.
// Amounts in different units are never added together.
type ExchangeTotal struct {
	// Kind of contribution: Money, StaffTime, Data, Volume, Expertise or Other.
	Kind ExchangeKind `json:"kind"`
	// Unit of the amount, as declared, e.g. "USD per year"; empty for the
	// items declared without an amount.
	// +optional
	Unit string `json:"unit,omitempty"`
	// Amount is the sum of the items' amounts, a decimal number; empty for
	// items declared without an amount.
	// +optional
	Amount string `json:"amount,omitempty"`
	// Items is how many declared items the total covers.
	Items int32 `json:"items"`
	// Descriptions of the items without an amount, as declared.
	// +listType=atomic
	// +optional
	Descriptions []string `json:"descriptions,omitempty"`
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

	// Coverage shows which declared needs the selected partnerships
	// address (gaps and overlaps) and what each partner gives and
	// receives. Absent when the portfolio declares no needs and no
	// partnership declares an exchange.
	// +optional
	Coverage *PortfolioCoverage `json:"coverage,omitempty"`
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
