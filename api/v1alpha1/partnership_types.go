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
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// PartnerRole is the part a partner plays in a collaboration.
// +kubebuilder:validation:Enum=Convener;ClinicalProvider;Payer;CommunityOrganization;PublicHealth;Academic;TechnologyVendor;Funder;Other
type PartnerRole string

// PartnershipPhase is the lifecycle phase of a partnership.
// +kubebuilder:validation:Enum=Prospect;Active;Paused;Exiting;Exited
type PartnershipPhase string

// Partnership phases. Prospect comes before the agreement: candidate
// partners are assessed and ranked, nothing is judged. Exited is reached,
// never declared: after the exit date of an Exit review, or at the end of
// the agreement without renewal.
const (
	PhaseProspect PartnershipPhase = "Prospect"
	PhaseActive   PartnershipPhase = "Active"
	PhasePaused   PartnershipPhase = "Paused"
	PhaseExiting  PartnershipPhase = "Exiting"
	PhaseExited   PartnershipPhase = "Exited"
)

// PartnershipSpec declares who works together, on what terms, and how often
// the collaboration is reviewed.
// +kubebuilder:validation:XValidation:rule="(has(self.desiredPhase) && self.desiredPhase == 'Prospect') || has(self.agreement)",message="spec.agreement is required: only a partnership in spec.desiredPhase Prospect may go without agreement terms",fieldPath=".agreement"
// +kubebuilder:validation:XValidation:rule="(has(self.desiredPhase) && self.desiredPhase == 'Prospect') || size(self.partners) >= 2",message="spec.partners should have at least 2 items: a partnership needs two partners or more (only a Prospect may name just the office, with its candidate partners in spec.candidates)",fieldPath=".partners"
// +kubebuilder:validation:XValidation:rule="(has(self.desiredPhase) && self.desiredPhase == 'Prospect') || !has(self.candidates) || size(self.candidates) == 0",message="spec.candidates is allowed only while spec.desiredPhase is Prospect: once the agreement is signed the chosen candidates are partners (spec.partners, with their assessment); remove spec.candidates when leaving Prospect",fieldPath=".candidates"
type PartnershipSpec struct {
	// DisplayName is the name people use for the partnership in meetings
	// and reports, e.g. "Valley Integrated Care Network".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	DisplayName string `json:"displayName"`

	// Purpose says in a sentence or two why the partners work together.
	// +kubebuilder:validation:MaxLength=2000
	// +optional
	Purpose string `json:"purpose,omitempty"`

	// Partners are the organisations in the partnership, at least two,
	// each with a unique name. A Prospect may name only the office itself:
	// the organisations it considers are its candidates.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	// +required
	Partners []Partner `json:"partners"`

	// Agreement holds the terms the partners signed. Required, except in
	// phase Prospect, where terms may not exist yet; a Prospect's draft
	// terms, if given, must not be dated in the past (accordctl validate
	// refuses them, the operator raises ReviewDue).
	// +optional
	Agreement Agreement `json:"agreement,omitzero"`

	// Candidates are the organisations a Prospect considers as partners,
	// each assessed on the six criteria of spec.partners[].assessment and
	// ranked by the candidateWeights of the Portfolio that selects the
	// partnership (status.candidates). Allowed only in phase Prospect.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Candidates []Candidate `json:"candidates,omitempty"`

	// ReviewCadence is how often the partners meet to review performance,
	// as an ISO 8601 period: "P1M" monthly, "P3M" quarterly, "P1Y" yearly.
	// A partnership whose latest Review is older than this is ReviewDue.
	// +kubebuilder:default="P3M"
	// +optional
	ReviewCadence Period `json:"reviewCadence,omitempty"`

	// EscalateAfter is how long the partnership may stay AtRisk before a
	// review is called regardless of the cadence, as an ISO 8601 period.
	// +kubebuilder:default="P30D"
	// +optional
	EscalateAfter Period `json:"escalateAfter,omitempty"`

	// DesiredPhase is the lifecycle phase the partners intend: Prospect
	// (before the agreement: candidate partners assessed and ranked, no
	// agreement terms required, nothing judged), Active (work under way),
	// Paused (work suspended, KPIs still watched but not escalated) or
	// Exiting (winding down after a decision to exit).
	// Exited is not declared: the operator reaches it after the exit date
	// of an Exit review, or at the end of the agreement without renewal.
	// +kubebuilder:default=Active
	// +kubebuilder:validation:XValidation:rule="self != 'Exited'",message="spec.desiredPhase cannot be Exited: a partnership becomes Exited after the exitDate of a Review that decides Exit, or when its agreement ends without renewal; use Prospect, Active, Paused or Exiting"
	// +optional
	DesiredPhase PartnershipPhase `json:"desiredPhase,omitempty"`

	// Addresses names the needs of the office that this partnership
	// addresses, as declared in spec.needs of the Portfolio that selects
	// it. A name no selecting Portfolio declares makes Ready False
	// (NeedNotDeclared).
	// +listType=set
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=63
	// +kubebuilder:validation:items:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
	// +optional
	Addresses []string `json:"addresses,omitempty"`

	// DeliveryThresholdPercent is the share of its committed staff hours
	// a partner must give in a reported period, from 1 to 100; below it,
	// the HoursDelivered condition is False (HoursShortfall).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=75
	// +optional
	DeliveryThresholdPercent int32 `json:"deliveryThresholdPercent,omitempty"`
}

