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
// Package portfoliotree arranges Accord objects as the tree a portfolio
// manager reads: portfolio, partnerships, objectives, KPIs, each with the
// conditions that judge it, and everything in no portfolio after that. It
// prints the tree as text or JSON for `accordctl status` (live objects)
// and `accordctl evaluate` (objects judged from files), so both read the
// same.
package portfoliotree

import (
	"sort"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
)

// Node is one object in the tree.
type Node struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Verdict sums the conditions up in a word: AtRisk, Healthy, the
	// Healthy reason when neither (BehindPlan, AgreementExpired, ...),
	// Unknown, NotReady, Pending (not yet evaluated for its current
	// spec), Missing (referenced but absent); Reachable, Unreachable or
	// NotQueried for sources; Applied or NotApplied for reviews.
	Verdict string `json:"verdict"`
	Score   *int32 `json:"score,omitempty"`
	// Weight and Critical are the objective's reference to a KPI.
	Weight   int32 `json:"weight,omitempty"`
	Critical bool  `json:"critical,omitempty"`
	// Note says why a top-level object is not under a portfolio.
	Note       string      `json:"note,omitempty"`
	Conditions []Condition `json:"conditions,omitempty"`
	Children   []*Node     `json:"children,omitempty"`

	generation int64
}

// Condition is a status condition without its bookkeeping fields.
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message,omitempty"`
}

// Build arranges the objects into trees: per namespace, each portfolio
// with the partnerships it selects, their objectives and the objectives'
// KPIs; then partnerships in no portfolio, objectives whose partnership
// does not exist, KPIs no objective references, reviews whose
// partnership does not exist, and the metric sources. Objects of other
// kinds are ignored.
func Build(objs []client.Object) []*Node {
	g := newGraph(objs)
	var roots []*Node
	for _, ns := range g.namespaces() {
		roots = append(roots, g.buildNamespace(ns)...)
	}
	return roots
}

type graph struct {
	portfolios   map[string][]*v1.Portfolio
	partnerships map[string][]*v1.Partnership
	objectives   map[string][]*v1.Objective
	kpis         map[string][]*v1.KPI
	reviews      map[string][]*v1.Review
	sources      map[string][]*v1.MetricSource
}

func newGraph(objs []client.Object) *graph {
	g := &graph{
		portfolios: map[string][]*v1.Portfolio{}, partnerships: map[string][]*v1.Partnership{}, objectives: map[string][]*v1.Objective{},
		kpis: map[string][]*v1.KPI{}, reviews: map[string][]*v1.Review{}, sources: map[string][]*v1.MetricSource{},
	}
	for _, o := range objs {
		ns := o.GetNamespace()
		switch x := o.(type) {
		case *v1.Portfolio:
			g.portfolios[ns] = append(g.portfolios[ns], x)
		case *v1.Partnership:
			g.partnerships[ns] = append(g.partnerships[ns], x)
		case *v1.Objective:
			g.objectives[ns] = append(g.objectives[ns], x)
		case *v1.KPI:
			g.kpis[ns] = append(g.kpis[ns], x)
		case *v1.Review:
			g.reviews[ns] = append(g.reviews[ns], x)
		case *v1.MetricSource:
			g.sources[ns] = append(g.sources[ns], x)
		}
	}
	sortByName(g.portfolios)
	sortByName(g.partnerships)
	sortByName(g.objectives)
	sortByName(g.kpis)
	sortByName(g.reviews)
	sortByName(g.sources)
	return g
}

func sortByName[T client.Object](m map[string][]T) {
	for _, s := range m {
		sort.SliceStable(s, func(i, j int) bool { return s[i].GetName() < s[j].GetName() })
	}
}

func (g *graph) namespaces() []string {
	seen := map[string]bool{}
	addKeys(seen, g.portfolios)
	addKeys(seen, g.partnerships)
	addKeys(seen, g.objectives)
	addKeys(seen, g.kpis)
	addKeys(seen, g.reviews)
	addKeys(seen, g.sources)
	out := make([]string, 0, len(seen))
	for ns := range seen {
		out = append(out, ns)
	}
	sort.Strings(out)
	return out
}

func addKeys[T any](seen map[string]bool, m map[string][]T) {
	for k := range m {
		seen[k] = true
	}
}

