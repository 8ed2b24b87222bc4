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

package demodata

import (
	"strings"
	"testing"
	"time"
)

func TestSeriesRunsAheadOfTheLineTowardsItsTarget(t *testing.T) {
	up := Series{Baseline: 50, Target: 70, From: date(2026, 1, 1), To: date(2027, 1, 1), Lead: 1}
	down := Series{Baseline: 30, Target: 20, From: date(2026, 1, 1), To: date(2027, 1, 1), Lead: 1}
	cases := []struct {
		name string
		s    Series
		at   time.Time
		want float64
	}{
		{"at the baseline date, one lead above", up, date(2026, 1, 1), 51},
		{"half way, half way plus the lead", up, date(2026, 7, 2).Add(12 * time.Hour), 61},
		{"after the target date it holds the target", up, date(2028, 1, 1), 71},
		{"before the baseline it holds the baseline", up, date(2025, 1, 1), 51},
		{"a falling measure leads downwards", down, date(2026, 1, 1), 29},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.At(tc.at); got != tc.want {
				t.Errorf("At(%s) = %v, want %v", tc.at.Format(time.DateOnly), got, tc.want)
			}
		})
	}
}

func TestHistoryIsOpenMetricsThatEndsBeforeNow(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	h := History(now, 2)
	lines := strings.Split(strings.TrimSpace(h), "\n")
	if lines[len(lines)-1] != "# EOF" {
		t.Fatalf("history does not end with # EOF: %q", lines[len(lines)-1])
	}
	samples := lines[2 : len(lines)-1]
	// Two days at six-hour steps, both ends included.
	if len(samples) != 9 {
		t.Errorf("%d samples, want 9:\n%s", len(samples), h)
	}
	// The newest sample is at 06:00, at least three hours before now.
	if want := "1795586400"; !strings.HasSuffix(samples[len(samples)-1], want) {
		t.Errorf("last sample %q, want timestamp %s", samples[len(samples)-1], want)
	}
}