// Partner is one organisation in a partnership.
type Partner struct {
	// Name of the organisation, unique within the partnership,
	// e.g. "Valley Regional Hospital".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	Name string `json:"name"`

	// Role the organisation plays: Convener, ClinicalProvider, Payer,
	// CommunityOrganization, PublicHealth, Academic, TechnologyVendor,
	// Funder or Other.
	// +required
	Role PartnerRole `json:"role"`

	// Lead marks the partner accountable for convening reviews.
	// +optional
	Lead bool `json:"lead,omitempty"`

	// Assessment is the partner-selection assessment, scored 1 (poor) to 5
	// (excellent) on each criterion.
	// +optional
	Assessment *PartnerAssessment `json:"assessment,omitempty"`

	// StaffCommitments are the staff time the partner has committed.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	StaffCommitments []StaffCommitment `json:"staffCommitments,omitempty"`

	// Contributes lists what the partner gives the collaboration: money,
	// data, patient volume, expertise. Its staff time is in
	// staffCommitments.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Contributes []Exchange `json:"contributes,omitempty"`

	// Receives lists what the partner gets from the collaboration.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Receives []Exchange `json:"receives,omitempty"`
}

// ExchangeKind is the kind of thing a partner gives or receives.
// +kubebuilder:validation:Enum=Money;StaffTime;Data;Volume;Expertise;Other
type ExchangeKind string

// Exchange kinds.
const (
	ExchangeMoney     ExchangeKind = "Money"
	ExchangeStaffTime ExchangeKind = "StaffTime"
	ExchangeData      ExchangeKind = "Data"
	ExchangeVolume    ExchangeKind = "Volume"
	ExchangeExpertise ExchangeKind = "Expertise"
	ExchangeOther     ExchangeKind = "Other"
)

// Exchange is one thing a partner gives or receives.
// +kubebuilder:validation:XValidation:rule="!has(self.amount) || (has(self.unit) && size(self.unit) > 0)",message="unit is required with amount, e.g. \"USD per year\" or \"referrals per month\": amounts are added up only where their units agree",fieldPath=".unit"
// +kubebuilder:validation:XValidation:rule="self.kind != 'StaffTime' || !has(self.amount)",message="a StaffTime item takes no amount: staff hours are counted from the partner's staffCommitments, so that they are not counted twice",fieldPath=".amount"
type Exchange struct {
	// Kind of contribution: Money, StaffTime, Data, Volume (patients or
	// referrals), Expertise or Other.
	// +required
	Kind ExchangeKind `json:"kind"`

	// Description says what is given or received, e.g. "Care
	// coordination grant" or "ADT notifications for attributed members".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=500
	// +required
	Description string `json:"description"`

	// Amount is how much, a decimal number such as "120000" or "1.2M",
	// zero or more (accordctl validate refuses a negative one: what a
	// partner gives away is in contributes, not a negative receipt);
	// requires unit.
	// +optional
	Amount *resource.Quantity `json:"amount,omitempty"`

	// Unit of the amount, with its period where it has one, e.g. "USD per
	// year" or "referrals per month". Totals add amounts of the same kind
	// and exactly the same unit only.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Unit string `json:"unit,omitempty"`
}

