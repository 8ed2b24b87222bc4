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
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/views/coverage"
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
		res := coverage.Result(c.Coverage)
		b.WriteString("  " + res.CoverageSummary() + "\n")
		if len(res.Needs) > 0 {
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for _, n := range res.Needs {
				_, _ = fmt.Fprintf(tw, "    %s\tpriority %d\t%s\n", n.Name, n.Priority, coverage.NeedWords(n))
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
				fmt.Fprintf(&b, "      %s: %s\n", p.Name, coverage.PartnerWords(p))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
