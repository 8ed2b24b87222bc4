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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// handled waits until the operator has handled the latest kick of o.
func handled(ctx context.Context, g *WithT, o v1Object) {
	g.Eventually(func() string {
		_ = env.Client.Get(ctx, key(o), o)
		if r, ok := o.(v1.Object); ok {
			return r.GetLastHandledReconcileRequest()
		}
		return ""
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(o.GetAnnotations()[v1.ReconcileRequestAnnotation]))
}

func TestAKPIMeetingItsTargetIsAnnouncedOncePerCrossingAcrossEvaluationsAndRestarts(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	stop := startManagerStoppable(t, clk, nil)
	f := newFixture(namespace(t))
	// The September quarter beats the 15.3% target.
	f.kpi.Spec.Reported = reported("17.6", "17.3", "17.0", "16.6", "15.2")
	f.create(ctx, t, true)

	g.Eventually(func() v1.Date {
		_ = env.Client.Get(ctx, key(f.kpi), f.kpi)
		return f.kpi.Status.TargetMetDate
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.Date("2026-09-30")))
	g.Eventually(eventMessages(ctx, f.ns, f.kpi.Name, "TargetMet")).WithTimeout(timeout).WithPolling(poll).
		Should(ConsistOf("30-day readmission rate met its target of 15.3% on 30 September 2026"))
	// Its only KPI at target: the objective is achieved on that day.
	g.Eventually(func() v1.ProjectedOutcome {
		_ = env.Client.Get(ctx, key(f.objective), f.objective)
		return f.objective.Status.ProjectedOutcome
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.OutcomeAchieved))
	g.Expect(f.objective.Status.OutcomeDate).To(Equal(v1.Date("2026-09-30")))
	g.Eventually(eventMessages(ctx, f.ns, f.objective.Name, "Achieved")).WithTimeout(timeout).WithPolling(poll).
		Should(ConsistOf("Objective reduce-readmissions was achieved on 30 September 2026: every KPI met its target"))

	// Evaluated again, on later days: nothing more is announced.
	for _, at := range []time.Time{time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)} {
		clk.SetTime(at)
		kick(ctx, t, f.kpi)
		handled(ctx, g, f.kpi)
		kick(ctx, t, f.objective)
		handled(ctx, g, f.objective)
	}
	// A new manager (a restart, a new leader) reads the win from status.
	stop()
	startManager(t, clk)
	kick(ctx, t, f.kpi)
	handled(ctx, g, f.kpi)
	kick(ctx, t, f.objective)
	handled(ctx, g, f.objective)
	g.Consistently(events(ctx, f.ns, f.kpi.Name, "TargetMet")).WithTimeout(2 * time.Second).WithPolling(200 * time.Millisecond).Should(Equal(1))
	g.Expect(events(ctx, f.ns, f.objective.Name, "Achieved")()).To(Equal(1))

	// Lost (October above target), then met again (November): a second
	// crossing, a second event.
	f.kpi.Spec.Reported = reported("17.6", "17.3", "17.0", "16.6", "15.2", "15.6")
	g.Expect(env.Client.Update(ctx, f.kpi)).To(Succeed())
	g.Eventually(func() v1.Date {
		_ = env.Client.Get(ctx, key(f.kpi), f.kpi)
		return f.kpi.Status.TargetMetDate
	}).WithTimeout(timeout).WithPolling(poll).Should(BeEmpty())
	f.kpi.Spec.Reported = reported("17.6", "17.3", "17.0", "16.6", "15.2", "15.6", "15.1")
	g.Expect(env.Client.Update(ctx, f.kpi)).To(Succeed())
	g.Eventually(eventMessages(ctx, f.ns, f.kpi.Name, "TargetMet")).WithTimeout(timeout).WithPolling(poll).
		Should(ConsistOf("30-day readmission rate met its target of 15.3% on 30 September 2026",
			"30-day readmission rate met its target of 15.3% on 20 November 2026"))
}

