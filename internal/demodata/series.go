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

// Package demodata serves the made-up live metric sources of `make demo`:
// a partner's care-coordination API (HTTP JSON), a health plan's FHIR R4
// quality-measure server, and a telehealth platform's Prometheus metrics
// with months of history as OpenMetrics for promtool to backfill. No value
// here describes a real organisation or person.
package demodata

import (
	"math"
	"time"
)

// Series is a measure that improves from a baseline towards a target,
// running slightly ahead of the straight line between them, with a weekly
// wobble so charts look like real data.
type Series struct {
	Baseline, Target float64
	From, To         time.Time
	// Lead is how far ahead of the straight line the measure runs, in the
	// measure's unit (towards the target).
	Lead float64
	// Wobble is the amplitude of the weekly wave.
	Wobble float64
}

// At is the measure's value at t, rounded to one decimal.
func (s Series) At(t time.Time) float64 {
	f := t.Sub(s.From).Hours() / s.To.Sub(s.From).Hours()
	f = math.Max(0, math.Min(1, f))
	sign := 1.0
	if s.Target < s.Baseline {
		sign = -1
	}
	days := t.Sub(s.From).Hours() / 24
	v := s.Baseline + (s.Target-s.Baseline)*f + sign*s.Lead + s.Wobble*math.Sin(2*math.Pi*days/7)
	return math.Round(v*10) / 10
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The demo's three live measures. Their baselines and targets match the
// KPIs in config/demo.
var (
	// VideoConnect is the share of telehealth video consults that connect
	// on the first attempt, in percent (Prometheus).
	VideoConnect = Series{Baseline: 92, Target: 98, From: date(2025, 12, 31), To: date(2026, 12, 31), Lead: 0.4, Wobble: 0.2}
	// FollowUp is the share of discharged network patients seen within
	// seven days, in percent (the partner's HTTP JSON API).
	FollowUp = Series{Baseline: 48, Target: 70, From: date(2025, 7, 1), To: date(2027, 6, 30), Lead: 1.5, Wobble: 0.6}
	// ControllingBP is HEDIS Controlling High Blood Pressure, in percent
	// (the health plan's FHIR MeasureReports).
	ControllingBP = Series{Baseline: 58, Target: 68, From: date(2025, 3, 31), To: date(2027, 12, 31), Lead: 0.8, Wobble: 0.3}
)
