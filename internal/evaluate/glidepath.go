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
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// lerp is the straight line from (t0, v0) to (t1, v1) at t, held flat
// before t0 and after t1.
func lerp(t0 time.Time, v0 float64, t1 time.Time, v1 float64, t time.Time) float64 {
	if !t1.After(t0) || !t.Before(t1) {
		return v1
	}
	if !t.After(t0) {
		return v0
	}
	f := float64(t.Sub(t0)) / float64(t1.Sub(t0))
	return v0 + f*(v1-v0)
}

// Expected returns the glide-path value at t: the baseline before the
// baseline date, the target after the target date, linear in between. For
// InRange it returns the bounds [lo, hi] acceptable at t: the band narrows
// from the baseline to the range; for other directions lo == hi.
func Expected(spec KPISpec, t time.Time) (lo, hi float64) {
	if spec.Direction != InRange {
		v := lerp(spec.BaselineDate, spec.Baseline, spec.TargetDate, spec.Target, t)
		return v, v
	}
	lo, hi = spec.TargetMin, spec.TargetMax
	switch {
	case spec.Baseline > spec.TargetMax:
		hi = lerp(spec.BaselineDate, spec.Baseline, spec.TargetDate, spec.TargetMax, t)
	case spec.Baseline < spec.TargetMin:
		lo = lerp(spec.BaselineDate, spec.Baseline, spec.TargetDate, spec.TargetMin, t)
	}
	return lo, hi
}

// expectedPoint is the single value the glide path expects at t. For
// InRange it is the bound on the baseline's side (the one that is
// moving), or the middle of the range when the baseline is inside it.
func expectedPoint(spec KPISpec, t time.Time) float64 {
	lo, hi := Expected(spec, t)
	if spec.Direction != InRange {
		return lo
	}
	switch {
	case spec.Baseline > spec.TargetMax:
		return hi
	case spec.Baseline < spec.TargetMin:
		return lo
	default:
		return (lo + hi) / 2
	}
}

// shortfall is how far o is worse than the glide path at its time allows,
// beyond tolerance; positive means a breach.
func shortfall(spec KPISpec, o Observation) float64 {
	lo, hi := Expected(spec, judgedAt(spec, o))
	tol := math.Max(0, spec.Tolerance)
	switch spec.Direction {
	case HigherIsBetter:
		return (lo - tol) - o.Value
	case LowerIsBetter:
		return o.Value - (hi + tol)
	default:
		return math.Max((lo-tol)-o.Value, o.Value-(hi+tol))
	}
}

// isPointBreach is the rule for a value without counts: worse than the
// glide path by more than the tolerance.
func isPointBreach(spec KPISpec, o Observation) bool { return shortfall(spec, o) > 0 }

// targetMet says whether v is at or beyond the final target.
func targetMet(spec KPISpec, v float64) bool {
	switch spec.Direction {
	case HigherIsBetter:
		return v >= spec.Target
	case LowerIsBetter:
		return v <= spec.Target
	default:
		return v >= spec.TargetMin && v <= spec.TargetMax
	}
}

// projected is a least-squares trend evaluated at the target date, with
// its prediction interval there.
type projected struct {
	Value, Low, High float64
}

// project fits a least-squares line through the observations and gives
// its value at at with the prediction interval for a new observation
// there (Student's t with n-2 degrees of freedom, at the confidence
// level); ok is false with fewer than 3 points or no spread in time.
//
// For a rate with counts the residual variance is at least the sampling
// variance its counts imply (the mean of p(1-p)/n x ratePer²): three
// noisy quarters that happen to fall on a line would otherwise give an
// interval far narrower than the noise in each of them.
func project(obs []Observation, at time.Time, confidence float64, ratePer float64) (projected, bool) {
	if len(obs) < 3 {
		return projected{}, false
	}
	t0 := obs[0].Time
	xs := make([]float64, len(obs))
	var n, sx, sy float64
	for i, o := range obs {
		xs[i] = o.Time.Sub(t0).Hours() / 24
		n++
		sx += xs[i]
		sy += o.Value
	}
	mx, my := sx/n, sy/n
	var sxx, sxy float64
	for i, o := range obs {
		sxx += (xs[i] - mx) * (xs[i] - mx)
		sxy += (xs[i] - mx) * (o.Value - my)
	}
	if sxx < 1e-9 {
		return projected{}, false
	}
	slope := sxy / sxx
	icept := my - slope*mx
	var sse float64
	for i, o := range obs {
		r := o.Value - (icept + slope*xs[i])
		sse += r * r
	}
	x0 := at.Sub(t0).Hours() / 24
	v := icept + slope*x0
	variance := sse / (n - 2)
	if ratePer > 0 {
		var sampling float64
		for _, o := range obs {
			if o.Counts == nil || o.Counts.Denominator <= 0 {
				sampling = 0
				break
			}
			p := o.Counts.Numerator / o.Counts.Denominator
			sampling += p * (1 - p) / o.Counts.Denominator * ratePer * ratePer / n
		}
		variance = math.Max(variance, sampling)
	}
	s := math.Sqrt(variance)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 2}.Quantile(1 - (1-confidence)/2)
	half := t * s * math.Sqrt(1+1/n+(x0-mx)*(x0-mx)/sxx)
	if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(half) {
		return projected{}, false
	}
	return projected{Value: v, Low: v - half, High: v + half}, true
}

// IsBreach reports whether o is a breach by the rule that counts toward
// AtRisk, for charts and reports that mark each observation: for a rate
// with counts its whole interval is worse than tolerance of the glide
// path at its time, for other values the value itself is.
func IsBreach(spec KPISpec, o Observation) bool {
	v := judge(spec, []Observation{o}, 1)[0]
	return v.breach
}

// Threshold returns the at-risk boundaries at t: values below lo or above
// hi breach. A HigherIsBetter KPI has no upper bound (hi is +Inf), a
// LowerIsBetter one no lower bound (lo is -Inf).
func Threshold(spec KPISpec, t time.Time) (lo, hi float64) {
	elo, ehi := Expected(spec, t)
	tol := math.Max(0, spec.Tolerance)
	switch spec.Direction {
	case HigherIsBetter:
		return elo - tol, math.Inf(1)
	case LowerIsBetter:
		return math.Inf(-1), ehi + tol
	default:
		return elo - tol, ehi + tol
	}
}