func TestAnObjectiveWhoseDeadlinePassesIsMissedOnce(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.objective.Spec.Deadline = "2026-11-30" // the KPI stays on its glide path, short of the target
	f.create(ctx, t, true)
	g.Eventually(func() v1.ProjectedOutcome {
		_ = env.Client.Get(ctx, key(f.objective), f.objective)
		return f.objective.Status.ProjectedOutcome
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.OutcomeOnTrack))
	g.Expect(f.objective.Status.OutcomeDate).To(BeEmpty())

	// The day after the deadline (the objective asked to be judged then).
	clk.SetTime(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.objective)
	g.Eventually(func() v1.ProjectedOutcome {
		_ = env.Client.Get(ctx, key(f.objective), f.objective)
		return f.objective.Status.ProjectedOutcome
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.OutcomeMissed))
	g.Expect(f.objective.Status.OutcomeDate).To(Equal(v1.Date("2026-11-30")))
	g.Eventually(eventMessages(ctx, f.ns, f.objective.Name, "Missed")).WithTimeout(timeout).WithPolling(poll).
		Should(ConsistOf("Objective reduce-readmissions missed its deadline of 30 November 2026: not every KPI met its target"))
	clk.SetTime(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.objective)
	handled(ctx, g, f.objective)
	g.Consistently(events(ctx, f.ns, f.objective.Name, "Missed")).WithTimeout(time.Second).WithPolling(200 * time.Millisecond).Should(Equal(1))
	g.Expect(events(ctx, f.ns, f.objective.Name, "Achieved")()).To(BeZero())
}

func TestALapsingBAARaisesItsConditionAheadOfTimeAndAfterTheLapse(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	// The agreement runs to 2028-06-30; the BAA only to 2027-01-31, with
	// 60 days' notice (from 2026-12-02).
	f.partnership.Spec.Agreement.DataSharing.BAATerm = &v1.InstrumentTerm{EffectiveDate: "2025-07-01", ExpiryDate: "2027-01-31"}
	f.create(ctx, t, true)

	g.Eventually(cond(ctx, f.partnership, v1.ConditionCompliant)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/BAAExpiresBeforeAgreement"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"The business associate agreement BAA-1 expires on 31 January 2027, but the agreement runs until 30 June 2028: protected health information shared after that would not be covered; extend it to the agreement's end")))
	g.Expect(cond(ctx, f.partnership, v1.ConditionReviewDue)()).To(Equal("False/ReviewCurrent"))
	g.Expect(f.partnership.Status.Expiries).To(Equal([]v1.Expiry{
		{Instrument: v1.InstrumentBAA, Ref: "BAA-1", ExpiryDate: "2027-01-31", NoticeDate: "2026-12-02", State: v1.ExpiryInForce},
		{Instrument: v1.InstrumentAgreement, ExpiryDate: "2028-06-30", NoticeDate: "2028-01-02", State: v1.ExpiryInForce},
	}))
	// The API server applied the default notice.
	g.Expect(f.partnership.Spec.Agreement.DataSharing.BAATerm.NoticeDays).To(Equal(v1.DefaultNoticeDays))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "NotCompliant")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	// The alert rules read the calendar from the manager's metrics: the
	// BAA lapses at the start of 2027-02-01, its notice opened 2026-12-02.
	baa := map[string]string{"namespace": f.ns, "partnership": f.partnership.Name, "instrument": "BAA"}
	g.Expect(metricSum(t, "accord_partnership_expiry_timestamp_seconds", baa)).To(Equal(float64(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC).Unix())))
	g.Expect(metricSum(t, "accord_partnership_expiry_notice_timestamp_seconds", baa)).To(Equal(float64(time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC).Unix())))

	// The notice opens: ReviewDue, ahead of the lapse.
	clk.SetTime(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.partnership)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/BAAExpiring"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"The business associate agreement BAA-1 expires on 31 January 2027; renew it in a review before it lapses; next review due by 2027-01-15")))
	g.Expect(f.partnership.Status.Expiries[0].State).To(Equal(v1.ExpiryExpiringSoon))

	// The day after the expiry: lapsed.
	clk.SetTime(time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.partnership)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionCompliant)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/BAALapsed"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"Protected health information is shared, but the business associate agreement BAA-1 lapsed after 31 January 2027: renew it, and record its new expiry date in spec.agreement.dataSharing.baaTerm.expiryDate")))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		ContainSubstring("The business associate agreement BAA-1 lapsed after 31 January 2027; decide in a review how to renew it"))))
	g.Expect(f.partnership.Status.Expiries[0].State).To(Equal(v1.ExpiryLapsed))

	// Renewed to the agreement's end: compliant again, announced once.
	f.partnership.Spec.Agreement.DataSharing.BAATerm.ExpiryDate = "2028-06-30"
	g.Expect(env.Client.Update(ctx, f.partnership)).To(Succeed())
	g.Eventually(cond(ctx, f.partnership, v1.ConditionCompliant)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/BAACoversAgreement"))
	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ComplianceRestored")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	g.Expect(events(ctx, f.ns, f.partnership.Name, "NotCompliant")()).To(Equal(1))
}