func (g *graph) buildNamespace(ns string) []*Node {
	var roots []*Node
	inPortfolio := map[string]bool{}
	for _, pf := range g.portfolios[ns] {
		n := node("Portfolio", pf, pf.Status.Score)
		sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
		for _, p := range g.partnerships[ns] {
			if err == nil && sel.Matches(labels.Set(p.Labels)) {
				inPortfolio[p.Name] = true
				n.Children = append(n.Children, g.partnership(ns, p))
			}
		}
		roots = append(roots, n)
	}
	partnerships := map[string]bool{}
	for _, p := range g.partnerships[ns] {
		partnerships[p.Name] = true
		if !inPortfolio[p.Name] {
			n := g.partnership(ns, p)
			n.Note = "in no portfolio"
			roots = append(roots, n)
		}
	}
	referenced := map[string]bool{}
	for _, o := range g.objectives[ns] {
		for _, ref := range o.Spec.KPIs {
			referenced[ref.Name] = true
		}
		if !partnerships[o.Spec.PartnershipRef.Name] {
			n := g.objective(ns, o)
			n.Note = "partnership " + o.Spec.PartnershipRef.Name + " does not exist"
			roots = append(roots, n)
		}
	}
	for _, k := range g.kpis[ns] {
		if !referenced[k.Name] {
			n := node("KPI", k, k.Status.Score)
			n.Note = "referenced by no objective"
			roots = append(roots, n)
		}
	}
	for _, r := range g.reviews[ns] {
		if !partnerships[r.Spec.PartnershipRef.Name] {
			n := node("Review", r, nil)
			n.Note = "partnership " + r.Spec.PartnershipRef.Name + " does not exist"
			roots = append(roots, n)
		}
	}
	for _, s := range g.sources[ns] {
		roots = append(roots, node("MetricSource", s, nil))
	}
	return roots
}

func (g *graph) partnership(ns string, p *v1.Partnership) *Node {
	n := node("Partnership", p, p.Status.Score)
	for _, o := range g.objectives[ns] {
		if o.Spec.PartnershipRef.Name == p.Name {
			n.Children = append(n.Children, g.objective(ns, o))
		}
	}
	return n
}

func (g *graph) objective(ns string, o *v1.Objective) *Node {
	n := node("Objective", o, o.Status.Score)
	for _, ref := range o.Spec.KPIs {
		var c *Node
		if k := g.kpi(ns, ref.Name); k != nil {
			c = node("KPI", k, k.Status.Score)
		} else {
			c = &Node{Kind: "KPI", Namespace: ns, Name: ref.Name, Verdict: "Missing"}
		}
		c.Weight, c.Critical = ref.Weight, ref.Critical
		n.Children = append(n.Children, c)
	}
	return n
}

func (g *graph) kpi(ns, name string) *v1.KPI {
	for _, k := range g.kpis[ns] {
		if k.Name == name {
			return k
		}
	}
	return nil
}

// conditionOrder is the order conditions are shown in: the generic
// summary first, then data, then the verdict.
var conditionOrder = []string{
	v1.ConditionReady, v1.ConditionMetricsAvailable, v1.ConditionReachable, v1.ConditionApplied,
	v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue,
}

func node(kind string, o client.Object, score *int32) *Node {
	n := &Node{Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName(), Score: score, generation: o.GetGeneration()}
	conds := assess.Conditions(o)
	rank := map[string]int{}
	for i, t := range conditionOrder {
		rank[t] = i
	}
	sorted := append([]metav1.Condition(nil), conds...)
	sort.SliceStable(sorted, func(i, j int) bool {
		ri, iok := rank[sorted[i].Type]
		rj, jok := rank[sorted[j].Type]
		switch {
		case iok && jok:
			return ri < rj
		case iok != jok:
			return iok
		}
		return sorted[i].Type < sorted[j].Type
	})
	for _, c := range sorted {
		n.Conditions = append(n.Conditions, Condition{Type: c.Type, Status: string(c.Status), Reason: c.Reason, Message: c.Message})
	}
	n.Verdict = verdict(kind, o.GetGeneration(), conds)
	return n
}

func verdict(kind string, generation int64, conds []metav1.Condition) string {
	ready := meta.FindStatusCondition(conds, v1.ConditionReady)
	if ready == nil || ready.ObservedGeneration < generation {
		return "Pending"
	}
	status := func(t string) metav1.ConditionStatus {
		if c := meta.FindStatusCondition(conds, t); c != nil {
			return c.Status
		}
		return ""
	}
	switch kind {
	case "MetricSource":
		switch status(v1.ConditionReachable) {
		case metav1.ConditionTrue:
			return "Reachable"
		case metav1.ConditionFalse:
			return "Unreachable"
		}
		return "NotQueried"
	case "Review":
		if status(v1.ConditionApplied) == metav1.ConditionTrue {
			return "Applied"
		}
		return "NotApplied"
	}
	if ready.Status == metav1.ConditionFalse {
		return "NotReady"
	}
	switch {
	case status(v1.ConditionAtRisk) == metav1.ConditionTrue:
		return "AtRisk"
	case status(v1.ConditionHealthy) == metav1.ConditionTrue:
		return "Healthy"
	case status(v1.ConditionHealthy) == metav1.ConditionFalse:
		return meta.FindStatusCondition(conds, v1.ConditionHealthy).Reason
	}
	return "Unknown"
}
