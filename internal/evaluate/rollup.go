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

package evaluate

import "time"

// Inactive is the health of a partnership whose objectives may be fine but
// whose agreement is not in force (not yet effective, or expired): not
// Healthy, not AtRisk.
const Inactive Health = "Inactive"

// Phase is a partnership's lifecycle phase; the values are the API's
// (api/v1alpha1 PartnershipPhase), which internal/assess checks.
type Phase string

// Phases.
const (
	// PhaseProspect: before the agreement, candidate partners assessed
	// and ranked; not judged, no review cadence.
	PhaseProspect Phase = "Prospect"
	PhaseActive   Phase = "Active"
	PhasePaused   Phase = "Paused"
	PhaseExiting  Phase = "Exiting"
	// PhaseExited: the partnership has ended (after an Exit review's exit
	// date, or at the end of its agreement without renewal). It is judged
	// no more and asks for nothing.
	PhaseExited Phase = "Exited"
)

// DecisionContinue is the review decision that, inside the renewal
// window, records the partners' intent to renew (the API's
// DecisionContinue).
const DecisionContinue = "Continue"

// DecisionExit is the review decision that ends a partnership (the API's
// DecisionExit).
const DecisionExit = "Exit"

// PartnershipReason is the cause of a partnership's Healthy and AtRisk.
type PartnershipReason string

// Partnership health reasons.
const (
	ReasonAllObjectivesHealthy PartnershipReason = "AllObjectivesHealthy"
	ReasonObjectiveAtRisk      PartnershipReason = "ObjectiveAtRisk"
	ReasonAgreementNotInForce  PartnershipReason = "AgreementNotInForce"
	ReasonAgreementExpired     PartnershipReason = "AgreementExpired"
	ReasonNoObjectives         PartnershipReason = "NoObjectives"
	ReasonObjectivesUnknown    PartnershipReason = "ObjectivesUnknown"
	// ReasonPartnershipEnded is the reason of every verdict condition of
	// an Exited partnership (Healthy, AtRisk and ReviewDue) and of its
	// objectives and KPIs.
	ReasonPartnershipEnded PartnershipReason = "PartnershipEnded"
	// ReasonProspect is the reason of the verdict conditions of a
	// partnership in phase Prospect: not judged before its agreement.
	ReasonProspect PartnershipReason = "Prospect"
)

// ReviewReason is the cause of a partnership's ReviewDue.
type ReviewReason string

// ReviewDue reasons.
const (
	ReasonReviewCurrent     ReviewReason = "ReviewCurrent"
	ReasonCadenceElapsed    ReviewReason = "CadenceElapsed"
	ReasonRenewalWindowOpen ReviewReason = "RenewalWindowOpen"
	ReasonAtRiskEscalation  ReviewReason = "AtRiskEscalation"
	// ReasonFollowUpsOverdue: no review is due otherwise, but actions
	// agreed at reviews are open past their due date.
	ReasonFollowUpsOverdue ReviewReason = "FollowUpsOverdue"
	// ReasonProspectDatesPassed: a Prospect's draft agreement is dated in
	// the past (it came into force, or ended, before it was signed).
	ReasonProspectDatesPassed ReviewReason = "ProspectDatesPassed"
)

// PortfolioReason is the cause of a portfolio's Healthy and AtRisk.
type PortfolioReason string

// Portfolio health reasons.
const (
	ReasonAllHealthy         PortfolioReason = "AllHealthy"
	ReasonPartnershipsAtRisk PortfolioReason = "PartnershipsAtRisk"
	ReasonNoPartnerships     PortfolioReason = "NoPartnerships"
	ReasonSomeUnknown        PortfolioReason = "SomeUnknown"
)

// Period is an ISO 8601 calendar period such as P3M or P1Y2M10D.
type Period struct {
	Years, Months, Weeks, Days int
}

// AgreementState says where now falls in the agreement's term.
type AgreementState string

