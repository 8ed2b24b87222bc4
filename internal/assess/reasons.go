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

import "github.com/accord-dev/accord/internal/evaluate"

// Condition reasons assess sets itself; the verdicts' reasons come from
// internal/evaluate, and a live source's failure reasons from
// internal/sources (docs/sources.md).
const (
	// ReasonEvaluated: Ready, the object was evaluated for its spec.
	ReasonEvaluated = "Evaluated"
	// ReasonInvalidSpec: Ready=False, the spec cannot be evaluated.
	ReasonInvalidSpec = "InvalidSpec"
	// ReasonPartnershipNotFound: Ready=False on an objective, Applied=False
	// on a review, when the partnership they name does not exist.
	ReasonPartnershipNotFound = "PartnershipNotFound"
	// ReasonDataFresh: MetricsAvailable, the latest value is within maxAge.
	ReasonDataFresh = "DataFresh"
	// ReasonSourceNotFound: the KPI's MetricSource does not exist.
	ReasonSourceNotFound = "SourceNotFound"
	// ReasonSourceTypeUnsupported: no provider reads the source's type.
	ReasonSourceTypeUnsupported = "SourceTypeUnsupported"
	// ReasonSourceUnreachable: the source failed without a reason of its own.
	ReasonSourceUnreachable = "SourceUnreachable"
	// ReasonRecorded: Applied, the review counts for its partnership.
	ReasonRecorded = "Recorded"
	// ReasonFollowUpNotFound: Applied=False, a followUpUpdates entry names
	// no follow-up of an earlier review of the partnership.
	ReasonFollowUpNotFound = "FollowUpNotFound"
	// ReasonConfigured: Ready on a MetricSource.
	ReasonConfigured = "Configured"
	// ReasonNotYetQueried: Reachable=Unknown, no KPI has asked yet.
	ReasonNotYetQueried = "NotYetQueried"
	// ReasonValuesInGit: Reachable on a reported source.
	ReasonValuesInGit = "ValuesInGit"
	// ReasonAnswered: Reachable, the source answered the latest request.
	ReasonAnswered = "Answered"
	// ReasonInvalidSelector: Ready=False on a portfolio.
	ReasonInvalidSelector = "InvalidSelector"
	// ReasonNoReviewsDue and ReasonReviewsDue: a portfolio's ReviewDue.
	ReasonNoReviewsDue = "NoReviewsDue"
	ReasonReviewsDue   = "ReviewsDue"
)

// Reasons lists, by kind, every reason the conditions written here can
// carry, except a live source's failure reasons, which pass through from
// internal/sources onto a KPI's MetricsAvailable and a MetricSource's
// Reachable. Tests check that the code sets no other reason and that
// docs/conditions.md documents each.
var Reasons = map[string][]string{
	"KPI": {
		ReasonEvaluated, ReasonInvalidSpec, ReasonDataFresh, ReasonSourceNotFound, ReasonSourceTypeUnsupported, ReasonSourceUnreachable,
		string(evaluate.ReasonOnTrack), string(evaluate.ReasonTargetMet), string(evaluate.ReasonBehindPlan), string(evaluate.ReasonOffTrack),
		string(evaluate.ReasonRecovering), string(evaluate.ReasonProjectedMiss), string(evaluate.ReasonNoData), string(evaluate.ReasonStaleData),
		string(evaluate.ReasonWithinNoise), string(evaluate.ReasonInsufficientData), ReasonContractTermMissing,
		string(evaluate.ReasonPartnershipEnded),
	},
	"Objective": {
		ReasonEvaluated, ReasonPartnershipNotFound,
		string(evaluate.ReasonObjectiveOnTrack), string(evaluate.ReasonScoreBelowThreshold), string(evaluate.ReasonCriticalKPIAtRisk),
		string(evaluate.ReasonNoKPIs), string(evaluate.ReasonKPIsUnknown), string(evaluate.ReasonKPINotFound),
		string(evaluate.ReasonPartnershipEnded),
	},
	"Partnership": {
		ReasonEvaluated, ReasonInvalidSpec,
		string(evaluate.ReasonAllObjectivesHealthy), string(evaluate.ReasonObjectiveAtRisk), string(evaluate.ReasonAgreementNotInForce),
		string(evaluate.ReasonAgreementExpired), string(evaluate.ReasonNoObjectives), string(evaluate.ReasonObjectivesUnknown),
		string(evaluate.ReasonReviewCurrent), string(evaluate.ReasonCadenceElapsed), string(evaluate.ReasonRenewalWindowOpen),
		string(evaluate.ReasonAtRiskEscalation), string(evaluate.ReasonPartnershipEnded), string(evaluate.ReasonFollowUpsOverdue),
		ReasonNeedNotDeclared, ReasonHoursKept, ReasonHoursShortfall, ReasonNoHoursReported,
		string(evaluate.ReasonBAAExpiring), string(evaluate.ReasonDSAExpiring),
		string(evaluate.ReasonNoPHIShared), string(evaluate.ReasonBAACoversAgreement), string(evaluate.ReasonBAATermNotRecorded),
		string(evaluate.ReasonBAALapsed), string(evaluate.ReasonBAANotYetInForce), string(evaluate.ReasonBAAExpiresBeforeAgreement),
		string(evaluate.ReasonDSALapsed),
		string(evaluate.ReasonProspect), string(evaluate.ReasonProspectDatesPassed),
	},
	"Portfolio": {
		ReasonEvaluated, ReasonInvalidSelector, ReasonNoReviewsDue, ReasonReviewsDue,
		string(evaluate.ReasonAllHealthy), string(evaluate.ReasonPartnershipsAtRisk), string(evaluate.ReasonNoPartnerships),
		string(evaluate.ReasonSomeUnknown),
	},
	"Review":       {ReasonRecorded, ReasonPartnershipNotFound, ReasonFollowUpNotFound},
	"MetricSource": {ReasonConfigured, ReasonNotYetQueried, ReasonValuesInGit, ReasonAnswered},
}
