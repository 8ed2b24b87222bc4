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
	"strconv"
	"time"
)

// periodVerdict is the judgement of one measurement period.
type periodVerdict struct {
	o Observation
	// insufficient: a rate's denominator below spec.MinDenominator, or
	// from 1 to 10 (a small cell, whose counts the status does not keep):
	// neither a breach nor a pass.
	insufficient bool
	// breach: worse than the glide path plus tolerance; for a rate with
	// counts, the whole interval is.
	breach bool
	// noise: a rate whose value is worse than tolerance but whose
	// interval still holds the plan.
	noise bool
	// interval is the rate's Wilson interval in the KPI's unit, when
	// hasInterval.
	lo, hi      float64
	hasInterval bool
	// pooled is the evidence of the last N judged periods ending here
	// (fewer, down to minPooled, early on), nil when there is too little
	// or when they carry no counts.
	pooled *pooledEvidence
}

// pooledEvidence is the counts of the last N periods taken together.
type pooledEvidence struct {
	periods      int
	from, to     Observation
	num, den     float64
	value        float64 // num / den x ratePer
	lo, hi       float64 // its interval
	expLo, expHi float64 // the denominator-weighted expected value (band for InRange)
	breach       bool
}

// pooledStrictness tightens the level of pooled windows: the same
// periods are tested in up to N overlapping windows, one look per period,
// so each look must be stricter than a single period's for the KPI's
// false-alarm rate to stay near its level. 0.32 x (1 - confidence) is
// 0.984 at 0.95, the level the verdict benchmark (docs/conditions.md)
// shows holding false AtRisk at 5% or less at 40 discharges a quarter
// while detecting 80% of 4-point shortfalls at 400.
const pooledStrictness = 0.32

// minPooled is the fewest periods a pooled window takes: from the second
// period on, a window pools what there is up to N periods.
const minPooled = 2

func (s KPISpec) pooledConfidence() float64 { return 1 - pooledStrictness*(1-s.confidence()) }

// isRate says whether the KPI's periods are judged on their counts.
func (s KPISpec) isRate() bool { return s.RatePer > 0 }

func (s KPISpec) confidence() float64 {
	if s.Confidence <= 0 || s.Confidence >= 1 {
		return DefaultConfidence
	}
	return s.Confidence
}

func (s KPISpec) denominatorLabel() string {
	if s.DenominatorLabel != "" {
		return s.DenominatorLabel
	}
	return "cases"
}

// judge gives each period its verdict; n is breachesBeforeAtRisk, the
// pooled window.
func judge(spec KPISpec, obs []Observation, n int) []periodVerdict {
	out := make([]periodVerdict, len(obs))
	var window []int // indexes of judged periods with counts, newest last
	for i, o := range obs {
		v := periodVerdict{o: o}
		if spec.isRate() && (o.SmallCell || (o.Counts != nil && SmallCell(o.Counts.Denominator))) {
			// Judged the same on the evaluation that reads the counts and on
			// every later one, which reads the period back from the status
			// without them.
			v.insufficient = true
			out[i] = v
			continue
		}
		// A negative numerator is one the caller could not recover (a small
		// cell kept out of the status): judged on its value alone.
		if !spec.isRate() || o.Counts == nil || o.Counts.Numerator < 0 {
			v.breach = isPointBreach(spec, o)
			window = window[:0] // pooling needs counts in every period of the window
			out[i] = v
			continue
		}
		c := o.Counts
		if c.Denominator <= 0 || c.Denominator < spec.MinDenominator {
			v.insufficient = true
			out[i] = v
			continue
		}
		lo, hi := Wilson(c.Numerator, c.Denominator, spec.confidence())
		v.lo, v.hi, v.hasInterval = lo*spec.RatePer, hi*spec.RatePer, true
		elo, ehi := Expected(spec, judgedAt(spec, o))
		v.breach = wrongSide(spec, v.lo, v.hi, elo, ehi)
		v.noise = !v.breach && isPointBreach(spec, o)
		window = append(window, i)
		if len(window) > n {
			window = window[len(window)-n:]
		}
		if len(window) >= min(n, minPooled) {
			v.pooled = pool(spec, obs, window)
		}
		out[i] = v
	}
	return out
}

