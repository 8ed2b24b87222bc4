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

package portfoliodiff

import "testing"

// The scores are hand-computed in policy_test.go's weight cases.
func TestARankingChangeSaysTheOrderBeforeAndAfter(t *testing.T) {
	r := Compare(snapshot(t, portfolio+prospect(officeWeights)),
		snapshot(t, portfolio+prospect("{missionAlignment: 10, reach: 40, populationsServed: 30, financialStability: 10, reputation: 5, culture: 5}")))
	want := "The change reorders the candidates of Prospect behavioral-health: before, 1. Alder Behavioral Health (85), 2. Birch Counseling (83); " +
		"after, 1. Birch Counseling (92), 2. Alder Behavioral Health (81). The choice of partner may follow the new order: say why it moved"
	if len(r.Findings) != 1 || r.Findings[0].Message != want {
		t.Fatalf("findings %+v\nwant one saying %q", r.Findings, want)
	}
	// The weights that changed are rows of the table too.
	found := false
	for _, g := range r.Partnerships {
		for _, c := range g.Changes {
			if c.Field == "spec.candidateWeights.reach" && c.Before == "15" && c.After == "40" {
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no change row for spec.candidateWeights.reach")
	}
}
