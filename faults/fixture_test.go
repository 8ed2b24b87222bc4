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
	"encoding/json"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/testenv"
)

// sourceKPI creates, in ns, the partner's credentials and CA as Secrets,
// a MetricSource for endpoint and a KPI reading it.
func sourceKPI(t *testing.T, ns, endpoint string, caPEM []byte) (*v1.MetricSource, *v1.KPI) {
	t.Helper()
	g := NewWithT(t)
	g.Expect(env.Client.Create(ctxT, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-credentials"},
		Data: map[string][]byte{"token": []byte(partnerToken), "apiKey": []byte(partnerAPIKey)}})).To(Succeed())
	g.Expect(env.Client.Create(ctxT, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-ca"},
		Data: map[string][]byte{"ca.crt": caPEM}})).To(Succeed())
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-api"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: endpoint, MinInterval: "1m", Timeout: "1s", MaxResponseBytes: 64 << 10,
		Auth:    &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "partner-credentials", Key: "token"}},
		Headers: []v1.Header{{Name: "X-Api-Key", ValueFrom: &v1.SecretKeySelector{Name: "partner-credentials", Key: "apiKey"}}},
		TLS:     &v1.SourceTLS{CASecretRef: &v1.SecretKeySelector{Name: "partner-ca", Key: "ca.crt"}},
	}}
	g.Expect(env.Client.Create(ctxT, src)).To(Succeed())
	kpi := newKPI(ns, "readmissions")
	kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: src.Name},
		Query: "/rates?measure=readmissions", JSONPath: "{.rate}", TimestampJSONPath: "{.observed}"}
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	return src, kpi
}

// newKPI is a readmission-rate KPI on its glide path from 18% to 15.3%,
// evaluated every minute, with no data yet.
func newKPI(ns, name string) *v1.KPI {
	target := resource.MustParse("15.3")
	tolerance := resource.MustParse("0.5")
	return &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: v1.KPISpec{
		DisplayName: "30-day readmission rate", Unit: "%", Direction: v1.LowerIsBetter,
		Baseline:  v1.Baseline{Value: resource.MustParse("18"), Date: "2025-06-30"},
		Target:    v1.Target{Value: &target, Date: "2027-06-30"},
		Tolerance: &tolerance, MaxAge: "2d", EvaluationInterval: "1m", BreachesBeforeAtRisk: 2,
	}}
}

// reportedKPI is newKPI with values reported in git, the last being last.
func reportedKPI(ns, name, last string) *v1.KPI {
	k := newKPI(ns, name)
	k.Spec.MaxAge = "100d"
	k.Spec.Reported = []v1.ReportedValue{
		{Value: resource.MustParse("17.3"), PeriodEnd: "2026-03-31", ReportedBy: "Quality office"},
		{Value: resource.MustParse(last), PeriodEnd: "2026-09-30", ReportedBy: "Quality office"},
	}
	return k
}

// secretsAndPatients are the strings that must never leave the operator.
var secretsAndPatients = []string{partnerToken, partnerAPIKey, patientID, otherPatientID}

// assertNothingLeaked scans everything the operator produced (every line
// it logged in this process, the events and the status of every Accord
// object in the namespaces, and its /metrics page, labels and values) for
// the secrets and patient identifiers the fault's sources carried.
func assertNothingLeaked(t *testing.T, r *running, namespaces ...string) {
	t.Helper()
	g := NewWithT(t)
	produced := map[string]string{"logs": testenv.Logs(), "metrics": scrape(t, r.metricsURL)}
	g.Expect(produced["logs"]).NotTo(BeEmpty(), "no logs were captured to scan")
	g.Expect(produced["metrics"]).To(ContainSubstring("accord_condition{"), "the metrics page has no Accord series to scan")
	for _, ns := range namespaces {
		evs := &corev1.EventList{}
		g.Expect(env.Client.List(ctxT, evs, client.InNamespace(ns))).To(Succeed())
		var b strings.Builder
		for _, e := range evs.Items {
			b.WriteString(e.Reason + " " + e.Message + "\n")
		}
		produced["events in "+ns] = b.String()
		for _, list := range []client.ObjectList{&v1.KPIList{}, &v1.ObjectiveList{}, &v1.PartnershipList{}, &v1.PortfolioList{}, &v1.MetricSourceList{}, &v1.ReviewList{}} {
			g.Expect(env.Client.List(ctxT, list, client.InNamespace(ns))).To(Succeed())
			b, err := json.Marshal(list)
			g.Expect(err).NotTo(HaveOccurred())
			produced["objects in "+ns] += string(b)
		}
	}
	for where, text := range produced {
		for _, s := range secretsAndPatients {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%q leaked into %s: %.300s", s, where, text[max(0, i-150):])
			}
		}
	}
}

// settle waits until the KPI's status reflects its spec generation.
func settled(kpi *v1.KPI) func() bool {
	return func() bool {
		if err := env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), kpi); err != nil {
			return false
		}
		return kpi.Status.ObservedGeneration == kpi.Generation
	}
}
