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
	"cmp"
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

// termEnd is the last day of the term in force at now: expiry, or, when
// the agreement renews itself, expiry moved on by whole terms of the
// agreement's own length (in calendar months when the first term is a
// whole number of them, else in days) until now falls inside one.
func termEnd(a AgreementSpec, now time.Time) time.Time {
	end := a.Expiry
	if end.IsZero() || !a.AutoRenew {
		return end
	}
	next := func(t time.Time) time.Time { return t.Add(dayLength) } // first day after t
	months := 0
	for m := 1; m <= 1200; m++ {
		if d := a.Effective.AddDate(0, m, 0); !d.Before(next(end)) {
			if d.Equal(next(end)) {
				months = m
			}
			break
		}
	}
	days := int(next(end).Sub(a.Effective).Hours() / 24)
	if days <= 0 {
		return end // a term that does not run forward cannot renew
	}
	for start := a.Effective; !now.Before(next(end)); {
		if months > 0 {
			// From the original start, so that month ends do not drift.
			start = start.AddDate(0, months, 0)
			end = start.AddDate(0, months, 0).Add(-dayLength)
		} else {
			end = end.AddDate(0, 0, days)
		}
	}
	return end
}

// PartnershipEnd says whether the partnership has ended by now, and its
// last day: the exit date of the latest review when that decided Exit,
// or the last day of the agreement's term when it expired without
// renewal (no autoRenew, no Exit, and no Continue review held inside the
// renewal window). Reviews dated after now are ignored. The objectives
// and KPIs of an ended partnership use it to stop being judged.
func PartnershipEnd(spec PartnershipSpec, reviews []ReviewView, now time.Time) (time.Time, bool) {
	end, _, _, ended := lifecycle(spec, reviews, now)
	return end, ended
}

// lifecycle finds the latest review held by now, the Continue review
// held inside the current renewal window, and the partnership's end.
func lifecycle(spec PartnershipSpec, reviews []ReviewView, now time.Time) (end time.Time, last, intent *ReviewView, ended bool) {
	a := spec.Agreement
	a.Expiry = termEnd(a, now)
	_, window := agreementState(a, now)
	for i := range reviews {
		r := reviews[i]
		if r.Date.After(now) {
			continue
		}
		if !window.IsZero() && !r.Date.Before(window) && r.Decision == DecisionContinue {
			if intent == nil || r.Date.After(intent.Date) {
				intent = &r
			}
		}
		if last == nil || r.Date.After(last.Date) || (r.Date.Equal(last.Date) && r.Name > last.Name) {
			last = &r
		}
	}
	switch exit := exitReview(reviews, now); {
	case exit != nil && !now.Before(exit.ExitDate.Add(dayLength)):
		return exit.ExitDate, last, intent, true
	case !a.Expiry.IsZero() && !now.Before(a.Expiry.Add(dayLength)) && intent == nil:
		// (autoRenew has moved the term on already; a recorded intent to
		// renew waits for the new expiry date in the spec.)
		return a.Expiry, last, intent, true
	}
	return time.Time{}, last, intent, false
}

// exitReview is the Exit review in effect at now: the latest one held,
// unless a later review held by its exit date decided otherwise (the
// partners changed their minds in time). Reviews held after an exit date
// cannot undo that exit: a meeting after the end (to close its actions,
// say) does not revive the partnership.
func exitReview(reviews []ReviewView, now time.Time) *ReviewView {
	held := make([]ReviewView, 0, len(reviews))
	for _, r := range reviews {
		if !r.Date.After(now) {
			held = append(held, r)
		}
	}
	slices.SortFunc(held, func(a, b ReviewView) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Name, b.Name))
	})
	var exit *ReviewView
	for i := range held {
		r := &held[i]
		switch {
		case exit != nil && r.Date.After(exit.ExitDate):
			return exit // the partnership had ended by then
		case r.Decision == DecisionExit && !r.ExitDate.IsZero():
			exit = r
		default:
			exit = nil
		}
	}
	return exit
}

