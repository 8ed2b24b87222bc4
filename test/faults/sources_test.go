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

package faults_test

import (
	"fmt"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// sourceFault breaks the partner's API in one way.
type sourceFault struct {
	name   string
	short  bool
	mode   mode
	reason string
	// message is part of the KPI's MetricsAvailable message: it must say
	// what went wrong, not only that something did.
	message string
}

var sourceFaults = []sourceFault{
	{name: "SourceDown", short: true, reason: "SourceUnreachable", message: "connection refused"},
	{name: "SourceErroring", mode: erroring, reason: "SourceUnreachable", message: "503 Service Unavailable"},
	{name: "SourceSlow", mode: slow, reason: "Timeout", message: "timed out"},
	{name: "SourceFlapping", mode: flapping, reason: "SourceUnreachable", message: "503"},
	{name: "MalformedJSON", short: true, mode: malformed, reason: "MalformedResponse", message: "not valid JSON"},
	{name: "WrongTypes", mode: wrongTypes, reason: "MalformedResponse", message: "not a finite number"},
	{name: "NaN", mode: notANumber, reason: "MalformedResponse", message: "not a finite number"},
	{name: "Inf", mode: infinite, reason: "MalformedResponse", message: "not a finite number"},
	// Issue 18, test 7 (live half): 1e70 formats beyond the status field's
	// 64 characters; it must be a reason, and the status patch succeed.
	{name: "HugeValue", short: true, mode: hugeValue, reason: "MalformedResponse", message: "beyond 1e+12 either side of zero"},
	{name: "FutureDated", mode: future, reason: "MalformedResponse", message: "after the time of the request"},
	{name: "HugeBody", mode: huge, reason: "ResponseTooLarge", message: "larger than maxResponseBytes (65536)"},
	{name: "RedirectToAnotherHost", short: true, mode: redirected, reason: "SourceUnreachable", message: "redirected to another host"},
	{name: "ExpiredCertificate", short: true, mode: expiredTLS, reason: "TLSUntrusted", message: "expired"},
	{name: "WrongCA", mode: wrongCA, reason: "TLSUntrusted", message: "signed by an authority outside"},
}

// evaluation is the KPI's evaluation interval; the fake clock moves by it.
const evaluation = time.Minute

// runSourceFault: a KPI reads the partner; the partner breaks; the
// partner publishes a new value during the outage; the partner heals. The
// KPI must show the fault with its reason and keep the last good value,
// show the MetricSource unreachable, recover, and end with the value
// published during the outage (no update lost), with goroutines and heap
// back where they were and no secret or patient identifier anywhere.
func runSourceFault(f sourceFault) func(t *testing.T) {
	return func(t *testing.T) {
		g := NewWithT(t)
		ns := namespace(t, f.name)
		p := newPartner(t)
		clk := clocktesting.NewFakeClock(today)
		r := startManager(t, clk, managerSpec{})
		src, kpi := sourceKPI(t, ns, p.URL(), p.caPEM)
		g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
		g.Expect(kpi.Status.LastValue).To(Equal("16.2"))
		g.Eventually(cond(ctxT, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))
		before := measure()

		// The fault.
		if f.mode == "" {
			p.stop()
		} else {
			p.set(f.mode)
		}
		p.publish("15.9", clk.Now())
		want := "False/" + f.reason
		detectClock, detectWall := evaluations(ctxT, t, clk, kpi, v1.ConditionMetricsAvailable, want, evaluation, 4)
		g.Expect(kpi.Status.Conditions).To(ContainElement(And(HaveField("Type", v1.ConditionMetricsAvailable), HaveField("Message", ContainSubstring(f.message)))))
		if f.mode != flapping { // good answers between bad ones do bring the new value
			g.Expect(kpi.Status.LastValue).To(Equal("16.2"), "the last good value must stay while the source is broken")
		}
		g.Expect(cond(ctxT, kpi, v1.ConditionReady)()).To(HavePrefix("True/"), "a broken source is not a broken KPI spec")
		g.Eventually(cond(ctxT, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal(want))
		if f.mode == flapping {
			// Each evaluation shows the answer it got, good or bad.
			for range 4 {
				n := p.requestCount()
				clk.Step(evaluation)
				kick(ctxT, t, kpi)
				g.Eventually(p.requestCount).WithTimeout(timeout).WithPolling(poll).Should(BeNumerically(">", n))
				expect := want
				if p.answeredOK() {
					expect = "True/DataFresh"
				}
				g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal(expect))
			}
		}
		if f.mode == redirected {
			g.Expect(p.thiefHits.Load()).To(BeZero(), "the redirect's target was contacted")
		}

		// The repair.
		if f.mode == "" {
			p.start(t)
		}
		p.set(healthy)
		recoverClock, recoverWall := evaluations(ctxT, t, clk, kpi, v1.ConditionMetricsAvailable, "True/DataFresh", evaluation, 4)
		g.Eventually(cond(ctxT, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))
		lost := 0
		if kpi.Status.LastValue != "15.9" {
			lost = 1
			t.Errorf("after recovery the KPI shows %q; the partner published 15.9 during the outage", kpi.Status.LastValue)
		}
		values := make([]string, 0, len(kpi.Status.History))
		for _, h := range kpi.Status.History {
			values = append(values, h.Value)
		}
		g.Expect(values).To(Equal([]string{"16.2", "15.9"}), "history holds exactly the good answers")
		assertBounded(t, before, 10)
		assertNothingLeaked(t, r, ns)
		shows := fmt.Sprintf("KPI MetricsAvailable=%s, Ready stays True, last value kept; MetricSource Reachable=%s", want, want)
		if f.mode == flapping {
			shows = fmt.Sprintf("each evaluation shows the answer it got: MetricsAvailable=%s and True/DataFresh by turns", want)
		}
		record(figure{fault: f.name, shows: shows,
			detection: evaluationsTook(detectClock, detectWall), recovery: evaluationsTook(recoverClock, recoverWall), lost: lost})
	}
}

// evaluationsTook renders a measurement: scheduled evaluations on the
// clock, and the wall time the operator spent.
func evaluationsTook(clock, wall time.Duration) string {
	n := int(clock / evaluation)
	s := "s"
	if n == 1 {
		s = ""
	}
	return fmt.Sprintf("%d evaluation%s (%s at evaluationInterval=%s) + %s wall", n, s, clock, evaluation, wall.Round(10*time.Millisecond))
}
