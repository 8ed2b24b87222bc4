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

package controllers_test

import (
	"context"
	"math"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// issueSeries is issue 16's readmission series: 15.0, 17.5, 17.5, 20.0,
// 17.5% a quarter, as counts at a number of discharges a quarter.
func issueSeries(discharges int64) []v1.ReportedValue {
	ends := []string{"2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"}
	percents := []float64{15.0, 17.5, 17.5, 20.0, 17.5}
	out := make([]v1.ReportedValue, len(ends))
	for i, p := range percents {
		num := int64(math.Round(p / 100 * float64(discharges)))
		out[i] = v1.ReportedValue{Numerator: &num, Denominator: &discharges, PeriodEnd: v1.Date(ends[i]), ReportedBy: "Quality office"}
	}
	return out
}

// TestTheSameRatesAreNoiseAt40DischargesAndAShortfallAt4000 runs the
// issue's two series through the operator: the same percentages, not
// AtRisk at 40 discharges a quarter, AtRisk at 4,000, and no count from
// 1 to 10 in the status.
func TestTheSameRatesAreNoiseAt40DischargesAndAShortfallAt4000(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	startManager(t, newClock())
	ns := namespace(t)
	kpi := func(name string, discharges int64) *v1.KPI {
		q := func(s string) *resource.Quantity { x := resource.MustParse(s); return &x }
		return &v1.KPI{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1.KPISpec{
				DisplayName: "30-day readmission rate", Unit: "%", Direction: v1.LowerIsBetter,
				Baseline:  v1.Baseline{Value: resource.MustParse("18"), Date: "2025-06-30"},
				Target:    v1.Target{Value: q("15.3"), Date: "2027-06-30"},
				Tolerance: q("0.5"), RatePer: q("100"), DenominatorLabel: "discharges",
				Period: v1.PeriodQuarter, ReportingLag: "90d", EvaluationInterval: "1d", BreachesBeforeAtRisk: 3,
				Reported: issueSeries(discharges),
			},
		}
	}
	small, large := kpi("critical-access", 40), kpi("regional", 4000)
	g.Expect(env.Client.Create(ctx, small)).To(Succeed())
	g.Expect(env.Client.Create(ctx, large)).To(Succeed())

	g.Eventually(cond(ctx, large, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/OffTrack"))
	g.Eventually(cond(ctx, small, v1.ConditionHealthy)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/WithinNoise"))
	g.Expect(cond(ctx, small, v1.ConditionAtRisk)()).To(HavePrefix("False/"))

	for _, c := range small.Status.Conditions {
		g.Expect(c.Message).NotTo(MatchRegexp(`\b([1-9]|10) of 40\b`), "a count from 1 to 10 in %s", c.Type)
		if c.Type == v1.ConditionHealthy {
			g.Expect(c.Message).To(ContainSubstring("fewer than 11 of 40 discharges"))
		}
	}
	for _, s := range small.Status.History {
		g.Expect(s.Numerator).To(BeNil(), "a numerator from 1 to 10 in the history")
	}
	large.Status.Conditions = nil
	g.Expect(cond(ctx, large, v1.ConditionAtRisk)()).To(Equal("True/OffTrack"))
	msg := ""
	for _, c := range large.Status.Conditions {
		if c.Type == v1.ConditionAtRisk {
			msg = c.Message
		}
	}
	g.Expect(strings.Contains(msg, "2,200 of 12,000 discharges")).To(BeTrue(), msg)
	g.Expect(*large.Status.Score).To(BeNumerically("<", 100))
}