// Partnership rolls up a partnership's objectives, reviews and agreement at
// now. atRiskSince is when it last became AtRisk (zero if it was not).
// Reviews dated after now are ignored.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func Partnership(spec PartnershipSpec, objectives []ObjectiveView, reviews []ReviewView, atRiskSince, now time.Time) PartnershipResult {
	if spec.DesiredPhase == PhaseProspect {
		return prospect(spec, objectives, reviews, now)
	}
	res := PartnershipResult{Total: int32(len(objectives))}
	a := spec.Agreement
	ended, last, intent, isEnded := lifecycle(spec, reviews, now)
	a.Expiry = termEnd(a, now)
	res.TermEnd = a.Expiry
	res.RenewalIntent = intent
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
	res.LastReview = last
	reviewedInWindow := false
	for i := range reviews {
		if r := reviews[i]; !r.Date.After(now) && !window.IsZero() && !r.Date.Before(window) {
			reviewedInWindow = true
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
		if intent != nil {
			res.HealthMessage += fmt.Sprintf("; the review of %s decided to renew it: record the new expiry date in spec.agreement.expiryDate", day(intent.Date))
		}
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
	var nextDue time.Time
	res.FollowUps, res.Overdue, nextDue = followUps(reviews, now)
	if len(res.Overdue) > 0 {
		msg := overdueMessage(reviews, res.Overdue)
		if res.ReviewDue {
			res.ReviewMessage += ". " + msg
		} else {
			res.ReviewDue, res.ReviewReason = true, ReasonFollowUpsOverdue
			res.ReviewMessage = msg + fmt.Sprintf("; next review due by %s", day(res.NextReviewDate))
		}
	}
	res.NextChange = earliestAfter(res.NextChange, nextDue, now)

	// The compliance calendar.
	res.Expiries = calendar(a, state, window, spec.DataSharing, now)
	var due ReviewReason
	var dueMsg string
	res.Compliance, res.ComplianceReason, res.ComplianceMessage, due, dueMsg = compliance(a, state, spec.DataSharing, res.Expiries, now)
	if due != "" {
		if res.ReviewDue {
			res.ReviewMessage += ". " + dueMsg
		} else {
			res.ReviewDue, res.ReviewReason = true, due
			res.ReviewMessage = dueMsg + fmt.Sprintf("; next review due by %s", day(res.NextReviewDate))
		}
	}
	for _, t := range complianceChanges(spec.DataSharing, res.Expiries) {
		res.NextChange = earliestAfter(res.NextChange, t, now)
	}

	for _, t := range []time.Time{res.NextReviewDate, window, a.Effective, escalation} {
		res.NextChange = earliestAfter(res.NextChange, t, now)
	}
	if !a.Expiry.IsZero() {
		res.NextChange = earliestAfter(res.NextChange, a.Expiry.Add(dayLength), now)
	}
	if exit := exitReview(reviews, now); exit != nil {
		res.NextChange = earliestAfter(res.NextChange, exit.ExitDate.Add(dayLength), now)
	}
	if isEnded {
		endPartnership(&res, exitReview(reviews, now), ended)
	}
	return res
}

// prospect is the roll-up of a partnership before its agreement: its
// candidates ranked, its health not judged and no review cadence; only
// draft terms dated in the past, or follow-ups of its meetings gone
// overdue, ask for a review. Objectives are counted, not scored.
func prospect(spec PartnershipSpec, objectives []ObjectiveView, reviews []ReviewView, now time.Time) PartnershipResult {
	ps := spec.Prospect
	if ps == nil {
		ps = &ProspectSpec{}
	}
	res := PartnershipResult{Phase: PhaseProspect, Total: int32(len(objectives))}
	for _, o := range objectives {
		switch o.Health {
		case Healthy:
			res.Healthy++
		case AtRisk:
			res.AtRisk++
		default:
			res.Unknown++
		}
	}
	ranking := RankCandidates(ps.Candidates, ps.Weights, ps.WeightsFrom, ps.AssessmentMaxAge, now)
	res.Ranking = &ranking
	res.NextChange = ranking.NextChange
	res.Health, res.HealthReason = Inactive, ReasonProspect
	res.HealthMessage = "A prospect, before its agreement: not judged. " + ranking.Message
	res.ReviewReason = ReviewReason(ReasonProspect)
	res.ReviewMessage = "A prospect has no review cadence; reviews fall due once the agreement is signed and the phase is Active"
	// Nothing is shared under an agreement not yet signed: no BAA to lapse.
	res.Compliance, res.ComplianceReason = Compliant, ComplianceReason(ReasonProspect)
	res.ComplianceMessage = "A prospect, before its agreement: no data is shared under it yet, so there is no business associate agreement to check"
	for i := range reviews {
		if r := reviews[i]; !r.Date.After(now) && (res.LastReview == nil || r.Date.After(res.LastReview.Date)) {
			res.LastReview = &r
		}
	}
	if a := spec.Agreement; ps.HasAgreement {
		var passed []string
		if ProspectDatePassed(a.Effective, now) {
			passed = append(passed, fmt.Sprintf("come into force on %s", day(a.Effective)))
		} else {
			res.NextChange = earliestAfter(res.NextChange, a.Effective.Add(dayLength), now)
		}
		if !a.Expiry.IsZero() && ProspectDatePassed(a.Expiry, now) {
			passed = append(passed, fmt.Sprintf("end on %s", day(a.Expiry)))
		}
		if len(passed) > 0 {
			res.ReviewDue, res.ReviewReason = true, ReasonProspectDatesPassed
			res.ReviewMessage = fmt.Sprintf("The draft agreement was to %s, which has passed while the partnership is still a prospect: sign it and set spec.desiredPhase to Active, or move the dates", strings.Join(passed, " and "))
		}
	}
	var nextDue time.Time
	res.FollowUps, res.Overdue, nextDue = followUps(reviews, now)
	if len(res.Overdue) > 0 {
		msg := overdueMessage(reviews, res.Overdue)
		if res.ReviewDue {
			res.ReviewMessage += ". " + msg
		} else {
			res.ReviewDue, res.ReviewReason, res.ReviewMessage = true, ReasonFollowUpsOverdue, msg
		}
	}
	res.NextChange = earliestAfter(res.NextChange, nextDue, now)
	return res
}

// ProspectDatePassed says whether a Prospect's draft agreement date d is
// in the past at now: before today. Today itself is allowed, so that an
// agreement signed and coming into force today can still be drafted.
// accordctl validate refuses such dates; the operator raises ReviewDue.
func ProspectDatePassed(d, now time.Time) bool {
	return !d.IsZero() && d.Add(dayLength).Compare(now) <= 0
}

// endPartnership turns the roll-up of an Exited partnership into one
// that asks for nothing: health not judged, no review due, nothing to
// wait for. Counts and score stay, as its objectives last stood.
func endPartnership(res *PartnershipResult, exit *ReviewView, ended time.Time) {
	res.Phase, res.Ended = PhaseExited, ended
	msg := fmt.Sprintf("The partnership ended on %s, at the end of its agreement without renewal; it is no longer judged or reviewed", day(ended))
	if exit != nil && exit.ExitDate.Equal(ended) {
		msg = fmt.Sprintf("The partnership ended on %s, as decided at the review of %s; it is no longer judged or reviewed", day(ended), day(exit.Date))
	}
	res.Health, res.HealthReason, res.HealthMessage = Inactive, ReasonPartnershipEnded, msg
	res.ReviewDue, res.ReviewReason, res.ReviewMessage = false, ReviewReason(ReasonPartnershipEnded), msg
	res.NextReviewDate, res.AtRiskSince, res.NextChange = time.Time{}, time.Time{}, time.Time{}
	res.Overdue = nil // an ended partnership owes no actions
	// Nothing is shared any more: nothing to renew, nothing to raise.
	res.Compliance, res.ComplianceReason, res.Expiries = Compliant, ComplianceReason(ReasonPartnershipEnded), nil
	res.ComplianceMessage = fmt.Sprintf("The partnership ended on %s; its data-sharing instruments are no longer checked", DayWords(ended))
	if res.FollowUps != nil {
		res.FollowUps.Overdue = 0
	}
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

// FollowUpKey names an action: the review that agreed it and its text.
type FollowUpKey struct{ Review, Action string }

// FollowUpStates says where each action agreed at the reviews held by now
// stands: its own state, then the updates of reviews held on or after its
// review's date, in date order (the latest wins). Empty means Open.
func FollowUpStates(reviews []ReviewView, now time.Time) map[FollowUpKey]string {
	_, state := followUpStates(reviews, now)
	return state
}

func followUpStates(reviews []ReviewView, now time.Time) ([]ReviewView, map[FollowUpKey]string) {
	held := make([]ReviewView, 0, len(reviews))
	for _, r := range reviews {
		if !r.Date.After(now) {
			held = append(held, r)
		}
	}
	slices.SortFunc(held, func(a, b ReviewView) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Name, b.Name))
	})
	state := map[FollowUpKey]string{}
	for _, r := range held {
		for _, f := range r.FollowUps {
			state[FollowUpKey{r.Name, f.Action}] = f.State
		}
	}
	for i, r := range held {
		for _, u := range r.Updates {
			k := FollowUpKey{u.Review, u.Action}
			if _, ok := state[k]; !ok {
				continue // names no action (the Review says so)
			}
			// Only updates at or after the review that agreed the action.
			for _, earlier := range held[:i+1] {
				if earlier.Name == u.Review {
					state[k] = u.State
					break
				}
			}
		}
	}
	return held, state
}