// PartnerAssessment scores a partner on the criteria partnership offices use
// to choose partners. Every score is a whole number from 1 (poor) to 5
// (excellent).
type PartnerAssessment struct {
	// MissionAlignment scores how well the partner's mission matches the
	// collaboration's purpose, 1 to 5.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +required
	MissionAlignment int32 `json:"missionAlignment"`

	// Reach scores the partner's geographic and community reach, 1 to 5.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +required
	Reach int32 `json:"reach"`

	// PopulationsServed scores how well the partner serves the target
	// populations, 1 to 5.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +required
	PopulationsServed int32 `json:"populationsServed"`

	// FinancialStability scores the partner's financial health, 1 to 5.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +required
	FinancialStability int32 `json:"financialStability"`

	// Reputation scores the partner's standing with patients and peers, 1 to 5.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +required
	Reputation int32 `json:"reputation"`

	// Culture scores how well the partner's ways of working fit the
	// office's (decision making, pace, openness with data), 1 to 5.
	// Optional, as assessments made before it was asked lack it; a
	// candidate without it is ranked on the other criteria and flagged.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=5
	// +optional
	Culture *int32 `json:"culture,omitempty"`

	// AssessedOn is the date of the assessment.
	// +optional
	AssessedOn Date `json:"assessedOn,omitempty"`
}

// Candidate is an organisation a Prospect considers as a partner.
type Candidate struct {
	// Name of the organisation, unique among the candidates,
	// e.g. "Frontier Behavioral Health".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	Name string `json:"name"`

	// Role the organisation would play, if chosen.
	// +optional
	Role PartnerRole `json:"role,omitempty"`

	// Assessment scores the candidate on the selection criteria, 1 (poor)
	// to 5 (excellent), with the date it was made. A candidate without
	// one is listed but not ranked.
	// +optional
	Assessment *PartnerAssessment `json:"assessment,omitempty"`

	// Notes say briefly why the candidate is considered.
	// +kubebuilder:validation:MaxLength=1000
	// +optional
	Notes string `json:"notes,omitempty"`
}

// AssessmentState says whether a candidate's assessment can be relied on.
// +kubebuilder:validation:Enum=Current;Outdated;Undated;Incomplete;Missing
type AssessmentState string

// Assessment states, from the worst: Missing (no assessment, not ranked),
// Outdated (older than the portfolio's assessmentMaxAge), Undated (no
// assessedOn), Incomplete (a weighted criterion not scored), Current.
const (
	AssessmentMissing    AssessmentState = "Missing"
	AssessmentOutdated   AssessmentState = "Outdated"
	AssessmentUndated    AssessmentState = "Undated"
	AssessmentIncomplete AssessmentState = "Incomplete"
	AssessmentCurrent    AssessmentState = "Current"
)

// CandidateStanding is a candidate's place in a Prospect's ranking.
type CandidateStanding struct {
	// Name of the candidate.
	// +required
	Name string `json:"name"`
	// Rank is 1 for the best weighted score; equal scores share a rank.
	// Absent when the candidate is not ranked (no assessment, or no
	// portfolio declares candidateWeights).
	// +optional
	Rank *int32 `json:"rank,omitempty"`
	// Score is the weighted mean of the assessment's 1-5 scores as a share
	// of the best possible, 0 to 100 (5 on every weighted criterion is 100).
	// +optional
	Score *int32 `json:"score,omitempty"`
	// Assessment says whether the assessment can be relied on: Current,
	// Outdated, Undated, Incomplete or Missing.
	// +optional
	Assessment AssessmentState `json:"assessment,omitempty"`
	// AssessedOn is the date of the assessment.
	// +optional
	AssessedOn Date `json:"assessedOn,omitempty"`
}

