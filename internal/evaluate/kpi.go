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
	"sort"
	"time"
)

// KPI judges a KPI from its spec and its observations (any order) at now.
// Each observation is compared with the glide path at its own time, not at
// now, so that quarterly reports are not penalised for reporting lag.
func KPI(spec KPISpec, obs []Observation, now time.Time) KPIResult {
	obs = clean(obs, now)
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
	if p, ok := projection(obs, spec.TargetDate); ok && spec.Direction != InRange {
		res.Projected = &p
	}
	if spec.MaxAge > 0 && now.Sub(latest.Time) > spec.MaxAge {
		res.Health, res.Reason = Unknown, ReasonStaleData
		res.Message = fmt.Sprintf("%s: the latest value (%s on %s) is older than the allowed %s",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), compactDuration(spec.MaxAge))
		return res
	}
	if spec.MaxAge > 0 {
		res.NextChange = latest.Time.Add(spec.MaxAge)
	}

	n := spec.BreachesBeforeAtRisk
	if n < 1 {
		n = 1
	}
	atRisk, bad, good := false, 0, 0
	for _, o := range obs {
		if isBreach(spec, o) {
			bad, good = bad+1, 0
			if bad >= n {
				atRisk = true
			}
		} else {
			good, bad = good+1, 0
			if atRisk && good >= n {
				atRisk = false
			}
		}
	}
	res.ConsecutiveBreaches = int32(min(bad, math.MaxInt32))
	breach := bad > 0
	res.Score = score(spec, latest, breach)

	switch {
	case atRisk && breach:
		res.Health, res.Reason = AtRisk, ReasonOffTrack
		res.Message = fmt.Sprintf("%s, %d evaluations in a row", behindSentence(spec, latest), bad)
	case atRisk:
		res.Health, res.Reason = AtRisk, ReasonRecovering
		res.Message = fmt.Sprintf("%s is back within tolerance (%s on %s), %d of %d good evaluations needed to clear AtRisk",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), good, n)
	case breach:
		res.Health, res.Reason = Breaching, ReasonBehindPlan
		res.Message = fmt.Sprintf("%s (%d of %d breaches before AtRisk)", behindSentence(spec, latest), bad, n)
	case targetMet(spec, latest.Value):
		res.Health, res.Reason = Healthy, ReasonTargetMet
		res.Message = fmt.Sprintf("%s %s on %s meets the target (%s)", name, FormatValue(latest.Value, spec.Unit), day(latest.Time), targetPhrase(spec))
	case res.Projected != nil && now.Before(spec.TargetDate) && projectedMiss(spec, *res.Projected):
		res.Health, res.Reason = AtRisk, ReasonProjectedMiss
		res.Message = fmt.Sprintf("%s %s on %s is on track now, but the trend projects %s at %s against a target of %s",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), FormatValue(*res.Projected, spec.Unit), day(spec.TargetDate), FormatValue(spec.Target, spec.Unit))
	default:
		res.Health, res.Reason = Healthy, ReasonOnTrack
		res.Message = fmt.Sprintf("%s %s on %s is on track: %s expected by then (%s)",
			name, FormatValue(latest.Value, spec.Unit), day(latest.Time), expectedPhrase(spec, latest.Time), targetPhrase(spec))
	}
	return res
}

// clean drops unusable observations (NaN, Inf, in the future), sorts the
// rest by time and keeps the last one given for a repeated time.
func clean(obs []Observation, now time.Time) []Observation {
	out := make([]Observation, 0, len(obs))
	for _, o := range obs {
		if math.IsNaN(o.Value) || math.IsInf(o.Value, 0) || o.Time.After(now) {
			continue
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	dedup := out[:0]
	for _, o := range out {
		if len(dedup) > 0 && dedup[len(dedup)-1].Time.Equal(o.Time) {
			dedup[len(dedup)-1] = o
			continue
		}
		dedup = append(dedup, o)
	}
	return dedup
}

func projectedMiss(spec KPISpec, p float64) bool {
	tol := math.Max(0, spec.Tolerance)
	switch spec.Direction {
	case HigherIsBetter:
		return p < spec.Target-tol
	case LowerIsBetter:
		return p > spec.Target+tol
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

// score is the KPI's contribution to objectives: 100 within tolerance of
// the glide path, else the share of the expected progress actually made.
func score(spec KPISpec, latest Observation, breach bool) *int32 {
	var s int32 = 100
	if breach {
		if spec.Direction == InRange {
			width := math.Max(spec.TargetMax-spec.TargetMin, 1e-12)
			s = clampInt(100*(1-shortfall(spec, latest)/width), 0, 99)
		} else {
			expected := expectedPoint(spec, latest.Time) - spec.Baseline
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

func expectedPhrase(spec KPISpec, t time.Time) string {
	lo, hi := Expected(spec, t)
	if spec.Direction == InRange {
		return fmt.Sprintf("%s to %s", FormatNumber(lo), FormatValue(hi, spec.Unit))
	}
	return FormatValue(lo, spec.Unit)
}

// behindSentence says how an observation misses the glide path.
func behindSentence(spec KPISpec, o Observation) string {
	side := "below"
	if spec.Direction == LowerIsBetter {
		side = "above"
	}
	if spec.Direction == InRange {
		return fmt.Sprintf("%s %s on %s is outside the %s expected by then (%s)",
			spec.DisplayName, FormatValue(o.Value, spec.Unit), day(o.Time), expectedPhrase(spec, o.Time), targetPhrase(spec))
	}
	return fmt.Sprintf("%s %s on %s is %s the %s expected by then (%s)",
		spec.DisplayName, FormatValue(o.Value, spec.Unit), day(o.Time), side, expectedPhrase(spec, o.Time), targetPhrase(spec))
}

// startOfDay is midnight UTC of t's day. The glide path "now" is read per
// day: read at the evaluation's instant, its rounded value ticked every few
// hours and every KPI sharing the measure's dates wrote its status at once
// (1,111 writes in a benchmark's five minutes at rest).
func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
