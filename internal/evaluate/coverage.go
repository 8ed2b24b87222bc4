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
	"math/big"
	"slices"
	"strings"
)

// Need is one of the office's declared needs.
type Need struct {
	Name string
	// Priority from 1 (highest) to 5.
	Priority int32
}

// CoverageMember is a selected partnership as the coverage rule sees it.
type CoverageMember struct {
	Name string
	// Addresses are the needs it names.
	Addresses []string
	// Ended is true once it is Exited: it no longer covers anything.
	Ended bool
}

// NeedCover is one need with the partnerships that address it.
type NeedCover struct {
	Need
	// Partnerships address it and have not ended, by name.
	Partnerships []string
	// Ended addressed it and have ended.
	Ended []string
}

// CoverageResult is the coverage of the office's needs.
type CoverageResult struct {
	// Needs, highest priority first (declared order among equals).
	Needs []NeedCover
	// Gaps are the needs no running partnership addresses, and Overlaps
	// those two or more address, in the order of Needs.
	Gaps, Overlaps []string
}

// Coverage is the one coverage rule: a need is covered by the selected
// partnerships that name it in spec.addresses and have not ended; none is
// a gap, two or more an overlap. Names a partnership addresses that are
// not declared are not counted here (UndeclaredNeeds reports them).
func Coverage(needs []Need, members []CoverageMember) CoverageResult {
	var res CoverageResult
	order := slices.Clone(needs)
	slices.SortStableFunc(order, func(a, b Need) int { return cmp.Compare(a.Priority, b.Priority) })
	for _, n := range order {
		c := NeedCover{Need: n}
		for _, m := range members {
			if !slices.Contains(m.Addresses, n.Name) {
				continue
			}
			if m.Ended {
				c.Ended = append(c.Ended, m.Name)
			} else {
				c.Partnerships = append(c.Partnerships, m.Name)
			}
		}
		slices.Sort(c.Partnerships)
		slices.Sort(c.Ended)
		switch {
		case len(c.Partnerships) == 0:
			res.Gaps = append(res.Gaps, n.Name)
		case len(c.Partnerships) > 1:
			res.Overlaps = append(res.Overlaps, n.Name)
		}
		res.Needs = append(res.Needs, c)
	}
	return res
}

// UndeclaredNeeds returns the indexes into addresses of the names that
// none of the declared need lists holds. declared holds one list per
// portfolio that selects the partnership; with none there is nothing to
// check against (a partnership file judged on its own), and nothing is
// reported.
func UndeclaredNeeds(addresses []string, declared [][]Need) []int {
	if len(declared) == 0 {
		return nil
	}
	var out []int
	for i, a := range addresses {
		found := false
		for _, needs := range declared {
			found = found || slices.ContainsFunc(needs, func(n Need) bool { return n.Name == a })
		}
		if !found {
			out = append(out, i)
		}
	}
	return out
}

// CoverageSummary is the coverage in a sentence: "2 of 5 needs have no
// partnership (gaps): a, b; 1 is addressed by 2 or more (overlap): c".
func (r CoverageResult) CoverageSummary() string {
	if len(r.Needs) == 0 {
		return "The portfolio declares no needs"
	}
	var parts []string
	if len(r.Gaps) == 0 {
		parts = append(parts, fmt.Sprintf("Every one of the %d needs is addressed by a running partnership", len(r.Needs)))
	} else {
		parts = append(parts, fmt.Sprintf("%d of %d needs %s no running partnership (%s): %s",
			len(r.Gaps), len(r.Needs), plural(len(r.Gaps), "has", "have"), plural(len(r.Gaps), "gap", "gaps"), strings.Join(r.Gaps, ", ")))
	}
	if len(r.Overlaps) > 0 {
		parts = append(parts, fmt.Sprintf("%d %s addressed by two or more (%s): %s",
			len(r.Overlaps), plural(len(r.Overlaps), "is", "are"), plural(len(r.Overlaps), "overlap", "overlaps"), strings.Join(r.Overlaps, ", ")))
	}
	return strings.Join(parts, "; ")
}

// ExchangeItem is one thing a partner gives or receives.
type ExchangeItem struct {
	Kind string
	Unit string
	// Amount is a decimal number ("120000", "0.5"), "" when not declared.
	Amount string
	// Description of the item, kept for items without an amount.
	Description string
}

// ExchangeTotal is the sum of the items of one kind in one unit; items
// without an amount are counted in a total of their own with no unit.
type ExchangeTotal struct {
	Kind string
	Unit string
	// Amount is the exact decimal sum, "" for items without amounts.
	Amount string
	Items  int32
	// Descriptions of the items without amount.
	Descriptions []string
}

// SumExchange adds up items only where kind and unit agree exactly:
// "USD per year" and "USD" are different units, and no rate of exchange
// or period is guessed. Totals keep the order in which each (kind, unit)
// first appears. An amount that is not a decimal number is counted as an
// item without amount.
func SumExchange(items []ExchangeItem) []ExchangeTotal {
	type key struct{ kind, unit string }
	var order []key
	sums := map[key]*big.Rat{}
	counts := map[key]int32{}
	descriptions := map[key][]string{}
	for _, it := range items {
		k := key{it.Kind, it.Unit}
		var v *big.Rat
		if it.Amount != "" {
			if r, ok := new(big.Rat).SetString(it.Amount); ok {
				v = r
			}
		}
		if v == nil {
			k.unit = ""
			descriptions[k] = append(descriptions[k], it.Description)
		}
		if _, seen := counts[k]; !seen {
			order = append(order, k)
			if v != nil {
				sums[k] = new(big.Rat)
			}
		}
		counts[k]++
		if v != nil {
			sums[k].Add(sums[k], v)
		}
	}
	out := make([]ExchangeTotal, 0, len(order))
	for _, k := range order {
		t := ExchangeTotal{Kind: k.kind, Unit: k.unit, Items: counts[k], Descriptions: descriptions[k]}
		if s, ok := sums[k]; ok {
			t.Amount = decimalString(s)
		}
		out = append(out, t)
	}
	return out
}

// decimalString renders an exact sum of decimals without trailing zeros.
func decimalString(r *big.Rat) string {
	s := r.FloatString(12)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// Words renders a total for people: "USD 170,000 per year", "1,200
// referrals per month", "data (ADT notifications; care plans)".
func (t ExchangeTotal) Words() string {
	if t.Amount == "" {
		if len(t.Descriptions) > 0 {
			return strings.ToLower(kindWords(t.Kind)) + " (" + strings.Join(t.Descriptions, "; ") + ")"
		}
		return fmt.Sprintf("%d %s %s", t.Items, strings.ToLower(kindWords(t.Kind)), plural(int(t.Items), "item", "items"))
	}
	n := t.Amount
	if whole, frac, _ := strings.Cut(n, "."); len(strings.TrimPrefix(whole, "-")) > 3 {
		n = thousands(whole)
		if frac != "" {
			n += "." + frac
		}
	}
	unit, rest, _ := strings.Cut(t.Unit, " ")
	if currencyRE.MatchString(unit) {
		return strings.TrimSpace(unit + " " + n + " " + rest)
	}
	return n + " " + t.Unit
}

func kindWords(k string) string {
	if k == "StaffTime" {
		return "staff time"
	}
	return k
}
