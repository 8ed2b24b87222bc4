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
	"strings"
	"testing"
	"time"
)

// officeWeights are the sample office's priorities: mission and values
// 30, reach 15, populations served 20, financial stability 15,
// reputation 10, culture 10 (they add up to 100).
var officeWeights = &Scores{30, 15, 20, 15, 10, 10}

func assessed(name, on string, s ...int32) CandidateView {
	c := CandidateView{Name: name, Assessed: true}
	copy(c.Scores[:], s)
	if on != "" {
		c.AssessedOn = d(on)
	}
	return c
}

type standing struct {
	name  string
	rank  int32
	score int32 // -1: no score
	state AssessmentState
}

// The expected scores are computed by hand: 20 × Σ(weight × score) /
// Σ(weight) over the weighted criteria the assessment scores, rounded
// half up.
func TestCandidatesRankByTheOfficesWeights(t *testing.T) {
	for _, tc := range []struct {
		name    string
		weights *Scores
		cands   []CandidateView
		want    []standing
	}{{
		// A: 150+60+80+45+40+50 = 425 → 4.25 → 85.
		// B: 120+75+100+60+30+30 = 415 → 4.15 → 83.
		name:    "the higher weighted mean ranks first",
		weights: officeWeights,
		cands:   []CandidateView{assessed("Basin", "2026-06-01", 4, 5, 5, 4, 3, 3), assessed("Alder", "2026-06-01", 5, 4, 4, 3, 4, 5)},
		want:    []standing{{"Alder", 1, 85, AssessmentCurrent}, {"Basin", 2, 83, AssessmentCurrent}},
	}, {
		// Cedar lacks culture: 150+45+80+60+50 = 385 over 90 → 4.2778 →
		// 85.56 → 86, ahead of Alder's exact 4.25 (85).
		name:    "a criterion not scored drops out of both sums and is flagged",
		weights: officeWeights,
		cands:   []CandidateView{assessed("Alder", "2026-06-01", 5, 4, 4, 3, 4, 5), assessed("Cedar", "2026-06-01", 5, 3, 4, 4, 5)},
		want:    []standing{{"Cedar", 1, 86, AssessmentIncomplete}, {"Alder", 2, 85, AssessmentCurrent}},
	}, {
		// 30×5 + 10×4 + 10×4 + 10×4 + 20×4 = 350 over 80 → 4.375 → 87.5 → 88.
		name:    "a score half way rounds up",
		weights: &Scores{30, 10, 10, 10, 20, 20},
		cands:   []CandidateView{assessed("Dune", "2026-06-01", 5, 4, 4, 4, 4)},
		want:    []standing{{"Dune", 1, 88, AssessmentIncomplete}},
	}, {
		// Both 425/100: equal exact means share rank 1, then by name; the
		// next is third.
		name:    "equal scores share a rank",
		weights: officeWeights,
		cands: []CandidateView{assessed("Fir", "2026-06-01", 5, 4, 4, 3, 4, 5), assessed("Elm", "2026-06-01", 5, 4, 4, 3, 4, 5),
			assessed("Gum", "2026-06-01", 1, 1, 1, 1, 1, 1)},
		want: []standing{{"Elm", 1, 85, AssessmentCurrent}, {"Fir", 1, 85, AssessmentCurrent}, {"Gum", 3, 20, AssessmentCurrent}},
	}, {
		// Ranked by exact means, not rounded scores: Lime (no culture)
		// 150+60+80+45+40 = 375 over 90 → 4.1667 → 83.33 → 83; Kale
		// 120+75+100+60+30+30 = 415 over 100 → 4.15 → 83. Both show 83,
		// Lime ranks first, not Kale by name.
		name:    "rounding does not reorder",
		weights: officeWeights,
		cands:   []CandidateView{assessed("Kale", "2026-06-01", 4, 5, 5, 4, 3, 3), assessed("Lime", "2026-06-01", 5, 4, 4, 3, 4)},
		want:    []standing{{"Lime", 1, 83, AssessmentIncomplete}, {"Kale", 2, 83, AssessmentCurrent}},
	}, {
		name:    "a candidate without an assessment is listed last, not ranked",
		weights: officeWeights,
		cands:   []CandidateView{{Name: "Aspen"}, assessed("Basin", "2026-06-01", 4, 5, 5, 4, 3, 3)},
		want:    []standing{{"Basin", 1, 83, AssessmentCurrent}, {"Aspen", 0, -1, AssessmentMissing}},
	}, {
		name:  "without weights nothing is ranked",
		cands: []CandidateView{assessed("Basin", "2026-06-01", 4, 5, 5, 4, 3, 3), assessed("Alder", "2026-06-01", 5, 4, 4, 3, 4, 5)},
		want:  []standing{{"Alder", 0, -1, AssessmentCurrent}, {"Basin", 0, -1, AssessmentCurrent}},
	}, {
		name:    "no weighted criterion scored: not ranked",
		weights: &Scores{0, 0, 0, 0, 0, 100},
		cands:   []CandidateView{assessed("Juniper", "2026-06-01", 5, 5, 5, 5, 5)},
		want:    []standing{{"Juniper", 0, -1, AssessmentIncomplete}},
	}, {
		// A year from 2025-11-25 is 2026-11-25, its last current day; from
		// 2025-11-24, 2026-11-24, so on 2026-11-25 it is outdated.
		name:    "an assessment older than the maximum age is flagged and still ranks",
		weights: officeWeights,
		cands:   []CandidateView{assessed("Old", "2025-11-24", 5, 5, 5, 5, 5, 5), assessed("Just", "2025-11-25", 4, 4, 4, 4, 4, 4), assessed("Undated", "", 3, 3, 3, 3, 3, 3)},
		want:    []standing{{"Old", 1, 100, AssessmentOutdated}, {"Just", 2, 80, AssessmentCurrent}, {"Undated", 3, 60, AssessmentUndated}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			r := RankCandidates(tc.cands, tc.weights, "rural-network", Period{Years: 1}, now)
			if len(r.Candidates) != len(tc.want) {
				t.Fatalf("%d candidates, want %d", len(r.Candidates), len(tc.want))
			}
			for i, w := range tc.want {
				c := r.Candidates[i]
				score := int32(-1)
				if c.Score != nil {
					score = *c.Score
				}
				if c.Name != w.name || c.Rank != w.rank || score != w.score || c.State != w.state {
					t.Errorf("#%d: %s rank %d score %d %s; want %s rank %d score %d %s", i+1, c.Name, c.Rank, score, c.State, w.name, w.rank, w.score, w.state)
				}
			}
		})
	}
}

