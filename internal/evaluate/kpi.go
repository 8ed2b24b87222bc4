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
	"slices"
	"time"
)

// KPI judges a KPI from its spec and its observations (any order) at now.
// Each observation is compared with the glide path at its own time, not
// at now, so that quarterly reports are not penalised for reporting lag.
// Observations are measurement periods: several readings of one period
// (by its end) count once, the newest winning.
//
// A rate with counts (spec.RatePer and Observation.Counts) is judged on
// evidence rather than on its point value: a period is a breach only when
// its whole Wilson interval is worse than the glide path plus tolerance,
// and the pooled counts of the last BreachesBeforeAtRisk periods make the
// KPI AtRisk on their own when their interval is. docs/conditions.md
// states the rule and its measured false-alarm rate and power.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func KPI(spec KPISpec, obs []Observation, now time.Time) KPIResult {
	obs = clean(spec, obs, now)
	res := KPIResult{ExpectedNow: expectedPoint(spec, startOfDay(now))}
	name := spec.DisplayName
	if len(obs) == 0 {
		res.Health, res.Reason = Unknown, ReasonNoData
		res.Message = name + " has no data yet"
		return res
	}
	latest := obs[len(obs)-1]
	res.Latest = &latest
	res.AttainmentPercent = attainment(spec, latest.Value)
	res.TargetMetSince = targetMetSince(spec, obs)
	var proj projected
	if p, ok := project(obs, spec.TargetDate, spec.confidence(), spec.RatePer); ok && spec.Direction != InRange {
		proj = p
		res.Projected = &proj.Value
		res.ProjectedLow, res.ProjectedHigh = &proj.Low, &proj.High
	}
	fresh, derived := freshFor(spec, obs)
	if now.Sub(latest.Time) > fresh {
		res.Health, res.Reason = Unknown, ReasonStaleData
		allowed := "the allowed " + durationWords(fresh)
		if derived {
			allowed = "its period plus reporting lag (" + durationWords(fresh) + ")"
		}
		res.Message = fmt.Sprintf("%s: the latest value (%s on %s) is older than %s",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), allowed)
		return res
	}
	res.NextChange = latest.Time.Add(fresh)

	n := max(spec.BreachesBeforeAtRisk, 1)
	verdicts := judge(spec, obs, n)
	atRisk, bad, good := false, 0, 0
	var cause *pooledEvidence // the pooled window that made the KPI AtRisk, nil when breaches in a row did
	for i := range verdicts {
		v := &verdicts[i]
		if v.insufficient {
			continue // neither a breach nor a pass
		}
		if v.breach {
			bad, good = bad+1, 0
		} else {
			good, bad = good+1, 0
		}
		switch {
		case bad >= n:
			atRisk, cause = true, nil
		case v.pooled != nil && v.pooled.breach:
			atRisk, cause = true, v.pooled
		case atRisk && good >= n:
			atRisk = false
		}
	}
	last := verdicts[len(verdicts)-1]
	res.ConsecutiveBreaches = int32(min(bad, math.MaxInt32))
	breach := last.breach
	pooledNow := last.pooled != nil && last.pooled.breach

	switch {
	case last.insufficient && !atRisk:
		res.Health, res.Reason = Unknown, ReasonInsufficientData
		res.Message = fmt.Sprintf("%s: %s %s in %s: too few to judge (at least %s needed)",
			name, denominatorCount(last.o), spec.denominatorLabel(), periodLabel(spec, last.o), FormatCount(max(spec.MinDenominator, 11)))
	case atRisk && pooledNow && bad < n:
		res.Health, res.Reason = AtRisk, ReasonOffTrack
		res.Message = pooledSentence(spec, *last.pooled)
	case atRisk && breach:
		res.Health, res.Reason = AtRisk, ReasonOffTrack
		res.Message = behindSentence(spec, last) + ", " + periodsInARow(spec, bad)
	case atRisk:
		res.Health, res.Reason = AtRisk, ReasonRecovering
		one, many := periodNouns(spec)
		why := fmt.Sprintf("%d of %d good %s in a row needed to clear AtRisk", good, n, plural(n, one, many))
		if cause != nil && good >= n {
			why = "AtRisk clears once the pooled evidence no longer shows a shortfall"
		}
		res.Message = fmt.Sprintf("%s is back within tolerance (%s on %s), %s",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), why)
	case breach:
		res.Health, res.Reason = Breaching, ReasonBehindPlan
		res.Message = fmt.Sprintf("%s (%s; %d in a row make it AtRisk)", behindSentence(spec, last), periodsInARow(spec, bad), n)
	case targetMet(spec, latest.Value):
		res.Health, res.Reason = Healthy, ReasonTargetMet
		res.Message = fmt.Sprintf("%s %s on %s meets the target (%s)", name, FormatValue(latest.Value, spec.Unit), day(latest.Time), targetPhrase(spec))
	case res.Projected != nil && now.Before(spec.TargetDate) && projectedMiss(spec, proj):
		res.Health, res.Reason = AtRisk, ReasonProjectedMiss
		res.Message = fmt.Sprintf("%s %s on %s is on track now, but the trend is projected %s (%s-%s) by %s, target %s",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), FormatValue(proj.Value, spec.Unit), FormatNumber(proj.Low), FormatValue(proj.High, spec.Unit), day(spec.TargetDate), FormatValue(spec.Target, spec.Unit))
	case last.noise:
		res.Health, res.Reason = Healthy, ReasonWithinNoise
		res.Message = noiseSentence(spec, last)
	default:
		res.Health, res.Reason = Healthy, ReasonOnTrack
		res.Message = fmt.Sprintf("%s %s on %s is on track: %s expected by then (%s)",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), expectedPhrase(spec, latest), targetPhrase(spec))
	}
	if res.Health != Unknown {
		res.Score = score(spec, latest, res.Health == AtRisk || res.Health == Breaching)
	}
	return res
}

