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
	"cmp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/portfolio"
)

// Node is one object in the tree.
type Node struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Verdict sums the conditions up in a word: AtRisk, Healthy, the
	// Healthy reason when neither (BehindPlan, AgreementExpired, ...),
	// Ended for an Exited partnership and its objectives and KPIs,
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

// Build arranges a portfolio's objects into trees: per namespace, each
// portfolio with the partnerships it selects, their objectives and the
// objectives' KPIs; then partnerships in no portfolio, objectives whose
// partnership does not exist, KPIs no objective references, reviews whose
// partnership does not exist, and the metric sources.
func Build(s *portfolio.Set) []*Node {
	namespaces := s.Namespaces()
	trees := make([][]*Node, 0, len(namespaces))
	for _, ns := range namespaces {
		trees = append(trees, buildNamespace(s, ns))
	}
	return slices.Concat(trees...)
}

// inNamespace keeps the objects of one namespace; the set lists each kind
// by namespace and name.
func inNamespace[T client.Object](l []T, ns string) []T {
	var out []T
	for _, o := range l {
		if o.GetNamespace() == ns {
			out = append(out, o)
		}
	}
	return out
}

func buildNamespace(s *portfolio.Set, ns string) []*Node {
	var roots []*Node
	inPortfolio := map[string]bool{}
	for _, pf := range inNamespace(s.Portfolios, ns) {
		n := node("Portfolio", pf, pf.Status.Score)
		selected, _ := s.PartnershipsOf(pf) // a bad selector selects nothing
		for _, p := range selected {
			inPortfolio[p.Name] = true
			n.Children = append(n.Children, partnership(s, p))
		}
		roots = append(roots, n)
	}
	for _, p := range s.PartnershipsIn(ns) {
		if !inPortfolio[p.Name] {
			n := partnership(s, p)
			n.Note = "in no portfolio"
			roots = append(roots, n)
		}
	}
	for _, o := range inNamespace(s.Objectives, ns) {
		if s.Partnership(portfolio.Key{Namespace: ns, Name: o.Spec.PartnershipRef.Name}) == nil {
			n := objective(s, o)
			n.Note = "partnership " + o.Spec.PartnershipRef.Name + " does not exist"
			roots = append(roots, n)
		}
	}
	for _, k := range inNamespace(s.KPIs, ns) {
		if len(s.ObjectivesUsing(portfolio.KeyOf(k))) == 0 {
			n := node("KPI", k, k.Status.Score)
			n.Note = "referenced by no objective"
			roots = append(roots, n)
		}
	}
	for _, r := range inNamespace(s.Reviews, ns) {
		if s.Partnership(portfolio.Key{Namespace: ns, Name: r.Spec.PartnershipRef.Name}) == nil {
			n := node("Review", r, nil)
			n.Note = "partnership " + r.Spec.PartnershipRef.Name + " does not exist"
			roots = append(roots, n)
		}
	}
	for _, src := range inNamespace(s.MetricSources, ns) {
		roots = append(roots, node("MetricSource", src, nil))
	}
	return roots
}

func partnership(s *portfolio.Set, p *v1.Partnership) *Node {
	n := node("Partnership", p, p.Status.Score)
	for _, o := range s.ObjectivesOf(portfolio.KeyOf(p)) {
		n.Children = append(n.Children, objective(s, o))
	}
	return n
}

func objective(s *portfolio.Set, o *v1.Objective) *Node {
	n := node("Objective", o, o.Status.Score)
	for i, k := range s.KPIsOf(o) {
		ref := o.Spec.KPIs[i]
		var c *Node
		if k != nil {
			c = node("KPI", k, k.Status.Score)
		} else {
			c = &Node{Kind: "KPI", Namespace: o.Namespace, Name: ref.Name, Verdict: "Missing"}
		}
		c.Weight, c.Critical = ref.Weight, ref.Critical
		n.Children = append(n.Children, c)
	}
	return n
}

// conditionOrder is the order conditions are shown in: the generic
// summary first, then data, then the verdict.
var conditionOrder = []string{
	v1.ConditionReady, v1.ConditionMetricsAvailable, v1.ConditionReachable, v1.ConditionApplied,
	v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue, v1.ConditionHoursDelivered,
}

func node(kind string, o client.Object, score *int32) *Node {
	n := &Node{Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName(), Score: score, generation: o.GetGeneration()}
	conds := assess.Conditions(o)
	rank := map[string]int{}
	for i, t := range conditionOrder {
		rank[t] = i
	}
	sorted := append([]metav1.Condition(nil), conds...)
	slices.SortStableFunc(sorted, func(a, b metav1.Condition) int {
		ra, aok := rank[a.Type]
		rb, bok := rank[b.Type]
		switch {
		case aok && bok:
			return cmp.Compare(ra, rb)
		case aok:
			return -1
		case bok:
			return 1
		}
		return strings.Compare(a.Type, b.Type)
	})
	for _, c := range sorted {
		n.Conditions = append(n.Conditions, Condition{Type: c.Type, Status: string(c.Status), Reason: c.Reason, Message: c.Message})
	}
	n.Verdict = verdict(kind, o.GetGeneration(), conds)
	return n
}

// verdictPending is the verdict of an object the operator has not
// evaluated at its current generation.
const verdictPending = "Pending"

func verdict(kind string, generation int64, conds []metav1.Condition) string {
	ready := meta.FindStatusCondition(conds, v1.ConditionReady)
	if ready == nil || ready.ObservedGeneration < generation {
		return verdictPending
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
		if r := meta.FindStatusCondition(conds, v1.ConditionHealthy).Reason; r != string(evaluate.ReasonPartnershipEnded) {
			return r
		}
		return "Ended" // an Exited partnership, or a child of one
	}
	return "Unknown"
}
