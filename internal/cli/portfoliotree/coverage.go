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

package portfoliotree

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/portfolio"
)

// PortfolioCoverage is one portfolio's status.coverage, as the operator
// (or accordctl evaluate) wrote it.
type PortfolioCoverage struct {
	Namespace   string                `json:"namespace"`
	Portfolio   string                `json:"portfolio"`
	DisplayName string                `json:"displayName"`
	Coverage    *v1.PortfolioCoverage `json:"coverage"`
}

// Coverages lists the coverage of every portfolio in the set, in the
// order of the tree. It reads the status: the rule is the operator's
// (evaluate.Coverage), applied once.
func Coverages(s *portfolio.Set) []PortfolioCoverage {
	var out []PortfolioCoverage
	for _, ns := range s.Namespaces() {
		for _, pf := range inNamespace(s.Portfolios, ns) {
			out = append(out, PortfolioCoverage{Namespace: ns, Portfolio: pf.Name, DisplayName: pf.Spec.DisplayName, Coverage: pf.Status.Coverage})
		}
	}
	return out
}

// CoverageJSON writes the coverages as {"items": [...]}, indented.
func CoverageJSON(w io.Writer, cs []PortfolioCoverage) error {
	if cs == nil {
		cs = []PortfolioCoverage{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Items []PortfolioCoverage `json:"items"`
	}{cs})
}

// CoverageText writes, for each portfolio, its needs with the
// partnerships that address them (gaps and overlaps marked) and what each
// partner of each partnership gives and receives.
func CoverageText(w io.Writer, cs []PortfolioCoverage, showNamespace bool) error {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("\n")
		}
		where := ""
		if showNamespace {
			where = " in namespace " + c.Namespace
		}
		fmt.Fprintf(&b, "Coverage of Portfolio/%s (%s)%s\n", c.Portfolio, c.DisplayName, where)
		if c.Coverage == nil {
			b.WriteString("  The portfolio declares no needs (spec.needs) and no partnership what it gives or receives\n")
			continue
		}
		res := assess.CoverageResult(c.Coverage)
		b.WriteString("  " + res.CoverageSummary() + "\n")
		if len(res.Needs) > 0 {
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for _, n := range res.Needs {
				fmt.Fprintf(tw, "    %s\tpriority %d\t%s\n", n.Name, n.Priority, NeedCoverageWords(n))
			}
			_ = tw.Flush()
		}
		if len(c.Coverage.Partnerships) > 0 {
			b.WriteString("  What each partner gives and receives:\n")
		}
		for _, ex := range c.Coverage.Partnerships {
			head := "    Partnership/" + ex.Name
			if len(ex.Addresses) > 0 {
				head += " (addresses " + strings.Join(ex.Addresses, ", ") + ")"
			}
			if ex.Ended {
				head += " (ended)"
			}
			b.WriteString(head + "\n")
			for _, p := range ex.Partners {
				fmt.Fprintf(&b, "      %s: %s\n", p.Name, PartnerExchangeWords(p))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// NeedCoverageWords says who addresses a need: "valley-integrated-care",
// "a, b (overlap)", "none (gap)", with ended partnerships named.
func NeedCoverageWords(n evaluate.NeedCover) string {
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

// PartnerExchangeWords is one partner's side in a sentence: "gives USD
// 180,000 per year, 1 data item and 200 staff hours a month (given: 522 of
// 600 committed hours in the latest reported periods, 87%); receives ...".
func PartnerExchangeWords(p v1.PartnerExchange) string {
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