// clean drops unusable observations (NaN, Inf, in the future), sorts the
// rest by time and keeps one per measurement period: the last given for a
// repeated time, and, when the KPI declares a calendar period, the newest
// reading of each period, so that a source read every few minutes counts
// each period once.
// ClockSkew is how far after the evaluation time an observation may be
// dated and still count. A live source stamps its answer with its own clock
// when it answers, which is after the reconciler read its clock: without
// this margin a fresh Prometheus value would be dropped as "from the future"
// and the KPI would read "no data yet" until its next evaluation.
const ClockSkew = 5 * time.Minute

func clean(spec KPISpec, obs []Observation, now time.Time) []Observation {
	out := make([]Observation, 0, len(obs))
	for _, o := range obs {
		if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || o.Time.After(now.Add(ClockSkew)) {
			continue
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b Observation) int { return a.Time.Compare(b.Time) })
	dedup := out[:0]
	for _, o := range out {
		if len(dedup) > 0 && samePeriod(spec, dedup[len(dedup)-1], o) {
			dedup[len(dedup)-1] = o
			continue
		}
		dedup = append(dedup, o)
	}
	return dedup
}

// projectedMiss says whether the target lies outside the projection's
// prediction interval at the deadline, on the wrong side by more than the
// tolerance: a trend through a few noisy points is not a miss.
func projectedMiss(spec KPISpec, p projected) bool {
	tol := math.Max(0, spec.Tolerance)
	switch spec.Direction {
	case HigherIsBetter:
		return p.High < spec.Target-tol
	case LowerIsBetter:
		return p.Low > spec.Target+tol
	}
	return false
}

func clampInt(v float64, lo, hi int32) int32 {
	if math.IsNaN(v) {
		return lo
	}
	return int32(math.Max(float64(lo), math.Min(float64(hi), math.Round(v))))
}

