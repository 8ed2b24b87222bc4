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
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

func TestTwoKPIsClaimingOneMeasureWithDifferentDirectionsWarn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		dir     v1.Direction
		id      string
		finding bool
	}{
		{"same measure, opposite directions", v1.HigherIsBetter, "CMS165", true},
		{"same measure, same direction", v1.LowerIsBetter, "CMS165", false},
		{"different measures", v1.HigherIsBetter, "CMS122", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBase()
			b.kpi.Spec.Direction = v1.LowerIsBetter
			b.kpi.Spec.Measure = &v1.MeasureIdentity{ID: "CMS165", System: v1.MeasureCMSeCQM}
			other := b.kpi.DeepCopy()
			other.Name = "bp-control"
			other.Spec.Direction = tc.dir
			other.Spec.Measure = &v1.MeasureIdentity{ID: tc.id, System: v1.MeasureCMSeCQM}
			b.objective.Spec.KPIs = append(b.objective.Spec.KPIs, v1.ObjectiveKPI{Name: "bp-control", Weight: 1})
			got := check(t, append(b.objects(), Object{Key: 9, Obj: other}))
			var found *keyed
			for i := range got {
				if got[i].Rule == RuleMeasureDirection {
					found = &got[i]
				}
			}
			if (found != nil) != tc.finding {
				t.Fatalf("finding %+v, want one: %v", found, tc.finding)
			}
			if found != nil && (found.Severity != Warning || found.Field != "spec.kpis[1].name" || !strings.Contains(found.Message, "CMSeCQM CMS165 as HigherIsBetter")) {
				t.Errorf("finding %+v", *found)
			}
		})
	}
}

func TestARateValueThatDisagreesWithItsCountsIsAnError(t *testing.T) {
	b := newBase()
	b.source.Spec = v1.MetricSourceSpec{Type: v1.SourceReported}
	n, d := int64(7), int64(40)
	b.kpi.Spec.RatePer = new(resource.MustParse("100"))
	b.kpi.Spec.Reported = []v1.ReportedValue{{Numerator: &n, Denominator: &d, Value: new(resource.MustParse("17.2")), PeriodEnd: "2025-09-30"}}
	got := check(t, b.objects())
	if len(got) != 1 || got[0].Rule != RuleRateValue || got[0].Severity != Error || got[0].Field != "spec.reported[0].value" || !strings.Contains(got[0].Message, "= 17.5") {
		t.Fatalf("findings %+v", got)
	}
}