// StaffCommitment is staff time a partner commits to the collaboration.
type StaffCommitment struct {
	// Role of the staff, e.g. "Care coordinator" or "Telehealth nurse".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=100
	// +required
	Role string `json:"role"`

	// HoursPerMonth committed, from 1 to 744 (every hour of a 31-day month).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=744
	// +required
	HoursPerMonth int32 `json:"hoursPerMonth"`

	// Delivered are the hours actually given, one entry per reported
	// period (told apart by periodEnd). The latest period is compared
	// with hoursPerMonth over the same period (docs/conditions.md).
	// +listType=map
	// +listMapKey=periodEnd
	// +kubebuilder:validation:MaxItems=60
	// +optional
	Delivered []DeliveredHours `json:"delivered,omitempty"`
}

// DeliveredHours is the staff time a partner gave in one period.
// +kubebuilder:validation:XValidation:rule="self.periodStart <= self.periodEnd",message="delivered[].periodStart must not be after periodEnd",fieldPath=".periodStart"
// +kubebuilder:validation:XValidation:rule="self.periodEnd - self.periodStart < duration('8784h')",message="delivered[] covers at most a year: report hours by month or quarter",fieldPath=".periodEnd"
type DeliveredHours struct {
	// PeriodStart is the first day the hours cover (YYYY-MM-DD).
	// +required
	PeriodStart Date `json:"periodStart"`

	// PeriodEnd is the last day the hours cover (YYYY-MM-DD).
	// +required
	PeriodEnd Date `json:"periodEnd"`

	// Hours given in the period, whole hours from 0 to 8784.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=8784
	// +required
	Hours int32 `json:"hours"`

	// ReportedBy names the person or team that reported the hours.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	ReportedBy string `json:"reportedBy"`
}

// GovernanceModel is how a partnership makes decisions.
// +kubebuilder:validation:Enum=SteeringCommittee;JointOperatingCommittee;LeadPartner;AdvisoryBoard
type GovernanceModel string

// FinancialModel is how money flows between partners.
// +kubebuilder:validation:Enum=FeeForService;SharedSavings;Capitation;PayForPerformance;GrantFunded;CostSharing;InKind
type FinancialModel string

// ConflictResolutionProcess is the first formal step for resolving disputes.
// +kubebuilder:validation:Enum=Negotiation;Mediation;Arbitration;SteeringCommitteeVote
type ConflictResolutionProcess string

// Agreement holds the terms of a partnership agreement.
// +kubebuilder:validation:XValidation:rule="!has(self.expiryDate) || !has(self.renewalNoticeDays) || self.expiryDate <= self.effectiveDate || (self.expiryDate - self.effectiveDate).getSeconds() > self.renewalNoticeDays * 86400",message="spec.agreement.renewalNoticeDays must be shorter than the agreement's term (expiryDate minus effectiveDate)",fieldPath=".renewalNoticeDays"
// +kubebuilder:validation:XValidation:rule="!has(self.expiryDate) || self.expiryDate > self.effectiveDate",message="spec.agreement.expiryDate must be after spec.agreement.effectiveDate",fieldPath=".expiryDate"
type Agreement struct {
	// EffectiveDate is the date the agreement comes into force (YYYY-MM-DD).
	// +required
	EffectiveDate Date `json:"effectiveDate"`

	// ExpiryDate is the last date the agreement is in force (YYYY-MM-DD).
	// Must be after effectiveDate. Omit for an open-ended agreement.
	// +optional
	ExpiryDate Date `json:"expiryDate,omitempty"`

	// RenewalNoticeDays is how many days before expiryDate a partner must
	// give notice to renew or exit. Entering this window raises ReviewDue.
	// Must be shorter than the agreement's term; 0 to 3650.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=3650
	// +optional
	RenewalNoticeDays *int32 `json:"renewalNoticeDays,omitempty"`

	// AutoRenew is true when the agreement renews unless a partner gives
	// notice: at each expiry it runs for another term of the same length
	// (status.termEndDate shows the current one) until a Review decides
	// Exit. Without it, the partnership is Exited the day after expiry
	// unless a Review that decided Continue was held inside the renewal
	// window (the intent to renew, status.renewalIntent).
	// +optional
	AutoRenew bool `json:"autoRenew,omitempty"`

	// Governance describes how the partners make decisions together.
	// +required
	Governance Governance `json:"governance"`

	// DataSharing describes what data the partners exchange and under which
	// legal instruments.
	// +required
	DataSharing DataSharing `json:"dataSharing"`

	// Financial describes how money flows between the partners.
	// +required
	Financial FinancialArrangement `json:"financial"`

	// ConflictResolution describes how disputes are resolved.
	// +optional
	ConflictResolution *ConflictResolution `json:"conflictResolution,omitempty"`

	// Documents link the signed agreement, amendments and annexes.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=50
	// +optional
	Documents []DocumentLink `json:"documents,omitempty"`
}

