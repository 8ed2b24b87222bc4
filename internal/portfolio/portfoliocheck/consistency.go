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

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// owners finds objectives whose owner is not a partner of their
// partnership; the API asks that it match one.
func owners(p *portfolio) []Finding {
	var out []Finding
	p.each(func(o *Object) {
		obj, ok := o.Obj.(*v1.Objective)
		if !ok || obj.Spec.Owner == "" {
			return
		}
		po, ok := p.full(id{"Partnership", obj.Namespace, obj.Spec.PartnershipRef.Name})
		if !ok {
			return
		}
		var names []string
		for _, partner := range po.Obj.(*v1.Partnership).Spec.Partners {
			if partner.Name == obj.Spec.Owner {
				return
			}
			names = append(names, fmt.Sprintf("%q", partner.Name))
		}
		msg := fmt.Sprintf("Invalid value: %q: not a partner of Partnership %q", obj.Spec.Owner, obj.Spec.PartnershipRef.Name)
		plain := make([]string, len(names))
		for i, n := range names {
			plain[i] = strings.Trim(n, `"`)
		}
		if s := suggest.Closest(obj.Spec.Owner, plain); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			msg += "; partners: " + strings.Join(names, ", ")
		}
		out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleOwnerNotPartner, Field: "spec.owner", Message: msg})
	})
	return out
}

// reportedValues finds KPIs whose reported values and metric source
// disagree: values listed for a KPI read from a live source are ignored,
// and a KPI read from a Reported source without values never has data.
func reportedValues(p *portfolio) []Finding {
	var out []Finding
	p.each(func(o *Object) {
		kpi, ok := o.Obj.(*v1.KPI)
		if !ok || kpi.Spec.Source == nil {
			return
		}
		src, ok := p.full(id{"MetricSource", kpi.Namespace, kpi.Spec.Source.SourceRef.Name})
		if !ok {
			return
		}
		typ := src.Obj.(*v1.MetricSource).Spec.Type
		switch {
		case typ == v1.SourceReported && len(kpi.Spec.Reported) == 0:
			out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleReportedValues, Field: "spec.reported",
				Message: fmt.Sprintf("Required value: MetricSource %q has type Reported, so the KPI's values must be listed here; without them it never has data", src.Obj.GetName())})
		case typ != v1.SourceReported && len(kpi.Spec.Reported) > 0:
			out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleReportedValues, Field: "spec.reported",
				Message: fmt.Sprintf("Forbidden: the KPI reads MetricSource %q of type %s, so the operator ignores its %d reported values", src.Obj.GetName(), typ, len(kpi.Spec.Reported))})
		}
	})
	return out
}
