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

// Decision is what a review meeting decided.
// +kubebuilder:validation:Enum=Continue;Revise;Exit
type Decision string

// Decisions.
const (
	DecisionContinue Decision = "Continue"
	DecisionRevise   Decision = "Revise"
	DecisionExit     Decision = "Exit"
)

// ReviewSpec records a review meeting of a partnership and its decision.
// +kubebuilder:validation:XValidation:rule="self.decision != 'Exit' || has(self.exitDate)",message="spec.exitDate is required when decision is Exit",fieldPath=".exitDate"
// +kubebuilder:validation:XValidation:rule="self.decision == 'Exit' || !has(self.exitDate)",message="spec.exitDate is allowed only when decision is Exit",fieldPath=".exitDate"
// +kubebuilder:validation:XValidation:rule="!has(self.exitDate) || self.exitDate >= self.date",message="spec.exitDate must not be before spec.date",fieldPath=".exitDate"
type ReviewSpec struct {
	// PartnershipRef names the Partnership reviewed.
	// +required
	PartnershipRef LocalObjectReference `json:"partnershipRef"`

	// Date of the review meeting (YYYY-MM-DD).
	// +required
	Date Date `json:"date"`

	// Attendees of the meeting, by name and organisation.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	// +optional
	Attendees []Attendee `json:"attendees,omitempty"`

	// Decision taken: Continue as agreed, Revise the agreement or targets,
	// or Exit the partnership.
	// +required
	Decision Decision `json:"decision"`

	// ExitDate is when the partnership ends. Required when decision is Exit,
	// not allowed otherwise.
	// +optional
	ExitDate Date `json:"exitDate,omitempty"`

	// Notes summarise the discussion. Never include patient-level data.
	// +kubebuilder:validation:MaxLength=4000
	// +optional
	Notes string `json:"notes,omitempty"`

	// FollowUps are the actions agreed, each with an owner and a due date.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	// +optional
	FollowUps []FollowUp `json:"followUps,omitempty"`

	// FollowUpUpdates record where actions agreed at earlier reviews of the
	// same partnership stand, as this meeting found them: each names the
	// earlier Review and the action as written there, and sets its state.
	// A later update wins over an earlier one and over the state written
	// on the follow-up itself.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +optional
	FollowUpUpdates []FollowUpUpdate `json:"followUpUpdates,omitempty"`
}

// FollowUpUpdate sets, at a later review, the state of an action agreed
// at an earlier one.
type FollowUpUpdate struct {
	// Review names the earlier Review, of the same partnership, that agreed
	// the action.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Review string `json:"review"`

	// Action is the follow-up's action exactly as that review writes it.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1000
	// +required
	Action string `json:"action"`

	// State the action is in now: Open, Done or Dropped.
	// +required
	State FollowUpState `json:"state"`
}

// Attendee is a person at a review meeting.
type Attendee struct {
	// Name of the person.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	Name string `json:"name"`

	// Organization the person represents.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	Organization string `json:"organization,omitempty"`
}

// FollowUpState is where an action agreed at a review stands.
// +kubebuilder:validation:Enum=Open;Done;Dropped
type FollowUpState string

// Follow-up states.
const (
	FollowUpOpen    FollowUpState = "Open"
	FollowUpDone    FollowUpState = "Done"
	FollowUpDropped FollowUpState = "Dropped"
)

// FollowUp is an action agreed at a review.
type FollowUp struct {
	// Action to take.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=1000
	// +required
	Action string `json:"action"`

	// Owner is the person or partner responsible.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	Owner string `json:"owner,omitempty"`

	// Due date of the action (YYYY-MM-DD).
	// +optional
	Due Date `json:"due,omitempty"`

	// State of the action: Open until it is Done, or Dropped when the
	// partners decide not to do it. Absent means Open. Set it with
	// `accordctl record follow-up`.
	// +optional
	State FollowUpState `json:"state,omitempty"`
}

// ReviewStatus is the observed state of a Review.
type ReviewStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready and Applied.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`
}

// Review records a review meeting of a partnership and the decision taken:
// Continue, Revise or Exit. Committing one clears the partnership's ReviewDue.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=rev,categories=accord
// +kubebuilder:printcolumn:name="Partnership",type=string,JSONPath=`.spec.partnershipRef.name`
// +kubebuilder:printcolumn:name="Date",type=string,JSONPath=`.spec.date`
// +kubebuilder:printcolumn:name="Decision",type=string,JSONPath=`.spec.decision`
// +kubebuilder:printcolumn:name="Applied",type=string,JSONPath=`.status.conditions[?(@.type=="Applied")].status`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Review struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec records the review.
	// +required
	Spec ReviewSpec `json:"spec"`

	// Status is the review's observed state, written by the operator.
	// +optional
	Status ReviewStatus `json:"status,omitempty"`
}

// ReviewList is a list of Reviews.
// +kubebuilder:object:root=true
type ReviewList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Review `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Review{}, &ReviewList{})
}
