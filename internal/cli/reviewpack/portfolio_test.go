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

package reviewpack

import (
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/views/chart"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

func TestTheBoardOrdersPartnershipsWorstFirst(t *testing.T) {
	state := func(class string) snapshot.State { return snapshot.State{Class: class} }
	pack := func(name, health, review, score string) *Pack {
		return &Pack{Name: name, DisplayName: name, Health: state(health), Review: state(review), Score: score}
	}
	cases := []struct {
		name  string
		packs []*Pack
		want  string
	}{
		{"at risk before behind before unknown before healthy before ended",
			[]*Pack{pack("e", "ended", "review-none", "67"), pack("h", "healthy", "review-current", "100"), pack("u", "unknown", "review-current", "not scored"),
				pack("b", "behind", "review-current", "90"), pack("a", "at-risk", "review-current", "95")},
			"a b u h e"},
		{"within one health, a review due first", []*Pack{pack("current", "at-risk", "review-current", "50"), pack("due", "at-risk", "review-due", "90")}, "due current"},
		{"then the lower score, and not scored last", []*Pack{pack("none", "healthy", "review-current", "not scored"), pack("high", "healthy", "review-current", "95"), pack("low", "healthy", "review-current", "81")}, "low high none"},
		{"then by name", []*Pack{pack("zeta", "healthy", "review-current", "90"), pack("alpha", "healthy", "review-current", "90")}, "alpha zeta"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pp := BuildPortfolio(&v1.Portfolio{}, tc.packs)
			var got []string
			for i, r := range pp.Rows {
				got = append(got, r.Name)
				if pp.Packs[i].Name != r.Name {
					t.Errorf("pack %d is %s, row %s: the pages follow the board's order", i, pp.Packs[i].Name, r.Name)
				}
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("order %v, want %s", got, tc.want)
			}
		})
	}
}

func TestTheBoardSummarisesThePortfolioInASentence(t *testing.T) {
	cases := []struct {
		name   string
		status v1.PortfolioStatus
		want   string
	}{
		{"at risk, healthy, ended and reviews due", v1.PortfolioStatus{Partnerships: v1.ConditionCounts{Total: 4, Healthy: 1, AtRisk: 2, Exited: 1}, ReviewDue: 2},
			"4 partnerships: 2 at risk, 1 healthy, 1 ended. 2 need a review."},
		{"one not yet judged", v1.PortfolioStatus{Partnerships: v1.ConditionCounts{Total: 2, Healthy: 1, Unknown: 1}, ReviewDue: 1},
			"2 partnerships: 1 healthy, 1 not judged healthy or at risk. 1 needs a review."},
		{"a prospect counted apart", v1.PortfolioStatus{Partnerships: v1.ConditionCounts{Total: 3, Healthy: 2, Prospects: 1}},
			"3 partnerships: 2 healthy, 1 prospect not yet under way."},
		{"not evaluated", v1.PortfolioStatus{}, "3 partnerships selected; the operator has not evaluated the portfolio yet."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := portfolioSummary(&v1.Portfolio{Status: tc.status}, 3); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// Each value's row says who reported it and from which document, and a
// rate's counts with a numerator from 1 to 10 suppressed.
func TestThePacksRowsSayWhoReportedEachValueAndItsCounts(t *testing.T) {
	n, d, big := int64(7), int64(40), int64(400)
	k := &v1.KPI{Spec: v1.KPISpec{Reported: []v1.ReportedValue{
		{PeriodEnd: "2026-06-30", Numerator: &n, Denominator: &d, ReportedBy: "VRH quality office"},
		{PeriodEnd: "2026-09-30", Numerator: &big, Denominator: &big, ReportedBy: "VRH quality office",
			Document: &v1.DocumentLink{Title: "Q3 dashboard", URL: "https://example.org/q3.pdf"}},
	}}}
	at := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d.Add(24*time.Hour - time.Second)
	}
	obs := []evaluate.Observation{
		{Time: at("2026-06-30"), Value: 17.5, Counts: &evaluate.Counts{Numerator: 7, Denominator: 40}},
		{Time: at("2026-09-30"), Value: 100, Counts: &evaluate.Counts{Numerator: 400, Denominator: 400}},
		{Time: at("2026-10-31"), Value: 12},
	}
	chartRows := []chart.Row{{Date: "2026-06-30"}, {Date: "2026-09-30"}, {Date: "2026-10-31"}}
	got, hasCounts, hasReporters := rows(chartRows, obs, k, evaluate.KPISpec{DenominatorLabel: "discharges"})
	want := []Row{
		{Row: chart.Row{Date: "2026-06-30"}, Counts: "fewer than 11 of 40 discharges", ReportedBy: "VRH quality office"},
		{Row: chart.Row{Date: "2026-09-30"}, Counts: "400 of 400 discharges", ReportedBy: "VRH quality office", Document: k.Spec.Reported[1].Document},
		{Row: chart.Row{Date: "2026-10-31"}},
	}
	if d := gocmp.Diff(want, got); d != "" || !hasCounts || !hasReporters {
		t.Errorf("rows (-want +got):\n%s\nhasCounts %v hasReporters %v", d, hasCounts, hasReporters)
	}
}
