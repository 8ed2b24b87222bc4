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
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testprom"
)

const partnerToken = "partner-api-token-1234"

func TestAKPIReadFromALivePartnerAPISurvivesAnOutage(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	f := newFixture(namespace(t))

	// The partner's API on 127.0.0.1: a readmission rate with its time.
	var down atomic.Bool
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+partnerToken {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		if down.Load() {
			http.Error(w, "maintenance; last patient "+patientID, http.StatusServiceUnavailable)
			return
		}
		// Partner APIs sometimes send more than they should.
		_, _ = fmt.Fprintf(w, `{"measure":%q,"rate":16.2,"observed":%q,"example":{"patient":%q}}`, r.URL.Query().Get("measure"), clk.Now().Add(-time.Hour).Format(time.RFC3339), patientID)
	}))
	defer api.Close()

	g.Expect(env.Client.Create(ctx, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "partner-token"},
		Data: map[string][]byte{"token": []byte(partnerToken)}}, "127.0.0.1"))).To(Succeed())
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "partner-api"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: api.URL, MinInterval: "1m", Timeout: "2s",
		Auth: &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "partner-token", Key: "token"}},
	}}
	g.Expect(env.Client.Create(ctx, src)).To(Succeed())
	f.kpi.Spec.Reported = nil
	f.kpi.Spec.MaxAge = "2d"
	f.kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "partner-api"}, Query: "/rates?measure=readmissions", JSONPath: "{.rate}", TimestampJSONPath: "{.observed}"}
	// No review yet, so the partnership raises ReviewDue: an event to scan.
	f.create(ctx, t, false)

	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(f.kpi.Status.LastValue).To(Equal("16.2"))
	g.Expect(f.kpi.Status.History).To(HaveLen(1))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))

	// The API goes down: the KPI says so, and still shows the last value.
	down.Store(true)
	clk.Step(2 * time.Minute)
	kick(ctx, t, f.kpi)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceUnreachable"))
	g.Expect(f.kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("503 Service Unavailable"))))
	g.Expect(f.kpi.Status.LastValue).To(Equal("16.2"))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceUnreachable"))
	g.Expect(src.Status.LastError).To(ContainSubstring("503"))
	g.Expect(src.Status.LastSuccessTime).NotTo(BeNil())

	// It recovers: after the backoff the next evaluation reads it again.
	down.Store(false)
	clk.Step(5 * time.Minute)
	kick(ctx, t, f.kpi)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(f.kpi.Status.History).To(HaveLen(2))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))
	g.Expect(src.Status.LastError).To(BeEmpty())

	g.Eventually(events(ctx, f.ns, f.partnership.Name, "ReviewDue")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	assertNothingLeaked(ctx, t, f.ns, partnerToken, patientID)
}

const patientID = "MRN-00421337"

// assertNothingLeaked scans what the operator produced (its logs, the
// events and the status of every Accord object in ns) for secrets.
func assertNothingLeaked(ctx context.Context, t *testing.T, ns string, secrets ...string) {
	t.Helper()
	g := NewWithT(t)
	evs := &corev1.EventList{}
	g.Expect(env.Client.List(ctx, evs, client.InNamespace(ns))).To(Succeed())
	produced := make([]string, 0, 1+2*len(evs.Items)+6)
	produced = append(produced, testenv.Logs())
	for _, e := range evs.Items {
		produced = append(produced, e.Message, e.Reason)
	}
	for _, list := range []client.ObjectList{&v1.KPIList{}, &v1.ObjectiveList{}, &v1.PartnershipList{}, &v1.PortfolioList{}, &v1.MetricSourceList{}, &v1.ReviewList{}} {
		g.Expect(env.Client.List(ctx, list, client.InNamespace(ns))).To(Succeed())
		b, err := json.Marshal(list)
		g.Expect(err).NotTo(HaveOccurred())
		produced = append(produced, string(b))
	}
	g.Expect(testenv.Logs()).NotTo(BeEmpty(), "no logs were captured to scan")
	for _, text := range produced {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("%q leaked into what the operator produced: %.300s", s, text[max(0, strings.Index(text, s)-150):])
			}
		}
	}
}

