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
	"testing"
	"time"
)

// Issue 17's case: an Exit review with exitDate 2026-09-30.
func TestAnExitReviewEndsThePartnershipTheDayAfterItsExitDate(t *testing.T) {
	exit := []ReviewView{{Name: "exit", Date: d("2026-07-15"), Decision: "Exit", ExitDate: d("2026-09-30")}}
	for _, tc := range []struct {
		at        string
		phase     Phase
		reviewDue bool
		reason    ReviewReason
	}{
		{"2026-09-30", PhaseExiting, false, ReasonReviewCurrent}, // the exit date is its last day
		{"2026-10-01", PhaseExited, false, ReviewReason(ReasonPartnershipEnded)},
		{"2026-12-01", PhaseExited, false, ReviewReason(ReasonPartnershipEnded)},
		{"2027-03-01", PhaseExited, false, ReviewReason(ReasonPartnershipEnded)},
	} {
		r := Partnership(partnershipSpec(), healthyObjectives, exit, time.Time{}, d(tc.at))
		if r.Phase != tc.phase || r.ReviewDue != tc.reviewDue || r.ReviewReason != tc.reason {
			t.Errorf("on %s: %s, ReviewDue %v/%s (%s); want %s, %v/%s", tc.at, r.Phase, r.ReviewDue, r.ReviewReason, r.ReviewMessage, tc.phase, tc.reviewDue, tc.reason)
		}
		if r.Phase == PhaseExited {
			if r.Health != Inactive || r.HealthReason != ReasonPartnershipEnded || !r.NextChange.IsZero() || !r.NextReviewDate.IsZero() || !r.Ended.Equal(d("2026-09-30")) {
				t.Errorf("on %s: %s/%s, next change %v, next review %v, ended %v; want Inactive/PartnershipEnded, nothing ahead, ended 2026-09-30",
					tc.at, r.Health, r.HealthReason, r.NextChange, r.NextReviewDate, r.Ended)
			}
			if want := "The partnership ended on 2026-09-30, as decided at the review of 2026-07-15; it is no longer judged or reviewed"; r.ReviewMessage != want {
				t.Errorf("message %q, want %q", r.ReviewMessage, want)
			}
		} else if !r.NextChange.Equal(d("2026-10-01")) {
			t.Errorf("on %s: next change %v, want the day after the exit date", tc.at, r.NextChange)
		}
	}
	// An at-risk partnership that ends is not at risk any more.
	atRisk := []ObjectiveView{{Name: "c", Health: AtRisk, Message: "behind"}}
	if r := Partnership(partnershipSpec(), atRisk, exit, d("2026-08-01"), d("2026-10-01")); r.Health != Inactive || !r.AtRiskSince.IsZero() {
		t.Errorf("an ended at-risk partnership: %s, at risk since %v; want Inactive, not at risk", r.Health, r.AtRiskSince)
	}
}

