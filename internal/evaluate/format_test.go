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

func TestPeriodsAndDurationsReadAsWords(t *testing.T) {
	cases := []struct {
		name, iso, words string
	}{
		{"a quarter", "P3M", "3 months"},
		{"one month is singular", "P1M", "1 month"},
		{"one year is singular", "P1Y", "1 year"},
		{"two parts are joined with and", "P1Y6M", "1 year and 6 months"},
		{"three parts take a comma", "P1Y2M3D", "1 year, 2 months and 3 days"},
		{"weeks", "P2W", "2 weeks"},
		{"days", "P30D", "30 days"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParsePeriod(tc.iso)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Words(); got != tc.words {
				t.Errorf("Words(%s) = %q, want %q", tc.iso, got, tc.words)
			}
		})
	}
	durations := []struct {
		d    time.Duration
		want string
	}{
		{100 * 24 * time.Hour, "100 days"},
		{24 * time.Hour, "1 day"},
		{time.Hour, "1 hour"},
		{36 * time.Hour, "36 hours"},
		{90 * time.Minute, "90 minutes"},
		{1500 * time.Millisecond, "1.5s"},
	}
	for _, tc := range durations {
		if got := durationWords(tc.d); got != tc.want {
			t.Errorf("durationWords(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
}
