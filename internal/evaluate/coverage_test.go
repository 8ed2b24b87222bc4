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
	"math"
	"reflect"
	"testing"
)

func TestCoverageFindsGapsAndOverlaps(t *testing.T) {
	needs := []Need{
		{Name: "transport", Priority: 3},
		{Name: "behavioral-health", Priority: 1},
		{Name: "specialty-access", Priority: 2},
		{Name: "care-transitions", Priority: 1},
	}
	for _, tc := range []struct {
		name          string
		members       []CoverageMember
		gaps, overlap []string
		covers        map[string][]string
	}{
		{"no partnerships: every need is a gap, highest priority first (declared order among equals)", nil,
			[]string{"behavioral-health", "care-transitions", "specialty-access", "transport"}, nil, nil},
		{"one partnership each need: no gap, no overlap",
			[]CoverageMember{{Name: "a", Addresses: []string{"transport", "behavioral-health"}}, {Name: "b", Addresses: []string{"specialty-access", "care-transitions"}}},
			nil, nil, map[string][]string{"transport": {"a"}, "care-transitions": {"b"}}},
		{"two address the same need: overlap, names sorted",
			[]CoverageMember{{Name: "z", Addresses: []string{"care-transitions"}}, {Name: "a", Addresses: []string{"care-transitions", "transport"}}},
			[]string{"behavioral-health", "specialty-access"}, []string{"care-transitions"}, map[string][]string{"care-transitions": {"a", "z"}}},
		{"an ended partnership covers nothing: its only need is a gap",
			[]CoverageMember{{Name: "old", Addresses: []string{"transport"}, Ended: true}, {Name: "b", Addresses: []string{"behavioral-health", "care-transitions", "specialty-access"}}},
			[]string{"transport"}, nil, map[string][]string{"transport": nil}},
		{"an undeclared name counts for nothing",
			[]CoverageMember{{Name: "a", Addresses: []string{"dental"}}},
			[]string{"behavioral-health", "care-transitions", "specialty-access", "transport"}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Coverage(needs, tc.members)
			if !reflect.DeepEqual(got.Gaps, tc.gaps) || !reflect.DeepEqual(got.Overlaps, tc.overlap) {
				t.Errorf("gaps %v overlaps %v, want %v and %v", got.Gaps, got.Overlaps, tc.gaps, tc.overlap)
			}
			for _, c := range got.Needs {
				if want, ok := tc.covers[c.Name]; ok && !reflect.DeepEqual(c.Partnerships, want) {
					t.Errorf("%s covered by %v, want %v", c.Name, c.Partnerships, want)
				}
			}
		})
	}
}

