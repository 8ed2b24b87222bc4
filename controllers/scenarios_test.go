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
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// A small partnership with one objective measured by one critical KPI,
// selected by a portfolio. Quarterly values reported in git.
type fixture struct {
	ns          string
	partnership *v1.Partnership
	objective   *v1.Objective
	kpi         *v1.KPI
	portfolio   *v1.Portfolio
	review      *v1.Review
}

func reported(values ...string) []v1.ReportedValue {
	ends := []string{"2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30", "2026-10-31", "2026-11-20"}
	out := make([]v1.ReportedValue, 0, len(values))
	for i, v := range values {
		out = append(out, v1.ReportedValue{Value: new(resource.MustParse(v)), PeriodEnd: v1.Date(ends[i]), ReportedBy: "Quality office"})
	}
	return out
}

func newFixture(ns string) *fixture {
	q := func(s string) *resource.Quantity { x := resource.MustParse(s); return &x }
	return &fixture{
		ns: ns,
		partnership: &v1.Partnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "valley-care", Labels: map[string]string{"portfolio.accord.dev/portfolio": "rural"}},
			Spec: v1.PartnershipSpec{
				DisplayName: "Valley Care Network",
				Partners: []v1.Partner{
					{Name: "Valley Regional Hospital", Role: "Convener", Lead: true},
					{Name: "Pine Ridge CHC", Role: "ClinicalProvider"},
				},
				Agreement: v1.Agreement{
					EffectiveDate: "2025-07-01", ExpiryDate: "2028-06-30", RenewalNoticeDays: ptr.To[int32](180),
					Governance:  v1.Governance{Model: "SteeringCommittee"},
					DataSharing: v1.DataSharing{SharesPHI: true, BAARef: "BAA-1"},
					Financial:   v1.FinancialArrangement{Model: "CostSharing"},
				},
				ReviewCadence: "P3M",
				EscalateAfter: "P30D",
			},
		},
		objective: &v1.Objective{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "reduce-readmissions"},
			Spec: v1.ObjectiveSpec{
				PartnershipRef: v1.LocalObjectReference{Name: "valley-care"},
				Statement:      "Reduce 30-day readmissions by 15% by 2027-06-30.",
				StartDate:      "2025-07-01", Deadline: "2027-06-30",
				KPIs: []v1.ObjectiveKPI{{Name: "readmissions", Weight: 1, Critical: true}},
			},
		},
		kpi: &v1.KPI{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "readmissions"},
			Spec: v1.KPISpec{
				DisplayName: "30-day readmission rate", Unit: "%", Direction: v1.LowerIsBetter,
				Baseline:  v1.Baseline{Value: resource.MustParse("18"), Date: "2025-06-30"},
				Target:    v1.Target{Value: q("15.3"), Date: "2027-06-30"},
				Tolerance: q("0.5"), MaxAge: "100d", EvaluationInterval: "1d", BreachesBeforeAtRisk: 2,
				// On the glide path: 18 falling to 15.3 over two years.
				Reported: reported("17.6", "17.3", "17.0", "16.6", "16.3"),
			},
		},
		portfolio: &v1.Portfolio{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "rural"},
			Spec: v1.PortfolioSpec{DisplayName: "Rural network", WorstItems: 5,
				Selector: metav1.LabelSelector{MatchLabels: map[string]string{"portfolio.accord.dev/portfolio": "rural"}}},
		},
		review: &v1.Review{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "q3-review"},
			Spec:       v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-10-15", Decision: v1.DecisionContinue},
		},
	}
}

func (f *fixture) create(ctx context.Context, t *testing.T, withReview bool) {
	t.Helper()
	objs := []interface{ GetName() string }{f.partnership, f.objective, f.kpi, f.portfolio}
	_ = objs
	g := NewWithT(t)
	g.Expect(env.Client.Create(ctx, f.partnership)).To(Succeed())
	g.Expect(env.Client.Create(ctx, f.objective)).To(Succeed())
	g.Expect(env.Client.Create(ctx, f.kpi)).To(Succeed())
	g.Expect(env.Client.Create(ctx, f.portfolio)).To(Succeed())
	if withReview {
		g.Expect(env.Client.Create(ctx, f.review)).To(Succeed())
	}
}