// Governance describes how the partners make decisions together.
type Governance struct {
	// Model is the decision-making body: SteeringCommittee,
	// JointOperatingCommittee, LeadPartner or AdvisoryBoard.
	// +required
	Model GovernanceModel `json:"model"`

	// MeetingCadence is how often the governance body meets, as an ISO 8601
	// period such as "P1M".
	// +optional
	MeetingCadence Period `json:"meetingCadence,omitempty"`

	// Charter links the governance charter or terms of reference.
	// +optional
	Charter *DocumentLink `json:"charter,omitempty"`
}

// DataSharing describes the data the partners exchange.
// +kubebuilder:validation:XValidation:rule="!self.sharesPHI || (has(self.baaRef) && size(self.baaRef) > 0)",message="spec.agreement.dataSharing.baaRef is required when sharesPHI is true: protected health information may only be shared under a business associate agreement",fieldPath=".baaRef"
// +kubebuilder:validation:XValidation:rule="!has(self.baaTerm) || (has(self.baaRef) && size(self.baaRef) > 0)",message="spec.agreement.dataSharing.baaRef is required with baaTerm: the dates are those of a business associate agreement, so name it",fieldPath=".baaRef"
// +kubebuilder:validation:XValidation:rule="!has(self.dsaTerm) || (has(self.dsaRef) && size(self.dsaRef) > 0)",message="spec.agreement.dataSharing.dsaRef is required with dsaTerm: the dates are those of a data-sharing agreement, so name it",fieldPath=".dsaRef"
type DataSharing struct {
	// SharesPHI is true when protected health information (PHI) flows
	// between partners. Requires baaRef.
	// +required
	SharesPHI bool `json:"sharesPHI"`

	// BAARef identifies the business associate agreement that covers PHI,
	// e.g. "BAA-2026-014". Required when sharesPHI is true.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	BAARef string `json:"baaRef,omitempty"`

	// BAATerm is when the business associate agreement named by baaRef is
	// in force. While PHI is shared, the operator checks it against the
	// agreement: a BAA that has lapsed, is not yet in force, or expires
	// before the agreement's term ends makes the partnership
	// Compliant=False, and ReviewDue is raised noticeDays before it
	// expires. Without it the BAA's lapse cannot be checked
	// (Compliant=Unknown). Requires baaRef.
	// +optional
	BAATerm *InstrumentTerm `json:"baaTerm,omitempty"`

	// DSARef identifies the data-sharing agreement, if separate.
	// +kubebuilder:validation:MaxLength=200
	// +optional
	DSARef string `json:"dsaRef,omitempty"`

	// DSATerm is when the data-sharing agreement named by dsaRef is in
	// force. A lapsed one makes the partnership Compliant=False, and
	// ReviewDue is raised noticeDays before it expires. Requires dsaRef.
	// +optional
	DSATerm *InstrumentTerm `json:"dsaTerm,omitempty"`

	// Purposes lists what the shared data may be used for, e.g.
	// "care coordination" or "quality measurement".
	// +listType=set
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=200
	// +optional
	Purposes []string `json:"purposes,omitempty"`

	// DataElements lists the categories of data exchanged, e.g.
	// "ADT notifications" or "claims extracts". Never patient-level values.
	// +listType=set
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=200
	// +optional
	DataElements []string `json:"dataElements,omitempty"`
}

