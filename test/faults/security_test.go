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
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
)

// listener counts the connections that reach an address of 127.0.0.1 or
// ::1, answering each with a value, so a refusal is told from a read.
type listener struct {
	addr  string
	conns atomic.Int32
}

func listen(t *testing.T, network, addr string) *listener {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	c := &listener{addr: l.Addr().String()}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			c.conns.Add(1)
			_, _ = fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{\"rate\":1}")
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = l.Close() })
	return c
}

// liveKPI creates a MetricSource for endpoint, without credentials, and a
// KPI reading it.
func liveKPI(t *testing.T, ns, name, typ, endpoint, query string) *v1.KPI {
	t.Helper()
	g := NewWithT(t)
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceType(typ), Endpoint: endpoint, MinInterval: "1m", Timeout: "2s"}}
	g.Expect(env.Client.Create(ctxT, src)).To(Succeed())
	kpi := newKPI(ns, name)
	kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: name}, Query: query}
	if typ == string(v1.SourceHTTPJSON) {
		kpi.Spec.Source.JSONPath = "{.rate}"
	}
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	return kpi
}

// runEgressRefused (issue 18, test 1): the cloud metadata addresses,
// loopback in IPv6, localhost and the operator's own dashboard port are
// refused, with the allow-list unset (nothing may be reached) and set to
// every host with localhost named, and no connection reaches the
// listeners the test controls.
func runEgressRefused(t *testing.T) {
	g := NewWithT(t)
	v6 := listen(t, "tcp6", "[::1]:0")
	local := listen(t, "tcp", "127.0.0.1:0")
	_, v6Port, _ := net.SplitHostPort(v6.addr)
	_, localPort, _ := net.SplitHostPort(local.addr)
	clk := clocktesting.NewFakeClock(today)
	start := time.Now()
	for i, spec := range []managerSpec{
		{allowedHosts: "none", allowedCIDRs: "none"},
		{allowedHosts: "*,localhost,reports.partner.example", allowedCIDRs: "none"},
	} {
		ns := namespace(t, fmt.Sprintf("EgressRefused%d", i))
		r := startManager(t, clk, spec)
		dashboard, err := url.Parse(r.dashboardURL)
		g.Expect(err).NotTo(HaveOccurred())
		kpis := []*v1.KPI{
			liveKPI(t, ns, "metadata", "HTTPJSON", "http://169.254.169.254/latest/meta-data", "/iam/security-credentials/"),
			liveKPI(t, ns, "metadata-v6", "HTTPJSON", "http://[fd00:ec2::254]/latest/meta-data", "/"),
			liveKPI(t, ns, "loopback-v6", "HTTPJSON", "http://[::1]:"+v6Port, "/"),
			liveKPI(t, ns, "localhost", "HTTPJSON", "http://localhost:"+localPort, "/healthz"),
			liveKPI(t, ns, "dashboard", "HTTPJSON", "http://127.0.0.1:"+dashboard.Port(), "/"),
			liveKPI(t, ns, "prometheus-self", "Prometheus", "http://127.0.0.1:"+localPort, "up"),
		}
		for _, kpi := range kpis {
			g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).
				Should(Equal("False/SourceNotAllowed"), "KPI %s with %+v", kpi.Name, spec)
		}
		r.stop()
	}
	g.Expect(v6.conns.Load()).To(BeZero(), "[::1] was connected to")
	g.Expect(local.conns.Load()).To(BeZero(), "localhost was connected to")
	record(figure{fault: "EgressRefused", shows: "6 KPIs (metadata v4/v6, [::1], localhost, the dashboard's port, a Prometheus on loopback) MetricsAvailable=False/SourceNotAllowed with the allow-list unset and set to *,localhost; zero connections",
		detection: "first evaluation + " + wall(time.Since(start)), recovery: "n/a (an administrator's allowance)", lost: 0})
}

