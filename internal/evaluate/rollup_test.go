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
	"strings"
	"testing"
	"time"
)

func i32(v int32) *int32 { return new(v) }

func TestObjectiveVerdicts(t *testing.T) {
	spec := ObjectiveSpec{Deadline: d("2027-06-30"), AtRiskBelow: 70}
	ok := func(name string, score int32) KPIView {
		return KPIView{Name: name, Weight: 1, Found: true, Health: Healthy, Score: new(score), AttainmentPercent: i32(50)}
	}
	risky := KPIView{Name: "readmissions", Weight: 1, Critical: true, Found: true, Health: AtRisk, Score: i32(90), Message: "17.2% is above 16.3%"}
	cases := []struct {
		name   string
		kpis   []KPIView
		health Health
		reason ObjectiveReason
		score  any
		msg    string
	}{
		{"all KPIs on track is healthy", []KPIView{ok("a", 100), ok("b", 100)}, Healthy, ReasonObjectiveOnTrack, int32(100), "Score 100: 2 of 2 KPIs on track"},
		{"a critical KPI at risk makes it at risk whatever the score", []KPIView{ok("a", 100), risky}, AtRisk, ReasonCriticalKPIAtRisk, int32(95), `Critical KPI "readmissions" is at risk: 17.2% is above 16.3%`},
		{"weights count in the score", []KPIView{{Name: "a", Weight: 3, Found: true, Health: Breaching, Score: i32(40)}, ok("b", 100)}, AtRisk, ReasonScoreBelowThreshold, int32(55), `Score 55 is below the at-risk threshold of 70; weakest KPI "a"`},
		{"a missing KPI is named", []KPIView{ok("a", 100), {Name: "ghost", Weight: 1}}, Unknown, ReasonKPINotFound, int32(100), `KPI "ghost" does not exist`},
		{"a critical KPI without data is unknown", []KPIView{ok("a", 100), {Name: "c", Weight: 1, Critical: true, Found: true, Health: Unknown}}, Unknown, ReasonKPIsUnknown, int32(100), "no fresh data"},
		{"no KPIs is unknown", nil, Unknown, ReasonNoKPIs, nil, "has no KPIs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Objective(spec, tc.kpis, d("2026-11-25"))
			if r.Health != tc.health || r.Reason != tc.reason || deref(r.Score) != tc.score {
				t.Fatalf("got %s/%s score %v, want %s/%s score %v", r.Health, r.Reason, deref(r.Score), tc.health, tc.reason, tc.score)
			}
			if !strings.Contains(r.Message, tc.msg) {
				t.Errorf("message %q lacks %q", r.Message, tc.msg)
			}
		})
	}
}

func TestObjectiveOutcome(t *testing.T) {
	met := KPIView{Name: "a", Weight: 1, Found: true, Health: Healthy, Score: i32(100), AttainmentPercent: i32(104)}
	half := KPIView{Name: "a", Weight: 1, Found: true, Health: Healthy, Score: i32(100), AttainmentPercent: i32(50)}
	spec := ObjectiveSpec{Deadline: d("2026-12-31"), AtRiskBelow: 70}
	for _, tc := range []struct {
		kpi  KPIView
		at   string
		want Outcome
	}{{met, "2026-11-25", "Achieved"}, {half, "2026-11-25", "OnTrack"}, {half, "2026-12-31", "OnTrack"}, {half, "2027-01-02", "Missed"}} {
		if got := Objective(spec, []KPIView{tc.kpi}, d(tc.at)).Outcome; got != tc.want {
			t.Errorf("at %s with attainment %d: outcome %s, want %s", tc.at, *tc.kpi.AttainmentPercent, got, tc.want)
		}
	}
}

func partnershipSpec() PartnershipSpec {
	return PartnershipSpec{
		Agreement:     AgreementSpec{Effective: d("2025-07-01"), Expiry: d("2028-06-30"), RenewalNoticeDays: 180},
		ReviewCadence: Period{Months: 3}, EscalateAfter: Period{Days: 30}, DesiredPhase: "Active",
	}
}

var healthyObjectives = []ObjectiveView{{Name: "a", Health: Healthy, Score: i32(100)}, {Name: "b", Health: Healthy, Score: i32(80)}}

