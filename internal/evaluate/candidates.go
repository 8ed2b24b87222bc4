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
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Criterion is one of the six partner-selection criteria.
type Criterion int

// The criteria, in the order the API lists them.
const (
	MissionAlignment Criterion = iota
	Reach
	PopulationsServed
	FinancialStability
	Reputation
	Culture
)

// Criteria are all six, in order.
var Criteria = []Criterion{MissionAlignment, Reach, PopulationsServed, FinancialStability, Reputation, Culture}

// Field is the criterion's name in the API (spec.candidates[].assessment,
// spec.candidateWeights).
func (c Criterion) Field() string {
	return [...]string{"missionAlignment", "reach", "populationsServed", "financialStability", "reputation", "culture"}[c]
}

// Words is the criterion as people say it.
func (c Criterion) Words() string {
	return [...]string{"mission and values alignment", "geographic reach", "populations served", "financial stability", "reputation", "culture"}[c]
}

// Scores are a value per criterion, indexed by Criterion: assessment
// scores 1 to 5 (0 when the criterion was not scored), or weights.
type Scores [6]int32

// CandidateView is what the ranking needs of one candidate.
type CandidateView struct {
	Name string
	// Assessed is false when the candidate has no assessment at all.
	Assessed bool
	Scores   Scores
	// AssessedOn is the assessment's date; zero when not dated.
	AssessedOn time.Time
}

// AssessmentState says whether an assessment can be relied on (the API's
// AssessmentState).
type AssessmentState string

// Assessment states, from the worst.
const (
	AssessmentMissing    AssessmentState = "Missing"
	AssessmentOutdated   AssessmentState = "Outdated"
	AssessmentUndated    AssessmentState = "Undated"
	AssessmentIncomplete AssessmentState = "Incomplete"
	AssessmentCurrent    AssessmentState = "Current"
)

// RankedCandidate is a candidate's place in the ranking.
type RankedCandidate struct {
	CandidateView
	// Rank is 1 for the best score, equal scores sharing a rank; 0 when
	// not ranked (no assessment, no weights, or no weighted criterion
	// scored).
	Rank int32
	// Score is 20 times the weighted mean of the scored, weighted
	// criteria, rounded half up: 0 to 100. Nil when not ranked.
	Score *int32
	State AssessmentState
	// Unscored are the weighted criteria the assessment does not score;
	// the score leaves them out.
	Unscored []Criterion
	// OutdatedFrom is the first day the assessment counts as outdated
	// (assessedOn plus the maximum age, and a day); zero when undated.
	OutdatedFrom time.Time

	// num/den is the exact weighted mean: Σ weight×score / Σ weight.
	num, den int64
}

// CandidateRanking is the outcome of RankCandidates.
type CandidateRanking struct {
	// Candidates are ranked first, best first; then the unranked, by name.
	Candidates []RankedCandidate
	// Message says, in sentences, how the candidates rank and which
	// assessments are missing, outdated, undated or incomplete.
	Message string
	// NextChange is when the next assessment becomes outdated; zero when
	// none will.
	NextChange time.Time
}

