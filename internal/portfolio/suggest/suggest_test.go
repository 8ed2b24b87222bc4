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

package suggest

import "testing"

func TestClosestSuggestsOnlyLikelyTypos(t *testing.T) {
	known := []string{"partnershipRef", "statement", "startDate", "deadline", "kpis", "owner"}
	cases := []struct{ name, in, want string }{
		{"wrong capitalisation", "partnershipref", "partnershipRef"},
		{"one letter missing", "statment", "statement"}, //nolint:misspell // the typo is the input under test
		{"two letters swapped", "deadlnie", "deadline"},
		{"short name one edit away", "kpi", "kpis"},
		{"short name two edits away is not a typo", "kp", ""},
		{"unrelated name", "budget", ""},
		{"exact match is no suggestion", "owner", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Closest(tc.in, known); got != tc.want {
				t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestDistanceCountsEdits(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "abc", 3}, {"kitten", "sitting", 3}, {"same", "same", 0}, {"ab", "ba", 2}} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