// Agreement states, as in the API.
const (
	NotYetInForce AgreementState = "NotYetInForce"
	InForce       AgreementState = "InForce"
	RenewalWindow AgreementState = "RenewalWindow"
	Expired       AgreementState = "Expired"
)

// AgreementSpec is what the evaluation needs of an agreement.
type AgreementSpec struct {
	Effective time.Time
	// Expiry is the last day in force; zero for an open-ended agreement.
	Expiry time.Time
	// RenewalNoticeDays opens the renewal window that many days before
	// Expiry; 0 means no window.
	RenewalNoticeDays int32
	// AutoRenew renews the agreement for another term of the same length
	// at each expiry (see termEnd).
	AutoRenew bool
}

// PartnershipSpec is what the evaluation needs of a partnership's spec.
type PartnershipSpec struct {
	Agreement     AgreementSpec
	ReviewCadence Period
	EscalateAfter Period
	// DesiredPhase is Prospect, Active, Paused or Exiting.
	DesiredPhase Phase
	// DataSharing is checked against the agreement (see compliance).
	DataSharing DataSharingSpec
	// Prospect is what a partnership in phase Prospect is judged on
	// instead; nil otherwise.
	Prospect *ProspectSpec
}

// ProspectSpec is a Prospect's candidates and the office's weights.
type ProspectSpec struct {
	// HasAgreement is true when draft terms are given: Agreement holds
	// their dates.
	HasAgreement bool
	Candidates   []CandidateView
	// Weights are the candidateWeights of the portfolio named in
	// WeightsFrom; nil when no portfolio that selects it declares any.
	Weights     *Scores
	WeightsFrom string
	// AssessmentMaxAge flags older assessments.
	AssessmentMaxAge Period
}

// ObjectiveView is what a partnership sees of one of its objectives.
type ObjectiveView struct {
	Name    string
	Health  Health
	Score   *int32
	Message string
}

// ReviewView is what a partnership sees of one of its reviews.
type ReviewView struct {
	Name     string
	Date     time.Time
	Decision string // Continue, Revise or Exit
	ExitDate time.Time
	// FollowUps are the actions agreed at the review.
	FollowUps []FollowUpView
	// Updates set the state of actions agreed at earlier reviews.
	Updates []FollowUpUpdate
}

// Follow-up states, as in the API; empty reads as FollowUpOpen.
const (
	FollowUpOpen    = "Open"
	FollowUpDone    = "Done"
	FollowUpDropped = "Dropped"
)

// FollowUpView is an action agreed at a review.
type FollowUpView struct {
	Action, Owner string
	// Due is zero when the action has no due date.
	Due   time.Time
	State string
}

// FollowUpUpdate sets the state of the action Action of review Review.
type FollowUpUpdate struct {
	Review, Action, State string
}

// OverdueAction is an open follow-up past its due date.
type OverdueAction struct {
	Review     string
	ReviewDate time.Time
	FollowUpView
}

// FollowUpCounts counts follow-ups by state; Overdue are also Open.
type FollowUpCounts struct {
	Open, Overdue, Done, Dropped int32
}

