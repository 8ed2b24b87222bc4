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

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	model "github.com/accord-dev/accord/internal/portfolio"
)

// Policy rules on the office's needs.
const (
	// RuleRemovedNeedAddressed: the change removes a need from a
	// Portfolio's spec.needs (or stops selecting a partnership) while a
	// partnership it selects still addresses it. Error: the operator
	// would mark the partnership Ready=False (NeedNotDeclared).
	RuleRemovedNeedAddressed = "removed-need-addressed"
	// RuleNeedUncovered: a need still declared loses the only running
	// partnership that addressed it, a new gap in the portfolio's
	// coverage. Warning: a decision the reviewers should see.
	RuleNeedUncovered = "need-uncovered"
)

// needFindings compares the office's needs and what addresses them.
func needFindings(base, head *model.Set) []Finding {
	var out []Finding
	for _, key := range keys(head, model.KindPartnership) {
		p := head.Partnership(model.ParseKey(key))
		bp := base.Partnership(model.ParseKey(key))
		wasUndeclared := map[string]bool{}
		if bp != nil {
			for _, pr := range assess.UndeclaredNeeds(bp, assess.SelectingPortfolios(bp, base.Portfolios)) {
				wasUndeclared[needName(bp, pr.Field)] = true
			}
		}
		for _, pr := range assess.UndeclaredNeeds(p, assess.SelectingPortfolios(p, head.Portfolios)) {
			name := needName(p, pr.Field)
			if bp == nil || wasUndeclared[name] || !slices.Contains(bp.Spec.Addresses, name) {
				continue // a new reference: accordctl validate reports it
			}
			out = append(out, Finding{
				Severity: SeverityError, Rule: RuleRemovedNeedAddressed, Partnership: key, Kind: model.KindPartnership, Name: key,
				Message: fmt.Sprintf("Partnership %s still addresses need %q (%s), which this change removes from its portfolio's spec.needs; drop it from spec.addresses or keep the need",
					key, name, pr.Field),
			})
		}
	}
	for _, pfKey := range keys(head, model.KindPortfolio) {
		pf, bpf := head.Portfolio(model.ParseKey(pfKey)), base.Portfolio(model.ParseKey(pfKey))
		if bpf == nil {
			continue
		}
		before, after := coverageOf(base, bpf), coverageOf(head, pf)
		had := map[string][]string{}
		for _, n := range before.Needs {
			had[n.Name] = n.Partnerships
		}
		for _, n := range after.Needs {
			if was := had[n.Name]; len(was) > 0 && len(n.Partnerships) == 0 {
				ns := pf.Namespace
				out = append(out, Finding{
					Severity: SeverityWarning, Rule: RuleNeedUncovered, Partnership: model.Key{Namespace: ns, Name: was[0]}.String(),
					Kind: model.KindPortfolio, Name: pfKey,
					Message: fmt.Sprintf("Portfolio %s: need %q (priority %d) was addressed by %s and after this change by no running partnership: a new gap in coverage",
						pfKey, n.Name, n.Priority, strings.Join(was, ", ")),
				})
			}
		}
	}
	return out
}

// needName is the name at spec.addresses[i] of a finding's field.
func needName(p *v1.Partnership, field string) string {
	var i int
	if _, err := fmt.Sscanf(field, "spec.addresses[%d]", &i); err != nil || i < 0 || i >= len(p.Spec.Addresses) {
		return ""
	}
	return p.Spec.Addresses[i]
}

// coverageOf applies the coverage rule to a portfolio of a set.
func coverageOf(s *model.Set, pf *v1.Portfolio) evaluate.CoverageResult {
	selected, _ := s.PartnershipsOf(pf) // a bad selector selects nothing
	members := make([]evaluate.CoverageMember, 0, len(selected))
	for _, p := range selected {
		members = append(members, evaluate.CoverageMember{Name: p.Name, Addresses: p.Spec.Addresses, Ended: p.Status.Phase == v1.PhaseExited})
	}
	return evaluate.Coverage(assess.NeedsOf(pf), members)
}
