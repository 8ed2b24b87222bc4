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
	"html"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
)

// sourceKPI creates, in ns, the partner's credentials and CA as Secrets,
// a MetricSource for endpoint and a KPI reading it.
func sourceKPI(t *testing.T, ns, endpoint string, caPEM []byte) (*v1.MetricSource, *v1.KPI) {
	t.Helper()
	g := NewWithT(t)
	g.Expect(env.Client.Create(ctxT, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-credentials"},
		Data: map[string][]byte{"token": []byte(partnerToken), "apiKey": []byte(partnerAPIKey)}}, "127.0.0.1"))).To(Succeed())
	g.Expect(env.Client.Create(ctxT, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-ca"},
		Data: map[string][]byte{"ca.crt": caPEM}}, "127.0.0.1"))).To(Succeed())
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
	// The dashboard shows KPIs through their partnership's objectives: these
	// put the partner's KPI on a page the leak check reads.
	g.Expect(env.Client.Create(ctxT, newPartnership(ns))).To(Succeed())
	g.Expect(env.Client.Create(ctxT, newObjective(ns, "reduce-readmissions", "2027-06-30", kpi.Name))).To(Succeed())
	return src, kpi
}

// newPartnership is a two-partner partnership with quarterly reviews.
func newPartnership(ns string) *v1.Partnership {
	return &v1.Partnership{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "valley-care"}, Spec: v1.PartnershipSpec{
		DisplayName: "Valley Care Network",
		Partners:    []v1.Partner{{Name: "Valley Regional Hospital", Role: "Convener", Lead: true}, {Name: "Pine Ridge CHC", Role: "ClinicalProvider"}},
		Agreement: v1.Agreement{EffectiveDate: "2025-07-01", ExpiryDate: "2028-06-30",
			Governance: v1.Governance{Model: "SteeringCommittee"}, DataSharing: v1.DataSharing{SharesPHI: true, BAARef: "BAA-1"},
			Financial: v1.FinancialArrangement{Model: "CostSharing"}},
		ReviewCadence: "P3M", EscalateAfter: "P30D",
	}}
}

// newObjective is an objective of valley-care, due on deadline, measured
// by the KPIs named.
func newObjective(ns, name, deadline string, kpis ...string) *v1.Objective {
	o := &v1.Objective{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}, Spec: v1.ObjectiveSpec{
		PartnershipRef: v1.LocalObjectReference{Name: "valley-care"},
		Statement:      "Reduce 30-day readmissions among enrolled members by " + deadline,
		StartDate:      "2025-07-01", Deadline: v1.Date(deadline),
	}}
	for _, k := range kpis {
		o.Spec.KPIs = append(o.Spec.KPIs, v1.ObjectiveKPI{Name: k, Weight: 1})
	}
	return o
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
func reportedKPI(ns, name, last string) *v1.KPI { //nolint:unparam // the call shows the value a fault starts from
	k := newKPI(ns, name)
	k.Spec.MaxAge = "100d"
	k.Spec.Reported = []v1.ReportedValue{
		{Value: new(resource.MustParse("17.3")), PeriodEnd: "2026-03-31", ReportedBy: "Quality office"},
		{Value: new(resource.MustParse(last)), PeriodEnd: "2026-09-30", ReportedBy: "Quality office"},
	}
	return k
}

// secretsAndPatients are the strings that must never leave the operator.
var secretsAndPatients = []string{partnerToken, partnerAPIKey, patientID, otherPatientID}

// assertNothingLeaked scans everything the operator produced (every line
// it logged, in this process or in its manager processes' stderr, the
// events and the status of every Accord object in the namespaces, its
// /metrics page, labels and values, and the HTML of its dashboard: the
// overview and the page of every partnership in the namespaces) for the
// secrets and patient identifiers the fault's sources carried.
func assertNothingLeaked(t *testing.T, r *running, namespaces ...string) {
	t.Helper()
	assertNoneOf(t, r, secretsAndPatients, namespaces...)
}

// assertNoneOf is assertNothingLeaked for other strings: markers a fault
// planted that must appear nowhere the operator writes.
func assertNoneOf(t *testing.T, r *running, forbidden []string, namespaces ...string) {
	t.Helper()
	g := NewWithT(t)
	produced := map[string]string{"logs": r.logs(), "metrics": scrape(t, r.metricsURL), "dashboard overview": scrape(t, r.dashboardURL)}
	g.Expect(produced["logs"]).NotTo(BeEmpty(), "no logs were captured to scan")
	g.Expect(produced["metrics"]).To(ContainSubstring("accord_condition{"), "the metrics page has no Accord series to scan")
	for _, ns := range namespaces {
		pships := &v1.PartnershipList{}
		g.Expect(env.Client.List(ctxT, pships, client.InNamespace(ns))).To(Succeed())
		for _, p := range pships.Items {
			// The dashboard reads the manager's cache: the page is there
			// once the cache has the partnership and its evaluated status.
			page := r.dashboardURL + "partnerships/" + ns + "/" + p.Name
			g.Eventually(func() string { return scrape(t, r.dashboardURL) }).WithTimeout(timeout).WithPolling(poll).
				Should(ContainSubstring(html.EscapeString(p.Spec.DisplayName)), "the dashboard's overview does not show partnership %s/%s", ns, p.Name)
			produced["dashboard overview"] = scrape(t, r.dashboardURL)
			produced["dashboard page "+ns+"/"+p.Name] = scrape(t, page)
			for _, o := range objectivesOf(t, ns, p.Name) {
				g.Expect(produced["dashboard page "+ns+"/"+p.Name]).To(ContainSubstring(html.EscapeString(o)), "the dashboard's page of %s/%s does not show its objective", ns, p.Name)
			}
		}
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
		for _, s := range forbidden {
			if i := strings.Index(text, s); i >= 0 {
				t.Errorf("%q leaked into %s: %.300s", s, where, text[max(0, i-150):])
			}
		}
	}
}

// objectivesOf returns the statements of the partnership's objectives.
func objectivesOf(t *testing.T, ns, partnership string) []string {
	t.Helper()
	objs := &v1.ObjectiveList{}
	if err := env.Client.List(ctxT, objs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objs.Items {
		if o.Spec.PartnershipRef.Name == partnership {
			out = append(out, o.Spec.Statement)
		}
	}
	return out
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