// InstrumentTerm is when a legal instrument that goes with the agreement
// (a business associate agreement, a data-sharing agreement) is in force.
// +kubebuilder:validation:XValidation:rule="!has(self.expiryDate) || self.expiryDate > self.effectiveDate",message="expiryDate must be after effectiveDate",fieldPath=".expiryDate"
// +kubebuilder:validation:XValidation:rule="!has(self.expiryDate) || !has(self.noticeDays) || self.expiryDate <= self.effectiveDate || (self.expiryDate - self.effectiveDate).getSeconds() > self.noticeDays * 86400",message="noticeDays must be shorter than the instrument's term (expiryDate minus effectiveDate)",fieldPath=".noticeDays"
type InstrumentTerm struct {
	// EffectiveDate is the date the instrument comes into force (YYYY-MM-DD).
	// +required
	EffectiveDate Date `json:"effectiveDate"`

	// ExpiryDate is the last date the instrument is in force (YYYY-MM-DD);
	// it has lapsed from the day after. Must be after effectiveDate. Omit
	// for one that runs until terminated.
	// +optional
	ExpiryDate Date `json:"expiryDate,omitempty"`

	// NoticeDays is how many days before expiryDate the partnership turns
	// ReviewDue, so that the instrument is renewed before it lapses; 1 to
	// 3650, 60 when omitted, and shorter than the term.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=3650
	// +kubebuilder:default=60
	// +optional
	NoticeDays int32 `json:"noticeDays,omitempty"`
}

// FinancialArrangement describes how money flows between partners.
// +kubebuilder:validation:XValidation:rule="!has(self.sharedSavingsPercent) || self.model == 'SharedSavings'",message="spec.agreement.financial.sharedSavingsPercent is allowed only when model is SharedSavings",fieldPath=".sharedSavingsPercent"
type FinancialArrangement struct {
	// Model is the payment arrangement: FeeForService, SharedSavings,
	// Capitation, PayForPerformance, GrantFunded, CostSharing or InKind.
	// +required
	Model FinancialModel `json:"model"`

	// Currency is the ISO 4217 code of the amounts, e.g. "USD".
	// +kubebuilder:validation:Pattern=`^[A-Z]{3}$`
	// +kubebuilder:default=USD
	// +optional
	Currency string `json:"currency,omitempty"`

	// AnnualValue is the agreement's expected yearly value in currency
	// units, as a decimal quantity such as "250000" or "1.2M".
	// +optional
	AnnualValue *resource.Quantity `json:"annualValue,omitempty"`

	// SharedSavingsPercent is the share of savings paid out to partners,
	// from 0 to 100. Only for the SharedSavings model.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=100
	// +optional
	SharedSavingsPercent *int32 `json:"sharedSavingsPercent,omitempty"`
}

// ConflictResolution describes how disputes between partners are resolved.
type ConflictResolution struct {
	// Process is the first formal step: Negotiation, Mediation,
	// Arbitration or SteeringCommitteeVote.
	// +required
	Process ConflictResolutionProcess `json:"process"`

	// EscalationDays is how many days a dispute may stay open at one step
	// before it moves to the next, from 1 to 365.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=365
	// +optional
	EscalationDays *int32 `json:"escalationDays,omitempty"`
}

// AgreementState says where today falls in the agreement's term.
// +kubebuilder:validation:Enum=NotYetInForce;InForce;RenewalWindow;Expired
type AgreementState string

// Agreement states.
const (
	AgreementNotYetInForce AgreementState = "NotYetInForce"
	AgreementInForce       AgreementState = "InForce"
	AgreementRenewalWindow AgreementState = "RenewalWindow"
	AgreementExpired       AgreementState = "Expired"
)

