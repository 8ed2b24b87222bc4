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
package record

import "testing"

// Small counts never reach a message; the subject names the period, the
// KPI, the partnership and the value.
func TestRecordedValueSubjectSuppressesSmallCounts(t *testing.T) {
	for _, tc := range []struct {
		num, den int64
		want     string
	}{
		{7, 40, "Report 2026-Q3 30-day readmission rate for Valley Integrated Care Network: 17.2% (fewer than 11 of 40)"},
		{0, 40, "Report 2026-Q3 30-day readmission rate for Valley Integrated Care Network: 17.2% (0 of 40)"},
		{11, 64, "Report 2026-Q3 30-day readmission rate for Valley Integrated Care Network: 17.2% (11 of 64)"},
		{2, 10, "Report 2026-Q3 30-day readmission rate for Valley Integrated Care Network: 17.2% (fewer than 11 of fewer than 11)"},
		{-1, -1, "Report 2026-Q3 30-day readmission rate for Valley Integrated Care Network: 17.2%"},
	} {
		r := &Value{KPI: "vicn-readmission-rate-30d", kpiTitle: "30-day readmission rate", unit: "%", partnerships: "Valley Integrated Care Network",
			value: "17.2", numerator: tc.num, denominator: tc.den, PeriodLabel: "2026-Q3"}
		if got := r.Subject(); got != tc.want {
			t.Errorf("%d of %d: %q, want %q", tc.num, tc.den, got, tc.want)
		}
	}
}

func TestReportingPeriods(t *testing.T) {
	for p, want := range map[string][2]string{
		"2026-Q3": {"2026-07-01", "2026-09-30"}, "2026q4": {"2026-10-01", "2026-12-31"}, "2024-Q1": {"2024-01-01", "2024-03-31"},
		"2026-H1": {"2026-01-01", "2026-06-30"}, "2024-02": {"2024-02-01", "2024-02-29"}, "2026": {"2026-01-01", "2026-12-31"},
	} {
		s, e, err := ParsePeriod(p)
		if err != nil || s != want[0] || e != want[1] {
			t.Errorf("%s: %s..%s %v, want %s..%s", p, s, e, err, want[0], want[1])
		}
	}
	for _, p := range []string{"2026-13", "Q3", "2026-Q0", "26-Q1"} {
		if _, _, err := ParsePeriod(p); err == nil {
			t.Errorf("%s accepted", p)
		}
	}
}