// RankCandidates ranks candidates by the office's weights (nil when no
// portfolio declares any; from names the portfolio whose weights they
// are) and flags assessments older than maxAge at now. It is the one
// ranking rule: the operator's status, accordctl evaluate and compare, and
// the dashboard all show what it returns.
//
// The score of a candidate is the weighted mean of its 1-5 scores over the
// criteria with a weight above zero, as a share of 5 (so 100 is 5
// everywhere and 20 is 1 everywhere). A criterion the assessment leaves
// out (culture, in assessments made before it was asked) drops out of
// both sums rather than counting as a poor score, and the candidate is
// flagged Incomplete. An outdated assessment still ranks, flagged.
// Candidates are ordered by the exact weighted mean, so that rounding
// cannot reorder them; equal means share a rank.
func RankCandidates(cands []CandidateView, weights *Scores, from string, maxAge Period, now time.Time) CandidateRanking {
	var res CandidateRanking
	out := make([]RankedCandidate, 0, len(cands))
	for _, c := range cands {
		r := RankedCandidate{CandidateView: c, State: AssessmentCurrent}
		if !c.Assessed {
			r.State = AssessmentMissing
			out = append(out, r)
			continue
		}
		if weights != nil {
			for _, k := range Criteria {
				w := int64(weights[k])
				switch {
				case w == 0:
				case c.Scores[k] == 0:
					r.Unscored = append(r.Unscored, k)
				default:
					r.num += w * int64(c.Scores[k])
					r.den += w
				}
			}
			if r.den > 0 {
				s := int32((40*r.num + r.den) / (2 * r.den)) // round(20 × num/den), half up
				r.Score = &s
			}
		}
		switch {
		case c.AssessedOn.IsZero():
			r.State = AssessmentUndated
		default:
			r.OutdatedFrom = maxAge.AddTo(c.AssessedOn).Add(dayLength)
			if !now.Before(r.OutdatedFrom) {
				r.State = AssessmentOutdated
			} else {
				res.NextChange = earliestAfter(res.NextChange, r.OutdatedFrom, now)
			}
		}
		if r.State == AssessmentCurrent && len(r.Unscored) > 0 {
			r.State = AssessmentIncomplete
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b RankedCandidate) int {
		switch ra, rb := a.Score != nil, b.Score != nil; {
		case ra && !rb:
			return -1
		case !ra && rb:
			return 1
		case ra:
			if c := cmp.Compare(b.num*a.den, a.num*b.den); c != 0 {
				return c
			}
		}
		return strings.Compare(a.Name, b.Name)
	})
	for i := range out {
		if out[i].Score == nil {
			continue
		}
		out[i].Rank = int32(i + 1)
		if i > 0 && out[i-1].Score != nil && out[i-1].num*out[i].den == out[i].num*out[i-1].den {
			out[i].Rank = out[i-1].Rank
		}
	}
	res.Candidates = out
	res.Message = rankingMessage(out, weights != nil, from, maxAge)
	return res
}

// rankingMessage says how the candidates rank, then what is wrong with
// their assessments.
func rankingMessage(out []RankedCandidate, weighted bool, from string, maxAge Period) string {
	if len(out) == 0 {
		return "No candidate partners are listed yet (spec.candidates)."
	}
	var ranked []string
	for _, r := range out {
		if r.Score != nil {
			ranked = append(ranked, fmt.Sprintf("%d. %s (%d of 100)", r.Rank, r.Name, *r.Score))
		}
	}
	var s []string
	switch {
	case !weighted:
		s = append(s, fmt.Sprintf("%s listed, not ranked: no portfolio that selects this partnership declares spec.candidateWeights.", count(len(out), "candidate", "candidates")))
	case len(ranked) == 0:
		s = append(s, fmt.Sprintf("%s listed, none ranked yet.", count(len(out), "candidate", "candidates")))
	default:
		s = append(s, fmt.Sprintf("Candidates ranked by the weights of portfolio %s: %s.", from, strings.Join(ranked, ", ")))
	}
	for _, r := range out {
		switch r.State {
		case AssessmentMissing:
			s = append(s, fmt.Sprintf("%s has no assessment, so it is not ranked.", r.Name))
		case AssessmentOutdated:
			s = append(s, fmt.Sprintf("The assessment of %s, made on %s, is older than %s: reassess it.", r.Name, day(r.AssessedOn), maxAge.Words()))
		case AssessmentUndated:
			s = append(s, fmt.Sprintf("The assessment of %s has no date (assessedOn), so its age cannot be checked.", r.Name))
		}
		if len(r.Unscored) > 0 {
			words := make([]string, 0, len(r.Unscored))
			for _, k := range r.Unscored {
				words = append(words, k.Words())
			}
			s = append(s, fmt.Sprintf("The assessment of %s does not score %s, which the score leaves out.", r.Name, strings.Join(words, " or ")))
		}
	}
	return strings.Join(s, " ")
}

// count says "1 candidate" or "3 candidates".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
