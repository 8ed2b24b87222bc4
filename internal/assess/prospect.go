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

package assess

import (
	"slices"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// WeightsFor finds the portfolio whose candidateWeights rank p's
// candidates: the first by name, among the portfolios in p's namespace
// whose selector picks p, that declares weights. When none declares any,
// it returns the first that selects p (its assessmentMaxAge still
// applies), or nil. A portfolio whose selector cannot be parsed selects
// nothing (its own status says why).
func WeightsFor(p *v1.Partnership, portfolios []v1.Portfolio) *v1.Portfolio {
	pfs := make([]*v1.Portfolio, 0, len(portfolios))
	for i := range portfolios {
		pfs = append(pfs, &portfolios[i])
	}
	return weightsAmong(SelectingPortfolios(p, pfs))
}

// weightsAmong is WeightsFor among the portfolios that select the
// partnership (SelectingPortfolios).
func weightsAmong(selecting []*v1.Portfolio) *v1.Portfolio {
	selecting = slices.Clone(selecting)
	slices.SortFunc(selecting, func(a, b *v1.Portfolio) int { return strings.Compare(a.Name, b.Name) })
	for _, pf := range selecting {
		if pf.Spec.CandidateWeights != nil {
			return pf
		}
	}
	if len(selecting) > 0 {
		return selecting[0]
	}
	return nil
}

// CandidateScores converts an assessment: a score per criterion, 0 for
// culture when it was not scored.
func CandidateScores(a *v1.PartnerAssessment) evaluate.Scores {
	var s evaluate.Scores
	if a == nil {
		return s
	}
	s[evaluate.MissionAlignment] = a.MissionAlignment
	s[evaluate.Reach] = a.Reach
	s[evaluate.PopulationsServed] = a.PopulationsServed
	s[evaluate.FinancialStability] = a.FinancialStability
	s[evaluate.Reputation] = a.Reputation
	if a.Culture != nil {
		s[evaluate.Culture] = *a.Culture
	}
	return s
}

// Weights converts a portfolio's candidateWeights; nil when it has none.
func Weights(w *v1.CandidateWeights) *evaluate.Scores {
	if w == nil {
		return nil
	}
	return &evaluate.Scores{w.MissionAlignment, w.Reach, w.PopulationsServed, w.FinancialStability, w.Reputation, w.Culture}
}

// ProspectSpec is what the ranking of p's candidates needs: its
// candidates, and the weights and maximum assessment age of the portfolio
// WeightsFor picks (nil: no weights, a year).
func ProspectSpec(p *v1.Partnership, pf *v1.Portfolio) *evaluate.ProspectSpec {
	ps := &evaluate.ProspectSpec{
		HasAgreement:     p.Spec.Agreement.EffectiveDate != "",
		AssessmentMaxAge: period("", v1.DefaultAssessmentMaxAge),
	}
	if pf != nil {
		ps.AssessmentMaxAge = period(pf.Spec.AssessmentMaxAge, v1.DefaultAssessmentMaxAge)
		if pf.Spec.CandidateWeights != nil {
			ps.Weights, ps.WeightsFrom = Weights(pf.Spec.CandidateWeights), pf.Name
		}
	}
	for _, c := range p.Spec.Candidates {
		v := evaluate.CandidateView{Name: c.Name, Assessed: c.Assessment != nil, Scores: CandidateScores(c.Assessment)}
		if c.Assessment != nil && c.Assessment.AssessedOn != "" {
			v.AssessedOn, _ = evaluate.ParseDate(string(c.Assessment.AssessedOn))
		}
		ps.Candidates = append(ps.Candidates, v)
	}
	return ps
}

// RankCandidates ranks p's candidates at now by the weights of the
// portfolio WeightsFor picks among portfolios: what the operator writes in
// status.candidates, for accordctl compare and the dashboard, which also
// show the scores side by side.
func RankCandidates(p *v1.Partnership, portfolios []v1.Portfolio, now time.Time) (evaluate.CandidateRanking, *v1.Portfolio) {
	pf := WeightsFor(p, portfolios)
	ps := ProspectSpec(p, pf)
	return evaluate.RankCandidates(ps.Candidates, ps.Weights, ps.WeightsFrom, ps.AssessmentMaxAge, now), pf
}

// candidateStandings is the ranking as the API's status holds it.
func candidateStandings(r *evaluate.CandidateRanking) []v1.CandidateStanding {
	if r == nil || len(r.Candidates) == 0 {
		return nil
	}
	out := make([]v1.CandidateStanding, 0, len(r.Candidates))
	for _, c := range r.Candidates {
		s := v1.CandidateStanding{Name: c.Name, Score: copyScore(c.Score), Assessment: v1.AssessmentState(c.State), AssessedOn: date(c.AssessedOn)}
		if c.Rank > 0 {
			s.Rank = new(c.Rank)
		}
		out = append(out, s)
	}
	return out
}

// PastDatedDraft is a date of a Prospect's draft agreement that has
// passed.
type PastDatedDraft struct {
	// Field is its path, e.g. "spec.agreement.effectiveDate".
	Field string
	Date  v1.Date
}

// ProspectDatesPassed lists the draft agreement dates of a Prospect that
// are in the past at now (before today; see evaluate.ProspectDatePassed):
// accordctl validate refuses them, the operator raises ReviewDue
// (ProspectDatesPassed). Empty for any other phase, and for dates that do
// not parse (the schema reports them).
func ProspectDatesPassed(p *v1.Partnership, now time.Time) []PastDatedDraft {
	if p.Spec.DesiredPhase != v1.PhaseProspect {
		return nil
	}
	var out []PastDatedDraft
	for _, f := range []struct {
		field string
		date  v1.Date
	}{{"spec.agreement.effectiveDate", p.Spec.Agreement.EffectiveDate}, {"spec.agreement.expiryDate", p.Spec.Agreement.ExpiryDate}} {
		if d, err := evaluate.ParseDate(string(f.date)); f.date != "" && err == nil && evaluate.ProspectDatePassed(d, now) {
			out = append(out, PastDatedDraft{Field: f.field, Date: f.date})
		}
	}
	return out
}