// pool takes the counts of the periods at idx together and compares them
// with the denominator-weighted expected value.
func pool(spec KPISpec, obs []Observation, idx []int) *pooledEvidence {
	p := &pooledEvidence{periods: len(idx), from: obs[idx[0]], to: obs[idx[len(idx)-1]]}
	var wlo, whi float64
	for _, i := range idx {
		c := obs[i].Counts
		p.num += c.Numerator
		p.den += c.Denominator
		elo, ehi := Expected(spec, judgedAt(spec, obs[i]))
		wlo += c.Denominator * elo
		whi += c.Denominator * ehi
	}
	p.expLo, p.expHi = wlo/p.den, whi/p.den
	lo, hi := Wilson(p.num, p.den, spec.pooledConfidence())
	p.lo, p.hi, p.value = lo*spec.RatePer, hi*spec.RatePer, p.num/p.den*spec.RatePer
	p.breach = wrongSide(spec, p.lo, p.hi, p.expLo, p.expHi)
	return p
}

// wrongSide says whether the interval [lo, hi] lies wholly worse than the
// expected band [elo, ehi] plus tolerance.
func wrongSide(spec KPISpec, lo, hi, elo, ehi float64) bool {
	tol := math.Max(0, spec.Tolerance)
	switch spec.Direction {
	case HigherIsBetter:
		return hi < elo-tol
	case LowerIsBetter:
		return lo > ehi+tol
	default:
		return hi < elo-tol || lo > ehi+tol
	}
}

// judgedAt is the time on the glide path a period is judged against: its
// end, or for a year-to-date measure the end of its measurement year (the
// year's target), so that January's reset is not read as a jump.
func judgedAt(spec KPISpec, o Observation) time.Time {
	if spec.Period != PeriodMeasurementYear {
		return o.Time
	}
	end := time.Date(o.Time.UTC().Year(), time.December, 31, 0, 0, 0, 0, time.UTC)
	if !spec.TargetDate.IsZero() && end.After(spec.TargetDate) {
		return spec.TargetDate
	}
	return end
}

