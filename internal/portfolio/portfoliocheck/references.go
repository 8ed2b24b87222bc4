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
	"sort"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// references finds references to objects that are not in the portfolio:
// objective to partnership and KPIs, KPI to metric source, review to
// partnership. All references stay within a namespace.
func references(p *portfolio) []Finding {
	var out []Finding
	check := func(from *Object, field, kind, name string) {
		if f := p.dangling(from, field, kind, name); f != nil {
			out = append(out, *f)
		}
	}
	p.each(func(o *Object) {
		switch obj := o.Obj.(type) {
		case *v1.Objective:
			check(o, "spec.partnershipRef.name", "Partnership", obj.Spec.PartnershipRef.Name)
			for i, k := range obj.Spec.KPIs {
				check(o, fmt.Sprintf("spec.kpis[%d].name", i), "KPI", k.Name)
			}
		case *v1.KPI:
			if obj.Spec.Source != nil {
				check(o, "spec.source.sourceRef.name", "MetricSource", obj.Spec.Source.SourceRef.Name)
			}
		case *v1.Review:
			check(o, "spec.partnershipRef.name", "Partnership", obj.Spec.PartnershipRef.Name)
		}
	})
	return out
}

// dangling returns a finding when from's reference to kind/name resolves
// to nothing, with a hint at the likely intended object.
func (p *portfolio) dangling(from *Object, field, kind, name string) *Finding {
	ns := from.Obj.GetNamespace()
	if name == "" { // the schema already requires it
		return nil
	}
	if _, ok := p.byID[id{kind, ns, name}]; ok {
		return nil
	}
	msg := fmt.Sprintf("Not found: %q: no %s %q in namespace %s among the objects validated", name, kind, name, ns)
	if s := suggest.Closest(name, p.names(kind, ns)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else if others := p.namespacesOf(kind, name, ns); len(others) > 0 {
		sort.Strings(others)
		msg += fmt.Sprintf("; there is one in namespace %s, but references stay within the referring object's namespace", strings.Join(others, ", "))
	}
	return &Finding{Key: from.Key, Severity: Error, Rule: RuleDanglingRef, Field: field, Message: msg}
}
