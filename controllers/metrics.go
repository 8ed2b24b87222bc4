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

package controllers

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Portfolio metrics on the manager's /metrics endpoint. Labels are object
// names and condition types only: never values from a source's answer.
// Reconcile counts and durations per kind come from controller-runtime as
// controller_runtime_reconcile_total and
// controller_runtime_reconcile_time_seconds (label controller=<kind>).
// Label names used by more than one metric.
const (
	labelNamespace   = "namespace"
	labelKind        = "kind"
	labelKPI         = "kpi"
	labelPartnership = "partnership"
)

var (
	kpiValue = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_kpi_value", Help: "Latest value of a KPI, in its unit.",
	}, []string{labelNamespace, labelKPI})
	kpiExpected = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_kpi_expected_value", Help: "Value the glide path expects today.",
	}, []string{labelNamespace, labelKPI})
	kpiTarget = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_kpi_target_value", Help: "Target value of a KPI (for InRange KPIs, the middle of the range).",
	}, []string{labelNamespace, labelKPI})
	objectiveScore = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_objective_score", Help: "Weighted score of an objective's KPIs, 0 to 100.",
	}, []string{labelNamespace, "objective", labelPartnership})
	partnershipScore = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_partnership_score", Help: "Mean score of a partnership's objectives, 0 to 100.",
	}, []string{labelNamespace, labelPartnership})
	conditionState = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_condition",
		Help: "1 for the current status of each condition of an Accord object, 0 for the others.",
	}, []string{labelNamespace, labelKind, "name", "condition", "status"})
	partnershipExpiry = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_partnership_expiry_timestamp_seconds",
		Help: "When an instrument of a partnership lapses (the start of the day after its expiry date, Unix time): " +
			"instrument Agreement (the current term), BAA or DSA. Absent when open-ended, and for Exited partnerships.",
	}, []string{labelNamespace, labelPartnership, "instrument"})
	partnershipNotice = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_partnership_expiry_notice_timestamp_seconds",
		Help: "When an instrument's notice period opens (the agreement's renewalNoticeDays, " +
			"a BAA's or DSA's noticeDays before expiry, Unix time); absent without a notice period.",
	}, []string{labelNamespace, labelPartnership, "instrument"})
	portfolioScore = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "accord_portfolio_score", Help: "Objective-weighted score of a portfolio, 0 to 100.",
	}, []string{labelNamespace, "portfolio"})
	statusWritesTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "accord_status_writes_total", Help: "Status writes to the API server, by kind. Flat at rest.",
	}, []string{labelKind})
	statusWriteErrorsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "accord_status_write_errors_total",
		Help: "Status writes the API server refused, by kind; optimistic-lock conflicts, retried quietly, are not counted.",
	}, []string{labelKind})
	eventsTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "accord_events_total", Help: "Kubernetes events emitted on transitions, by kind and reason.",
	}, []string{labelKind, "reason"})
)

func init() {
	metrics.Registry.MustRegister(kpiValue, kpiExpected, kpiTarget, objectiveScore, partnershipScore,
		conditionState, partnershipExpiry, partnershipNotice, portfolioScore,
		statusWritesTotal, statusWriteErrorsTotal, eventsTotal)
	// Zero from the start, so an alert's rate() sees the first error.
	for _, kind := range v1.Kinds() {
		statusWriteErrorsTotal.WithLabelValues(kind)
	}
}

var conditionStatuses = []string{"True", "False", "Unknown"}

// recordConditions exports the given condition types of an object.
func recordConditions(ns, kind, name string, conds map[string]string) {
	for typ, status := range conds {
		for _, s := range conditionStatuses {
			v := 0.0
			if s == status {
				v = 1
			}
			conditionState.WithLabelValues(ns, kind, name, typ, s).Set(v)
		}
	}
}

// forgetObject removes every series of a deleted object.
func forgetObject(ns, kind, name string) {
	conditionState.DeletePartialMatch(prometheus.Labels{labelNamespace: ns, labelKind: kind, "name": name})
	switch kind {
	case v1.KindKPI:
		kpiValue.DeleteLabelValues(ns, name)
		kpiExpected.DeleteLabelValues(ns, name)
		kpiTarget.DeleteLabelValues(ns, name)
	case v1.KindObjective:
		objectiveScore.DeletePartialMatch(prometheus.Labels{labelNamespace: ns, "objective": name})
	case v1.KindPartnership:
		partnershipScore.DeleteLabelValues(ns, name)
		partnershipExpiry.DeletePartialMatch(prometheus.Labels{labelNamespace: ns, labelPartnership: name})
		partnershipNotice.DeletePartialMatch(prometheus.Labels{labelNamespace: ns, labelPartnership: name})
	case v1.KindPortfolio:
		portfolioScore.DeleteLabelValues(ns, name)
	}
}

// recordExpiries exports a partnership's compliance calendar, dropping
// the instruments it no longer lists.
func recordExpiries(ns, name string, expiries []v1.Expiry) {
	listed, noticed := map[v1.Instrument]bool{}, map[v1.Instrument]bool{}
	for _, e := range expiries {
		d, err := time.Parse(time.DateOnly, string(e.ExpiryDate))
		if err != nil {
			continue
		}
		listed[e.Instrument] = true
		partnershipExpiry.WithLabelValues(ns, name, string(e.Instrument)).Set(float64(d.AddDate(0, 0, 1).Unix()))
		if n, err := time.Parse(time.DateOnly, string(e.NoticeDate)); err == nil {
			noticed[e.Instrument] = true
			partnershipNotice.WithLabelValues(ns, name, string(e.Instrument)).Set(float64(n.Unix()))
		}
	}
	for _, i := range []v1.Instrument{v1.InstrumentAgreement, v1.InstrumentBAA, v1.InstrumentDSA} {
		if !listed[i] {
			partnershipExpiry.DeleteLabelValues(ns, name, string(i))
		}
		if !noticed[i] {
			partnershipNotice.DeleteLabelValues(ns, name, string(i))
		}
	}
}