func TestTheEndOfTheAgreementEndsThePartnershipUnlessItRenews(t *testing.T) {
	spec := partnershipSpec() // 2025-07-01 to 2028-06-30, notice 180 days: window from 2028-01-02
	continueInWindow := []ReviewView{{Name: "renew", Date: d("2028-03-01"), Decision: "Continue"}}
	continueBefore := []ReviewView{{Name: "q4", Date: d("2027-12-01"), Decision: "Continue"}}
	autoRenew := spec
	autoRenew.Agreement.AutoRenew = true
	exitRenewing := []ReviewView{{Name: "exit", Date: d("2028-03-01"), Decision: "Exit", ExitDate: d("2028-06-30")}}
	for _, tc := range []struct {
		name    string
		spec    PartnershipSpec
		reviews []ReviewView
		at      string
		phase   Phase
		state   AgreementState
		termEnd string
		intent  bool
	}{
		{"in force on its last day", spec, continueBefore, "2028-06-30", PhaseActive, RenewalWindow, "2028-06-30", false},
		{"no renewal: ended the day after", spec, continueBefore, "2028-07-01", PhaseExited, Expired, "2028-06-30", false},
		{"a Continue review in the window records the intent", spec, continueInWindow, "2028-03-02", PhaseActive, RenewalWindow, "2028-06-30", true},
		{"intent without a new expiry date: expired, not ended", spec, continueInWindow, "2028-07-01", PhaseActive, Expired, "2028-06-30", true},
		// Three years from 2028-07-01: whole calendar months, whatever the leap days.
		{"autoRenew: the next term", autoRenew, continueBefore, "2028-07-01", PhaseActive, InForce, "2031-06-30", false},
		{"autoRenew: two terms on", autoRenew, continueBefore, "2031-07-01", PhaseActive, InForce, "2034-06-30", false},
		{"autoRenew stopped by an Exit", autoRenew, exitRenewing, "2028-07-01", PhaseExited, InForce, "2031-06-30", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Partnership(tc.spec, healthyObjectives, tc.reviews, time.Time{}, d(tc.at))
			if r.Phase != tc.phase || r.AgreementState != tc.state || day(r.TermEnd) != tc.termEnd || (r.RenewalIntent != nil) != tc.intent {
				t.Errorf("%s, %s, term to %s, intent %v; want %s, %s, %s, %v (%s)", r.Phase, r.AgreementState, day(r.TermEnd), r.RenewalIntent != nil,
					tc.phase, tc.state, tc.termEnd, tc.intent, r.HealthMessage)
			}
			if end, ended := PartnershipEnd(tc.spec, tc.reviews, d(tc.at)); ended != (tc.phase == PhaseExited) || (ended && !end.Equal(r.Ended)) {
				t.Errorf("PartnershipEnd says %v on %v; the roll-up says %s on %v", ended, end, r.Phase, r.Ended)
			}
		})
	}
}

func TestAutoRenewalOfATermThatIsNotWholeMonthsRenewsByDays(t *testing.T) {
	a := AgreementSpec{Effective: d("2026-01-01"), Expiry: d("2026-04-10"), AutoRenew: true} // 100 days
	if got := day(termEnd(a, d("2026-04-11"))); got != "2026-07-19" {
		t.Errorf("term end %s, want 2026-07-19 (100 days on)", got)
	}
}

func TestAPortfolioCountsExitedPartnershipsApart(t *testing.T) {
	r := Portfolio([]Item{
		{Kind: "Partnership", Name: "a", Health: Healthy, Score: new(int32(90)), Objectives: 1},
		{Kind: "Partnership", Name: "gone", Health: Breaching, Score: new(int32(10)), Objectives: 3, Exited: true},
	}, nil, 5)
	if r.Health != Healthy || r.Exited != 1 || r.Unknown != 0 || r.Total != 2 || *r.Score != 90 || len(r.Worst) != 1 {
		t.Errorf("%s (%s), exited %d, unknown %d, total %d, score %d, worst %v; want Healthy, 1 exited, 0 unknown, 2 in all, score 90, one worst",
			r.Health, r.Message, r.Exited, r.Unknown, r.Total, *r.Score, r.Worst)
	}
	if want := "All 1 partnerships are healthy (1 more ended)"; r.Message != want {
		t.Errorf("message %q, want %q", r.Message, want)
	}
}

func TestOnlyAReviewBeforeTheExitDateCanUndoAnExit(t *testing.T) {
	exit := ReviewView{Name: "exit", Date: d("2026-07-15"), Decision: "Exit", ExitDate: d("2026-09-30")}
	for _, tc := range []struct {
		name  string
		later ReviewView
		phase Phase
	}{
		{"a wrap-up meeting after the end", ReviewView{Name: "wrap-up", Date: d("2026-10-20"), Decision: "Continue"}, PhaseExited},
		{"a change of mind in time", ReviewView{Name: "rethink", Date: d("2026-09-01"), Decision: "Continue"}, PhaseActive},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Partnership(partnershipSpec(), healthyObjectives, []ReviewView{exit, tc.later}, time.Time{}, d("2026-11-25"))
			if r.Phase != tc.phase {
				t.Errorf("phase %s (%s), want %s", r.Phase, r.ReviewMessage, tc.phase)
			}
		})
	}
}

