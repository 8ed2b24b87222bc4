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
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// The guide's quality-measurereport32 (Star 4 at 83%, Star 5 at 92%),
// served by a FHIR server on 127.0.0.1.
const vbprReport = "../internal/sources/fhir/testdata/davinci-vbpr/MeasureReport-quality-measurereport32.json"

func contractKPI(ns, name, thresholdType string) *v1.KPI {
	return &v1.KPI{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1.KPISpec{
			DisplayName: "Diabetes care: blood sugar controlled", Unit: "%", Direction: v1.HigherIsBetter,
			Baseline: v1.Baseline{Value: resource.MustParse("50"), Date: "2021-12-31"},
			// No target.value: the contract gives it.
			Target: v1.Target{Date: "2027-12-31"},
			MaxAge: "2000d", EvaluationInterval: "1d",
			Source: &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "payer-fhir"}, Query: "MeasureReport/quality-measurereport32",
				ContractTarget: &v1.ContractTarget{ThresholdType: thresholdType}},
		},
	}
}

func TestAKPITakesItsTargetFromTheContractAndFollowsItWhenItMoves(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock()
	startManager(t, clk)
	ns := namespace(t)

	guide, err := os.ReadFile(vbprReport)
	g.Expect(err).NotTo(HaveOccurred())
	var body atomic.Value
	body.Store(string(guide))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/r4/MeasureReport/quality-measurereport32" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write([]byte(body.Load().(string)))
	}))
	defer srv.Close()

	g.Expect(env.Client.Create(ctx, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "payer-fhir"},
		Spec: v1.MetricSourceSpec{Type: v1.SourceFHIR, Endpoint: srv.URL + "/r4", MinInterval: "1m", Timeout: "2s"}})).To(Succeed())
	kpi := contractKPI(ns, "hba1c-control", "star-4")
	g.Expect(env.Client.Create(ctx, kpi)).To(Succeed())
	missing := contractKPI(ns, "hba1c-star-3", "star-3")
	g.Expect(env.Client.Create(ctx, missing)).To(Succeed())

	// The glide path aims at the Star 4 threshold, 83% as the guide gives
	// it, read on the KPI's percentage scale next to a 0.58 score (58%).
	g.Eventually(cond(ctx, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(kpi.Status.LastValue).To(Equal("58"))
	c := kpi.Status.Contract
	g.Expect(c).NotTo(BeNil())
	g.Expect(c.TargetThresholdType).To(Equal("star-4"))
	g.Expect(c.Target).To(Equal("83"))
	g.Expect(c.ReportDate).To(Equal(v1.Date("2023-05-30")))
	g.Expect(c.StarScore).To(Equal("0"))
	g.Expect(c.Thresholds).To(Equal([]v1.ContractThresholdStatus{
		{Type: "star-4", Display: "Star 4", Value: "83", Reported: "83%"},
		{Type: "star-5", Display: "Star 5", Value: "92", Reported: "92%"},
	}))
	ready := meta.FindStatusCondition(kpi.Status.Conditions, v1.ConditionReady)
	g.Expect(ready.Status).To(Equal(metav1.ConditionTrue))
	g.Expect(ready.Message).To(ContainSubstring("Target 83% (the contract's Star 4 threshold, report of 30 May 2023)."))

	// A threshold the report does not give: a condition, not a verdict.
	g.Eventually(cond(ctx, missing, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ContractTermMissing"))
	g.Expect(meta.FindStatusCondition(missing.Status.Conditions, v1.ConditionReady).Message).To(ContainSubstring(
		`the MeasureReport of 30 May 2023 gives no "star-3" threshold (spec.source.contractTarget.thresholdType); it gives only Star 4 (star-4), Star 5 (star-5)`))
	g.Expect(cond(ctx, missing, v1.ConditionHealthy)()).To(Equal("Unknown/ContractTermMissing"))
	g.Expect(events(ctx, ns, kpi.Name, "ContractTermsChanged")()).To(Equal(0), "the first terms a KPI sees are no change")

	// The payer's next report moves Star 4 to 85% (a change made by this
	// test; the guide has one report).
	body.Store(strings.Replace(string(guide), `"value": 83,`, `"value": 85,`, 1))
	clk.Step(2 * time.Minute)
	kick(ctx, t, kpi)
	g.Eventually(func() string {
		cond(ctx, kpi, v1.ConditionReady)()
		if kpi.Status.Contract == nil {
			return ""
		}
		return kpi.Status.Contract.Target
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal("85"))
	g.Eventually(events(ctx, ns, kpi.Name, "ContractTermsChanged")).WithTimeout(timeout).WithPolling(poll).Should(Equal(1))
	g.Expect(eventNotes(ctx, ns, kpi.Name, "ContractTermsChanged")).To(ConsistOf(
		"The value-based contract's terms changed in the report of 30 May 2023: the Star 4 threshold moved from 83% to 85%."))

	// Read again, unchanged: no second event. The reconcile is seen done
	// when it acknowledges the request.
	clk.Step(2 * time.Minute)
	kick(ctx, t, kpi)
	want := kpi.Annotations[v1.ReconcileRequestAnnotation]
	g.Eventually(func() string {
		cond(ctx, kpi, v1.ConditionReady)()
		return kpi.Status.LastHandledReconcileAt
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(want))
	g.Expect(events(ctx, ns, kpi.Name, "ContractTermsChanged")()).To(Equal(1))
}

// The guide's contract Measure vbp-measure01 gives the KPI's measure its
// weight (3 of the contractual measures' 18) and status (contractual);
// its payment report vbp-measurereport104 gives the earned incentive as
// 500 USD. Both served by one FHIR server on 127.0.0.1.
func TestAKPIReadsItsWeightInTheContractAndAnIncentiveInDollars(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	startManager(t, newClock())
	ns := namespace(t)
	files := map[string]string{
		"/r4/MeasureReport/quality-measurereport32": vbprReport,
		"/r4/Measure/vbp-measure01":                 "../internal/sources/fhir/testdata/davinci-vbpr/Measure-vbp-measure01.json",
		"/r4/MeasureReport/vbp-measurereport104":    "../internal/sources/fhir/testdata/davinci-vbpr/MeasureReport-vbp-measurereport104.json",
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/fhir+json")
		_, _ = w.Write(b)
	}))
	defer srv.Close()
	g.Expect(env.Client.Create(ctx, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "payer-fhir"},
		Spec: v1.MetricSourceSpec{Type: v1.SourceFHIR, Endpoint: srv.URL + "/r4", MinInterval: "1m", Timeout: "2s"}})).To(Succeed())

	weighted := contractKPI(ns, "hba1c-weighted", "star-4")
	weighted.Spec.Source.ContractMeasure = "Measure/vbp-measure01"
	g.Expect(env.Client.Create(ctx, weighted)).To(Succeed())
	incentive := func(name, unit string) *v1.KPI {
		return &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1.KPISpec{DisplayName: "Incentive earned", Unit: unit, Direction: v1.HigherIsBetter,
				Baseline: v1.Baseline{Value: resource.MustParse("0"), Date: "2022-01-01"},
				Target:   v1.Target{Value: ptrQ("1000"), Date: "2022-12-31"},
				MaxAge:   "2000d", EvaluationInterval: "1d",
				Source: &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "payer-fhir"},
					Query: "MeasureReport/vbp-measurereport104", Group: "earned-incentive"}}}
	}
	dollars, euros := incentive("incentive-usd", "USD"), incentive("incentive-eur", "EUR")
	g.Expect(env.Client.Create(ctx, dollars)).To(Succeed())
	g.Expect(env.Client.Create(ctx, euros)).To(Succeed())

	g.Eventually(cond(ctx, weighted, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(weighted.Status.Contract).NotTo(BeNil())
	g.Expect(weighted.Status.Contract.Component).To(Equal(&v1.ContractComponentStatus{
		Contract: "Example Value-Based Contract - ABC Payer and GoodHealth", Display: "Diabetes Care - Blood Sugar Controlled",
		Weight: "3", ContractualWeight: "18", Status: "contractual"}))
	g.Expect(weighted.Status.Contract.Target).To(Equal("83"), "the report's own terms are still read")

	g.Eventually(cond(ctx, dollars, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	g.Expect(dollars.Status.LastValue).To(Equal("500"))
	// The same amount on a KPI in euros is refused, not converted.
	g.Eventually(cond(ctx, euros, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/MalformedResponse"))
	g.Expect(meta.FindStatusCondition(euros.Status.Conditions, v1.ConditionMetricsAvailable).Message).To(ContainSubstring(
		`the source gave an amount in USD; a KPI reads it only when its spec.unit is "USD", and this one's is "EUR"`))
	g.Expect(euros.Status.LastValue).To(BeEmpty())
}

// eventNotes are the messages of the events with reason about name.
func eventNotes(ctx context.Context, ns, name, reason string) []string {
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

// The API server refuses what it can tell from the KPI alone.
func TestTheAPIServerRefusesAContractTargetItCannotHonour(t *testing.T) {
	ctx := context.Background()
	ns := namespace(t)
	httpJSON := contractKPI(ns, "on-http-json", "star-4")
	httpJSON.Spec.Source.JSONPath = "{.rate}"
	inRange := contractKPI(ns, "in-range", "star-4")
	inRange.Spec.Direction = v1.InRange
	inRange.Spec.Target.Min, inRange.Spec.Target.Max = ptrQ("80"), ptrQ("90")
	noTarget := contractKPI(ns, "no-target", "star-4")
	noTarget.Spec.Source.ContractTarget = nil
	for _, tc := range []struct {
		kpi  *v1.KPI
		want string
	}{
		{httpJSON, "spec.source.contractTarget: Invalid value: spec.source.contractTarget applies to FHIR sources only"},
		{inRange, "spec.source.contractTarget: Invalid value: spec.source.contractTarget gives one threshold to reach"},
		{noTarget, "spec.target.value is required when direction is HigherIsBetter or LowerIsBetter, unless spec.source.contractTarget"},
		{withMeasure(contractKPI(ns, "measure-on-http-json", "star-4"), "Measure/vbp-measure01", "{.rate}"),
			"spec.source.contractMeasure: Invalid value: spec.source.contractMeasure applies to FHIR sources only"},
		{withMeasure(contractKPI(ns, "measure-climbs", "star-4"), "Measure/../secrets", ""), "spec.source.contractMeasure: Invalid value"},
	} {
		err := env.Client.Create(ctx, tc.kpi)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v; want %q", tc.kpi.Name, err, tc.want)
		}
	}
}

func ptrQ(s string) *resource.Quantity { q := resource.MustParse(s); return &q }

// withMeasure sets a KPI's spec.source.contractMeasure (and, for a
// source that is not FHIR, a jsonPath).
func withMeasure(k *v1.KPI, measure, jsonPath string) *v1.KPI {
	k.Spec.Source.ContractMeasure, k.Spec.Source.JSONPath = measure, jsonPath
	if jsonPath != "" {
		k.Spec.Source.ContractTarget = nil
		k.Spec.Target.Value = ptrQ("80")
	}
	return k
}