// attainment is the progress of v from the baseline toward the target, in
// percent; for InRange, 100 inside the range and less the further out.
func attainment(spec KPISpec, v float64) *int32 {
	var a float64
	if spec.Direction == InRange {
		dist := math.Max(spec.TargetMin-v, v-spec.TargetMax)
		if dist <= 0 {
			a = 100
		} else {
			ref := math.Max(spec.Baseline-spec.TargetMax, spec.TargetMin-spec.Baseline)
			if ref <= 0 {
				ref = spec.TargetMax - spec.TargetMin
			}
			if ref <= 0 {
				a = 0
			} else {
				a = math.Min(99, 100*(1-dist/ref))
			}
		}
	} else {
		gap := spec.Target - spec.Baseline
		switch {
		case math.Abs(gap) < 1e-12 && targetMet(spec, v):
			a = 100
		case math.Abs(gap) < 1e-12:
			a = 0
		default:
			a = 100 * (v - spec.Baseline) / gap
		}
	}
	r := clampInt(a, -1000, 1000)
	return &r
}

// score is the KPI's contribution to objectives: 100 when it is judged
// on track, else the share of the expected progress actually made,
// clamped to [0, 99] so that a KPI AtRisk or Breaching never scores 100.
func score(spec KPISpec, latest Observation, behind bool) *int32 {
	var s int32 = 100
	if behind {
		if spec.Direction == InRange {
			width := math.Max(spec.TargetMax-spec.TargetMin, 1e-12)
			s = clampInt(100*(1-math.Max(0, shortfall(spec, latest))/width), 0, 99)
		} else {
			expected := expectedPoint(spec, judgedAt(spec, latest)) - spec.Baseline
			actual := latest.Value - spec.Baseline
			if math.Abs(expected) < 1e-12 {
				s = 0
			} else {
				s = clampInt(100*actual/expected, 0, 99)
			}
		}
	}
	return &s
}

func targetPhrase(spec KPISpec) string {
	if spec.Direction == InRange {
		return fmt.Sprintf("target %s to %s by %s", FormatNumber(spec.TargetMin), FormatValue(spec.TargetMax, spec.Unit), day(spec.TargetDate))
	}
	return fmt.Sprintf("target %s by %s", FormatValue(spec.Target, spec.Unit), day(spec.TargetDate))
}

func expectedPhrase(spec KPISpec, o Observation) string {
	lo, hi := Expected(spec, judgedAt(spec, o))
	if spec.Direction == InRange {
		return fmt.Sprintf("%s to %s", FormatNumber(lo), FormatValue(hi, spec.Unit))
	}
	return FormatValue(lo, spec.Unit)
}

// behindSentence says how a period misses the glide path.
func behindSentence(spec KPISpec, v periodVerdict) string {
	o := v.o
	side := "below"
	if spec.Direction == LowerIsBetter {
		side = "above"
	}
	if spec.Direction == InRange {
		return fmt.Sprintf("%s %s on %s%s is outside the %s expected by then (%s)",
			spec.DisplayName, FormatValue(o.Value, spec.Unit), day(o.Time), evidencePhrase(spec, v), expectedPhrase(spec, o), targetPhrase(spec))
	}
	return fmt.Sprintf("%s %s on %s%s is %s the %s expected by then (%s)",
		spec.DisplayName, FormatValue(o.Value, spec.Unit), day(o.Time), evidencePhrase(spec, v), side, expectedPhrase(spec, o), targetPhrase(spec))
}

// startOfDay is midnight UTC of t's day. The glide path "now" is read per
// day: read at the evaluation's instant, its rounded value ticked every few
// hours and every KPI sharing the measure's dates wrote its status at once
// (1,111 writes in a benchmark's five minutes at rest).
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// targetMetSince is the time of the first of the latest run of
// observations that meet the target, zero when the latest does not: the
// moment of the crossing, the same however often the KPI is judged.
func targetMetSince(spec KPISpec, obs []Observation) time.Time {
	var since time.Time
	for i := len(obs) - 1; i >= 0 && targetMet(spec, obs[i].Value); i-- {
		since = obs[i].Time
	}
	return since
}
