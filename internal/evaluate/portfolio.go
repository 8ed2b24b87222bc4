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
	"math"
	"slices"
	"strings"
)

var kindOrder = map[string]int{"Partnership": 0, "Objective": 1, "KPI": 2}

func healthRank(h Health) int {
	switch h {
	case AtRisk:
		return 0
	case Breaching:
		return 1
	default:
		return 2
	}
}

// Portfolio rolls up partnerships, and lists the worst items among the
// partnerships and the given objectives and KPIs.
func Portfolio(partnerships []Item, objectivesAndKPIs []Item, worstN int) PortfolioResult {
	res := PortfolioResult{Total: int32(len(partnerships))}
	var atRisk []string
	var sum, weight float64
	for _, p := range partnerships {
		if p.Exited {
			// Ended: neither a verdict nor a weight in the score.
			res.Exited++
			continue
		}
		if p.Prospect {
			// Before its agreement: no verdict, no weight in the score;
			// its draft dates or follow-ups may still call a review.
			res.Prospects++
			if p.ReviewDue {
				res.ReviewDue++
			}
			continue
		}
		switch p.Health {
		case Healthy:
			res.Healthy++
		case AtRisk:
			res.AtRisk++
			atRisk = append(atRisk, p.Name)
		default:
			res.Unknown++
		}
		if p.ReviewDue {
			res.ReviewDue++
		}
		if p.Score != nil {
			w := math.Max(1, float64(p.Objectives))
			sum += w * float64(*p.Score)
			weight += w
		}
	}
	if weight > 0 {
		s := int32(math.Round(sum / weight))
		res.Score = &s
	}
	for _, it := range objectivesAndKPIs {
		if it.Kind != "Objective" {
			continue
		}
		res.ObjectivesTotal++
		switch it.Health {
		case Healthy:
			res.ObjectivesHealthy++
		case AtRisk:
			res.ObjectivesAtRisk++
		default:
			res.ObjectivesUnknown++
		}
	}
	slices.Sort(atRisk)
	judged := res.Total - res.Exited - res.Prospects
	switch {
	case len(atRisk) > 0:
		res.Health, res.Reason = AtRisk, ReasonPartnershipsAtRisk
		res.Message = fmt.Sprintf("%d of %d partnerships are at risk: %s", len(atRisk), judged, strings.Join(atRisk, ", "))
	case res.Total == 0:
		res.Health, res.Reason = Unknown, ReasonNoPartnerships
		res.Message = "The selector matches no partnership"
	case judged == 0 && res.Prospects > 0:
		res.Health, res.Reason = Inactive, ReasonNoPartnerships
		res.Message = "No partnership is under way yet"
	case res.Total == res.Exited:
		// Nothing left to judge, and nothing at risk.
		res.Health, res.Reason = Inactive, ReasonNoPartnerships
		res.Message = fmt.Sprintf("All %d partnerships have ended", res.Total)
	case res.Healthy == judged:
		res.Health, res.Reason = Healthy, ReasonAllHealthy
		res.Message = fmt.Sprintf("All %d partnerships are healthy", res.Healthy)
	default:
		res.Health, res.Reason = Unknown, ReasonSomeUnknown
		res.Message = fmt.Sprintf("%d of %d partnerships are healthy; the others are not yet judged", res.Healthy, judged)
	}
	var more []string
	if res.Exited > 0 {
		more = append(more, fmt.Sprintf("%d more ended", res.Exited))
	}
	if res.Prospects > 0 {
		more = append(more, count(int(res.Prospects), "prospect", "prospects")+" not yet under way")
	}
	if len(more) > 0 {
		res.Message += " (" + strings.Join(more, "; ") + ")"
	}

	if worstN > 0 {
		var all []Item
		for _, p := range partnerships {
			if !p.Exited && !p.Prospect {
				all = append(all, p)
			}
		}
		all = append(all, objectivesAndKPIs...)
		slices.SortStableFunc(all, worse)
		if len(all) > worstN {
			all = all[:worstN]
		}
		res.Worst = all
	}
	return res
}

// worse orders items worst first: AtRisk, then Breaching, then the rest;
// then ascending score with unscored last; then kind and name.
func worse(a, b Item) int {
	if c := cmp.Compare(healthRank(a.Health), healthRank(b.Health)); c != 0 {
		return c
	}
	switch {
	case a.Score != nil && b.Score == nil:
		return -1
	case a.Score == nil && b.Score != nil:
		return 1
	case a.Score != nil && *a.Score != *b.Score:
		return cmp.Compare(*a.Score, *b.Score)
	}
	return cmp.Or(cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]), strings.Compare(a.Name, b.Name))
}