func TestTheRankingSaysWhichAssessmentsCannotBeReliedOn(t *testing.T) {
	cands := []CandidateView{assessed("Frontier Behavioral Health", "2026-09-14", 5, 4, 4, 3, 4, 5),
		assessed("Basin Community Clinics", "2025-06-10", 4, 5, 5, 4, 3), {Name: "Prairie Health Co-op"}}
	r := RankCandidates(cands, officeWeights, "rural-network", Period{Years: 1}, now)
	// Basin: 120+75+100+60+30 = 385 over 90 → 85.56 → 86.
	want := "Candidates ranked by the weights of portfolio rural-network: 1. Basin Community Clinics (86 of 100), 2. Frontier Behavioral Health (85 of 100). " +
		"The assessment of Basin Community Clinics, made on 2025-06-10, is older than 1 year: reassess it. " +
		"The assessment of Basin Community Clinics does not score culture, which the score leaves out. " +
		"Prairie Health Co-op has no assessment, so it is not ranked."
	if r.Message != want {
		t.Errorf("message\n got %q\nwant %q", r.Message, want)
	}
	// Frontier's assessment becomes outdated the day after 2027-09-14.
	if !r.NextChange.Equal(d("2027-09-15")) {
		t.Errorf("next change %v, want 2027-09-15", r.NextChange)
	}
	if r := RankCandidates(cands[:2], nil, "", Period{Years: 1}, now); !strings.HasPrefix(r.Message, "2 candidates listed, not ranked: no portfolio that selects this partnership declares spec.candidateWeights.") {
		t.Errorf("without weights: %q", r.Message)
	}
}