// PartnershipStatus is the observed state of a Partnership.
type PartnershipStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready, Healthy, AtRisk, ReviewDue and Compliant.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// Expiries is the partnership's compliance calendar: the last day of
	// the agreement's current term, of the business associate agreement
	// and of the data-sharing agreement, earliest first, each with where
	// it stands today. Open-ended ones are not listed; an Exited
	// partnership lists none.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=3
	// +optional
	Expiries []Expiry `json:"expiries,omitempty"`

	// Phase is the current lifecycle phase.
	// +optional
	Phase PartnershipPhase `json:"phase,omitempty"`

	// AgreementState says whether the agreement is in force today.
	// +optional
	AgreementState AgreementState `json:"agreementState,omitempty"`

	// DaysToExpiry is the number of days until the current term ends
	// (status.termEndDate); negative once expired, absent for open-ended
	// agreements.
	// +optional
	DaysToExpiry *int32 `json:"daysToExpiry,omitempty"`

	// TermEndDate is the last day of the current term: the agreement's
	// expiryDate, moved on by whole terms while autoRenew renews it.
	// +optional
	TermEndDate Date `json:"termEndDate,omitempty"`

	// RenewalIntent names the Review that decided Continue inside the
	// current renewal window: the partners' recorded intent to renew.
	// +optional
	RenewalIntent string `json:"renewalIntent,omitempty"`

	// EndDate is the partnership's last day, once it is Exited: the
	// exitDate of its Exit review, or the last day of its agreement.
	// +optional
	EndDate Date `json:"endDate,omitempty"`

	// Objectives counts the partnership's objectives by health.
	// +optional
	Objectives ConditionCounts `json:"objectives,omitempty"`

	// Score is the mean of the objectives' scores, 0 to 100.
	// +optional
	Score *int32 `json:"score,omitempty"`

	// LastReview is the name of the most recent Review.
	// +optional
	LastReview string `json:"lastReview,omitempty"`

	// LastReviewDate is the date of the most recent Review.
	// +optional
	LastReviewDate Date `json:"lastReviewDate,omitempty"`

	// NextReviewDate is when the next review falls due.
	// +optional
	NextReviewDate Date `json:"nextReviewDate,omitempty"`

	// AtRiskSince is when the partnership last became AtRisk.
	// +optional
	AtRiskSince *metav1.Time `json:"atRiskSince,omitempty"`

	// FollowUps counts the actions agreed at the partnership's reviews by
	// where they stand, after the updates later reviews made.
	// +optional
	FollowUps *FollowUpCounts `json:"followUps,omitempty"`

	// OverdueFollowUps are the open actions whose due date has passed,
	// oldest review first.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=100
	// +optional
	OverdueFollowUps []OverdueFollowUp `json:"overdueFollowUps,omitempty"`

	// StaffTime compares, for each staff commitment with hours reported,
	// the hours given in its latest reported period with the hours
	// committed for that period.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=1000
	// +optional
	StaffTime []StaffTimeDelivery `json:"staffTime,omitempty"`

	// Candidates ranks a Prospect's candidates, best first, by the
	// weights of the portfolio named in rankedBy.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Candidates []CandidateStanding `json:"candidates,omitempty"`

	// RankedBy names the Portfolio whose candidateWeights ranked the
	// candidates: the first, by name, of those that select the
	// partnership and declare weights.
	// +optional
	RankedBy string `json:"rankedBy,omitempty"`
}

// StaffTimeDelivery is one commitment's latest reported period.
type StaffTimeDelivery struct {
	// Partner that committed the time.
	Partner string `json:"partner"`
	// Role of the staff.
	Role string `json:"role"`
	// PeriodStart is the first day of the period.
	PeriodStart Date `json:"periodStart"`
	// PeriodEnd is the last day of the period.
	PeriodEnd Date `json:"periodEnd"`
	// CommittedHours for the period: hoursPerMonth times the months it
	// covers (part months in proportion to their days), rounded.
	CommittedHours int32 `json:"committedHours"`
	// DeliveredHours reported for the period.
	DeliveredHours int32 `json:"deliveredHours"`
	// Percent is DeliveredHours as a share of CommittedHours, rounded
	// down.
	Percent int32 `json:"percent"`
	// Short is true when Percent is below the partnership's
	// deliveryThresholdPercent.
	// +optional
	Short bool `json:"short,omitempty"`
}

// Instrument names what an Expiry is the end of.
// +kubebuilder:validation:Enum=Agreement;BAA;DSA
type Instrument string

// Instruments of the compliance calendar.
const (
	InstrumentAgreement Instrument = "Agreement"
	InstrumentBAA       Instrument = "BAA"
	InstrumentDSA       Instrument = "DSA"
)

