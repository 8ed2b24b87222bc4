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

package chart

import (
	"math"
	"slices"
	"time"

	"github.com/accord-dev/accord/internal/evaluate"
)

// plot maps time and value onto the drawing area.
type plot struct {
	spec       evaluate.KPISpec
	t0, t1     time.Time
	ymin, ymax float64
}

// newPlot spans the glide path from baseline to target, every
// observation, today, and the values the path and its at-risk boundary
// take, with a margin.
func newPlot(spec evaluate.KPISpec, obs []evaluate.Observation, now time.Time) plot {
	p := plot{spec: spec, t0: spec.BaselineDate, t1: spec.TargetDate}
	if len(obs) > 0 {
		if obs[0].Time.Before(p.t0) {
			p.t0 = obs[0].Time
		}
		if last := obs[len(obs)-1].Time; last.After(p.t1) {
			p.t1 = last
		}
	}
	if now.After(p.t1) {
		p.t1 = now
	}
	if !p.t1.After(p.t0) {
		p.t1 = p.t0.Add(24 * time.Hour)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(v float64) {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for _, t := range p.breakpoints() {
		elo, ehi := evaluate.Expected(spec, t)
		tlo, thi := evaluate.Threshold(spec, t)
		see(elo)
		see(ehi)
		see(tlo)
		see(thi)
	}
	for _, o := range obs {
		see(o.Value)
	}
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(hi), 1)
	}
	p.ymin, p.ymax = lo-0.12*span, hi+0.12*span
	// Quantities that cannot be negative should not show negative axes.
	if lo >= 0 && p.ymin < 0 {
		p.ymin = 0
	}
	return p
}

// breakpoints are the times where the piecewise-linear glide path bends,
// within the plotted span.
func (p plot) breakpoints() []time.Time {
	ts := []time.Time{p.t0, p.t1}
	for _, t := range []time.Time{p.spec.BaselineDate, p.spec.TargetDate} {
		if t.After(p.t0) && t.Before(p.t1) {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

func (p plot) sx(t time.Time) float64 {
	f := float64(t.Sub(p.t0)) / float64(p.t1.Sub(p.t0))
	return left + f*(right-left)
}

func (p plot) sy(v float64) float64 {
	v = math.Max(p.ymin, math.Min(p.ymax, v))
	return bottom - (v-p.ymin)/(p.ymax-p.ymin)*(bottom-top)
}

func (p plot) pt(t time.Time, v float64) string { return coord(p.sx(t), p.sy(v)) }

// tick is an axis label at a position.
type tick struct {
	Pos   float64
	Label string
}

// yTicks are about five round values across the value span.
func (p plot) yTicks(unit string) []tick {
	step := niceStep((p.ymax - p.ymin) / 5)
	var out []tick
	for v := math.Ceil(p.ymin/step) * step; v <= p.ymax+step*1e-9; v += step {
		label := evaluate.FormatNumber(v)
		if math.Abs(v) >= 1000 {
			label = evaluate.FormatValue(v, "")
		}
		if unit == "%" {
			label += "%"
		}
		out = append(out, tick{Pos: p.sy(v), Label: label})
	}
	return out
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*mag {
			return m * mag
		}
	}
	return 10 * mag
}

// xTicks label the first day of quarters (or of years, for long spans),
// at most eight of them.
func (p plot) xTicks() []tick {
	months := 3
	if p.t1.Sub(p.t0) > 3*365*24*time.Hour {
		months = 12
	}
	start := time.Date(p.t0.Year(), time.Month(((int(p.t0.Month())-1)/months)*months+1), 1, 0, 0, 0, 0, time.UTC)
	if start.Before(p.t0) {
		start = start.AddDate(0, months, 0)
	}
	var ts []time.Time
	for t := start; !t.After(p.t1); t = t.AddDate(0, months, 0) {
		ts = append(ts, t)
	}
	every := (len(ts) + 7) / 8
	var out []tick
	for i, t := range ts {
		if i%max(every, 1) != 0 {
			continue
		}
		label := t.Format("Jan 2006")
		if months == 12 {
			label = t.Format("2006")
		}
		out = append(out, tick{Pos: p.sx(t), Label: label})
	}
	return out
}