// PartnershipResult is the roll-up of a partnership at a moment.
type PartnershipResult struct {
	// Health is Healthy when every objective is Healthy and the agreement
	// is in force (InForce or RenewalWindow); AtRisk when any objective is;
	// Inactive when the agreement is not in force; Unknown otherwise
	// (no objectives, or some Unknown and none AtRisk).
	Health        Health
	HealthReason  PartnershipReason
	HealthMessage string

	// ReviewDue is true when the cadence since the latest review (or since
	// the effective date, without one) has passed, when the agreement is
	// in its renewal window and no review has been held inside it, or when
	// the partnership has been AtRisk for longer than EscalateAfter since
	// max(atRiskSince, latest review) and is not Paused.
	ReviewDue     bool
	ReviewReason  ReviewReason
	ReviewMessage string

	AgreementState AgreementState
	// DaysToExpiry is whole days from now to TermEnd (negative after); nil
	// when open-ended.
	DaysToExpiry *int32
	// TermEnd is the last day of the current term: Expiry, moved on by
	// whole terms while AutoRenew renews it; zero when open-ended.
	TermEnd time.Time
	// RenewalIntent is the Continue review held inside the current
	// renewal window, which records the partners' intent to renew; nil
	// when there is none.
	RenewalIntent *ReviewView
	// Ended is the last day of an Exited partnership: the exit date of
	// its Exit review, or the end of its term; zero unless Exited.
	Ended time.Time
	// FollowUps counts the actions agreed at the reviews held by now, in
	// the state the latest update gives them; nil when there are none.
	FollowUps *FollowUpCounts
	// Overdue lists the open actions past their due date, by review date.
	Overdue []OverdueAction
	// Ranking ranks a Prospect's candidates; nil unless Prospect.
	Ranking *CandidateRanking
	// Phase is Exited after the exit date of the latest review when it
	// decided Exit, or after the term's end without renewal; Exiting when
	// DesiredPhase is Exiting or the latest review decided Exit; else
	// DesiredPhase (Active when empty).
	Phase Phase
	// Score is the mean of the objectives' scores that are set.
	Score                           *int32
	Total, Healthy, AtRisk, Unknown int32
	// LastReview is the newest review dated on or before now.
	LastReview     *ReviewView
	NextReviewDate time.Time
	// AtRiskSince is atRiskSince when still AtRisk and it was set, now when
	// newly AtRisk, zero when not AtRisk.
	AtRiskSince time.Time
	// NextChange is the next moment the result can change without any
	// input changing: next review date, renewal window start, expiry,
	// effective date, escalation deadline, an instrument's notice or
	// lapse; zero when none is ahead.
	NextChange time.Time

	// Compliance is the verdict on the BAA and DSA against the agreement:
	// NotCompliant while PHI is shared and the BAA has lapsed, is not yet
	// in force or expires before the agreement's term, or when the DSA has
	// lapsed; ComplianceUnknown while PHI is shared and the BAA's dates
	// are not recorded; Compliant otherwise, and once Exited.
	Compliance        ComplianceStatus
	ComplianceReason  ComplianceReason
	ComplianceMessage string
	// Expiries is the compliance calendar, earliest first; nil once Exited.
	Expiries []Expiry
}

// Item is one partnership, objective or KPI in a portfolio.
type Item struct {
	Kind    string // Partnership, Objective or KPI
	Name    string
	Health  Health
	Score   *int32
	Message string
	// ReviewDue is meaningful for partnerships only.
	ReviewDue bool
	// Objectives is the number of objectives, for partnerships: the weight
	// of the partnership's score in the portfolio score.
	Objectives int32
	// Exited marks a partnership that has ended: counted, never judged.
	Exited bool
	// Prospect marks a partnership before its agreement: counted, never
	// judged.
	Prospect bool
}

// PortfolioResult is the roll-up of the selected partnerships.
type PortfolioResult struct {
	// Health is AtRisk when any partnership is AtRisk, Healthy when all
	// are Healthy (and there is at least one), Unknown otherwise.
	Health  Health
	Reason  PortfolioReason
	Message string
	// Partnership counts by health, and how many have ReviewDue; Exited
	// partnerships count in Total and Exited only, Prospect ones in
	// Total, Prospects and ReviewDue only.
	Total, Healthy, AtRisk, Unknown, ReviewDue, Exited, Prospects int32
	// Objective counts by health.
	ObjectivesTotal, ObjectivesHealthy, ObjectivesAtRisk, ObjectivesUnknown int32
	// Score is the mean of partnership scores weighted by their number of
	// objectives.
	Score *int32
	// Worst lists up to worstN items of any kind, AtRisk before others,
	// then by ascending score (nil scores last), then by kind and name.
	Worst []Item
}
