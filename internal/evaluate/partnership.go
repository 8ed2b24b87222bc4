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

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

const dayLength = 24 * time.Hour

func agreementState(a AgreementSpec, now time.Time) (AgreementState, time.Time) {
	var window time.Time
	if !a.Expiry.IsZero() && a.RenewalNoticeDays > 0 {
		window = a.Expiry.AddDate(0, 0, -int(a.RenewalNoticeDays))
	}
	switch {
	case now.Before(a.Effective):
		return NotYetInForce, window
	case !a.Expiry.IsZero() && !now.Before(a.Expiry.Add(dayLength)):
		return Expired, window
	case !window.IsZero() && !now.Before(window):
		return RenewalWindow, window
	default:
		return InForce, window
	}
}

// Partnership rolls up a partnership's objectives, reviews and agreement at
// now. atRiskSince is when it last became AtRisk (zero if it was not).
// Reviews dated after now are ignored.
func Partnership(spec PartnershipSpec, objectives []ObjectiveView, reviews []ReviewView, atRiskSince, now time.Time) PartnershipResult {
	res := PartnershipResult{Total: int32(len(objectives))}
	a := spec.Agreement
	state, window := agreementState(a, now)
	res.AgreementState = state
	if !a.Expiry.IsZero() {
		d := int32(math.Floor(a.Expiry.Sub(now).Hours() / 24))
		res.DaysToExpiry = &d
	}
	cadence := spec.ReviewCadence
	if cadence.IsZero() {
		cadence = Period{Months: 3}
	}
	escalate := spec.EscalateAfter
	if escalate.IsZero() {
		escalate = Period{Days: 30}
	}

	// The latest review held so far, and whether one fell in the window.
	reviewedInWindow := false
	for i := range reviews {
		r := reviews[i]
		if r.Date.After(now) {
			continue
		}
		if !window.IsZero() && !r.Date.Before(window) {
			reviewedInWindow = true
		}
		if res.LastReview == nil || r.Date.After(res.LastReview.Date) || (r.Date.Equal(res.LastReview.Date) && r.Name > res.LastReview.Name) {
			res.LastReview = &r
		}
	}
	res.Phase = spec.DesiredPhase
	if res.Phase == "" {
		res.Phase = PhaseActive
	}
	if spec.DesiredPhase == PhaseExiting || (res.LastReview != nil && res.LastReview.Decision == DecisionExit) {
		res.Phase = PhaseExiting
	}

	// Objectives.
	var atRisk, notHealthy []string
	var firstAtRiskMsg string
	scores := make([]*int32, 0, len(objectives))
	weights := make([]int32, 0, len(objectives))
	sorted := append([]ObjectiveView(nil), objectives...)
	slices.SortFunc(sorted, func(a, b ObjectiveView) int { return strings.Compare(a.Name, b.Name) })
	for _, o := range sorted {
		scores, weights = append(scores, o.Score), append(weights, 1)
		switch o.Health {
		case Healthy:
			res.Healthy++
		case AtRisk:
			res.AtRisk++
			if firstAtRiskMsg == "" {
				firstAtRiskMsg = o.Message
			}
			atRisk = append(atRisk, o.Name)
		default:
			res.Unknown++
		}
		if o.Health != Healthy && o.Health != AtRisk {
			notHealthy = append(notHealthy, o.Name)
		}
	}
	if s, ok := weightedMean(scores, weights, false); ok {
		res.Score = &s
	}
	switch {
	case len(atRisk) > 0:
		res.Health, res.HealthReason = AtRisk, ReasonObjectiveAtRisk
		res.HealthMessage = fmt.Sprintf("%d of %d objectives at risk (%s): %s", len(atRisk), len(objectives), strings.Join(atRisk, ", "), firstAtRiskMsg)
	case state == NotYetInForce:
		res.Health, res.HealthReason = Inactive, ReasonAgreementNotInForce
		res.HealthMessage = fmt.Sprintf("The agreement comes into force on %s", day(a.Effective))
	case state == Expired:
		res.Health, res.HealthReason = Inactive, ReasonAgreementExpired
		res.HealthMessage = fmt.Sprintf("The agreement expired after %s", day(a.Expiry))
	case len(objectives) == 0:
		res.Health, res.HealthReason = Unknown, ReasonNoObjectives
		res.HealthMessage = "The partnership has no objectives"
	case len(notHealthy) > 0:
		res.Health, res.HealthReason = Unknown, ReasonObjectivesUnknown
		res.HealthMessage = fmt.Sprintf("%d of %d objectives not yet judged healthy: %s", len(notHealthy), len(objectives), strings.Join(notHealthy, ", "))
	default:
		res.Health, res.HealthReason = Healthy, ReasonAllObjectivesHealthy
		until := "(open-ended)"
		if !a.Expiry.IsZero() {
			until = "until " + day(a.Expiry)
		}
		res.HealthMessage = fmt.Sprintf("All %d objectives are on track; the agreement is in force %s", len(objectives), until)
	}
	if res.Health == AtRisk {
		res.AtRiskSince = atRiskSince
		if res.AtRiskSince.IsZero() {
			res.AtRiskSince = now
		}
	}

	// Reviews.
	if res.LastReview != nil {
		res.NextReviewDate = cadence.AddTo(res.LastReview.Date)
	} else {
		res.NextReviewDate = cadence.AddTo(a.Effective)
	}
	var escalation time.Time
	if res.Health == AtRisk && res.Phase != PhasePaused {
		from := res.AtRiskSince
		if res.LastReview != nil && res.LastReview.Date.After(from) {
			from = res.LastReview.Date
		}
		escalation = escalate.AddTo(from)
	}
	switch {
	case !now.Before(res.NextReviewDate):
		res.ReviewDue, res.ReviewReason = true, ReasonCadenceElapsed
		if res.LastReview != nil {
			res.ReviewMessage = fmt.Sprintf("The last review was on %s; a review was due by %s (every %s)", day(res.LastReview.Date), day(res.NextReviewDate), cadence.Words())
		} else {
			res.ReviewMessage = fmt.Sprintf("No review yet; the first was due by %s (every %s from %s)", day(res.NextReviewDate), cadence.Words(), day(a.Effective))
		}
	case state == RenewalWindow && !reviewedInWindow:
		res.ReviewDue, res.ReviewReason = true, ReasonRenewalWindowOpen
		res.ReviewMessage = fmt.Sprintf("The agreement expires on %s and notice to renew or exit is due %d days before; decide in a review", day(a.Expiry), a.RenewalNoticeDays)
	case !escalation.IsZero() && !now.Before(escalation):
		res.ReviewDue, res.ReviewReason = true, ReasonAtRiskEscalation
		res.ReviewMessage = fmt.Sprintf("At risk since %s, longer than the %s allowed before escalation", day(res.AtRiskSince), escalate.Words())
	default:
		res.ReviewReason = ReasonReviewCurrent
		res.ReviewMessage = fmt.Sprintf("Next review due by %s", day(res.NextReviewDate))
	}

	for _, t := range []time.Time{res.NextReviewDate, window, a.Effective, escalation} {
		res.NextChange = earliestAfter(res.NextChange, t, now)
	}
	if !a.Expiry.IsZero() {
		res.NextChange = earliestAfter(res.NextChange, a.Expiry.Add(dayLength), now)
	}
	return res
}

// earliestAfter returns the earlier of cur and t, considering t only when
// it is after now and cur only when it is set.
func earliestAfter(cur, t, now time.Time) time.Time {
	if t.IsZero() || !t.After(now) {
		return cur
	}
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}
