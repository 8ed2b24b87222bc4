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
	"slices"
	"strings"
	"time"

	model "github.com/accord-dev/accord/internal/portfolio"
)

// Compare diffs two versions of a portfolio, groups the changes by
// partnership and applies the policy to the partnerships the change
// touches. The caller fills in Report.Base and Report.Head.
func Compare(base, head *model.Set) *Report { return CompareAt(base, head, time.Time{}) }

// CompareAt is Compare with the policy judged on the day of now (see
// PolicyAt).
func CompareAt(base, head *model.Set, now time.Time) *Report {
	var all []Change
	groups := map[string]*PartnershipDiff{}
	for _, kind := range kindOrder {
		for _, key := range union(keys(base, kind), keys(head, kind)) {
			changes := compareObject(kind, key, object(base, kind, key), object(head, kind, key))
			if len(changes) == 0 {
				continue
			}
			all = append(all, changes...)
			for _, p := range partnershipsOf(kind, key, base, head) {
				g := groups[p]
				if g == nil {
					g = newGroup(p, base, head)
					groups[p] = g
				}
				g.Changes = append(g.Changes, changes...)
			}
		}
	}
	r := &Report{Partnerships: []PartnershipDiff{}}
	for _, g := range groups {
		r.Partnerships = append(r.Partnerships, *g)
	}
	// Partnerships by name; objects linked to none ("") last.
	slices.SortFunc(r.Partnerships, func(a, b PartnershipDiff) int {
		switch {
		case a.Name == "" && b.Name != "":
			return 1
		case a.Name != "" && b.Name == "":
			return -1
		}
		return strings.Compare(a.Name, b.Name)
	})
	r.Findings = PolicyAt(base, head, all, touched(groups), now)
	r.Summary = summarize(r, all)
	return r
}

func newGroup(name string, base, head *model.Set) *PartnershipDiff {
	g := &PartnershipDiff{Name: name, Status: Changed}
	k := model.ParseKey(name)
	b, h := base.Partnership(k), head.Partnership(k)
	switch {
	case name == "":
	case b == nil && h != nil:
		g.Status = Added
	case b != nil && h == nil:
		g.Status = Removed
	}
	switch {
	case h != nil:
		g.DisplayName = h.Spec.DisplayName
	case b != nil:
		g.DisplayName = b.Spec.DisplayName
	}
	return g
}

func touched(groups map[string]*PartnershipDiff) map[string]bool {
	out := map[string]bool{}
	for name := range groups {
		if name != "" {
			out[name] = true
		}
	}
	return out
}

// owners says, by kind, which partnerships an object belongs to in one
// version: a partnership itself; the partnership an objective or review
// references; every partnership with an objective that uses a KPI. Other
// kinds belong to none.
var owners = map[string]func(s *model.Set, key string) []string{
	model.KindPartnership: func(_ *model.Set, key string) []string { return []string{key} },
	model.KindObjective: func(s *model.Set, key string) []string {
		if o := s.Objective(model.ParseKey(key)); o != nil {
			return []string{partnershipKey(o.Namespace, o.Spec.PartnershipRef)}
		}
		return nil
	},
	model.KindReview: func(s *model.Set, key string) []string {
		if r := s.Review(model.ParseKey(key)); r != nil {
			return []string{partnershipKey(r.Namespace, r.Spec.PartnershipRef)}
		}
		return nil
	},
	model.KindKPI: kpiUsers,
}

// partnershipsOf lists the partnerships an object's changes belong to, in
// either version (see owners). Metric sources, portfolios and KPIs no
// objective uses belong to "".
func partnershipsOf(kind, key string, base, head *model.Set) []string {
	set := map[string]bool{}
	for _, s := range []*model.Set{base, head} {
		if of, ok := owners[kind]; ok {
			for _, p := range of(s, key) {
				set[p] = true
			}
		}
	}
	if len(set) == 0 {
		return []string{""}
	}
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// kpiUsers lists the partnerships whose objectives use a KPI.
func kpiUsers(s *model.Set, kpiKey string) []string {
	users := s.ObjectivesUsing(model.ParseKey(kpiKey))
	out := make([]string, 0, len(users))
	for _, o := range users {
		out = append(out, partnershipKey(o.Namespace, o.Spec.PartnershipRef))
	}
	slices.Sort(out)
	return dedupe(out)
}

// isDeadline is true for the dates an objective or KPI must be met by.
func isDeadline(c Change) bool {
	return (c.Kind == model.KindObjective && c.Field == "spec.deadline") || (c.Kind == model.KindKPI && c.Field == "spec.target.date")
}

func summarize(r *Report, all []Change) Summary {
	s := Summary{Changes: len(all)}
	for _, g := range r.Partnerships {
		switch {
		case g.Name == "":
		case g.Status == Added:
			s.PartnershipsAdded++
		case g.Status == Removed:
			s.PartnershipsRemoved++
		default:
			s.PartnershipsChanged++
		}
	}
	for _, c := range all {
		whole := c.Field == ""
		switch {
		case whole && c.Kind == model.KindObjective && c.Change == Added:
			s.ObjectivesAdded++
		case whole && c.Kind == model.KindObjective && c.Change == Removed:
			s.ObjectivesRemoved++
		case whole && c.Kind == model.KindKPI && c.Change == Added:
			s.KPIsAdded++
		case whole && c.Kind == model.KindKPI && c.Change == Removed:
			s.KPIsRemoved++
		case c.Change == Tightened:
			s.TargetsTightened++
		case c.Change == Loosened:
			s.TargetsLoosened++
		case c.Change == Earlier && isDeadline(c):
			s.DeadlinesEarlier++
		case c.Change == Later && isDeadline(c):
			s.DeadlinesLater++
		case c.Change == Recorded:
			s.ReviewsRecorded++
		}
	}
	for _, f := range r.Findings {
		switch f.Severity {
		case SeverityError:
			s.Errors++
		case SeverityWarning:
			s.Warnings++
		}
	}
	return s
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range [][]string{a, b} {
		for _, k := range l {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}