func TestAKPIReadFromPrometheusSurvivesTheServerStoppingAndRestarting(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	// Prometheus evaluates at the time Accord asks for, so the history and
	// the fake clock sit just before the real time.
	observed := time.Now().UTC().Truncate(time.Minute).Add(-20 * time.Minute)
	prom := testprom.Start(t, "# TYPE accord_readmission_rate gauge\n"+
		testprom.Sample("accord_readmission_rate", `partner="vrh"`, 16.2, observed)+"# EOF\n")
	clk := clocktesting.NewFakeClock(observed.Add(time.Minute))
	startManager(t, clk)
	f := newFixture(namespace(t))
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "network-prometheus"},
		Spec: v1.MetricSourceSpec{Type: v1.SourcePrometheus, Endpoint: prom.URL, MinInterval: "1m", Timeout: "2s"}}
	g.Expect(env.Client.Create(ctx, src)).To(Succeed())
	f.kpi.Spec.Reported = nil
	f.kpi.Spec.MaxAge = "1d"
	f.kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "network-prometheus"},
		Query: `last_over_time(accord_readmission_rate{partner="vrh"}[1h])`}
	f.create(ctx, t, true)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(f.kpi.Status.LastValue).To(Equal("16.2"))

	prom.Stop()
	clk.Step(2 * time.Minute)
	kick(ctx, t, f.kpi)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceUnreachable"))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceUnreachable"))

	prom.Restart(t)
	clk.Step(5 * time.Minute) // past the first backoff
	kick(ctx, t, f.kpi)
	g.Eventually(cond(ctx, f.kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Eventually(cond(ctx, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))
	g.Expect(f.kpi.Status.LastValue).To(Equal("16.2"))
	assertNothingLeaked(ctx, t, f.ns, patientID)
}

// TestKPIsSharingAQueryAreEvaluatedWithItsNewAnswerAtOnce pins the fan-out
// of a new answer: when one KPI's evaluation fetches a changed answer for a
// (source, query) pair, every KPI reading that pair at least once per the
// source's minInterval is evaluated with it from the fetcher's cache,
// without waiting for its own interval and without another request. A KPI
// evaluated less often keeps its pace, and a KPI reading another field of
// the same source is not touched.
func TestKPIsSharingAQueryAreEvaluatedWithItsNewAnswerAtOnce(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	ns := namespace(t)

	var rate, other atomic.Value
	rate.Store("16.2")
	other.Store("3")
	var requests atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_, _ = fmt.Fprintf(w, `{"rate":%s,"other":%s,"observed":%q}`, rate.Load(), other.Load(), clk.Now().Add(-time.Hour).Format(time.RFC3339))
	}))
	defer api.Close()
	// An hourly source, so no KPI here is re-evaluated on its own schedule
	// (real time) while the test runs.
	g.Expect(env.Client.Create(ctx, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-api"},
		Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: api.URL, MinInterval: "1h", Timeout: "2s"}})).To(Succeed())

	kpi := func(name, jsonPath string, interval v1.Duration) *v1.KPI {
		k := newFixture(ns).kpi
		k.Name = name
		k.Spec.Reported = nil
		k.Spec.MaxAge, k.Spec.EvaluationInterval = "2d", interval
		k.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "partner-api"}, Query: "/rates", JSONPath: jsonPath, TimestampJSONPath: "{.observed}"}
		g.Expect(env.Client.Create(ctx, k)).To(Succeed())
		return k
	}
	a, b, c, daily := kpi("a", "{.rate}", "1h"), kpi("b", "{.rate}", "1h"), kpi("c", "{.other}", "1h"), kpi("daily", "{.rate}", "1d")
	lastValue := func(k *v1.KPI) func() string {
		return func() string {
			if err := env.Client.Get(ctx, client.ObjectKeyFromObject(k), k); err != nil {
				return err.Error()
			}
			return k.Status.LastValue
		}
	}
	for k, want := range map[*v1.KPI]string{a: "16.2", b: "16.2", c: "3", daily: "16.2"} {
		g.Eventually(lastValue(k)).WithTimeout(timeout).WithPolling(poll).Should(Equal(want), "KPI %s", k.Name)
	}
	g.Expect(requests.Load()).To(BeEquivalentTo(2), "one request per (source, query) pair")

	// The partner publishes new figures; only a is asked to evaluate.
	rate.Store("15.1")
	other.Store("4")
	clk.Step(2 * time.Hour)
	kick(ctx, t, a)
	g.Eventually(lastValue(a)).WithTimeout(timeout).WithPolling(poll).Should(Equal("15.1"))
	g.Eventually(lastValue(b)).WithTimeout(timeout).WithPolling(poll).Should(Equal("15.1"), "b shares a's query")
	g.Expect(requests.Load()).To(BeEquivalentTo(3), "b read the answer a fetched")
	g.Consistently(func() []string { return []string{lastValue(c)(), lastValue(daily)()} }).WithTimeout(time.Second).WithPolling(poll).
		Should(Equal([]string{"3", "16.2"}), "c reads another field; daily is evaluated once a day")
}