// runSecretNotGiven (issue 18, test 4): a MetricSource whose header and
// bearer token come from a Secret that its owner has not labelled for
// metric sources: the KPI says so and the partner receives nothing.
func runSecretNotGiven(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "SecretNotGiven")
	p := newPartner(t)
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	start := time.Now()
	g.Expect(env.Client.Create(ctxT, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "someone-elses"},
		Data: map[string][]byte{"token": []byte(partnerToken), "apiKey": []byte(partnerAPIKey)}})).To(Succeed())
	g.Expect(env.Client.Create(ctxT, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-ca"},
		Data: map[string][]byte{"ca.crt": p.caPEM}}))).To(Succeed())
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-api"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: p.URL(), MinInterval: "1m", Timeout: "1s",
		Auth:    &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "someone-elses", Key: "token"}},
		Headers: []v1.Header{{Name: "X-Api-Key", ValueFrom: &v1.SecretKeySelector{Name: "someone-elses", Key: "apiKey"}}},
		TLS:     &v1.SourceTLS{CASecretRef: &v1.SecretKeySelector{Name: "partner-ca", Key: "ca.crt"}},
	}}
	g.Expect(env.Client.Create(ctxT, src)).To(Succeed())
	kpi := newKPI(ns, "readmissions")
	kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: src.Name}, Query: "/rates", JSONPath: "{.rate}"}
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	// The manager caches only labelled Secrets, so to it this one does not
	// exist; a labelled Secret for other hosts says so (SecretKeySelector
	// tests in internal/sources).
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/CredentialsMissing"))
	g.Expect(kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("not labelled portfolio.accord.dev/credential=true"))))
	detected := time.Since(start)
	g.Expect(p.requestCount()).To(BeZero(), "the partner received a request carrying a borrowed Secret")
	assertNothingLeaked(t, r, ns)

	// Labelled, but for another host: still nothing sent.
	other := &corev1.Secret{}
	g.Expect(env.Client.Get(ctxT, client.ObjectKey{Namespace: ns, Name: "someone-elses"}, other)).To(Succeed())
	sources.MarkCredential(other, "reports.partner.example")
	g.Expect(env.Client.Update(ctxT, other)).To(Succeed())
	g.Eventually(func() string {
		clk.Step(evaluation)
		kick(ctxT, t, kpi)
		return cond(ctxT, kpi, v1.ConditionMetricsAvailable)()
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/CredentialsNotAllowed"))
	g.Expect(p.requestCount()).To(BeZero(), "the partner received a request carrying a Secret given to another host")

	// Given to this host: read. So the refusals came from the consent.
	sources.MarkCredential(other, "127.0.0.1")
	g.Expect(env.Client.Update(ctxT, other)).To(Succeed())
	g.Eventually(func() string {
		clk.Step(evaluation)
		kick(ctxT, t, kpi)
		return cond(ctxT, kpi, v1.ConditionMetricsAvailable)()
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	recovered := time.Since(start) - detected
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "SecretNotGiven", shows: "unlabelled Secret: MetricsAvailable=False/CredentialsMissing naming the label; labelled for another host: CredentialsNotAllowed; zero requests until labelled for the partner's host",
		detection: "first evaluation + " + wall(detected), recovery: "next evaluation after the owner labels it + " + wall(recovered), lost: 0})
}

// runReportedHugeValue (issue 18, test 7, reported half): a value of 1e70
// committed in git would format beyond the status fields' 64 characters;
// the KPI says which item is wrong (its status patch succeeds), and the
// other KPIs are unaffected.
func runReportedHugeValue(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "ReportedHugeValue")
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	start := time.Now()
	huge := reportedKPI(ns, "huge", "1e70")
	fine := reportedKPI(ns, "fine", "15.9")
	g.Expect(env.Client.Create(ctxT, huge)).To(Succeed())
	g.Expect(env.Client.Create(ctxT, fine)).To(Succeed())
	g.Eventually(cond(ctxT, huge, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/InvalidSpec"))
	g.Expect(huge.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("spec.reported[1].value: beyond 1e+12 either side of zero"))))
	g.Eventually(cond(ctxT, fine, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(fine.Status.LastValue).To(Equal("15.9"))
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "ReportedHugeValue", shows: "KPI Ready=False/InvalidSpec naming spec.reported[1].value (status patch accepted); a neighbour KPI evaluated", detection: "first evaluation + " + wall(time.Since(start)), recovery: "n/a (a fix in git)", lost: 0})
}

// runPrometheusBadData (issue 18, test 8): a Prometheus (or whatever
// answers in its place) whose 400 bad_data error text carries a marker:
// the marker appears nowhere in status, events, logs, metrics or the
// dashboard; the KPI still says what went wrong.
func runPrometheusBadData(t *testing.T) {
	const marker = "UPSTREAM-MARKER-31337"
	g := NewWithT(t)
	ns := namespace(t, "PrometheusBadData")
	var hits atomic.Int32
	prom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":"1:1: parse error: %s; patient %s"}`, marker, patientID)
	}))
	t.Cleanup(prom.Close)
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	start := time.Now()
	kpi := liveKPI(t, ns, "telehealth", "Prometheus", prom.URL, "sum(rate(consults_total[5m]))")
	g.Expect(env.Client.Create(ctxT, newPartnership(ns))).To(Succeed())
	g.Expect(env.Client.Create(ctxT, newObjective(ns, "reduce-readmissions", "2027-06-30", kpi.Name))).To(Succeed())
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/InvalidQuery"))
	g.Expect(kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("was rejected by Prometheus as bad data"))))
	g.Expect(hits.Load()).To(BeNumerically(">", 0))
	assertNoneOf(t, r, append([]string{marker}, secretsAndPatients...), ns)
	record(figure{fault: "PrometheusBadData", shows: "KPI MetricsAvailable=False/InvalidQuery in a fixed sentence; the server's error text (a marker, a patient id) in no log, event, status, metric or page",
		detection: "first evaluation + " + wall(time.Since(start)), recovery: "n/a (a fix in the query)", lost: 0})
}
