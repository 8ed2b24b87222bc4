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

// Package chart draws a KPI's recent history against its glide path as
// inline SVG, generated in Go, for the dashboard and the joint-review
// report: no script, no network fetch, no front-end build. Every chart
// carries a <title> and a <desc>, and the numbers behind it come back as
// rows so that pages print them as a table beside it. Observations in the
// at-risk zone are drawn as triangles, the others as circles, so colour is
// never the only signal.
package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/accord-dev/accord/internal/evaluate"
)

// Input is one KPI to draw.
type Input struct {
	// ID is unique within the page that embeds the chart; element ids
	// (title, desc, hatch pattern) derive from it.
	ID string
	// Spec is the KPI's glide path, tolerance, unit and direction.
	Spec evaluate.KPISpec
	// History holds the observations to draw, in any order.
	History []evaluate.Observation
	// Now places the "today" marker.
	Now time.Time
}

// Row is one observation as the data table beside the chart shows it.
type Row struct {
	// Date of the observation (YYYY-MM-DD).
	Date string
	// Value with its unit, e.g. "17.2%".
	Value string
	// Expected is what the glide path expected on that date.
	Expected string
	// Threshold is where the at-risk zone began on that date.
	Threshold string
	// Breach is true when the value was in the at-risk zone.
	Breach bool
	// Status says the same in words: "At-risk zone" or "Within tolerance".
	Status string
}

// Chart is a rendered chart with its text alternatives.
type Chart struct {
	// SVG is the <svg> element, safe to embed in HTML.
	SVG template.HTML
	// Title names the chart, e.g. "30-day readmission rate against its glide path".
	Title string
	// Desc describes it in sentences for readers who cannot see it.
	Desc string
	// Rows are the observations, oldest first.
	Rows []Row
}

// Plot geometry, in SVG user units.
const (
	width, height            = 640.0, 280.0
	left, right, top, bottom = 72.0, 624.0, 40.0, 236.0
)

// Render draws in.
func Render(in Input) (Chart, error) {
	spec := in.Spec
	obs := sorted(in.History)
	p := newPlot(spec, obs, in.Now)

	d := svgData{ID: in.ID, Width: width, Height: height, Left: left, Right: right, Top: top, Bottom: bottom}
	d.Title = spec.DisplayName + " against its glide path"
	d.Desc = describe(spec, obs)
	d.XTicks, d.YTicks = p.xTicks(), p.yTicks(spec.Unit)

	times := p.breakpoints()
	lowZone, highZone := spec.Direction != evaluate.LowerIsBetter, spec.Direction != evaluate.HigherIsBetter
	glideLo, glideHi := make([]string, 0, len(times)), make([]string, 0, len(times))
	thrLo, thrHi := make([]string, 0, len(times)), make([]string, 0, len(times))
	for _, t := range times {
		elo, ehi := evaluate.Expected(spec, t)
		tlo, thi := evaluate.Threshold(spec, t)
		glideLo = append(glideLo, p.pt(t, elo))
		glideHi = append(glideHi, p.pt(t, ehi))
		thrLo = append(thrLo, p.pt(t, tlo))
		thrHi = append(thrHi, p.pt(t, thi))
	}
	d.Glide = []string{strings.Join(glideLo, " ")}
	if spec.Direction == evaluate.InRange {
		d.Glide = append(d.Glide, strings.Join(glideHi, " "))
	}
	if lowZone {
		d.Thresholds = append(d.Thresholds, strings.Join(thrLo, " "))
		d.Zones = append(d.Zones, strings.Join(append(thrLo, p.pt(p.t1, p.ymin), p.pt(p.t0, p.ymin)), " "))
	}
	if highZone {
		d.Thresholds = append(d.Thresholds, strings.Join(thrHi, " "))
		d.Zones = append(d.Zones, strings.Join(append(thrHi, p.pt(p.t1, p.ymax), p.pt(p.t0, p.ymax)), " "))
	}

	line := make([]string, 0, len(obs))
	rows := make([]Row, 0, len(obs))
	for _, o := range obs {
		breach := evaluate.IsBreach(spec, o)
		r := Row{Date: day(o.Time), Value: evaluate.FormatValue(o.Value, spec.Unit),
			Expected: expectedText(spec, o.Time), Threshold: thresholdText(spec, o.Time), Breach: breach, Status: "Within tolerance"}
		if breach {
			r.Status = "At-risk zone"
		}
		rows = append(rows, r)
		x, y := p.sx(o.Time), p.sy(o.Value)
		line = append(line, coord(x, y))
		d.Points = append(d.Points, point{X: x, Y: y, Breach: breach, Label: r.Date + ": " + r.Value + " (" + strings.ToLower(r.Status) + ")"})
	}
	d.Actual = strings.Join(line, " ")
	d.Count = len(obs)

	if spec.Direction != evaluate.InRange {
		d.Target = &point{X: p.sx(spec.TargetDate), Y: p.sy(spec.Target),
			Label: "Target " + evaluate.FormatValue(spec.Target, spec.Unit) + " by " + day(spec.TargetDate)}
	}
	if !in.Now.Before(p.t0) && !in.Now.After(p.t1) {
		x := p.sx(in.Now)
		d.Today = &today{X: x, LabelLeft: x > right-48}
	}

	var b bytes.Buffer
	if err := svgTemplate.Execute(&b, d); err != nil {
		return Chart{}, fmt.Errorf("render chart %s: %w", in.ID, err)
	}
	//nolint:gosec // produced by html/template, which escaped every value
	return Chart{SVG: template.HTML(b.String()), Title: d.Title, Desc: d.Desc, Rows: rows}, nil
}