// followUps counts the actions by state (FollowUpStates) and lists the
// overdue ones: open with their due date passed (the due date is their
// last day).
func followUps(reviews []ReviewView, now time.Time) (*FollowUpCounts, []OverdueAction, time.Time) {
	held, state := followUpStates(reviews, now)
	type key = FollowUpKey
	if len(state) == 0 {
		return nil, nil, time.Time{}
	}
	counts := &FollowUpCounts{}
	var overdue []OverdueAction
	var next time.Time
	for _, r := range held {
		for _, f := range r.FollowUps {
			f.State = state[key{r.Name, f.Action}]
			switch f.State {
			case FollowUpDone:
				counts.Done++
			case FollowUpDropped:
				counts.Dropped++
			default:
				counts.Open++
				if f.Due.IsZero() {
					continue
				}
				if lapse := f.Due.Add(dayLength); !now.Before(lapse) {
					counts.Overdue++
					overdue = append(overdue, OverdueAction{Review: r.Name, ReviewDate: r.Date, FollowUpView: f})
				} else {
					next = earliestAfter(next, lapse, now)
				}
			}
		}
	}
	return counts, overdue, next
}

// overdueMessage says which actions are overdue, review by review: "2 of
// 5 actions from the 2026-09-18 review are overdue: ...".
func overdueMessage(reviews []ReviewView, overdue []OverdueAction) string {
	var parts []string
	for i := 0; i < len(overdue); {
		j := i
		var items []string
		for ; j < len(overdue) && overdue[j].Review == overdue[i].Review; j++ {
			a := overdue[j]
			who := ""
			if a.Owner != "" {
				who = a.Owner + ", "
			}
			items = append(items, fmt.Sprintf("%s (%sdue %s)", a.Action, who, day(a.Due)))
		}
		total := 0
		for _, r := range reviews {
			if r.Name == overdue[i].Review {
				total = len(r.FollowUps)
			}
		}
		verb := "are"
		if j-i == 1 {
			verb = "is"
		}
		parts = append(parts, fmt.Sprintf("%d of %d actions from the %s review %s overdue: %s", j-i, total, day(overdue[i].ReviewDate), verb, strings.Join(items, "; ")))
		i = j
	}
	return strings.Join(parts, ". ")
}
