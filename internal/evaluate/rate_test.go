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
	"errors"
	"math"
	"strings"
	"testing"
	"time"
)

// TestWilsonIntervalMatchesPublishedValues checks the interval against
// Newcombe RG, "Two-sided confidence intervals for the single proportion:
// comparison of seven methods", Statistics in Medicine 1998;17:857-872,
// Table II, method 3 (Wilson score interval without continuity
// correction), 95%, to the four decimals printed there; and the issue's
// own pooled examples, to the decimal it gives.
func TestWilsonIntervalMatchesPublishedValues(t *testing.T) {
	cases := []struct {
		name     string
		x, n     float64
		lo, hi   float64
		decimals int
	}{
		{"Newcombe 81/263", 81, 263, 0.2553, 0.3662, 4},
		{"Newcombe 15/148", 15, 148, 0.0624, 0.1605, 4},
		{"Newcombe 0/20", 0, 20, 0.0000, 0.1611, 4},
		{"Newcombe 1/29", 1, 29, 0.0061, 0.1718, 4},
		{"issue 16: 22 of 120 holds the plan", 22, 120, 0.124, 0.262, 3},
		{"issue 16: 2,200 of 12,000 is a real miss", 2200, 12000, 0.177, 0.190, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := Wilson(tc.x, tc.n, 0.95)
			round := func(v float64) float64 { p := math.Pow(10, float64(tc.decimals)); return math.Round(v*p) / p }
			if round(lo) != tc.lo || round(hi) != tc.hi {
				t.Errorf("Wilson(%v, %v) = %.5f-%.5f, published %v-%v", tc.x, tc.n, lo, hi, tc.lo, tc.hi)
			}
		})
	}
}

// TestNormalQuantile: 1.959964 for 95% and 2.575829 for 99% (any
// statistical table of the standard normal distribution).
func TestNormalQuantile(t *testing.T) {
	for conf, want := range map[float64]float64{0.95: 1.959964, 0.99: 2.575829, 0.90: 1.644854} {
		if got := z(conf); math.Abs(got-want) > 1e-6 {
			t.Errorf("z(%v) = %v, want %v", conf, got, want)
		}
	}
}

