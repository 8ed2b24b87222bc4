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
	"strings"
	"testing"
	"time"
)

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// readmissions is the design notes' example: a LowerIsBetter rate from 18%
// to 15.3% over two years, tolerance 0.5, two breaches before AtRisk.
func readmissions() KPISpec {
	return KPISpec{
		DisplayName: "30-day readmission rate", Unit: "%", Direction: LowerIsBetter,
		BaselineDate: d("2025-06-30"), Baseline: 18, TargetDate: d("2027-06-30"), Target: 15.3,
		Tolerance: 0.5, MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: 2,
	}
}

// quarterlySpec is readmissions() declared quarterly.
func quarterlySpec() KPISpec {
	s := readmissions()
	s.Period = PeriodQuarter
	return s
}

// monthlySpec is readmissions() declared monthly (its values are months
// apart or more, so each is one period).
func monthlySpec() KPISpec {
	s := readmissions()
	s.Period = PeriodMonth
	return s
}

// lagged is quarterlySpec() without maxAge and with a 45-day reporting
// lag: fresh for one quarter plus 45 days after the period ends.
func lagged() KPISpec {
	s := quarterlySpec()
	s.MaxAge, s.ReportingLag = 0, 45*24*time.Hour
	return s
}

func quarterly(values ...float64) []Observation {
	ends := []string{"2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30", "2026-10-31", "2026-11-20"}
	out := make([]Observation, len(values))
	for i, v := range values {
		out[i] = Observation{Time: d(ends[i]), Value: v}
	}
	return out
}

var now = d("2026-11-25").Add(9 * time.Hour)