func TestUndeclaredNeedsNeedOneDeclaringPortfolio(t *testing.T) {
	a := []Need{{Name: "transport", Priority: 1}}
	b := []Need{{Name: "dental", Priority: 2}}
	for _, tc := range []struct {
		name      string
		addresses []string
		declared  [][]Need
		want      []int
	}{
		{"declared in the one portfolio", []string{"transport"}, [][]Need{a}, nil},
		{"one of two undeclared", []string{"transport", "dental"}, [][]Need{a}, []int{1}},
		{"declared in either of two portfolios", []string{"transport", "dental"}, [][]Need{a, b}, nil},
		{"no portfolio selects it: nothing to check against", []string{"transport"}, nil, nil},
		{"a selecting portfolio that declares no needs", []string{"transport"}, [][]Need{nil}, []int{0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := UndeclaredNeeds(tc.addresses, tc.declared); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSumExchangeAddsOnlyWhereUnitsAgree(t *testing.T) {
	for _, tc := range []struct {
		name  string
		items []ExchangeItem
		want  []ExchangeTotal
	}{
		{"same kind and unit are added exactly",
			[]ExchangeItem{{"Money", "USD per year", "120000", ""}, {"Money", "USD per year", "50000.50", ""}},
			[]ExchangeTotal{{"Money", "USD per year", "170000.5", 2, nil}}},
		{"different units stay apart",
			[]ExchangeItem{{"Money", "USD per year", "120000", ""}, {"Money", "USD", "5000", ""}},
			[]ExchangeTotal{{"Money", "USD per year", "120000", 1, nil}, {"Money", "USD", "5000", 1, nil}}},
		{"items without amount are counted, not summed",
			[]ExchangeItem{{"Data", "", "", "ADT feed"}, {"Data", "", "", "Care plans"}, {"Volume", "referrals per month", "40", "Referrals"}},
			[]ExchangeTotal{{"Data", "", "", 2, []string{"ADT feed", "Care plans"}}, {"Volume", "referrals per month", "40", 1, nil}}},
		{"same unit, different kind stay apart",
			[]ExchangeItem{{"Money", "USD per year", "1", ""}, {"Other", "USD per year", "2", ""}},
			[]ExchangeTotal{{"Money", "USD per year", "1", 1, nil}, {"Other", "USD per year", "2", 1, nil}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := SumExchange(tc.items); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestExchangeTotalWords(t *testing.T) {
	for _, tc := range []struct {
		t    ExchangeTotal
		want string
	}{
		{ExchangeTotal{"Money", "USD per year", "170000.5", 2, nil}, "USD 170,000.5 per year"},
		{ExchangeTotal{"Volume", "referrals per month", "40", 1, nil}, "40 referrals per month"},
		{ExchangeTotal{"Data", "", "", 2, nil}, "2 data items"},
		{ExchangeTotal{"Data", "", "", 2, []string{"ADT feed", "Care plans"}}, "data (ADT feed; Care plans)"},
		{ExchangeTotal{"StaffTime", "", "", 1, nil}, "1 staff time item"},
	} {
		if got := tc.t.Words(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.t, got, tc.want)
		}
	}
}

func TestCommittedHoursCountsMonthsInProportion(t *testing.T) {
	for _, tc := range []struct {
		name       string
		perMonth   int32
		start, end string
		want       float64
	}{
		{"a calendar quarter is three months", 40, "2026-07-01", "2026-09-30", 120},
		{"one month", 160, "2026-02-01", "2026-02-28", 160},
		{"half of a 30-day month", 40, "2026-09-01", "2026-09-15", 20},
		{"across a month boundary: 16/31 of July and 15/31 of August", 31, "2026-07-16", "2026-08-15", 31},
		{"a year", 10, "2026-01-01", "2026-12-31", 120},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CommittedHours(tc.perMonth, d(tc.start), d(tc.end)); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStaffTimeJudgesTheLatestPeriodAgainstTheThreshold(t *testing.T) {
	q3 := HoursReport{Start: d("2026-07-01"), End: d("2026-09-30")}
	q2 := HoursReport{Start: d("2026-04-01"), End: d("2026-06-30"), Hours: 10}
	with := func(h HoursReport, hours int32) HoursReport { h.Hours = hours; return h }
	for _, tc := range []struct {
		name        string
		commitments []StaffCommitment
		threshold   int32
		judged      bool
		short       bool
		percents    []int32
		message     string
	}{
		{"nothing committed: not judged", nil, 75, false, false, nil, ""},
		{"committed, nothing reported", []StaffCommitment{{Partner: "Valley Regional", Role: "Care coordinator", HoursPerMonth: 40}}, 75,
			true, false, nil, "40 hours a month of staff time are committed, but no hours given have been reported (spec.partners[].staffCommitments[].delivered)"},
		{"52 of 120 is 43%, below 75%: short (the latest quarter counts, not Q2)",
			[]StaffCommitment{{Partner: "Valley Regional", Role: "Care coordinator", HoursPerMonth: 40, Delivered: []HoursReport{with(q3, 52), q2}}}, 75,
			true, true, []int32{43},
			"Valley Regional (Care coordinator) gave 52 of 120 committed hours in the quarter to 30 September 2026 (43%): below the 75% of committed hours the partnership expects"},
		{"90 of 120 is exactly 75%: kept",
			[]StaffCommitment{{Partner: "Valley Regional", Role: "Care coordinator", HoursPerMonth: 40, Delivered: []HoursReport{with(q3, 90)}}}, 75,
			true, false, []int32{75},
			"Every partner gave at least 75% of its committed hours: Valley Regional (Care coordinator) gave 90 of 120 committed hours in the quarter to 30 September 2026 (75%)"},
		{"89 of 120 is 74.2%, below 75%: short although it rounds to 74",
			[]StaffCommitment{{Partner: "P", Role: "R", HoursPerMonth: 40, Delivered: []HoursReport{with(q3, 89)}}}, 75,
			true, true, []int32{74}, "P (R) gave 89 of 120 committed hours in the quarter to 30 September 2026 (74%): below the 75% of committed hours the partnership expects"},
		{"the declared threshold applies: 52 of 120 passes at 40%",
			[]StaffCommitment{{Partner: "P", Role: "R", HoursPerMonth: 40, Delivered: []HoursReport{with(q3, 52)}}}, 40,
			true, false, []int32{43}, "Every partner gave at least 40% of its committed hours: P (R) gave 52 of 120 committed hours in the quarter to 30 September 2026 (43%)"},
		{"only the short partner is named",
			[]StaffCommitment{
				{Partner: "A", Role: "Nurse", HoursPerMonth: 160, Delivered: []HoursReport{{Start: d("2026-09-01"), End: d("2026-09-30"), Hours: 150}}},
				{Partner: "B", Role: "Analyst", HoursPerMonth: 40, Delivered: []HoursReport{{Start: d("2026-09-01"), End: d("2026-09-30"), Hours: 8}}},
			}, 75, true, true, []int32{93, 20},
			"B (Analyst) gave 8 of 40 committed hours in the month of September 2026 (20%): below the 75% of committed hours the partnership expects"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := StaffTime(tc.commitments, tc.threshold)
			var percents []int32 //nolint:prealloc // nil when none, as the table says
			for _, d := range got.Deliveries {
				percents = append(percents, d.Percent)
			}
			if got.Judged != tc.judged || got.Short != tc.short || !reflect.DeepEqual(percents, tc.percents) || got.Message != tc.message {
				t.Errorf("judged %v short %v percents %v\n%q\nwant judged %v short %v percents %v\n%q",
					got.Judged, got.Short, percents, got.Message, tc.judged, tc.short, tc.percents, tc.message)
			}
		})
	}
}

func TestPeriodWords(t *testing.T) {
	for _, tc := range []struct{ start, end, want string }{
		{"2026-07-01", "2026-09-30", "the quarter to 30 September 2026"},
		{"2026-07-01", "2026-07-31", "the month of July 2026"},
		{"2026-01-01", "2026-12-31", "the year to 31 December 2026"},
		{"2026-08-01", "2026-10-31", "the 3 months to 31 October 2026"},
		{"2026-07-01", "2026-08-15", "1 July to 15 August 2026"},
		{"2025-12-15", "2026-01-14", "15 December 2025 to 14 January 2026"},
	} {
		if got := PeriodWords(d(tc.start), d(tc.end)); got != tc.want {
			t.Errorf("%s..%s: %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}