func TestKPIWorseningFlipsObjectivePartnershipAndPortfolioWithOneEventEach(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.create(ctx, t, true)

	for _, o := range []v1Object{f.kpi, f.objective, f.partnership, f.portfolio} {
		g.Eventually(cond(ctx, o, v1.ConditionHealthy)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix("True/"), o.GetName())
	}
	g.Expect(f.kpi.Status.LastValue).To(Equal("16.3"))

	// Two quarters worse than the glide path allows: AtRisk after 2 breaches.
	g.Expect(env.Client.Get(ctx, key(f.kpi), f.kpi)).To(Succeed())
	f.kpi.Spec.Reported = reported("17.6", "17.3", "17.0", "16.6", "16.3", "17.4", "17.6")
	g.Expect(env.Client.Update(ctx, f.kpi)).To(Succeed())

	g.Eventually(cond(ctx, f.kpi, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/OffTrack"))
	g.Eventually(cond(ctx, f.objective, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/CriticalKPIAtRisk"))
	g.Eventually(cond(ctx, f.partnership, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/ObjectiveAtRisk"))
	g.Eventually(cond(ctx, f.portfolio, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/PartnershipsAtRisk"))
	g.Expect(f.kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("17.6%"))))
	g.Expect(f.partnership.Status.AtRiskSince).NotTo(BeNil())

	// The same state on the metrics endpoint.
	// Exported right after the status write, so wait for it.
	g.Eventually(func() float64 {
		return metricSum(t, "accord_kpi_value", map[string]string{"namespace": f.ns, "kpi": "readmissions"})
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(17.6))
	g.Expect(metricSum(t, "accord_kpi_target_value", map[string]string{"namespace": f.ns, "kpi": "readmissions"})).To(Equal(15.3))
	g.Eventually(func() float64 {
		return metricSum(t, "accord_condition", map[string]string{"namespace": f.ns, "kind": "Partnership", "name": "valley-care", "condition": "AtRisk", "status": "True"})
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(1.0))
	g.Expect(metricSum(t, "accord_objective_score", map[string]string{"namespace": f.ns, "objective": "reduce-readmissions"})).To(BeNumerically("<", 100))

	for _, o := range []v1Object{f.kpi, f.objective, f.partnership, f.portfolio} {
		g.Eventually(events(ctx, f.ns, o.GetName(), "AtRisk")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1), o.GetName())
	}
	// Re-evaluating the unchanged state emits nothing more.
	kick(ctx, t, f.kpi)
	kick(ctx, t, f.partnership)
	g.Consistently(events(ctx, f.ns, f.partnership.Name, "AtRisk")).WithTimeout(2 * time.Second).WithPolling(200 * time.Millisecond).Should(Equal(1))
	g.Expect(events(ctx, f.ns, f.kpi.Name, "AtRisk")()).To(Equal(1))
}

func TestCommittingAReviewClearsReviewDue(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.create(ctx, t, false)

	// No review since the agreement began on 2025-07-01, every P3M.
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/CadenceElapsed"))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ReviewDue")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))

	f.review.Spec.Date = "2026-11-24"
	g.Expect(env.Client.Create(ctx, f.review)).To(Succeed())
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ReviewCurrent"))
	g.Expect(f.partnership.Status.LastReview).To(Equal("q3-review"))
	g.Expect(f.partnership.Status.NextReviewDate).To(Equal(v1.Date("2027-02-24")))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ReviewCleared")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	g.Eventually(cond(ctx, f.review, v1.ConditionApplied)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Recorded"))
}

func TestEnteringTheRenewalWindowRaisesReviewDue(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	f := newFixture(namespace(t))
	// The renewal window (60 days before expiry on 2027-01-26) opens on
	// 2026-11-27, two days after the clock's today.
	f.partnership.Spec.Agreement.ExpiryDate = "2027-01-26"
	f.partnership.Spec.Agreement.RenewalNoticeDays = ptr.To[int32](60)
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ReviewCurrent"))
	g.Expect(f.partnership.Status.AgreementState).To(Equal(v1.AgreementInForce))

	clk.Step(3 * 24 * time.Hour)
	kick(ctx, t, f.partnership)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/RenewalWindowOpen"))
	g.Expect(f.partnership.Status.AgreementState).To(Equal(v1.AgreementRenewalWindow))
	g.Expect(*f.partnership.Status.DaysToExpiry).To(BeNumerically("==", 58))
}

func TestDeletingAPartnershipLeavesItsObjectivesWithAClearReason(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	startManager(t, newClock())
	f := newFixture(namespace(t))
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.objective, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Evaluated"))

	g.Expect(env.Client.Delete(ctx, f.partnership)).To(Succeed())
	g.Eventually(cond(ctx, f.objective, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/PartnershipNotFound"))
	g.Expect(f.objective.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring(`Partnership "valley-care" does not exist`))))
	g.Eventually(cond(ctx, f.review, v1.ConditionApplied)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/PartnershipNotFound"))
}

func TestAnExitDecisionMovesThePartnershipToExiting(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	startManager(t, newClock())
	f := newFixture(namespace(t))
	f.create(ctx, t, true)
	g.Eventually(func() v1.PartnershipPhase {
		_ = env.Client.Get(ctx, key(f.partnership), f.partnership)
		return f.partnership.Status.Phase
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.PhaseActive))

	exit := &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "exit-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-11-20", Decision: v1.DecisionExit, ExitDate: "2027-03-31"}}
	g.Expect(env.Client.Create(ctx, exit)).To(Succeed())
	g.Eventually(func() v1.PartnershipPhase {
		_ = env.Client.Get(ctx, key(f.partnership), f.partnership)
		return f.partnership.Status.Phase
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.PhaseExiting))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "PhaseChanged")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
}

func TestAMissingMetricSourceIsAConditionNotAnErrorLoop(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	startManager(t, newClock())
	f := newFixture(namespace(t))
	f.kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "quality-reports"}, Query: "reported"}
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceNotFound"))
	g.Expect(cond(ctx, f.kpi, v1.ConditionReady)()).To(Equal("False/SourceNotFound"))

	// Creating the source fixes the KPI without touching it (watch + index).
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "quality-reports"}, Spec: v1.MetricSourceSpec{Type: v1.SourceReported}}
	g.Expect(env.Client.Create(ctx, src)).To(Succeed())
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/ValuesInGit"))
}

func TestStaleDataMakesHealthUnknown(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionHealthy)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/OnTrack"))

	// The latest value is from 2026-09-30; max age is 100 days.
	clk.SetTime(time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC))
	kick(ctx, t, f.kpi)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionHealthy)).WithTimeout(timeout).WithPolling(poll).Should(Equal("Unknown/StaleData"))
	g.Expect(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)()).To(Equal("False/StaleData"))
}
