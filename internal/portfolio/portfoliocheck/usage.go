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
	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// usage finds objects that take part in no score: KPIs no objective lists,
// objectives without KPIs and partnerships without objectives. The
// operator keeps their health Unknown, which is rarely what was meant.
func usage(p *portfolio) []Finding {
	withObjectives := map[id]bool{}
	p.each(func(o *Object) {
		if obj, ok := o.Obj.(*v1.Objective); ok {
			withObjectives[id{"Partnership", obj.Namespace, obj.Spec.PartnershipRef.Name}] = true
		}
	})
	var out []Finding
	p.each(func(o *Object) {
		ns := o.Obj.GetNamespace()
		switch obj := o.Obj.(type) {
		case *v1.KPI:
			if len(p.objectivesOf[idOf(*o)]) == 0 && !p.hasPartial("Objective", ns) {
				out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleUnusedKPI, Field: "metadata.name",
					Message: "no Objective lists this KPI in spec.kpis, so it counts toward no score"})
			}
		case *v1.Objective:
			if len(obj.Spec.KPIs) == 0 {
				out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleObjectiveWithoutKPIs, Field: "spec.kpis",
					Message: "Required value: the objective lists no KPIs, so its score and health stay Unknown"})
			}
		case *v1.Partnership:
			if !withObjectives[idOf(*o)] && !p.hasPartial("Objective", ns) {
				out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RulePartnershipWithoutObjectives, Field: "metadata.name",
					Message: "no Objective names this partnership in spec.partnershipRef, so its score and health stay Unknown"})
			}
		}
	})
	return out
}