func TestOpenFollowUpsPastDueAreOverdueUntilALaterReviewClosesThem(t *testing.T) {
	sept := ReviewView{Name: "vicn-2026-09-review", Date: d("2026-09-18"), Decision: "Continue", FollowUps: []FollowUpView{
		{Action: "Start home visits", Owner: "Three Rivers Home Health", Due: d("2026-10-31")},
		{Action: "Share root-cause review", Owner: "Valley Regional Hospital", Due: d("2026-11-15")},
		{Action: "Agree a data feed", Due: d("2026-10-01"), State: FollowUpDone},
		{Action: "Visit the clinic"}, // no due date: never overdue
		{Action: "Print leaflets", Due: d("2026-10-01"), State: FollowUpDropped},
	}}
	closing := ReviewView{Name: "vicn-2026-11-review", Date: d("2026-11-20"), Decision: "Continue", Updates: []FollowUpUpdate{
		{Review: "vicn-2026-09-review", Action: "Start home visits", State: FollowUpDone},
	}}
	spec := partnershipSpec()
	for _, tc := range []struct {
		name    string
		reviews []ReviewView
		at      string
		due     bool
		reason  ReviewReason
		counts  FollowUpCounts
		message string
	}{
		{"on the last due day, nothing overdue", []ReviewView{sept}, "2026-10-31", false, ReasonReviewCurrent, FollowUpCounts{Open: 3, Done: 1, Dropped: 1}, "Next review due by 2026-12-18"},
		{"the day after, one overdue", []ReviewView{sept}, "2026-11-01", true, ReasonFollowUpsOverdue, FollowUpCounts{Open: 3, Overdue: 1, Done: 1, Dropped: 1},
			"1 of 5 actions from the 2026-09-18 review is overdue: Start home visits (Three Rivers Home Health, due 2026-10-31); next review due by 2026-12-18"},
		{"two overdue", []ReviewView{sept}, "2026-11-16", true, ReasonFollowUpsOverdue, FollowUpCounts{Open: 3, Overdue: 2, Done: 1, Dropped: 1},
			"2 of 5 actions from the 2026-09-18 review are overdue: Start home visits (Three Rivers Home Health, due 2026-10-31); Share root-cause review (Valley Regional Hospital, due 2026-11-15); next review due by 2026-12-18"},
		{"a later review closes one", []ReviewView{sept, closing}, "2026-11-21", true, ReasonFollowUpsOverdue, FollowUpCounts{Open: 2, Overdue: 1, Done: 2, Dropped: 1},
			"1 of 5 actions from the 2026-09-18 review is overdue: Share root-cause review (Valley Regional Hospital, due 2026-11-15); next review due by 2027-02-20"},
		{"an update in the future does not count yet", []ReviewView{sept, {Name: "later", Date: d("2026-12-01"), Updates: closing.Updates}}, "2026-11-16", true, ReasonFollowUpsOverdue,
			FollowUpCounts{Open: 3, Overdue: 2, Done: 1, Dropped: 1}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Partnership(spec, healthyObjectives, tc.reviews, time.Time{}, d(tc.at))
			if r.ReviewDue != tc.due || r.ReviewReason != tc.reason || r.FollowUps == nil || *r.FollowUps != tc.counts {
				t.Fatalf("ReviewDue %v/%s (%s), counts %+v; want %v/%s, %+v", r.ReviewDue, r.ReviewReason, r.ReviewMessage, r.FollowUps, tc.due, tc.reason, tc.counts)
			}
			if tc.message != "" && r.ReviewMessage != tc.message {
				t.Errorf("message\n %q\nwant\n %q", r.ReviewMessage, tc.message)
			}
		})
	}
	// The partnership is re-evaluated the day the first open action lapses.
	if r := Partnership(spec, healthyObjectives, []ReviewView{sept}, time.Time{}, d("2026-10-20")); !r.NextChange.Equal(d("2026-11-01")) {
		t.Errorf("next change %v, want 2026-11-01", r.NextChange)
	}
}
