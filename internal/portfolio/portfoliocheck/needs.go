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
	"fmt"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/portfolio"
)

// needs finds partnerships that address a need no Portfolio selecting
// them declares (the rule the operator applies, assess.UndeclaredNeeds),
// and amounts below zero in what partners give and receive.
func (p *rules) needs() {
	for _, ps := range p.s.Partnerships {
		for _, problem := range assess.UndeclaredNeeds(ps, assess.SelectingPortfolios(ps, p.s.Portfolios)) {
			p.add(portfolio.KindPartnership, ps, Error, RuleUndeclaredNeed, problem.Field, problem.Message+" (among the objects validated)")
		}
		for i, partner := range ps.Spec.Partners {
			for _, side := range []struct {
				field string
				items []v1.Exchange
			}{{"contributes", partner.Contributes}, {"receives", partner.Receives}} {
				for j, it := range side.items {
					if it.Amount != nil && it.Amount.Sign() < 0 {
						p.add(portfolio.KindPartnership, ps, Error, RuleExchangeAmount, fmt.Sprintf("spec.partners[%d].%s[%d].amount", i, side.field, j),
							fmt.Sprintf("Invalid value: %q: must be zero or more (what a partner gives is in contributes, what it gets in receives)", it.Amount.String()))
					}
				}
			}
		}
	}
}