func TestAgreementStatesAtTheirBoundaries(t *testing.T) {
	for _, tc := range []struct {
		at   string
		want AgreementState
		days int32
	}{
		{"2025-06-30", NotYetInForce, 1096},
		{"2025-07-01", InForce, 1095},
		{"2028-01-01", InForce, 181},
		{"2028-01-02", RenewalWindow, 180}, // 2028-06-30 minus 180 days (a leap year)
		{"2028-06-30", RenewalWindow, 0},   // the expiry date is the last day in force
		{"2028-07-01", Expired, -1},
	} {
		r := Partnership(partnershipSpec(), healthyObjectives, []ReviewView{{Name: "r", Date: d(tc.at)}}, time.Time{}, d(tc.at))
		if r.AgreementState != tc.want || *r.DaysToExpiry != tc.days {
			t.Errorf("on %s: %s, %d days to expiry; want %s, %d", tc.at, r.AgreementState, *r.DaysToExpiry, tc.want, tc.days)
		}
	}
}

func TestPartnershipHealth(t *testing.T) {
	review := []ReviewView{{Name: "q3", Date: d("2026-10-15"), Decision: "Continue"}}
	cases := []struct {
		name       string
		objectives []ObjectiveView
		at         string
		health     Health
		reason     PartnershipReason
	}{
		{"all objectives healthy and in force", healthyObjectives, "2026-11-25", Healthy, "AllObjectivesHealthy"},
		{"any objective at risk", append([]ObjectiveView{{Name: "c", Health: AtRisk, Message: "behind"}}, healthyObjectives...), "2026-11-25", AtRisk, "ObjectiveAtRisk"},
		{"healthy objectives under an agreement that ended without renewal", healthyObjectives, "2029-01-01", Inactive, "PartnershipEnded"},
		{"no objectives", nil, "2026-11-25", Unknown, "NoObjectives"},
		{"an objective not yet judged", []ObjectiveView{{Name: "a", Health: Healthy}, {Name: "b", Health: Unknown}}, "2026-11-25", Unknown, "ObjectivesUnknown"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Partnership(partnershipSpec(), tc.objectives, review, time.Time{}, d(tc.at))
			if r.Health != tc.health || r.HealthReason != tc.reason {
				t.Errorf("got %s/%s (%s), want %s/%s", r.Health, r.HealthReason, r.HealthMessage, tc.health, tc.reason)
			}
		})
	}
}

func TestReviewDue(t *testing.T) {
	atRisk := []ObjectiveView{{Name: "a", Health: AtRisk}}
	cases := []struct {
		name       string
		spec       func(*PartnershipSpec)
		objectives []ObjectiveView
		reviews    []ReviewView
		since, at  string
		due        bool
		reason     ReviewReason
	}{
		{"a recent review keeps it current", nil, healthyObjectives, []ReviewView{{Name: "r", Date: d("2026-10-15")}}, "", "2026-11-25", false, "ReviewCurrent"},
		{"the cadence elapsed since the last review", nil, healthyObjectives, []ReviewView{{Name: "r", Date: d("2026-06-12")}}, "", "2026-11-25", true, "CadenceElapsed"},
		{"no review since the agreement began", nil, healthyObjectives, nil, "", "2026-11-25", true, "CadenceElapsed"},
		{"a review dated in the future does not count", nil, healthyObjectives, []ReviewView{{Name: "r", Date: d("2026-12-01")}}, "", "2026-11-25", true, "CadenceElapsed"},
		{"the renewal window opens", nil, healthyObjectives, []ReviewView{{Name: "r", Date: d("2027-12-20")}}, "", "2028-01-05", true, "RenewalWindowOpen"},
		{"a review inside the renewal window clears it", nil, healthyObjectives, []ReviewView{{Name: "r", Date: d("2028-01-03")}}, "", "2028-01-05", false, "ReviewCurrent"},
		{"at risk longer than the escalation period", nil, atRisk, []ReviewView{{Name: "r", Date: d("2026-10-01")}}, "2026-10-10", "2026-11-25", true, "AtRiskEscalation"},
		{"at risk, but a review after it started resets the clock", nil, atRisk, []ReviewView{{Name: "r", Date: d("2026-11-20")}}, "2026-10-10", "2026-11-25", false, "ReviewCurrent"},
		{"a paused partnership is not escalated", func(s *PartnershipSpec) { s.DesiredPhase = "Paused" }, atRisk, []ReviewView{{Name: "r", Date: d("2026-10-01")}}, "2026-10-10", "2026-11-25", false, "ReviewCurrent"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			spec := partnershipSpec()
			if tc.spec != nil {
				tc.spec(&spec)
			}
			var since time.Time
			if tc.since != "" {
				since = d(tc.since)
			}
			r := Partnership(spec, tc.objectives, tc.reviews, since, d(tc.at))
			if r.ReviewDue != tc.due || r.ReviewReason != tc.reason {
				t.Errorf("got %v/%s (%s), want %v/%s", r.ReviewDue, r.ReviewReason, r.ReviewMessage, tc.due, tc.reason)
			}
		})
	}
}

