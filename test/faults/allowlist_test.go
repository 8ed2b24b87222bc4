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
	"testing"
	"time"

	. "github.com/onsi/gomega"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// runHostNotAllowed: with --allowed-source-hosts set, a MetricSource on
// another host is refused with a condition naming the host, and never
// contacted; once the host is allowed, the KPI reads it.
func runHostNotAllowed(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "HostNotAllowed")
	p := newPartner(t)
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{allowedHosts: "reports.partner.example,127.0.0.1:1"})
	start := time.Now()
	src, kpi := sourceKPI(t, ns, p.URL(), p.caPEM)
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceNotAllowed"))
	detected := time.Since(start)
	g.Expect(kpi.Status.Conditions).To(ContainElement(HaveField("Message", And(ContainSubstring(p.addr), ContainSubstring("--allowed-source-hosts")))))
	g.Eventually(cond(ctxT, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceNotAllowed"))
	g.Expect(p.requestCount()).To(BeZero(), "a host outside the allow-list was contacted")
	assertNothingLeaked(t, r, ns)

	r.stop()
	start = time.Now()
	r = startManager(t, clk, managerSpec{allowedHosts: "reports.partner.example," + p.addr})
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	recovered := time.Since(start)
	g.Expect(kpi.Status.LastValue).To(Equal("16.2"))
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "HostNotAllowed", shows: "KPI MetricsAvailable=False/SourceNotAllowed naming the host and the flag; MetricSource Reachable=False/SourceNotAllowed; zero requests made",
		detection: "first evaluation + " + wall(detected), recovery: "first evaluation after a manager restart with the host allowed + " + wall(recovered), lost: 0})
}