func TestGlidePathRunsFromBaselineToTarget(t *testing.T) {
	spec := readmissions()
	caseload := KPISpec{Direction: InRange, BaselineDate: d("2025-01-01"), Baseline: 80, TargetDate: d("2027-01-01"), TargetMin: 40, TargetMax: 60}
	fromBelow := KPISpec{Direction: InRange, BaselineDate: d("2025-01-01"), Baseline: 20, TargetDate: d("2027-01-01"), TargetMin: 40, TargetMax: 60}
	cases := []struct {
		name   string
		spec   KPISpec
		at     string
		lo, hi float64
	}{
		{"before the baseline date it is the baseline", spec, "2025-01-01", 18, 18},
		{"on the baseline date it is the baseline", spec, "2025-06-30", 18, 18},
		{"half way it is half way", spec, "2026-06-30", 16.65, 16.65},
		{"on the target date it is the target", spec, "2027-06-30", 15.3, 15.3},
		{"after the target date it stays at the target", spec, "2030-01-01", 15.3, 15.3},
		{"a range approached from above narrows its upper bound", caseload, "2026-01-01", 40, 70},
		{"a range approached from below raises its lower bound", fromBelow, "2026-01-01", 30, 60},
		{"a range after its date is the range", caseload, "2028-01-01", 40, 60},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := Expected(tc.spec, d(tc.at))
			if math.Abs(lo-tc.lo) > 0.01 || math.Abs(hi-tc.hi) > 0.01 {
				t.Errorf("Expected at %s = [%v, %v], want [%v, %v]", tc.at, lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

func TestKPIVerdicts(t *testing.T) {
	higher := KPISpec{DisplayName: "Gaps closed", Unit: "%", Direction: HigherIsBetter,
		BaselineDate: d("2025-03-31"), Baseline: 52, TargetDate: d("2027-12-31"), Target: 80, Tolerance: 2, MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: 2}
	cases := []struct {
		name       string
		spec       KPISpec
		obs        []Observation
		health     Health
		reason     KPIReason
		breaches   int32
		msgContain string
	}{
		{"on the glide path is healthy", readmissions(), quarterly(17.6, 17.3, 17.0, 16.6, 16.3), Healthy, ReasonOnTrack, 0, "is on track: 16.31% expected by then"},
		{"one breach is behind plan, not yet at risk", readmissions(), quarterly(17.6, 17.3, 17.0, 16.6, 17.2), Breaching, ReasonBehindPlan, 1, "(1 period; 2 in a row make it AtRisk)"},
		{"N breaches in a row is at risk", readmissions(), quarterly(17.9, 17.8, 17.6, 17.4, 17.2), AtRisk, ReasonOffTrack, 3,
			"30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then (target 15.3% by 2027-06-30), 3 periods in a row"},
		{"a quarterly KPI counts quarters in a row", quarterlySpec(), quarterly(17.9, 17.8, 17.6, 17.4, 17.2), AtRisk, ReasonOffTrack, 3,
			"(target 15.3% by 2027-06-30), 3 quarters in a row"},
		{"a quarterly KPI behind plan says so in quarters", quarterlySpec(), quarterly(17.6, 17.3, 17.0, 16.6, 17.2), Breaching, ReasonBehindPlan, 1,
			"(1 quarter; 2 in a row make it AtRisk)"},
		{"a quarterly KPI recovering counts good quarters", quarterlySpec(), quarterly(17.6, 18.0, 17.9, 16.6), AtRisk, ReasonRecovering, 0,
			"1 of 2 good quarters in a row needed to clear AtRisk"},
		{"a monthly KPI counts months", monthlySpec(), quarterly(17.9, 17.8, 17.6, 17.4, 17.2), AtRisk, ReasonOffTrack, 3, ", 3 months in a row"},
		{"staleness derived from the period is in days", lagged(), quarterly(17.6, 17.3), Unknown, ReasonStaleData, 0,
			"older than its period plus reporting lag (135 days)"},
		{"intermittent breaches never reach at risk", readmissions(), quarterly(17.9, 17.3, 17.7, 16.6, 17.2), Breaching, ReasonBehindPlan, 1, ""},
		{"one good value after at risk is recovering", readmissions(), quarterly(17.6, 18.0, 17.9, 16.6), AtRisk, ReasonRecovering, 0, "1 of 2 good periods in a row needed to clear AtRisk"},
		{"N good values after at risk clear it", readmissions(), quarterly(17.6, 18.0, 17.9, 16.6, 16.3), Healthy, ReasonOnTrack, 0, ""},
		{"exactly at tolerance is not a breach", readmissions(), []Observation{{Time: d("2026-06-30"), Value: 16.65 + 0.5}}, Healthy, ReasonOnTrack, 0, ""},
		{"at the final target is target met", readmissions(), quarterly(17.6, 17.3, 15.2), Healthy, ReasonTargetMet, 0, "meets the target"},
		// On the path each quarter (within 2 points), but rising 2 a quarter
		// where the path rises 2.5: the trend ends near 75 against 80.
		{"on track now but trending to a miss is at risk", higher, quarterly(57, 59.5, 61.5, 63.5, 65.5), AtRisk, ReasonProjectedMiss, 0, "the trend is projected"},
		{"no observations is unknown", readmissions(), nil, Unknown, ReasonNoData, 0, "has no data yet"},
		{"old data is unknown", readmissions(), quarterly(17.6, 17.3), Unknown, ReasonStaleData, 0, "older than the allowed 100 days"},
		{"future observations are ignored", readmissions(), append(quarterly(17.6, 17.3, 17.0, 16.6, 16.3), Observation{Time: d("2027-01-01"), Value: 30}), Healthy, ReasonOnTrack, 0, ""},
		{"NaN and Inf are ignored", readmissions(), append(quarterly(17.6, 17.3, 17.0, 16.6, 16.3), Observation{Time: d("2026-11-01"), Value: math.NaN()}, Observation{Time: d("2026-11-02"), Value: math.Inf(1)}), Healthy, ReasonOnTrack, 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Judged the day after the latest observation unless the case
			// is about staleness or the future.
			at := now
			if len(tc.obs) > 0 && tc.reason != ReasonStaleData && !strings.Contains(tc.name, "ignored") {
				at = latestTime(tc.obs).Add(24 * time.Hour)
			}
			r := KPI(tc.spec, tc.obs, at)
			if r.Health != tc.health || r.Reason != tc.reason || r.ConsecutiveBreaches != tc.breaches {
				t.Fatalf("got %s/%s breaches %d, want %s/%s breaches %d (%s)", r.Health, r.Reason, r.ConsecutiveBreaches, tc.health, tc.reason, tc.breaches, r.Message)
			}
			if !strings.Contains(r.Message, tc.msgContain) {
				t.Errorf("message %q lacks %q", r.Message, tc.msgContain)
			}
			if r.Health == Unknown && r.Score != nil {
				t.Errorf("an unknown KPI has score %d", *r.Score)
			}
		})
	}
}

func latestTime(obs []Observation) time.Time {
	var t time.Time
	for _, o := range obs {
		if o.Time.After(t) {
			t = o.Time
		}
	}
	return t
}

func TestKPIOrderOfObservationsDoesNotMatter(t *testing.T) {
	obs := quarterly(17.9, 17.8, 17.6, 17.4, 17.2)
	reversed := make([]Observation, len(obs))
	for i := range obs {
		reversed[len(obs)-1-i] = obs[i]
	}
	a, b := KPI(readmissions(), obs, now), KPI(readmissions(), reversed, now)
	if a.Message != b.Message || a.Health != b.Health || *a.Score != *b.Score {
		t.Errorf("sorted %v and reversed %v input disagree", a, b)
	}
}

// The expected value in status is the glide path's value for the day: an
// evaluation every minute must not rewrite it whenever its rounding ticks.
func TestKPIExpectedValueMovesOncePerDay(t *testing.T) {
	obs := quarterly(17.6, 17.3, 17.0, 16.6, 16.3)
	midnight := d("2026-11-25")
	first := KPI(readmissions(), obs, midnight)
	for _, at := range []time.Duration{time.Minute, 9 * time.Hour, 23*time.Hour + 59*time.Minute} {
		if got := KPI(readmissions(), obs, midnight.Add(at)); FormatNumber(got.ExpectedNow) != FormatNumber(first.ExpectedNow) || got.ExpectedNow != first.ExpectedNow {
			t.Errorf("expected %v at midnight+%s, %v at midnight; want the same all day", got.ExpectedNow, at, first.ExpectedNow)
		}
	}
	next := KPI(readmissions(), obs, midnight.Add(24*time.Hour))
	if want, _ := Expected(readmissions(), midnight.Add(24*time.Hour)); next.ExpectedNow != want || next.ExpectedNow >= first.ExpectedNow {
		t.Errorf("the next day expects %v, want %v (lower than %v: the rate falls toward its target)", next.ExpectedNow, want, first.ExpectedNow)
	}
}

func TestKPIFreshDataExpiresAtMaxAge(t *testing.T) {
	r := KPI(readmissions(), quarterly(17.6, 17.3, 17.0, 16.6, 16.3), now)
	if want := d("2026-09-30").Add(100 * 24 * time.Hour); !r.NextChange.Equal(want) {
		t.Errorf("NextChange = %v, want %v", r.NextChange, want)
	}
	stale := KPI(readmissions(), quarterly(17.6), now)
	if !stale.NextChange.IsZero() {
		t.Errorf("stale data has NextChange %v; want zero (only new data can help)", stale.NextChange)
	}
}

func TestKPIScoreAndAttainment(t *testing.T) {
	cases := []struct {
		name              string
		obs               []Observation
		score, attainment int32
	}{
		// 16.3 is 1.7 of the 2.7 gap from 18 toward 15.3: 63%.
		{"within tolerance scores 100", quarterly(17.6, 17.3, 17.0, 16.6, 16.3), 100, 63},
		// At 2026-09-30 the path expects 16.31 (progress 1.69); 17.2 made 0.8 of it: 47%.
		{"behind plan scores the share of expected progress made", quarterly(17.9, 17.8, 17.6, 17.4, 17.2), 47, 30},
		{"worse than baseline scores zero", quarterly(18.5), 0, -19},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := KPI(readmissions(), tc.obs, tc.obs[len(tc.obs)-1].Time.Add(time.Hour))
			if r.Score == nil || *r.Score != tc.score || r.AttainmentPercent == nil || *r.AttainmentPercent != tc.attainment {
				t.Errorf("score %v attainment %v, want %d and %d", deref(r.Score), deref(r.AttainmentPercent), tc.score, tc.attainment)
			}
		})
	}
}

func deref(p *int32) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestFormatting(t *testing.T) {
	cases := []struct {
		v    float64
		unit string
		want string
	}{
		{17.2, "%", "17.2%"}, {16.3049, "%", "16.3%"}, {75, "%", "75%"}, {38.4, "visits/1k", "38.4 visits/1k"},
		{700000, "USD", "USD 700,000"}, {1234567.8, "", "1,234,568"}, {-2.5, "", "-2.5"}, {0, "min", "0 min"},
	}
	for _, tc := range cases {
		if got := FormatValue(tc.v, tc.unit); got != tc.want {
			t.Errorf("FormatValue(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
	for v, want := range map[float64]string{16.3: "16.3", 760273.97: "760274", 0.126: "0.13", math.NaN(): "0"} {
		if got := FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestParsing(t *testing.T) {
	for s, want := range map[string]time.Duration{"30s": 30 * time.Second, "90d": 90 * 24 * time.Hour, "2w": 14 * 24 * time.Hour, "1h30m": 90 * time.Minute, "250ms": 250 * time.Millisecond} {
		if got, err := ParseDuration(s); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"", "3 months", "1.5h", "-1d", "99999999999999999999d", "10"} {
		if _, err := ParseDuration(bad); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("ParseDuration(%q) error %v; want one naming the value", bad, err)
		}
	}
	for s, want := range map[string]Period{"P3M": {Months: 3}, "P1Y": {Years: 1}, "P6W": {Weeks: 6}, "P1Y2M3W4D": {1, 2, 3, 4}} {
		if got, err := ParsePeriod(s); err != nil || got != want {
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, bad := range []string{"P", "3M", "P3X", "P1M1Y", "quarterly"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
	if got := (Period{Months: 3}).AddTo(d("2026-11-30")); !got.Equal(d("2027-03-02")) {
		t.Errorf("P3M after 2026-11-30 = %v (time.AddDate normalises Feb 30)", got)
	}
	if _, err := ParseDate("2026-13-01"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Errorf("ParseDate accepted month 13 or gave an unclear error: %v", err)
	}
}

func FuzzKPI(f *testing.F) {
	f.Add(18.0, 15.3, 0.5, 17.2, int64(400), 2, "LowerIsBetter")
	f.Add(52.0, 80.0, 2.0, 62.0, int64(548), 1, "HigherIsBetter")
	f.Add(72.0, 60.0, 3.0, 55.0, int64(100), 3, "InRange")
	f.Add(0.0, 0.0, 0.0, math.Inf(1), int64(0), 0, "Nonsense")
	f.Fuzz(func(t *testing.T, baseline, target, tol, value float64, days int64, n int, dir string) {
		spec := KPISpec{DisplayName: "k", Direction: Direction(dir), BaselineDate: d("2025-01-01"), Baseline: baseline,
			TargetDate: d("2027-01-01"), Target: target, TargetMin: math.Min(baseline, target), TargetMax: math.Max(baseline, target),
			Tolerance: tol, MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: n}
		at := d("2025-01-01").Add(time.Duration(days%2000) * 24 * time.Hour)
		r := KPI(spec, []Observation{{Time: at, Value: value}, {Time: at.Add(-48 * time.Hour), Value: baseline}, {Time: at.Add(-96 * time.Hour), Value: target}}, at.Add(time.Hour))
		if r.Score != nil && (*r.Score < 0 || *r.Score > 100) {
			t.Fatalf("score %d out of range", *r.Score)
		}
		if r.Message == "" {
			t.Fatal("empty message")
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "90d", "1h30m", "", "9999999999999999999w"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v < 0", s, d)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P3M", "P1Y2M3W4D", "P", "P99999999999Y", "P0D", "P100000Y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		if p.AddTo(d("2026-01-01")).Before(d("2026-01-01")) {
			t.Fatalf("period %q moves time backwards", s)
		}
		// It prints in ISO 8601 form and parses back to itself.
		if again, err := ParsePeriod(p.String()); err != nil || again != p {
			t.Fatalf("period %q prints as %q, which parses to %+v (%v)", s, p.String(), again, err)
		}
	})
}

// A live source dates its answer by its own clock when it answers, a moment
// after the reconciler read its clock (the demo's Prometheus KPI read "no
// data yet" for a whole interval). Within ClockSkew the value counts; a
// value dated further ahead is not evidence about the present.
func TestKPIObservationDatedJustAfterNowCounts(t *testing.T) {
	cases := []struct {
		name    string
		after   time.Duration
		counted bool
	}{
		{"a value stamped half a second after the evaluation counts", 500 * time.Millisecond, true},
		{"a value stamped just inside the skew counts", ClockSkew - time.Second, true},
		{"a value dated beyond the skew does not count", ClockSkew + time.Second, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs := []Observation{{Time: now.Add(tc.after), Value: 16.9}}
			r := KPI(readmissions(), obs, now)
			if got := r.Reason != ReasonNoData; got != tc.counted {
				t.Errorf("reason %s (%q); counted = %v, want %v", r.Reason, r.Message, got, tc.counted)
			}
		})
	}
}