// periodEnd is the last day of the calendar period of kind p holding t;
// zero for periods that are not calendar periods.
func periodEnd(p MeasurementPeriod, t time.Time) time.Time {
	t = t.UTC()
	y, m := t.Year(), t.Month()
	switch p {
	case PeriodMonth, PeriodRolling12Months:
		return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	case PeriodQuarter:
		q := (int(m)-1)/3 + 1
		return time.Date(y, time.Month(3*q+1), 0, 0, 0, 0, 0, time.UTC)
	case PeriodMeasurementYear:
		// A year-to-date measure moves every month; each month is a period.
		return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Time{}
}

// samePeriod says whether a and b are readings of one measurement period.
func samePeriod(spec KPISpec, a, b Observation) bool {
	if a.Time.Equal(b.Time) {
		return true
	}
	ea, eb := periodEnd(spec.Period, a.Time), periodEnd(spec.Period, b.Time)
	return !ea.IsZero() && ea.Equal(eb)
}

// DefaultFreshness is how long a value stays fresh when neither maxAge
// nor a period says otherwise.
const DefaultFreshness = 48 * time.Hour

// freshFor is how long after its time the latest value stays fresh:
// maxAge when set, else one period plus the reporting lag (derived true),
// else DefaultFreshness plus the lag.
func freshFor(spec KPISpec, obs []Observation) (d time.Duration, derived bool) {
	if spec.MaxAge > 0 {
		return spec.MaxAge, false
	}
	latest := obs[len(obs)-1]
	var length time.Duration
	switch spec.Period {
	case PeriodMonth:
		length = latest.Time.AddDate(0, 1, 0).Sub(latest.Time)
	case PeriodQuarter:
		length = latest.Time.AddDate(0, 3, 0).Sub(latest.Time)
	case PeriodRolling12Months, PeriodMeasurementYear:
		// Refreshed every month or quarter: the gap between the last two
		// values says which, a quarter when there is only one.
		length = latest.Time.AddDate(0, 3, 0).Sub(latest.Time)
		if len(obs) > 1 {
			length = latest.Time.Sub(obs[len(obs)-2].Time)
		}
	}
	if length == 0 && !latest.PeriodStart.IsZero() && latest.Time.After(latest.PeriodStart) {
		length = latest.Time.Sub(latest.PeriodStart) + 24*time.Hour
	}
	if length <= 0 {
		return DefaultFreshness + spec.ReportingLag, spec.ReportingLag > 0
	}
	return length + spec.ReportingLag, true
}

// periodLabel names the period an observation covers: "2026-Q3",
// "September 2026", "the period ending 2026-09-30".
func periodLabel(spec KPISpec, o Observation) string {
	t := o.Time.UTC()
	switch spec.Period {
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	case PeriodMonth:
		return t.Format("January 2006")
	case PeriodMeasurementYear:
		return fmt.Sprintf("measurement year %d to %s", t.Year(), day(t))
	case PeriodRolling12Months:
		return "the 12 months to " + day(t)
	}
	if !o.PeriodStart.IsZero() {
		return day(o.PeriodStart) + " to " + day(t)
	}
	return "the period ending " + day(t)
}

// periodNouns name one measurement period of the KPI and several, for
// messages: quarters and months when spec.period says so, else "period"
// (a Rolling12Months or MeasurementYear value may be refreshed monthly or
// quarterly, and an undeclared period may be anything).
func periodNouns(spec KPISpec) (one, many string) {
	switch spec.Period {
	case PeriodQuarter:
		return "quarter", "quarters"
	case PeriodMonth:
		return "month", "months"
	}
	return "period", "periods"
}

// periodsInARow counts measurement periods in words: "3 quarters in a
// row", "1 quarter" (one period is not yet a row).
func periodsInARow(spec KPISpec, n int) string {
	one, many := periodNouns(spec)
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s in a row", n, many)
}

// durationWords renders a duration for a sentence: "100 days", "2 hours",
// "90 minutes"; never "2400h0m0s" or an ISO 8601 period.
func durationWords(d time.Duration) string {
	unit := func(n int64, one, many string) string {
		return strconv.FormatInt(n, 10) + " " + plural(int(n), one, many)
	}
	switch {
	case d > 0 && d%(24*time.Hour) == 0:
		return unit(int64(d/(24*time.Hour)), "day", "days")
	case d > 0 && d%time.Hour == 0:
		return unit(int64(d/time.Hour), "hour", "hours")
	case d > 0 && d%time.Minute == 0:
		return unit(int64(d/time.Minute), "minute", "minutes")
	}
	return d.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func percentLevel(c float64) string { return FormatNumber(100*c) + "%" }

// evidencePhrase is " (7 of 40 discharges, 95% interval 8.7-32.0%)" for a
// rate's period, "" otherwise. Counts of 1 to 10 are "fewer than 11".
func evidencePhrase(spec KPISpec, v periodVerdict) string {
	if !v.hasInterval {
		return ""
	}
	return fmt.Sprintf(" (%s of %s %s, %s interval %s)", FormatCount(v.o.Counts.Numerator), FormatCount(v.o.Counts.Denominator),
		spec.denominatorLabel(), percentLevel(spec.confidence()), rangePhrase(spec, v.lo, v.hi))
}

func rangePhrase(spec KPISpec, lo, hi float64) string {
	return FormatNumber(lo) + "-" + FormatValue(hi, spec.Unit)
}

func bandPhrase(spec KPISpec, lo, hi float64) string {
	if spec.Direction == InRange {
		return FormatNumber(lo) + " to " + FormatValue(hi, spec.Unit)
	}
	if spec.Direction == HigherIsBetter {
		return FormatValue(lo, spec.Unit)
	}
	return FormatValue(hi, spec.Unit)
}

// pooledSentence explains an AtRisk verdict from pooled counts.
func pooledSentence(spec KPISpec, p pooledEvidence) string {
	side := "above"
	switch spec.Direction {
	case HigherIsBetter:
		side = "below"
	case InRange:
		side = "outside"
	}
	one, many := periodNouns(spec)
	return fmt.Sprintf("%s %s over the last %d %s to %s (%s of %s %s, %s interval %s) is %s the %s expected over them, beyond the %s tolerance: a shortfall, not sampling noise (target %s)",
		spec.DisplayName, FormatValue(p.value, spec.Unit), p.periods, plural(p.periods, one, many), day(p.to.Time), FormatCount(p.num), FormatCount(p.den), spec.denominatorLabel(),
		percentLevel(spec.pooledConfidence()), rangePhrase(spec, p.lo, p.hi), side, bandPhrase(spec, p.expLo, p.expHi), FormatNumber(math.Max(0, spec.Tolerance)), targetShort(spec))
}

// noiseSentence explains a rate worse than tolerance whose interval still
// holds the plan.
func noiseSentence(spec KPISpec, v periodVerdict) string {
	elo, ehi := Expected(spec, judgedAt(spec, v.o))
	return fmt.Sprintf("%s %s in %s%s is worse than the %s expected, but within sampling noise: the interval holds the plan",
		spec.DisplayName, FormatValue(v.o.Value, spec.Unit), periodLabel(spec, v.o), evidencePhrase(spec, v), bandPhrase(spec, elo, ehi))
}

func targetShort(spec KPISpec) string {
	if spec.Direction == InRange {
		return fmt.Sprintf("%s to %s by %s", FormatNumber(spec.TargetMin), FormatValue(spec.TargetMax, spec.Unit), day(spec.TargetDate))
	}
	return fmt.Sprintf("%s by %s", FormatValue(spec.Target, spec.Unit), day(spec.TargetDate))
}
