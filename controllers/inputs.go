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
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// This file converts API objects into the plain inputs of the evaluate
// package, and condition sets back into verdicts.

func quantity(q *resource.Quantity) float64 {
	if q == nil {
		return 0
	}
	return q.AsApproximateFloat64()
}

// kpiSpec converts a KPI's spec; an error names the offending field.
func kpiSpec(k *v1.KPI) (evaluate.KPISpec, error) {
	s := k.Spec
	bd, err := evaluate.ParseDate(string(s.Baseline.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.baseline.date: %w", err)
	}
	td, err := evaluate.ParseDate(string(s.Target.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.target.date: %w", err)
	}
	maxAge := time.Duration(0)
	if s.MaxAge != "" {
		if maxAge, err = evaluate.ParseDuration(string(s.MaxAge)); err != nil {
			return evaluate.KPISpec{}, fmt.Errorf("spec.maxAge: %w", err)
		}
	}
	n := int(s.BreachesBeforeAtRisk)
	if n < 1 {
		n = 2
	}
	return evaluate.KPISpec{
		DisplayName:          s.DisplayName,
		Unit:                 s.Unit,
		Direction:            evaluate.Direction(s.Direction),
		BaselineDate:         bd,
		Baseline:             s.Baseline.Value.AsApproximateFloat64(),
		TargetDate:           td,
		Target:               quantity(s.Target.Value),
		TargetMin:            quantity(s.Target.Min),
		TargetMax:            quantity(s.Target.Max),
		Tolerance:            quantity(s.Tolerance),
		MaxAge:               maxAge,
		BreachesBeforeAtRisk: n,
	}, nil
}

// reportedObservations turns the values committed in git into
// observations, each at the end of its period.
func reportedObservations(k *v1.KPI) ([]evaluate.Observation, error) {
	out := make([]evaluate.Observation, 0, len(k.Spec.Reported))
	for i, r := range k.Spec.Reported {
		t, err := evaluate.ParseDate(string(r.PeriodEnd))
		if err != nil {
			return nil, fmt.Errorf("spec.reported[%d].periodEnd: %w", i, err)
		}
		out = append(out, evaluate.Observation{Time: t, Value: r.Value.AsApproximateFloat64()})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out, nil
}

// historyObservations reads the observations kept in a KPI's status.
func historyObservations(h []v1.KPISample) []evaluate.Observation {
	out := make([]evaluate.Observation, 0, len(h))
	for _, s := range h {
		q, err := resource.ParseQuantity(s.Value)
		if err != nil {
			continue // a value the operator did not write; ignore it
		}
		out = append(out, evaluate.Observation{Time: s.Time.UTC(), Value: q.AsApproximateFloat64()})
	}
	return out
}

// toHistory keeps the newest limit observations, oldest first.
func toHistory(obs []evaluate.Observation, limit int32) []v1.KPISample {
	if limit < 2 {
		limit = 30
	}
	if len(obs) > int(limit) {
		obs = obs[len(obs)-int(limit):]
	}
	out := make([]v1.KPISample, 0, len(obs))
	for _, o := range obs {
		out = append(out, v1.KPISample{Time: metav1.NewTime(o.Time), Value: evaluate.FormatNumber(o.Value)})
	}
	return out
}

// healthOf reads a verdict back from an object's Healthy and AtRisk
// conditions, as the evaluate package defines them.
func healthOf(conds []metav1.Condition) evaluate.Health {
	healthy := meta.FindStatusCondition(conds, v1.ConditionHealthy)
	atRisk := meta.FindStatusCondition(conds, v1.ConditionAtRisk)
	switch {
	case atRisk != nil && atRisk.Status == metav1.ConditionTrue:
		return evaluate.AtRisk
	case healthy != nil && healthy.Status == metav1.ConditionTrue:
		return evaluate.Healthy
	case healthy != nil && healthy.Status == metav1.ConditionFalse && atRisk != nil && atRisk.Status == metav1.ConditionFalse:
		return evaluate.Breaching
	default:
		return evaluate.Unknown
	}
}

// messageOf is the message of the condition that explains the verdict.
func messageOf(conds []metav1.Condition) string {
	if c := meta.FindStatusCondition(conds, v1.ConditionAtRisk); c != nil && c.Status == metav1.ConditionTrue {
		return c.Message
	}
	if c := meta.FindStatusCondition(conds, v1.ConditionHealthy); c != nil {
		return c.Message
	}
	return ""
}

func period(p v1.Period, fallback evaluate.Period) evaluate.Period {
	if p == "" {
		return fallback
	}
	if parsed, err := evaluate.ParsePeriod(string(p)); err == nil {
		return parsed
	}
	return fallback
}

// partnershipSpec converts a partnership's spec.
func partnershipSpec(p *v1.Partnership) (evaluate.PartnershipSpec, error) {
	a := p.Spec.Agreement
	eff, err := evaluate.ParseDate(string(a.EffectiveDate))
	if err != nil {
		return evaluate.PartnershipSpec{}, fmt.Errorf("spec.agreement.effectiveDate: %w", err)
	}
	var exp time.Time
	if a.ExpiryDate != "" {
		if exp, err = evaluate.ParseDate(string(a.ExpiryDate)); err != nil {
			return evaluate.PartnershipSpec{}, fmt.Errorf("spec.agreement.expiryDate: %w", err)
		}
	}
	var notice int32
	if a.RenewalNoticeDays != nil {
		notice = *a.RenewalNoticeDays
	}
	return evaluate.PartnershipSpec{
		Agreement:     evaluate.AgreementSpec{Effective: eff, Expiry: exp, RenewalNoticeDays: notice},
		ReviewCadence: period(p.Spec.ReviewCadence, evaluate.Period{Months: 3}),
		EscalateAfter: period(p.Spec.EscalateAfter, evaluate.Period{Days: 30}),
		DesiredPhase:  string(p.Spec.DesiredPhase),
	}, nil
}

func reviewView(r *v1.Review) (evaluate.ReviewView, bool) {
	d, err := evaluate.ParseDate(string(r.Spec.Date))
	if err != nil {
		return evaluate.ReviewView{}, false
	}
	v := evaluate.ReviewView{Name: r.Name, Date: d, Decision: string(r.Spec.Decision)}
	if r.Spec.ExitDate != "" {
		v.ExitDate, _ = evaluate.ParseDate(string(r.Spec.ExitDate))
	}
	return v, true
}

func date(t time.Time) v1.Date {
	if t.IsZero() {
		return ""
	}
	return v1.Date(t.UTC().Format(time.DateOnly))
}
