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

// Package candidates is a Prospect's candidate partners side by side: the
// office's weights, each candidate's score per criterion, its weighted
// score and rank, and what is wrong with its assessment. The ranking is
// internal/evaluate's RankCandidates (through internal/assess), the rule
// the operator writes into status.candidates; accordctl compare prints
// this view and the dashboard's prospect page renders it.
package candidates

import (
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Comparison is a Prospect's candidates, ranked.
type Comparison struct {
	Namespace   string `json:"namespace"`
	Partnership string `json:"partnership"`
	DisplayName string `json:"displayName"`
	// Date is the day of the comparison, which decides which assessments
	// are outdated.
	Date string `json:"date"`
	// RankedBy names the portfolio whose weights rank the candidates;
	// empty when none declares weights.
	RankedBy string `json:"rankedBy,omitempty"`
	// Criteria are the six criteria with the office's weights.
	Criteria []Criterion `json:"criteria"`
	// AssessmentMaxAge is how old an assessment may be, in words.
	AssessmentMaxAge string      `json:"assessmentMaxAge"`
	Candidates       []Candidate `json:"candidates"`
	// Message is the ranking in sentences, as in the partnership's
	// Healthy condition.
	Message string `json:"message"`
}

// Criterion is one assessment criterion and its weight.
type Criterion struct {
	// Field is its name in the API, e.g. "missionAlignment".
	Field string `json:"field"`
	// Words is the criterion as people say it.
	Words string `json:"words"`
	// Weight is the percentage it counts; absent without weights.
	Weight *int32 `json:"weight,omitempty"`
}

// Candidate is one candidate's row.
type Candidate struct {
	Name string `json:"name"`
	Role string `json:"role,omitempty"`
	// Rank is 1 for the best; absent when not ranked.
	Rank *int32 `json:"rank,omitempty"`
	// Score is the weighted score, 0 to 100; absent when not ranked.
	Score *int32 `json:"score,omitempty"`
	// Assessment is Current, Outdated, Undated, Incomplete or Missing.
	Assessment string `json:"assessment"`
	AssessedOn string `json:"assessedOn,omitempty"`
	// Scores are the assessment's 1-5 scores by criterion field; a
	// criterion not scored is absent.
	Scores map[string]int32 `json:"scores,omitempty"`
	Notes  string           `json:"notes,omitempty"`
}

// Compare ranks the candidates of p at now with the weights of the
// portfolio that ranks them among portfolios (assess.WeightsFor).
func Compare(p *v1.Partnership, portfolios []v1.Portfolio, now time.Time) Comparison {
	ranking, pf := assess.RankCandidates(p, portfolios, now)
	ps := assess.ProspectSpec(p, pf)
	c := Comparison{
		Namespace: p.Namespace, Partnership: p.Name, DisplayName: p.Spec.DisplayName,
		Date: now.UTC().Format(time.DateOnly), RankedBy: ps.WeightsFrom,
		AssessmentMaxAge: ps.AssessmentMaxAge.Words(), Message: ranking.Message,
	}
	for _, k := range evaluate.Criteria {
		cr := Criterion{Field: k.Field(), Words: k.Words()}
		if ps.Weights != nil {
			w := ps.Weights[k]
			cr.Weight = &w
		}
		c.Criteria = append(c.Criteria, cr)
	}
	spec := map[string]v1.Candidate{}
	for _, sc := range p.Spec.Candidates {
		spec[sc.Name] = sc
	}
	for _, r := range ranking.Candidates {
		row := Candidate{Name: r.Name, Role: string(spec[r.Name].Role), Notes: spec[r.Name].Notes, Score: r.Score, Assessment: string(r.State)}
		if r.Rank > 0 {
			row.Rank = new(r.Rank)
		}
		if !r.AssessedOn.IsZero() {
			row.AssessedOn = r.AssessedOn.Format(time.DateOnly)
		}
		if r.Assessed {
			row.Scores = map[string]int32{}
			for _, k := range evaluate.Criteria {
				if s := r.Scores[k]; s > 0 {
					row.Scores[k.Field()] = s
				}
			}
		}
		c.Candidates = append(c.Candidates, row)
	}
	return c
}
