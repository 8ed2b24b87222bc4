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

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
)

// RuleMeasureDirection: two KPIs of one objective claim the same measure
// (system and id) but want it to move in different directions; one of
// them names the wrong measure or the wrong direction.
const RuleMeasureDirection Rule = "measure-direction" // warning

// measureDirections finds objectives whose KPIs claim one measure with
// different directions.
func (p *rules) measureDirections() {
	type claim struct {
		kpi string
		dir v1.Direction
	}
	for _, obj := range p.s.Objectives {
		seen := map[v1.MeasureIdentity]claim{}
		for i, ref := range obj.Spec.KPIs {
			k := p.s.KPI(portfolio.Key{Namespace: obj.Namespace, Name: ref.Name})
			if k == nil || k.Spec.Measure == nil {
				continue
			}
			m := v1.MeasureIdentity{ID: k.Spec.Measure.ID, System: k.Spec.Measure.System}
			first, dup := seen[m]
			if !dup {
				seen[m] = claim{k.Name, k.Spec.Direction}
				continue
			}
			if first.dir != k.Spec.Direction {
				p.add(portfolio.KindObjective, obj, Warning, RuleMeasureDirection, fmt.Sprintf("spec.kpis[%d].name", i),
					fmt.Sprintf("Invalid value: %q: KPI %q claims measure %s %s as %s, but KPI %q claims it as %s; one names the wrong measure or direction",
						ref.Name, k.Name, m.System, m.ID, k.Spec.Direction, first.kpi, first.dir))
			}
		}
	}
}
