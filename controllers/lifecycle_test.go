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
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// eventMessages lists the messages of the events with reason about the
// named object.
func eventMessages(ctx context.Context, ns, name, reason string) func() []string {
	return func() []string {
		list := &corev1.EventList{}
		if err := env.Client.List(ctx, list, client.InNamespace(ns)); err != nil {
			return []string{"list: " + err.Error()}
		}
		var out []string
		for _, e := range list.Items {
			if e.InvolvedObject.Name == name && e.Reason == reason {
				out = append(out, e.Message)
			}
		}
		return out
	}
}

func phase(ctx context.Context, p *v1.Partnership) func() v1.PartnershipPhase {
	return func() v1.PartnershipPhase {
		_ = env.Client.Get(ctx, key(p), p)
		return p.Status.Phase
	}
}

func TestAnExitedPartnershipIsJudgedNoMoreAndAsksForNothing(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	// At risk when the exit is decided: two quarters off the glide path.
	f.kpi.Spec.Reported = reported("17.6", "17.3", "17.0", "16.6", "16.3", "17.4", "17.6")
	f.review = &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "exit-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-11-20", Decision: v1.DecisionExit, ExitDate: "2026-11-30"}}
	f.create(ctx, t, true)

	// Before the exit date: Exiting, still judged.
	g.Eventually(phase(ctx, f.partnership)).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.PhaseExiting))
	g.Eventually(cond(ctx, f.partnership, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/ObjectiveAtRisk"))
	g.Eventually(cond(ctx, f.portfolio, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/PartnershipsAtRisk"))
	g.Expect(cond(ctx, f.partnership, v1.ConditionReviewDue)()).To(Equal("False/ReviewCurrent"))
	g.Eventually(events(ctx, f.ns, f.kpi.Name, "AtRisk")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "AtRisk")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))

	// The day after the exit date: Exited, by itself (the partnership
	// asked to be evaluated then), children following.
	clk.SetTime(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.partnership)
	g.Eventually(phase(ctx, f.partnership)).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.PhaseExited))
	g.Expect(f.partnership.Status.EndDate).To(Equal(v1.Date("2026-11-30")))
	g.Expect(f.partnership.Status.NextReviewDate).To(BeEmpty())
	g.Expect(cond(ctx, f.partnership, v1.ConditionReviewDue)()).To(Equal("False/PartnershipEnded"))
	g.Expect(cond(ctx, f.partnership, v1.ConditionHealthy)()).To(Equal("False/PartnershipEnded"))
	g.Expect(cond(ctx, f.partnership, v1.ConditionAtRisk)()).To(Equal("False/PartnershipEnded"))
	for _, o := range []v1Object{f.kpi, f.objective} {
		g.Eventually(cond(ctx, o, v1.ConditionAtRisk)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/PartnershipEnded"), o.GetName())
		g.Expect(cond(ctx, o, v1.ConditionHealthy)()).To(Equal("False/PartnershipEnded"), o.GetName())
	}
	// The KPI keeps its last values, as they stood on the last day.
	g.Expect(f.kpi.Status.LastValue).To(Equal("17.6"))
	g.Eventually(func() v1.ConditionCounts {
		_ = env.Client.Get(ctx, key(f.portfolio), f.portfolio)
		return f.portfolio.Status.Partnerships
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.ConditionCounts{Total: 1, Exited: 1}))
	g.Expect(cond(ctx, f.portfolio, v1.ConditionAtRisk)()).To(Equal("False/NoPartnerships"))
	g.Expect(f.portfolio.Status.Worst).To(BeEmpty())

	// Exactly one PhaseChanged (the first status was Exiting already),
	// and the end is no recovery.
	g.Eventually(eventMessages(ctx, f.ns, f.partnership.Name, "PhaseChanged")).WithTimeout(timeout).WithPolling(poll).
		Should(ConsistOf("Phase changed from Exiting to Exited"))

	// Three months on: still nothing asked, nothing announced.
	clk.SetTime(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	for _, o := range []v1Object{f.kpi, f.objective, f.partnership, f.portfolio} {
		kick(ctx, t, o)
	}
	g.Eventually(func() string {
		_ = env.Client.Get(ctx, key(f.partnership), f.partnership)
		return f.partnership.Status.LastHandledReconcileAt
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(f.partnership.GetAnnotations()[v1.ReconcileRequestAnnotation]))
	g.Expect(cond(ctx, f.partnership, v1.ConditionReviewDue)()).To(Equal("False/PartnershipEnded"))
	// The portfolio is no longer at risk, which it announces once; the
	// partnership and its children announce nothing.
	g.Expect(events(ctx, f.ns, f.portfolio.Name, "Recovered")()).To(Equal(1))
	for _, o := range []v1Object{f.kpi, f.objective, f.partnership} {
		for _, reason := range []string{"Recovered", "ReviewDue", "ReviewCleared"} {
			g.Consistently(events(ctx, f.ns, o.GetName(), reason)).WithTimeout(time.Second).WithPolling(200*time.Millisecond).Should(BeZero(), o.GetName()+" "+reason)
		}
		g.Expect(events(ctx, f.ns, o.GetName(), "AtRisk")()).To(BeNumerically("<=", 1), o.GetName())
	}
	g.Expect(eventMessages(ctx, f.ns, f.partnership.Name, "PhaseChanged")()).To(HaveLen(1))
}

func TestDesiredPhaseExitedIsRefusedWithTheFieldNamed(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	f := newFixture(namespace(t))
	f.partnership.Spec.DesiredPhase = v1.PhaseExited
	err := env.Client.Create(ctx, f.partnership)
	g.Expect(err).To(MatchError(ContainSubstring("spec.desiredPhase cannot be Exited")))
}

func TestAFollowUpGoesOverdueAndALaterReviewClosesIt(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.review.Spec.FollowUps = []v1.FollowUp{{Action: "Share the discharge list weekly", Owner: "Valley Regional Hospital", Due: "2026-11-30"}}
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ReviewCurrent"))
	g.Expect(f.partnership.Status.FollowUps).To(Equal(&v1.FollowUpCounts{Open: 1}))

	// The day after its due date, without anyone asking: the partnership
	// asked to be evaluated then. (The fake clock does not fire requeues,
	// so the test asks in its place.)
	clk.SetTime(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.partnership)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/FollowUpsOverdue"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"1 of 1 actions from the 2026-10-15 review is overdue: Share the discharge list weekly (Valley Regional Hospital, due 2026-11-30); next review due by 2027-01-15")))
	g.Expect(f.partnership.Status.OverdueFollowUps).To(Equal([]v1.OverdueFollowUp{{Review: "q3-review", ReviewDate: "2026-10-15",
		Action: "Share the discharge list weekly", Owner: "Valley Regional Hospital", Due: "2026-11-30"}}))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ReviewDue")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))

	// A later review that names an action nobody agreed is not applied,
	// and says which field is wrong.
	typo := &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "typo-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-12-01", Decision: v1.DecisionContinue,
			FollowUpUpdates: []v1.FollowUpUpdate{{Review: "q3-review", Action: "Share the discharge list", State: v1.FollowUpDone}}}}
	g.Expect(env.Client.Create(ctx, typo)).To(Succeed())
	g.Eventually(cond(ctx, typo, v1.ConditionApplied)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/FollowUpNotFound"))
	g.Expect(typo.Status.Conditions).To(ContainElement(HaveField("Message", HavePrefix(`spec.followUpUpdates[0].action: Not found: "Share the discharge list"`))))
	g.Expect(env.Client.Delete(ctx, typo)).To(Succeed())

	// The next meeting closes it.
	closing := &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "dec-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-12-01", Decision: v1.DecisionContinue,
			FollowUpUpdates: []v1.FollowUpUpdate{{Review: "q3-review", Action: "Share the discharge list weekly", State: v1.FollowUpDone}}}}
	g.Expect(env.Client.Create(ctx, closing)).To(Succeed())
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ReviewCurrent"))
	g.Expect(f.partnership.Status.FollowUps).To(Equal(&v1.FollowUpCounts{Done: 1}))
	g.Expect(f.partnership.Status.OverdueFollowUps).To(BeEmpty())
	g.Eventually(cond(ctx, closing, v1.ConditionApplied)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Recorded"))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ReviewCleared")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
}
