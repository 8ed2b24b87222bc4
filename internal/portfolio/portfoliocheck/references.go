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
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// references finds references to objects that are not in the portfolio:
// objective to partnership and KPIs, KPI to metric source, review to
// partnership. All references stay within a namespace.
func (p *rules) references() {
	for _, o := range p.s.Objectives {
		p.dangling(portfolio.KindObjective, o, "spec.partnershipRef.name", portfolio.KindPartnership, o.Spec.PartnershipRef.Name)
		for i, k := range o.Spec.KPIs {
			p.dangling(portfolio.KindObjective, o, fmt.Sprintf("spec.kpis[%d].name", i), portfolio.KindKPI, k.Name)
		}
	}
	for _, k := range p.s.KPIs {
		if k.Spec.Source != nil {
			p.dangling(portfolio.KindKPI, k, "spec.source.sourceRef.name", portfolio.KindMetricSource, k.Spec.Source.SourceRef.Name)
		}
	}
	for _, r := range p.s.Reviews {
		p.dangling(portfolio.KindReview, r, "spec.partnershipRef.name", portfolio.KindPartnership, r.Spec.PartnershipRef.Name)
	}
}

// dangling records a finding when from's reference to kind/name resolves
// to nothing, with a hint at the likely intended object.
func (p *rules) dangling(fromKind string, from client.Object, field, kind, name string) {
	ns := from.GetNamespace()
	if name == "" { // the schema already requires it
		return
	}
	if p.s.Has(portfolio.Ref{Kind: kind, Key: portfolio.Key{Namespace: ns, Name: name}}) {
		return
	}
	msg := fmt.Sprintf("Not found: %q: no %s %q in namespace %s among the objects validated", name, kind, name, ns)
	if s := suggest.Closest(name, p.s.Names(kind, ns)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if others := p.s.NamespacesOf(kind, name, ns); len(others) > 0 {
		msg += fmt.Sprintf("; there is one in namespace %s, but references stay within the referring object's namespace", strings.Join(others, ", "))
	}
	p.add(fromKind, from, Error, RuleDanglingRef, field, msg)
}

// followUpUpdates finds reviews whose followUpUpdates name no follow-up
// of an earlier review of their partnership (the rule the operator
// applies, assess.FollowUpUpdateProblem, which names the field).
func (p *rules) followUpUpdates() {
	for _, r := range p.s.Reviews {
		if len(r.Spec.FollowUpUpdates) == 0 {
			continue
		}
		var siblings []v1.Review
		for _, o := range p.s.Reviews {
			if o.Namespace == r.Namespace && o.Spec.PartnershipRef.Name == r.Spec.PartnershipRef.Name {
				siblings = append(siblings, *o)
			}
		}
		if problem := assess.FollowUpUpdateProblem(r, siblings); problem != "" {
			field, msg, _ := strings.Cut(problem, ": ")
			p.add(portfolio.KindReview, r, Error, RuleDanglingRef, field, msg)
		}
	}
}
