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
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/demodata"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/testsupport/testprom"
)

// TestTheDemoPortfolioReadsEverySourceType runs config/demo, the portfolio
// `make demo` applies, against the demo's own data server and a real
// Prometheus backfilled with its history, both on 127.0.0.1: each network
// source type answers, and the KPIs read from them are evaluated Healthy.
func TestTheDemoPortfolioReadsEverySourceType(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	now := time.Now().UTC()
	const token = "demo-token-5f3a"
	data := httptest.NewServer((&demodata.Server{Token: token, Now: time.Now}).Handler())
	t.Cleanup(data.Close)
	prom := testprom.Start(t, demodata.History(now, 30))

	objs, err := manifests.Build(filepath.Join(env.Root, "config", "demo"))
	g.Expect(err).NotTo(HaveOccurred())
	ns := namespace(t)
	// The demo's endpoints are fixed ports; the test's servers are not.
	endpoints := map[string]string{
		"network-prometheus":     prom.URL,
		"pine-ridge-care-api":    data.URL + demodata.PartnerAPIPath,
		"heartland-quality-fhir": data.URL + demodata.FHIRPath,
	}
	for _, name := range []string{"pine-ridge-api-token", "heartland-fhir-token"} {
		g.Expect(env.Client.Create(ctx, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			StringData: map[string]string{"token": token}}, "127.0.0.1"))).To(Succeed())
	}
	for _, u := range objs {
		u.SetNamespace(ns)
		if ep, ok := endpoints[u.GetName()]; ok && u.GetKind() == "MetricSource" {
			g.Expect(unstructured.SetNestedField(u.Object, ep, "spec", "endpoint")).To(Succeed())
			delete(endpoints, u.GetName())
		}
		g.Expect(env.Client.Create(ctx, u)).To(Succeed(), "%s/%s", u.GetKind(), u.GetName())
	}
	g.Expect(endpoints).To(BeEmpty(), "config/demo lacks these MetricSources")

	// Prometheus evaluates at the time Accord asks for: the clock is real time.
	startManager(t, clocktesting.NewFakeClock(now))
	for _, src := range []string{"network-prometheus", "pine-ridge-care-api", "heartland-quality-fhir", "reported-in-git"} {
		ms := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: src}}
		g.Eventually(cond(ctx, ms, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).
			Should(HavePrefix("True/"), "MetricSource %s", src)
	}
	live := map[string]demodata.Series{
		"tele-video-connect-success": demodata.VideoConnect,
		"vicn-follow-up-7d":          demodata.FollowUp,
		"mpop-controlling-bp":        demodata.ControllingBP,
	}
	for name := range live {
		kpi := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		g.Eventually(cond(ctx, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).
			Should(Equal("True/DataFresh"), "KPI %s", name)
		g.Eventually(cond(ctx, kpi, v1.ConditionHealthy)).WithTimeout(timeout).WithPolling(poll).
			Should(HavePrefix("True/"), "KPI %s", name)
		g.Expect(kpi.Status.LastValue).NotTo(BeEmpty(), "KPI %s", name)
	}
	// Each live value is what its system serves: the FHIR report of the
	// last complete month, the partner API's rate as of today.
	kpi := &v1.KPI{}
	g.Expect(env.Client.Get(ctx, key(&v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "vicn-follow-up-7d"}}), kpi)).To(Succeed())
	g.Expect(kpi.Status.LastValue).To(Equal(evaluate.FormatNumber(demodata.FollowUp.At(now.Truncate(24 * time.Hour)))))
	lastMonthEnd := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	g.Expect(env.Client.Get(ctx, key(&v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "mpop-controlling-bp"}}), kpi)).To(Succeed())
	g.Expect(kpi.Status.LastValue).To(Equal(evaluate.FormatNumber(demodata.ControllingBP.At(lastMonthEnd))))

	// The objectives that count the live KPIs are evaluated with them.
	for _, name := range []string{"tele-consult-turnaround", "vicn-reduce-readmissions", "mpop-close-care-gaps"} {
		obj := &v1.Objective{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}
		g.Eventually(cond(ctx, obj, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix("True/"), "Objective %s", name)
	}
	checkDemoStatus(t, ns)
	assertNothingLeaked(ctx, t, ns, token)
}
