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

// Package coverage words a portfolio's coverage and a partner's side of
// the exchange, as the operator wrote them in status, for the dashboard,
// accordctl status --coverage and the review pack alike.
package coverage

import (
	"fmt"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// NeedWords says who addresses a need: "valley-integrated-care",
// "a, b (overlap)", "none (gap)", with ended partnerships named.
func NeedWords(n evaluate.NeedCover) string {
	s := strings.Join(n.Partnerships, ", ")
	switch len(n.Partnerships) {
	case 0:
		s = "none (gap)"
	case 1:
	default:
		s += " (overlap)"
	}
	if len(n.Ended) > 0 {
		s += "; ended: " + strings.Join(n.Ended, ", ")
	}
	return s
}

// PartnerWords is one partner's side in a sentence: "gives USD
// 180,000 per year, 1 data item and 200 staff hours a month (given: 522 of
// 600 committed hours in the latest reported periods, 87%); receives ...".
func PartnerWords(p v1.PartnerExchange) string {
	gives := totalsWords(p.Gives)
	if p.CommittedHoursPerMonth > 0 {
		h := fmt.Sprintf("%d staff hours a month", p.CommittedHoursPerMonth)
		if p.DeliveredHours != nil && p.CommittedHours != nil && *p.CommittedHours > 0 {
			h += fmt.Sprintf(" (given: %d of %d committed hours in the latest reported periods, %d%%)",
				*p.DeliveredHours, *p.CommittedHours, 100**p.DeliveredHours / *p.CommittedHours)
		}
		if len(p.ShortRoles) > 0 {
			h += ", short of the commitment: " + strings.Join(p.ShortRoles, ", ")
		}
		gives = append(gives, h)
	}
	parts := []string{}
	if len(gives) > 0 {
		parts = append(parts, "gives "+joinAnd(gives))
	}
	if r := totalsWords(p.Receives); len(r) > 0 {
		parts = append(parts, "receives "+joinAnd(r))
	}
	if len(parts) == 0 {
		return "declares nothing given or received"
	}
	return strings.Join(parts, "; ")
}

func totalsWords(ts []v1.ExchangeTotal) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, evaluate.ExchangeTotal{Kind: string(t.Kind), Unit: t.Unit, Amount: t.Amount, Items: t.Items, Descriptions: t.Descriptions}.Words())
	}
	return out
}

func joinAnd(s []string) string {
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// TotalsWords words each total: "USD 180,000 per year", "data (ADT feed)".
func TotalsWords(ts []v1.ExchangeTotal) []string { return totalsWords(ts) }

// Result reads a portfolio's coverage back from its status, for
// the dashboard, accordctl status and the review pack, which show it and
// never judge it again.
func Result(c *v1.PortfolioCoverage) evaluate.CoverageResult {
	var res evaluate.CoverageResult
	if c == nil {
		return res
	}
	res.Gaps, res.Overlaps = c.Gaps, c.Overlaps
	for _, n := range c.Needs {
		res.Needs = append(res.Needs, evaluate.NeedCover{Need: evaluate.Need{Name: n.Name, Priority: n.Priority}, Partnerships: n.Partnerships, Ended: n.Ended})
	}
	return res
}