func sorted(obs []evaluate.Observation) []evaluate.Observation {
	out := append([]evaluate.Observation(nil), obs...)
	slices.SortStableFunc(out, func(a, b evaluate.Observation) int { return a.Time.Compare(b.Time) })
	return out
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func coord(x, y float64) string { return fmt.Sprintf("%.1f,%.1f", x, y) }

// directionWords says which way is good.
func directionWords(d evaluate.Direction) string {
	switch d {
	case evaluate.HigherIsBetter:
		return "higher is better"
	case evaluate.LowerIsBetter:
		return "lower is better"
	default:
		return "should stay within a range"
	}
}

func expectedText(spec evaluate.KPISpec, t time.Time) string {
	lo, hi := evaluate.Expected(spec, t)
	if spec.Direction == evaluate.InRange {
		return evaluate.FormatNumber(lo) + " to " + evaluate.FormatValue(hi, spec.Unit)
	}
	return evaluate.FormatValue(lo, spec.Unit)
}

func thresholdText(spec evaluate.KPISpec, t time.Time) string {
	lo, hi := evaluate.Threshold(spec, t)
	switch spec.Direction {
	case evaluate.HigherIsBetter:
		return "below " + evaluate.FormatValue(lo, spec.Unit)
	case evaluate.LowerIsBetter:
		return "above " + evaluate.FormatValue(hi, spec.Unit)
	default:
		return "below " + evaluate.FormatValue(lo, spec.Unit) + " or above " + evaluate.FormatValue(hi, spec.Unit)
	}
}

// describe is the chart in sentences, for its <desc>.
func describe(spec evaluate.KPISpec, obs []evaluate.Observation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s). ", spec.DisplayName, directionWords(spec.Direction))
	if spec.Direction == evaluate.InRange {
		fmt.Fprintf(&b, "Glide path from %s on %s to the range %s to %s by %s. ",
			evaluate.FormatValue(spec.Baseline, spec.Unit), day(spec.BaselineDate),
			evaluate.FormatNumber(spec.TargetMin), evaluate.FormatValue(spec.TargetMax, spec.Unit), day(spec.TargetDate))
	} else {
		fmt.Fprintf(&b, "Glide path from %s on %s to a target of %s by %s. ",
			evaluate.FormatValue(spec.Baseline, spec.Unit), day(spec.BaselineDate),
			evaluate.FormatValue(spec.Target, spec.Unit), day(spec.TargetDate))
	}
	fmt.Fprintf(&b, "The at-risk zone starts %s beyond the glide path. ", evaluate.FormatValue(math.Max(0, spec.Tolerance), spec.Unit))
	if len(obs) == 0 {
		b.WriteString("No values yet.")
		return b.String()
	}
	breaches := 0
	for _, o := range obs {
		if evaluate.IsBreach(spec, o) {
			breaches++
		}
	}
	last := obs[len(obs)-1]
	fmt.Fprintf(&b, "%d values from %s to %s, %d in the at-risk zone; the latest, %s on %s, compares with %s expected then.",
		len(obs), day(obs[0].Time), day(last.Time), breaches,
		evaluate.FormatValue(last.Value, spec.Unit), day(last.Time), expectedText(spec, last.Time))
	return b.String()
}