// ExpiryState says where today falls against an instrument's expiry.
// +kubebuilder:validation:Enum=NotYetInForce;InForce;ExpiringSoon;Lapsed
type ExpiryState string

// Expiry states. ExpiringSoon starts at the notice (the agreement's
// renewalNoticeDays, an instrument's noticeDays); Lapsed the day after
// the expiry date.
const (
	ExpiryNotYetInForce ExpiryState = "NotYetInForce"
	ExpiryInForce       ExpiryState = "InForce"
	ExpiryExpiringSoon  ExpiryState = "ExpiringSoon"
	ExpiryLapsed        ExpiryState = "Lapsed"
)

// Expiry is one entry of a partnership's compliance calendar.
type Expiry struct {
	// Instrument is Agreement, BAA (business associate agreement) or DSA
	// (data-sharing agreement).
	// +required
	Instrument Instrument `json:"instrument"`
	// Ref is the instrument's reference (baaRef, dsaRef); empty for the
	// agreement.
	// +optional
	Ref string `json:"ref,omitempty"`
	// ExpiryDate is its last day in force (for the agreement, the last day
	// of the current term).
	// +required
	ExpiryDate Date `json:"expiryDate"`
	// NoticeDate is the first day of its notice period, when it has one.
	// +optional
	NoticeDate Date `json:"noticeDate,omitempty"`
	// State is NotYetInForce, InForce, ExpiringSoon (inside the notice
	// period) or Lapsed.
	// +required
	State ExpiryState `json:"state"`
}

// FollowUpCounts counts a partnership's follow-ups by state.
type FollowUpCounts struct {
	// Open actions, overdue or not.
	// +optional
	Open int32 `json:"open,omitempty"`
	// Overdue is the number of open actions past their due date.
	// +optional
	Overdue int32 `json:"overdue,omitempty"`
	// Done actions.
	// +optional
	Done int32 `json:"done,omitempty"`
	// Dropped actions: the partners decided not to do them.
	// +optional
	Dropped int32 `json:"dropped,omitempty"`
}

// OverdueFollowUp is an open action past its due date.
type OverdueFollowUp struct {
	// Review is the name of the Review that agreed it.
	// +required
	Review string `json:"review"`
	// ReviewDate is that review's date.
	// +required
	ReviewDate Date `json:"reviewDate"`
	// Action agreed.
	// +required
	Action string `json:"action"`
	// Owner responsible, if named.
	// +optional
	Owner string `json:"owner,omitempty"`
	// Due date that passed.
	// +required
	Due Date `json:"due"`
}

// Partnership is a collaboration between healthcare organisations: who the
// partners are, the agreement they signed, and how often they review it.
// Its SMART objectives are Objective objects that reference it.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=pship,categories=accord
// +kubebuilder:printcolumn:name="Phase",type=string,JSONPath=`.status.phase`
// +kubebuilder:printcolumn:name="Healthy",type=string,JSONPath=`.status.conditions[?(@.type=="Healthy")].status`
// +kubebuilder:printcolumn:name="AtRisk",type=string,JSONPath=`.status.conditions[?(@.type=="AtRisk")].status`
// +kubebuilder:printcolumn:name="ReviewDue",type=string,JSONPath=`.status.conditions[?(@.type=="ReviewDue")].status`
// +kubebuilder:printcolumn:name="Score",type=integer,JSONPath=`.status.score`
// +kubebuilder:printcolumn:name="Next review",type=string,JSONPath=`.status.nextReviewDate`
// +kubebuilder:printcolumn:name="Expires in (d)",type=integer,JSONPath=`.status.daysToExpiry`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type Partnership struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec declares the partnership.
	// +required
	Spec PartnershipSpec `json:"spec"`

	// Status is the partnership's observed state, written by the operator.
	// +optional
	Status PartnershipStatus `json:"status,omitempty"`
}

// PartnershipList is a list of Partnerships.
// +kubebuilder:object:root=true
type PartnershipList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Partnership `json:"items"`
}

func init() {
	SchemeBuilder.Register(&Partnership{}, &PartnershipList{})
}