func TestRateValueConvertsCountsAndScoresAndRefusesAmbiguity(t *testing.T) {
	cases := []struct {
		name    string
		o       Observation
		ratePer float64
		want    float64
		err     string
	}{
		{"counts per 100", Observation{Counts: &Counts{7, 40}}, 100, 17.5, ""},
		{"counts per 1,000 members", Observation{Counts: &Counts{42, 12000}}, 1000, 3.5, ""},
		{"a proportion on a percentage KPI", Observation{Value: 0.643, Scale: ScaleProportion}, 100, 64.3, ""},
		{"a percentage on a percentage KPI", Observation{Value: 64.3, Scale: ScalePercent}, 100, 64.3, ""},
		{"a percentage on a per-1,000 KPI", Observation{Value: 6.43, Scale: ScalePercent}, 1000, 64.3, ""},
		{"a plain value is taken as given", Observation{Value: 17.2}, 100, 17.2, ""},
		{"an unstated score on a rate", Observation{Value: 0.643, Scale: ScaleUnstated}, 100, 0, "without saying whether it is a 0-1 proportion or a percentage"},
		{"a proportion above 1", Observation{Value: 64.3, Scale: ScaleProportion}, 100, 0, "must be from 0 to 1"},
		{"a denominator of 0", Observation{Counts: &Counts{0, 0}}, 100, 0, "denominator is 0"},
		{"a numerator above the denominator", Observation{Counts: &Counts{41, 40}}, 100, 0, "greater than the denominator"},
		{"negative counts", Observation{Counts: &Counts{-1, 40}}, 100, 0, "zero or more"},
		{"counts on a KPI that is not a rate", Observation{Counts: &Counts{7, 40}}, 0, 0, "sets no spec.ratePer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RateValue(tc.o, tc.ratePer)
			if tc.err != "" {
				var re *RateError
				if !errors.As(err, &re) || re.Reason() != ReasonMalformedResponse || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want a MalformedResponse saying %q", err, tc.err)
				}
				return
			}
			if err != nil || math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("RateValue = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestKPIValueReadsMoneyOnlyInItsOwnCurrency(t *testing.T) {
	usd := Observation{Value: 500, Currency: "USD"}
	cases := []struct {
		name    string
		o       Observation
		ratePer float64
		unit    string
		want    float64
		err     string
	}{
		{"dollars on a KPI in USD", usd, 0, "USD", 500, ""},
		{"the currency code in lower case", usd, 0, "usd", 500, ""},
		{"dollars on a KPI in EUR", usd, 0, "EUR", 0, `spec.unit is "USD", and this one's is "EUR"`},
		{"dollars on a KPI without a unit", usd, 0, "", 0, `and this one's is ""`},
		{"dollars on a rate", usd, 100, "USD", 0, "not a rate"},
		{"no currency is read as RateValue reads it", Observation{Value: 0.643, Scale: ScaleProportion}, 100, "%", 64.3, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := KPIValue(tc.o, tc.ratePer, tc.unit)
			if tc.err != "" {
				var re *RateError
				if !errors.As(err, &re) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want a RateError saying %q", err, tc.err)
				}
				return
			}
			if err != nil || math.Abs(got-tc.want) > 1e-9 {
				t.Fatalf("KPIValue = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestCountsReadAsWordsWithSmallCellsSuppressed(t *testing.T) {
	spec := KPISpec{DenominatorLabel: "discharges"}
	for _, tc := range []struct {
		name string
		o    Observation
		want string
	}{
		{"a numerator of 7 is a small cell", Observation{Counts: &Counts{7, 40}}, "fewer than 11 of 40 discharges"},
		{"large counts with thousands separators", Observation{Counts: &Counts{612, 4000}}, "612 of 4,000 discharges"},
		{"a numerator of 0 is shown", Observation{Counts: &Counts{0, 40}}, "0 of 40 discharges"},
		{"a numerator kept out of the status", Observation{Counts: &Counts{-1, 40}}, "fewer than 11 of 40 discharges"},
		{"a small denominator's period", Observation{SmallCell: true}, "fewer than 11 discharges: too few to judge"},
		{"no counts", Observation{Value: 17.2}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CountsWords(tc.o, spec); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestSmallCountsAreNeverPrinted(t *testing.T) {
	for n, want := range map[float64]string{0: "0", 1: "fewer than 11", 7: "fewer than 11", 10: "fewer than 11", 11: "11", 2200: "2,200"} {
		if got := FormatCount(n); got != want {
			t.Errorf("FormatCount(%v) = %q, want %q", n, got, want)
		}
	}
}

// rateReadmissions is readmissions() as a rate per 100 discharges judged
// over three quarters, as in issue 16.
func rateReadmissions() KPISpec {
	s := readmissions()
	s.RatePer, s.BreachesBeforeAtRisk, s.DenominatorLabel, s.Period = 100, 3, "discharges", PeriodQuarter
	return s
}

// counted gives the issue's quarterly percentages at a denominator.
func counted(den float64, percents ...float64) []Observation {
	obs := quarterly(percents...)
	for i := range obs {
		num := math.Round(percents[i] / 100 * den)
		obs[i].Counts = &Counts{num, den}
		obs[i].Value = num / den * 100
	}
	return obs
}

// TestTheIssueSeriesIsNoiseAt40AndAMissAt4000 is issue 16's readmission
// series, 15.0, 17.5, 17.5, 20.0, 17.5% a quarter against a glide path
// of 17.66, 17.32, 16.99, 16.65, 16.31: the same percentages mean nothing
// at 40 discharges a quarter and a real shortfall at 4,000.
func TestTheIssueSeriesIsNoiseAt40AndAMissAt4000(t *testing.T) {
	series := []float64{15.0, 17.5, 17.5, 20.0, 17.5}
	small := KPI(rateReadmissions(), counted(40, series...), now)
	if small.Health == AtRisk {
		t.Errorf("at 40 discharges: %s %s: %s", small.Health, small.Reason, small.Message)
	}
	if small.Reason != ReasonWithinNoise || !strings.Contains(small.Message, "within sampling noise") || !strings.Contains(small.Message, "fewer than 11 of 40 discharges") {
		t.Errorf("at 40 discharges the message should say it is noise without printing the count: %s", small.Message)
	}
	large := KPI(rateReadmissions(), counted(4000, series...), now)
	if large.Health != AtRisk || large.Reason != ReasonOffTrack {
		t.Fatalf("at 4,000 discharges: %s %s: %s", large.Health, large.Reason, large.Message)
	}
	for _, want := range []string{"18.33%", "2,200 of 12,000 discharges", "98.4% interval 17.5-19.2%", "16.65%"} {
		if !strings.Contains(large.Message, want) {
			t.Errorf("message lacks %q: %s", want, large.Message)
		}
	}
	// The worked example of docs/conditions.md, computed there by hand.
	for got, want := range map[string]string{
		small.Message: "30-day readmission rate 17.5% in 2026-Q3 (fewer than 11 of 40 discharges, 95% interval 8.75-31.95%) is worse than the 16.31% expected, but within sampling noise: the interval holds the plan",
		large.Message: "30-day readmission rate 18.33% over the last 3 quarters to 2026-09-30 (2,200 of 12,000 discharges, 98.4% interval 17.5-19.2%) is above the 16.65% expected over them, beyond the 0.5 tolerance: a shortfall, not sampling noise (target 15.3% by 2027-06-30)",
	} {
		if got != want {
			t.Errorf("message\n got %q\nwant %q (docs/conditions.md)", got, want)
		}
	}
	if large.Score == nil || *large.Score >= 100 {
		t.Errorf("an AtRisk KPI scored %v", large.Score)
	}
}

func TestASmallPeriodIsInsufficientData(t *testing.T) {
	spec := rateReadmissions()
	spec.MinDenominator = 30
	obs := counted(40, 17.5, 17.5)
	obs = append(obs, Observation{Time: d("2026-03-31"), Value: 25, Counts: &Counts{3, 12}})
	at := d("2026-04-15")
	r := KPI(spec, obs, at)
	if r.Health != Unknown || r.Reason != ReasonInsufficientData {
		t.Fatalf("got %s %s: %s", r.Health, r.Reason, r.Message)
	}
	want := "30-day readmission rate: 12 discharges in 2026-Q1: too few to judge (at least 30 needed)"
	if r.Message != want {
		t.Errorf("message\n got %q\nwant %q", r.Message, want)
	}
	obs[2].Counts = &Counts{1, 8}
	if r := KPI(spec, obs, at); !strings.Contains(r.Message, "fewer than 11 discharges in 2026-Q1") {
		t.Errorf("a denominator of 8 was printed: %s", r.Message)
	}
}

func TestAPeriodCountsOnceHoweverOftenItIsRead(t *testing.T) {
	spec := readmissions()
	spec.Period, spec.BreachesBeforeAtRisk = PeriodQuarter, 2
	// Three readings in one quarter, each a breach: one period, not three.
	obs := []Observation{
		{Time: d("2026-07-10"), Value: 18}, {Time: d("2026-08-10"), Value: 18}, {Time: d("2026-09-10"), Value: 18},
	}
	r := KPI(spec, obs, d("2026-09-11"))
	if r.Health != Breaching || r.ConsecutiveBreaches != 1 {
		t.Errorf("got %s with %d breaches: %s", r.Health, r.ConsecutiveBreaches, r.Message)
	}
}

func TestWithoutMaxAgeAValueStaysFreshForItsPeriodPlusTheLag(t *testing.T) {
	spec := readmissions()
	spec.MaxAge, spec.Period, spec.ReportingLag = 0, PeriodQuarter, 45*24*time.Hour
	obs := quarterly(17.6)                   // 2025-09-30
	fresh := KPI(spec, obs, d("2026-02-13")) // 136 days later: a quarter (92 days) + 45 days = 137
	stale := KPI(spec, obs, d("2026-02-15")) // 138 days later
	if fresh.Reason == ReasonStaleData || stale.Reason != ReasonStaleData {
		t.Errorf("fresh: %s (%s); stale: %s (%s)", fresh.Reason, fresh.Message, stale.Reason, stale.Message)
	}
	spec.Period = ""
	if r := KPI(spec, obs, d("2025-10-03")); r.Reason != ReasonOnTrack {
		t.Errorf("with no period the value is fresh for 2 days plus the lag: %s", r.Message)
	}
}

func TestAYearToDateMeasureIsJudgedAgainstItsYearsTarget(t *testing.T) {
	spec := readmissions()
	spec.Period, spec.MaxAge = PeriodMeasurementYear, 0
	// January 2026's year-to-date value is judged against the glide path
	// at the end of the measurement year, 2026-12-31 (15.97%), not at
	// 2026-01-31 (17.22%): 17.0% is behind the year's target.
	o := Observation{Time: d("2026-01-31"), Value: 17.0}
	if got := expectedPoint(spec, judgedAt(spec, o)); math.Abs(got-15.97) > 0.005 {
		t.Errorf("judged against %.3f, want the year's 15.97", got)
	}
	if !IsBreach(spec, o) {
		t.Error("17.0% year to date should breach the year's 15.97% + 0.5")
	}
	spec.Period = PeriodMonth
	if IsBreach(spec, o) {
		t.Error("as a monthly value, 17.0% on 2026-01-31 is within 0.5 of the 17.22% expected then")
	}
}

func TestAProjectionNeedsItsIntervalToMissTheTarget(t *testing.T) {
	// Noisy quarters around the plan: a least-squares line through them
	// points above the target, but its prediction interval holds it.
	noisy := KPI(readmissions(), quarterly(17.0, 17.9, 16.6, 17.5), d("2026-07-15"))
	if noisy.Reason == ReasonProjectedMiss {
		t.Errorf("noise projected a miss: %s", noisy.Message)
	}
	if noisy.Projected == nil || noisy.ProjectedLow == nil || *noisy.ProjectedLow > 15.3 {
		t.Errorf("projection %v with low %v should hold 15.3", noisy.Projected, noisy.ProjectedLow)
	}
}

// TestASmallCellPeriodIsTooSmallToJudgeEveryTime: a period of 9
// discharges is InsufficientData when its counts are at hand and when it
// is read back from the status without them (SmallCell), so the verdict
// does not change between the evaluation that fetched it and the next.
func TestASmallCellPeriodIsTooSmallToJudgeEveryTime(t *testing.T) {
	spec := rateReadmissions()
	fresh := counted(40, 17.5, 17.5, 17.5, 17.5)
	fresh = append(fresh, Observation{Time: d("2026-09-30"), Value: 100 * 4.0 / 9, Counts: &Counts{4, 9}})
	readBack := append([]Observation(nil), fresh...)
	readBack[len(readBack)-1] = Observation{Time: d("2026-09-30"), Value: 100 * 4.0 / 9, SmallCell: true}
	at := d("2026-10-01")
	for name, obs := range map[string][]Observation{"with its counts": fresh, "read back without them": readBack} {
		r := KPI(spec, obs, at)
		want := "30-day readmission rate: fewer than 11 discharges in 2026-Q3: too few to judge (at least 11 needed)"
		if r.Health != Unknown || r.Reason != ReasonInsufficientData || r.Message != want {
			t.Errorf("%s: %s %s %q, want Unknown InsufficientData %q", name, r.Health, r.Reason, r.Message, want)
		}
	}
}