func TestAnExitedPartnershipRaisesNothingForItsLapsedBAA(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.partnership.Spec.Agreement.DataSharing.BAATerm = &v1.InstrumentTerm{EffectiveDate: "2025-07-01", ExpiryDate: "2026-10-31", NoticeDays: 30}
	f.review = &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "exit-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-10-01", Decision: v1.DecisionExit, ExitDate: "2026-10-31"}}
	f.create(ctx, t, true)
	g.Eventually(phase(ctx, f.partnership)).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.PhaseExited))
	g.Eventually(cond(ctx, f.partnership, v1.ConditionCompliant)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/PartnershipEnded"))
	g.Expect(f.partnership.Status.Expiries).To(BeEmpty())
	g.Expect(cond(ctx, f.partnership, v1.ConditionReviewDue)()).To(Equal("False/PartnershipEnded"))
	g.Expect(metricSum(t, "accord_partnership_expiry_timestamp_seconds", map[string]string{"namespace": f.ns})).To(BeZero())
	kick(ctx, t, f.partnership)
	handled(ctx, g, f.partnership)
	for _, reason := range []string{"NotCompliant", "ReviewDue"} {
		g.Consistently(events(ctx, f.ns, f.partnership.Name, reason)).WithTimeout(time.Second).WithPolling(200*time.Millisecond).Should(BeZero(), reason)
	}
}

func TestInstrumentDatesAreCheckedByTheAPIServerWithTheFieldNamed(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		ds   v1.DataSharing
		want string
	}{
		{"expiry before effective", v1.DataSharing{SharesPHI: true, BAARef: "BAA-1",
			BAATerm: &v1.InstrumentTerm{EffectiveDate: "2026-07-01", ExpiryDate: "2026-06-30"}},
			"spec.agreement.dataSharing.baaTerm.expiryDate: Invalid value"},
		{"BAA dates without a BAA", v1.DataSharing{SharesPHI: false,
			BAATerm: &v1.InstrumentTerm{EffectiveDate: "2026-07-01", ExpiryDate: "2027-06-30"}},
			"spec.agreement.dataSharing.baaRef is required with baaTerm"},
		{"DSA dates without a DSA", v1.DataSharing{DSATerm: &v1.InstrumentTerm{EffectiveDate: "2026-07-01"}},
			"spec.agreement.dataSharing.dsaRef is required with dsaTerm"},
		{"notice as long as the term", v1.DataSharing{DSARef: "DSA-1",
			DSATerm: &v1.InstrumentTerm{EffectiveDate: "2026-07-01", ExpiryDate: "2026-07-31", NoticeDays: 60}},
			"spec.agreement.dataSharing.dsaTerm.noticeDays: Invalid value"},
	} {
		f := newFixture(namespace(t))
		f.partnership.Spec.Agreement.DataSharing = tc.ds
		err := env.Client.Create(ctx, f.partnership)
		NewWithT(t).Expect(err).To(MatchError(ContainSubstring(tc.want)), tc.name)
	}
}
