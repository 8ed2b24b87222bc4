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

func TestTheTargetIsMetFromTheFirstOfTheLatestRunAtTarget(t *testing.T) {
	spec := KPISpec{DisplayName: "Readmissions", Unit: "%", Direction: LowerIsBetter, BaselineDate: d("2025-06-30"), Baseline: 18,
		TargetDate: d("2027-06-30"), Target: 15.3, Tolerance: 0.5, MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: 2}
	obs := func(values ...float64) []Observation {
		ends := []string{"2026-03-31", "2026-06-30", "2026-09-30", "2026-10-31", "2026-11-20"}
		out := make([]Observation, len(values))
		for i, v := range values {
			out[i] = Observation{Time: d(ends[i]), Value: v}
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		values []float64
		want   string
	}{
		{"never met", []float64{17, 16.5, 16}, ""},
		{"met at the target itself", []float64{17, 16.5, 15.3}, "2026-09-30"},
		{"met twice in a row: the first", []float64{17, 15.2, 15.0}, "2026-06-30"},
		{"met, lost, met again: the latest crossing", []float64{15.0, 16, 15.1, 15.2}, "2026-09-30"},
		{"met, then lost", []float64{17, 15.0, 15.4}, ""},
	} {
		r := KPI(spec, obs(tc.values...), d("2026-11-25"))
		got := ""
		if !r.TargetMetSince.IsZero() {
			got = day(r.TargetMetSince)
		}
		if got != tc.want {
			t.Errorf("%s: target met since %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestAnObjectiveIsAchievedWhenItsLastKPIMetItsTargetAndMissedAtItsDeadline(t *testing.T) {
	hundred, ninety := i32(100), i32(90)
	met := func(name, since string) KPIView {
		return KPIView{Name: name, Found: true, Health: Healthy, Score: hundred, AttainmentPercent: hundred, TargetMetSince: d(since)}
	}
	spec := ObjectiveSpec{Deadline: d("2027-06-30"), AtRiskBelow: 70}
	r := Objective(spec, []KPIView{met("a", "2026-06-30"), met("b", "2026-09-30")}, d("2026-11-25"))
	if r.Outcome != OutcomeAchieved || !r.OutcomeDate.Equal(d("2026-09-30")) {
		t.Errorf("both KPIs at target: %s on %v, want Achieved on 2026-09-30 (the later crossing)", r.Outcome, r.OutcomeDate)
	}
	short := KPIView{Name: "c", Found: true, Health: Healthy, Score: hundred, AttainmentPercent: ninety}
	for _, tc := range []struct {
		at      string
		outcome Outcome
		date    string
	}{
		{"2027-06-30", OutcomeOnTrack, ""},                    // its last day
		{"2027-07-01T09:00:00Z", OutcomeMissed, "2027-06-30"}, // the day after
	} {
		at, err := time.Parse(time.RFC3339, tc.at)
		if err != nil {
			at = d(tc.at)
		}
		r := Objective(spec, []KPIView{met("a", "2026-06-30"), short}, at)
		got := ""
		if !r.OutcomeDate.IsZero() {
			got = day(r.OutcomeDate)
		}
		if r.Outcome != tc.outcome || got != tc.date {
			t.Errorf("at %s: %s on %q, want %s on %q", tc.at, r.Outcome, got, tc.outcome, tc.date)
		}
	}
}

// phiSpec is partnershipSpec (2025-07-01 to 2028-06-30) sharing PHI under
// BAA-7 with the given term.
func phiSpec(baa *InstrumentSpec) PartnershipSpec {
	s := partnershipSpec()
	s.DataSharing = DataSharingSpec{SharesPHI: true, BAARef: "BAA-7", BAA: baa}
	return s
}

func TestABAAIsCheckedAgainstTheAgreementWhilePHIIsShared(t *testing.T) {
	recent := []ReviewView{{Name: "q", Date: d("2026-10-15"), Decision: "Continue"}}
	covering := &InstrumentSpec{Ref: "BAA-7", Effective: d("2025-07-01"), Expiry: d("2028-06-30"), NoticeDays: 60}
	shorter := &InstrumentSpec{Ref: "BAA-7", Effective: d("2025-07-01"), Expiry: d("2026-12-31"), NoticeDays: 60}
	later := &InstrumentSpec{Ref: "BAA-7", Effective: d("2026-12-01")}
	noPHI := partnershipSpec()
	noPHI.DataSharing.BAA = shorter
	for _, tc := range []struct {
		name      string
		spec      PartnershipSpec
		at        string
		status    ComplianceStatus
		reason    ComplianceReason
		reviewDue ReviewReason
		message   string
	}{
		{"a BAA to the agreement's end", phiSpec(covering), "2026-11-25", Compliant, ReasonBAACoversAgreement, ReasonReviewCurrent,
			"Protected health information is shared under the business associate agreement BAA-7, in force from 1 July 2025 to 30 June 2028, which covers the agreement's term"},
		{"no dates recorded", phiSpec(nil), "2026-11-25", ComplianceUnknown, ReasonBAATermNotRecorded, ReasonReviewCurrent, ""},
		{"a BAA ending first, before its notice", phiSpec(shorter), "2026-10-31", NotCompliant, ReasonBAAExpiresBeforeAgreement, ReasonReviewCurrent,
			"The business associate agreement BAA-7 expires on 31 December 2026, but the agreement runs until 30 June 2028: protected health information shared after that would not be covered; extend it to the agreement's end"},
		{"the first day of its notice (60 days)", phiSpec(shorter), "2026-11-01", NotCompliant, ReasonBAAExpiresBeforeAgreement, ReasonBAAExpiring, ""},
		{"its last day", phiSpec(shorter), "2026-12-31", NotCompliant, ReasonBAAExpiresBeforeAgreement, ReasonBAAExpiring, ""},
		{"lapsed the day after", phiSpec(shorter), "2027-01-01", NotCompliant, ReasonBAALapsed, ReasonBAAExpiring,
			"Protected health information is shared, but the business associate agreement BAA-7 lapsed after 31 December 2026: renew it, and record its new expiry date in spec.agreement.dataSharing.baaTerm.expiryDate"},
		{"not yet in force", phiSpec(later), "2026-11-25", NotCompliant, ReasonBAANotYetInForce, ReasonReviewCurrent, ""},
		{"no PHI shared: the BAA does not matter", noPHI, "2027-01-01", Compliant, ReasonNoPHIShared, ReasonReviewCurrent, ""},
	} {
		r := Partnership(tc.spec, healthyObjectives, recent, time.Time{}, d(tc.at))
		if r.Compliance != tc.status || r.ComplianceReason != tc.reason || r.ReviewReason != tc.reviewDue {
			t.Errorf("%s: %s/%s, ReviewDue %s (%s | %s); want %s/%s, %s", tc.name, r.Compliance, r.ComplianceReason, r.ReviewReason,
				r.ComplianceMessage, r.ReviewMessage, tc.status, tc.reason, tc.reviewDue)
		}
		if tc.message != "" && r.ComplianceMessage != tc.message {
			t.Errorf("%s: message\n%q, want\n%q", tc.name, r.ComplianceMessage, tc.message)
		}
	}
	// The partnership asks to be judged again when the notice opens and
	// when the BAA lapses.
	if r := Partnership(phiSpec(shorter), healthyObjectives, recent, time.Time{}, d("2026-10-15")); !r.NextChange.Equal(d("2026-11-01")) {
		t.Errorf("next change %v, want the first day of the notice, 2026-11-01", r.NextChange)
	}
	if r := Partnership(phiSpec(shorter), healthyObjectives, recent, time.Time{}, d("2026-12-15")); !r.NextChange.Equal(d("2027-01-01")) {
		t.Errorf("next change %v, want the day the BAA lapses, 2027-01-01", r.NextChange)
	}
	if r := Partnership(phiSpec(shorter), healthyObjectives, recent, time.Time{}, d("2026-12-15")); r.ReviewMessage !=
		"The business associate agreement BAA-7 expires on 31 December 2026; renew it in a review before it lapses; next review due by 2027-01-15" {
		t.Errorf("ReviewDue message %q", r.ReviewMessage)
	}
}

func TestTheCalendarListsTheExpiriesEarliestFirstAndAnExitedPartnershipNone(t *testing.T) {
	spec := phiSpec(&InstrumentSpec{Ref: "BAA-7", Effective: d("2025-07-01"), Expiry: d("2028-06-30"), NoticeDays: 60})
	spec.DataSharing.DSA = &InstrumentSpec{Ref: "DSA-3", Effective: d("2025-07-01"), Expiry: d("2027-01-31"), NoticeDays: 90}
	r := Partnership(spec, healthyObjectives, []ReviewView{{Name: "q", Date: d("2026-10-15"), Decision: "Continue"}}, time.Time{}, d("2026-11-25"))
	want := []Expiry{
		{Instrument: InstrumentDSA, Ref: "DSA-3", Expiry: d("2027-01-31"), Notice: d("2026-11-02"), State: ExpiryExpiringSoon},
		{Instrument: InstrumentAgreement, Expiry: d("2028-06-30"), Notice: d("2028-01-02"), State: ExpiryInForce},
		{Instrument: InstrumentBAA, Ref: "BAA-7", Expiry: d("2028-06-30"), Notice: d("2028-05-01"), State: ExpiryInForce},
	}
	if len(r.Expiries) != len(want) {
		t.Fatalf("calendar %+v, want %+v", r.Expiries, want)
	}
	for i := range want {
		if g := r.Expiries[i]; g.Instrument != want[i].Instrument || g.Ref != want[i].Ref || !g.Expiry.Equal(want[i].Expiry) || !g.Notice.Equal(want[i].Notice) || g.State != want[i].State {
			t.Errorf("entry %d: %+v, want %+v", i, g, want[i])
		}
	}
	if r.ReviewReason != ReasonDSAExpiring {
		t.Errorf("ReviewDue %s (%s), want DSAExpiring", r.ReviewReason, r.ReviewMessage)
	}
	// Exited: the lapsed BAA raises nothing.
	exit := []ReviewView{{Name: "exit", Date: d("2026-10-01"), Decision: "Exit", ExitDate: d("2026-10-31")}}
	lapsed := phiSpec(&InstrumentSpec{Ref: "BAA-7", Effective: d("2025-07-01"), Expiry: d("2026-10-31"), NoticeDays: 60})
	r = Partnership(lapsed, healthyObjectives, exit, time.Time{}, d("2026-11-25"))
	if r.Compliance != Compliant || r.ComplianceReason != ComplianceReason(ReasonPartnershipEnded) || r.Expiries != nil || r.ReviewDue {
		t.Errorf("exited: %s/%s, calendar %v, ReviewDue %v; want Compliant/PartnershipEnded, no calendar, no review", r.Compliance, r.ComplianceReason, r.Expiries, r.ReviewDue)
	}
}
