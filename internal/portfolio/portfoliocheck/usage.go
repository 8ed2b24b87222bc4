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

package portfoliocheck

import (
	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
)

// usage finds objects that take part in no score: KPIs no objective lists,
// objectives without KPIs and partnerships without objectives. The
// operator keeps their health Unknown, which is rarely what was meant.
func (p *rules) usage() {
	for _, k := range p.s.KPIs {
		if len(p.s.ObjectivesUsing(portfolio.KeyOf(k))) == 0 && !p.s.HasPartial(portfolio.KindObjective, k.Namespace) {
			p.add(portfolio.KindKPI, k, Warning, RuleUnusedKPI, "metadata.name",
				"no Objective lists this KPI in spec.kpis, so it counts toward no score")
		}
	}
	for _, o := range p.s.Objectives {
		if len(o.Spec.KPIs) == 0 {
			p.add(portfolio.KindObjective, o, Warning, RuleObjectiveWithoutKPIs, "spec.kpis",
				"Required value: the objective lists no KPIs, so its score and health stay Unknown")
		}
	}
	for _, ps := range p.s.Partnerships {
		if ps.Spec.DesiredPhase == v1.PhaseProspect {
			continue // a Prospect's objectives need not exist yet
		}
		if len(p.s.ObjectivesOf(portfolio.KeyOf(ps))) == 0 && !p.s.HasPartial(portfolio.KindObjective, ps.Namespace) {
			p.add(portfolio.KindPartnership, ps, Warning, RulePartnershipWithoutObjectives, "metadata.name",
				"no Objective names this partnership in spec.partnershipRef, so its score and health stay Unknown")
		}
	}
}