func TestPartnershipPhaseAndNextChange(t *testing.T) {
	now := d("2026-11-25")
	exit := []ReviewView{{Name: "old", Date: d("2026-06-01"), Decision: "Continue"}, {Name: "exit", Date: d("2026-11-20"), Decision: "Exit", ExitDate: d("2027-03-31")}}
	r := Partnership(partnershipSpec(), healthyObjectives, exit, time.Time{}, now)
	if r.Phase != "Exiting" || r.LastReview.Name != "exit" {
		t.Errorf("phase %s after %s; want Exiting after the exit review", r.Phase, r.LastReview.Name)
	}
	if want := d("2027-02-20"); !r.NextChange.Equal(want) || !r.NextReviewDate.Equal(want) {
		t.Errorf("next change %v, next review %v; want both %v", r.NextChange, r.NextReviewDate, want)
	}
	firstRisk := Partnership(partnershipSpec(), []ObjectiveView{{Name: "a", Health: AtRisk}}, exit, time.Time{}, now)
	if !firstRisk.AtRiskSince.Equal(now) {
		t.Errorf("newly at risk since %v, want now", firstRisk.AtRiskSince)
	}
	if want := d("2026-12-25"); !firstRisk.NextChange.Equal(want) {
		t.Errorf("next change %v; want the escalation deadline %v", firstRisk.NextChange, want)
	}
}

func TestPortfolioRollUp(t *testing.T) {
	partnerships := []Item{
		{Kind: "Partnership", Name: "vicn", Health: AtRisk, Score: i32(80), Objectives: 2},
		{Kind: "Partnership", Name: "tele", Health: Healthy, Score: i32(100), Objectives: 2, ReviewDue: true},
		{Kind: "Partnership", Name: "mpop", Health: AtRisk, Score: i32(88), Objectives: 3},
	}
	items := []Item{
		{Kind: "Objective", Name: "readmissions", Health: AtRisk, Score: i32(60)},
		{Kind: "Objective", Name: "ed", Health: Healthy, Score: i32(100)},
		{Kind: "KPI", Name: "readmission-rate", Health: AtRisk, Score: i32(47)},
		{Kind: "KPI", Name: "no-data", Health: Unknown},
		{Kind: "KPI", Name: "behind", Health: Breaching, Score: i32(90)},
	}
	r := Portfolio(partnerships, items, 4)
	if r.Health != AtRisk || r.Total != 3 || r.AtRisk != 2 || r.Healthy != 1 || r.ReviewDue != 1 {
		t.Errorf("counts %+v", r)
	}
	// (80*2 + 100*2 + 88*3) / 7 = 89.1
	if *r.Score != 89 {
		t.Errorf("score %d, want 89", *r.Score)
	}
	if r.ObjectivesTotal != 2 || r.ObjectivesAtRisk != 1 {
		t.Errorf("objective counts %d/%d", r.ObjectivesTotal, r.ObjectivesAtRisk)
	}
	names := make([]string, 0, len(r.Worst))
	for _, w := range r.Worst {
		names = append(names, w.Name)
	}
	if got := strings.Join(names, ","); got != "readmission-rate,readmissions,vicn,mpop" {
		t.Errorf("worst = %s", got)
	}
	if !strings.Contains(r.Message, "2 of 3 partnerships are at risk: mpop, vicn") {
		t.Errorf("message %q", r.Message)
	}
	if empty := Portfolio(nil, nil, 5); empty.Health != Unknown || empty.Reason != "NoPartnerships" || empty.Score != nil {
		t.Errorf("empty portfolio %+v", empty)
	}
}

func TestPeriodsReadAsWords(t *testing.T) {
	cases := []struct {
		iso, words string
	}{
		{"P3M", "3 months"},
		{"P1Y", "1 year"},
		{"P30D", "30 days"},
		{"P1W", "1 week"},
		{"P1Y6M", "1 year and 6 months"},
		{"P1Y2M3W4D", "1 year, 2 months, 3 weeks and 4 days"},
		{"P0D", "0 days"},
	}
	for _, tc := range cases {
		p, err := ParsePeriod(tc.iso)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", tc.iso, err)
		}
		if got := p.Words(); got != tc.words {
			t.Errorf("%s reads %q, want %q", tc.iso, got, tc.words)
		}
	}
}
