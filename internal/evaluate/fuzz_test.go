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
	"testing"
	"time"
)

// FuzzObjective drives the objective roll-up with arbitrary KPI verdicts,
// scores, attainments and weights (the weights as the CRD allows them,
// 1..100). Properties: the score lies between the lowest and the highest
// KPI score; progress lies in 0..100; the counts add up to the total; a
// critical KPI at risk makes the objective at risk.
func FuzzObjective(f *testing.F) {
	f.Add([]byte{1, 90, 50, 10, 0, 2, 30, 120, 100, 1}, int32(70))
	f.Add([]byte{3, 0, 0, 1, 1}, int32(0))
	f.Add([]byte{}, int32(101))
	f.Fuzz(func(t *testing.T, b []byte, atRiskBelow int32) {
		healths := []Health{Healthy, AtRisk, Unknown, "Breaching"}
		var kpis []KPIView
		lo, hi := int32(101), int32(-1)
		criticalAtRisk := false
		for i := 0; i+4 < len(b) && len(kpis) < 50; i += 5 {
			k := KPIView{Name: string(rune('a' + len(kpis)%26)), Weight: int32(b[i+3]%100) + 1, Found: b[i]&4 == 0,
				Health: healths[b[i]%4], Critical: b[i]&8 != 0, Message: "m"}
			if b[i]&16 == 0 {
				s := int32(b[i+1]) % 101
				k.Score = &s
				lo, hi = min(lo, s), max(hi, s)
			}
			if b[i]&32 == 0 {
				p := int32(b[i+2]) * int32(b[i+4]) // attainment may exceed 100
				k.AttainmentPercent = &p
			}
			criticalAtRisk = criticalAtRisk || (k.Critical && k.Found && k.Health == AtRisk)
			kpis = append(kpis, k)
		}
		r := Objective(ObjectiveSpec{Deadline: d("2027-06-30"), AtRiskBelow: atRiskBelow}, kpis, d("2026-11-25"))
		if r.Score != nil && (*r.Score < lo || *r.Score > hi) {
			t.Fatalf("score %d outside the KPI scores %d..%d", *r.Score, lo, hi)
		}
		if r.ProgressPercent != nil && (*r.ProgressPercent < 0 || *r.ProgressPercent > 100) {
			t.Fatalf("progress %d outside 0..100", *r.ProgressPercent)
		}
		if r.Total != int32(len(kpis)) || r.Healthy+r.AtRisk+r.Unknown > r.Total {
			t.Fatalf("counts %d healthy + %d at risk + %d unknown do not fit total %d of %d KPIs", r.Healthy, r.AtRisk, r.Unknown, r.Total, len(kpis))
		}
		if criticalAtRisk && r.Health != AtRisk {
			t.Fatalf("a critical KPI is at risk but the objective is %s (%s)", r.Health, r.Message)
		}
		if r.Message == "" {
			t.Fatal("empty message")
		}
	})
}

// FuzzParseDate: an accepted date is midnight UTC and prints back as the
// text it came from, so no date in a spec is silently reinterpreted.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-25", "2026-02-30", "0000-01-01", "9999-12-31", "2026-1-5", "2026-11-25T00:00:00Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC || got.Hour() != 0 || got.Minute() != 0 || got.Second() != 0 || got.Nanosecond() != 0 {
			t.Fatalf("ParseDate(%q) = %v, not midnight UTC", s, got)
		}
		if back := got.Format(time.DateOnly); back != s {
			t.Fatalf("ParseDate(%q) prints back as %q", s, back)
		}
	})
}