func TestAProspectIsNotJudgedAndHasNoReviewCadence(t *testing.T) {
	prospect := func(effective string) PartnershipSpec {
		s := PartnershipSpec{DesiredPhase: PhaseProspect, ReviewCadence: Period{Months: 3}, Prospect: &ProspectSpec{
			Candidates: []CandidateView{assessed("Alder", "2026-06-01", 5, 4, 4, 3, 4, 5)}, Weights: officeWeights, WeightsFrom: "rural-network",
			AssessmentMaxAge: Period{Years: 1}}}
		if effective != "" {
			s.Prospect.HasAgreement, s.Agreement.Effective = true, d(effective)
		}
		return s
	}
	for _, tc := range []struct {
		name       string
		effective  string
		reviewDue  bool
		reason     ReviewReason
		nextChange string
	}{
		{"without terms", "", false, ReviewReason(ReasonProspect), "2027-06-02"},
		{"draft terms from next year", "2027-01-01", false, ReviewReason(ReasonProspect), "2027-01-02"},
		{"draft terms from today", "2026-11-25", false, ReviewReason(ReasonProspect), "2026-11-26"},
		{"draft terms from yesterday", "2026-11-24", true, ReasonProspectDatesPassed, "2027-06-02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// No objectives, no reviews, a year after nothing: a partnership
			// in force would be Unknown/NoObjectives and overdue a review.
			r := Partnership(prospect(tc.effective), nil, nil, time.Time{}, now)
			if r.Phase != PhaseProspect || r.Health != Inactive || r.HealthReason != ReasonProspect || r.Score != nil {
				t.Errorf("%s %s/%s score %v; want Prospect Inactive/Prospect, no score", r.Phase, r.Health, r.HealthReason, r.Score)
			}
			if r.ReviewDue != tc.reviewDue || r.ReviewReason != tc.reason || !r.NextReviewDate.IsZero() {
				t.Errorf("ReviewDue %v/%s (%s), next review %v; want %v/%s, none", r.ReviewDue, r.ReviewReason, r.ReviewMessage, r.NextReviewDate, tc.reviewDue, tc.reason)
			}
			if !r.NextChange.Equal(d(tc.nextChange)) {
				t.Errorf("next change %v, want %s", r.NextChange, tc.nextChange)
			}
			if r.Ranking == nil || len(r.Ranking.Candidates) != 1 || r.Ranking.Candidates[0].Rank != 1 {
				t.Errorf("ranking %+v", r.Ranking)
			}
		})
	}
	r := Partnership(prospect("2026-11-24"), nil, nil, time.Time{}, now)
	if want := "The draft agreement was to come into force on 2026-11-24, which has passed while the partnership is still a prospect: sign it and set spec.desiredPhase to Active, or move the dates"; r.ReviewMessage != want {
		t.Errorf("message %q, want %q", r.ReviewMessage, want)
	}
}

func TestAPortfolioCountsProspectsApart(t *testing.T) {
	s := int32(40)
	res := Portfolio([]Item{
		{Kind: "Partnership", Name: "running", Health: Healthy, Score: new(int32(90)), Objectives: 1},
		{Kind: "Partnership", Name: "behavioral-health", Health: Inactive, Score: &s, Prospect: true, ReviewDue: true},
	}, nil, 5)
	if res.Total != 2 || res.Prospects != 1 || res.Healthy != 1 || res.Unknown != 0 || res.ReviewDue != 1 || *res.Score != 90 {
		t.Errorf("counts %+v", res)
	}
	if res.Health != Healthy || res.Message != "All 1 partnerships are healthy (1 prospect not yet under way)" {
		t.Errorf("%s: %q", res.Health, res.Message)
	}
	for _, w := range res.Worst {
		if w.Name == "behavioral-health" {
			t.Errorf("a prospect among the worst: %+v", res.Worst)
		}
	}
	if only := Portfolio([]Item{{Kind: "Partnership", Name: "p", Health: Inactive, Prospect: true}}, nil, 5); only.Health != Inactive || only.Message != "No partnership is under way yet (1 prospect not yet under way)" {
		t.Errorf("only a prospect: %s %q", only.Health, only.Message)
	}
}
