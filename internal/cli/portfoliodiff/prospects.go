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

import (
	"fmt"
	"slices"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	model "github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/views/candidates"
)

// RuleCandidateRankingChanged: the change reorders the ranked candidates
// of a Prospect (new weights on its portfolio, new scores, a candidate
// added or removed). Warning: the choice of partner may follow the new
// order, so the reviewers should see it and why it moved.
const RuleCandidateRankingChanged = "candidate-ranking-changed"

// candidateRankings compares the ranking of every Prospect on both sides
// by the one ranking rule (internal/views/candidates). It judges all
// prospects, not only the partnerships the change touches: a change to a
// portfolio's weights touches no partnership and reorders them all. The
// order does not depend on the day (outdated assessments still rank), so
// both sides are ranked at the same moment.
func candidateRankings(base, head *model.Set) []Finding {
	now := time.Now()
	var out []Finding
	for _, key := range keys(head, model.KindPartnership) {
		after := head.Partnership(model.ParseKey(key))
		before := base.Partnership(model.ParseKey(key))
		if before == nil || before.Spec.DesiredPhase != v1.PhaseProspect || after.Spec.DesiredPhase != v1.PhaseProspect {
			continue
		}
		was, wasOrder := ranking(base, before, now)
		is, isOrder := ranking(head, after, now)
		if slices.Equal(wasOrder, isOrder) {
			continue // scores may move; the order is what a choice follows
		}
		out = append(out, Finding{
			Severity: SeverityWarning, Rule: RuleCandidateRankingChanged, Partnership: key, Kind: model.KindPartnership, Name: key,
			Message: fmt.Sprintf("The change reorders the candidates of Prospect %s: before, %s; after, %s. The choice of partner may follow the new order: say why it moved",
				key, orNone(was), orNone(is)),
		})
	}
	return out
}

// ranking lists p's ranked candidates as "1. Name (score)", and their
// order as "1. Name".
func ranking(s *model.Set, p *v1.Partnership, now time.Time) (shown, order []string) {
	portfolios := make([]v1.Portfolio, 0, len(s.Portfolios))
	for _, pf := range s.Portfolios {
		portfolios = append(portfolios, *pf)
	}
	for _, c := range candidates.Compare(p, portfolios, now).Candidates {
		if c.Rank != nil {
			shown = append(shown, fmt.Sprintf("%d. %s (%d)", *c.Rank, c.Name, *c.Score))
			order = append(order, fmt.Sprintf("%d. %s", *c.Rank, c.Name))
		}
	}
	return shown, order
}

func orNone(r []string) string {
	if len(r) == 0 {
		return "none ranked"
	}
	return strings.Join(r, ", ")
}
