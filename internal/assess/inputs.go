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

package assess

import (
	"fmt"
	"math"
	"slices"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// This file converts API objects into the plain inputs of the evaluate
// package, and condition sets back into verdicts.

// Defaults: an object from the API server, or read by accordctl (which
// applies the CRDs' defaults with schemacheck.Checker.Default), holds
// every defaulted field, so the conversions below need no defaults of
// their own. They still fall back, for an object built in Go that took
// neither path, but only to the api package's Default* constants, which a
// test holds equal to the CRD markers: one default per field, not a
// second table here that could drift from the CRDs.

func quantity(q *resource.Quantity) float64 {
	if q == nil {
		return 0
	}
	return q.AsApproximateFloat64()
}

// KPISpec converts a KPI's spec; an error names the offending field.
func KPISpec(k *v1.KPI) (evaluate.KPISpec, error) {
	s := k.Spec
	bd, err := evaluate.ParseDate(string(s.Baseline.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.baseline.date: %w", err)
	}
	td, err := evaluate.ParseDate(string(s.Target.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.target.date: %w", err)
	}
	// Without maxAge, freshness follows the period (evaluate.KPI).
	var maxAge, lag time.Duration
	if s.MaxAge != "" {
		if maxAge, err = evaluate.ParseDuration(string(s.MaxAge)); err != nil {
			return evaluate.KPISpec{}, fmt.Errorf("spec.maxAge: %w", err)
		}
	}
	if s.ReportingLag != "" {
		if lag, err = evaluate.ParseDuration(string(s.ReportingLag)); err != nil {
			return evaluate.KPISpec{}, fmt.Errorf("spec.reportingLag: %w", err)
		}
	}
	n := int(s.BreachesBeforeAtRisk)
	if n < 1 {
		n = int(v1.DefaultBreachesBeforeAtRisk)
	}
	var minDen float64
	if s.MinDenominator != nil {
		minDen = float64(*s.MinDenominator)
	}
	out := evaluate.KPISpec{
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
		RatePer:              quantity(s.RatePer),
		Confidence:           quantity(s.Confidence),
		MinDenominator:       minDen,
		DenominatorLabel:     s.DenominatorLabel,
		Period:               evaluate.MeasurementPeriod(s.Period),
		ReportingLag:         lag,
	}
	recordedContractTarget(k, &out)
	return out, nil
}

// FieldError is a problem with one field of an object's spec.
type FieldError struct {
	// Field is the path, e.g. "spec.reported[2].value".
	Field string
	// Detail says what is wrong and what is allowed.
	Detail string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Detail }

// ReportedObservations turns the values committed in git into
// observations, each at the end of its period. A rate's value is taken
// from its counts; a value written next to them must agree with them to
// the decimals written (the CRD checks it too; this names the item).
func ReportedObservations(k *v1.KPI) ([]evaluate.Observation, error) {
	ratePer := quantity(k.Spec.RatePer)
	out := make([]evaluate.Observation, 0, len(k.Spec.Reported))
	for i, r := range k.Spec.Reported {
		t, err := evaluate.ParseDate(string(r.PeriodEnd))
		if err != nil {
			return nil, &FieldError{fmt.Sprintf("spec.reported[%d].periodEnd", i), err.Error()}
		}
		o := evaluate.Observation{Time: t}
		if r.PeriodStart != "" {
			if o.PeriodStart, err = evaluate.ParseDate(string(r.PeriodStart)); err != nil {
				return nil, &FieldError{fmt.Sprintf("spec.reported[%d].periodStart", i), err.Error()}
			}
		}
		if r.Numerator != nil && r.Denominator != nil {
			o.Counts = &evaluate.Counts{Numerator: float64(*r.Numerator), Denominator: float64(*r.Denominator)}
			v, err := evaluate.RateValue(o, ratePer)
			if err != nil {
				return nil, &FieldError{fmt.Sprintf("spec.reported[%d]", i), err.Error()}
			}
			o.Value = v
			if r.Value != nil && !agrees(r.Value, v) {
				return nil, &FieldError{fmt.Sprintf("spec.reported[%d].value", i), fmt.Sprintf("%s does not agree with numerator / denominator x spec.ratePer = %s to the decimals written",
					r.Value.AsDec().String(), evaluate.FormatNumber(v))}
			}
		} else if r.Value != nil {
			o.Value = r.Value.AsApproximateFloat64()
		} else {
			return nil, &FieldError{fmt.Sprintf("spec.reported[%d].value", i), "required unless numerator and denominator are given"}
		}
		if !evaluate.Representable(o.Value) {
			return nil, &FieldError{fmt.Sprintf("spec.reported[%d].value", i), fmt.Sprintf("beyond %g either side of zero, which no KPI measures: check the value reported for the period ending %s",
				evaluate.MaxMagnitude, r.PeriodEnd)}
		}
		out = append(out, o)
	}
	slices.SortStableFunc(out, func(a, b evaluate.Observation) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// agrees says whether the written value q is v rounded to q's decimals:
// "17.5" and "18" agree with 17.5, "17.2" does not.
func agrees(q *resource.Quantity, v float64) bool {
	// The decimal's scale is the decimals written ("17.50" may read as
	// 17.5, which only makes the check laxer).
	decimals := max(0, int(q.AsDec().Scale()))
	half := 0.5 * math.Pow(10, -float64(decimals))
	return math.Abs(q.AsApproximateFloat64()-v) <= half+1e-9
}

// RateInputs converts observations into the KPI's values: counts to
// numerator / denominator x ratePer, scores to the KPI's scale. An
// observation that cannot be read unambiguously is dropped and becomes
// the KPI's MalformedResponse problem (when it has no other), so that a
// 0.643 is never judged as 0.643%.
//
// A KPI without spec.ratePer whose unit is "%" reads a score or counts as
// a percentage (its unit says so); it is still judged as a plain value.
func RateInputs(kpi *v1.KPI, spec evaluate.KPISpec, obs []evaluate.Observation, problem *DataProblem) ([]evaluate.Observation, *DataProblem) {
	ratePer := kpiRatePer(spec)
	out := obs[:0:0]
	for _, o := range obs {
		if o.Counts != nil && o.Counts.Numerator < 0 {
			// A numerator kept out of the history as a small cell.
			if ratePer <= 0 {
				o.Counts = nil
			} else {
				c := *o.Counts
				c.Numerator = math.Round(o.Value * c.Denominator / ratePer)
				o.Counts = &c
			}
		}
		if o.Counts == nil && o.Scale == "" && o.Currency == "" {
			out = append(out, o)
			continue
		}
		v, err := evaluate.KPIValue(o, ratePer, spec.Unit)
		if err != nil {
			if problem == nil {
				src := ""
				if kpi.Spec.Source != nil {
					src = fmt.Sprintf("MetricSource %q: ", kpi.Spec.Source.SourceRef.Name)
				}
				problem = &DataProblem{Reason: evaluate.ReasonMalformedResponse, Message: fmt.Sprintf("%sthe value for %s cannot be read: %s", src, o.Time.UTC().Format(time.DateOnly), err.Error())}
			}
			continue
		}
		o.Value, o.Scale, o.Currency = v, "", ""
		out = append(out, o)
	}
	return out, problem
}

// HistoryObservations reads the observations kept in a KPI's status.
func HistoryObservations(h []v1.KPISample) []evaluate.Observation {
	out := make([]evaluate.Observation, 0, len(h))
	for _, s := range h {
		q, err := resource.ParseQuantity(s.Value)
		if err != nil {
			continue // a value the operator did not write; ignore it
		}
		o := evaluate.Observation{Time: s.Time.UTC(), Value: q.AsApproximateFloat64()}
		if s.PeriodStart != nil {
			o.PeriodStart = s.PeriodStart.UTC()
		}
		o.SmallCell = s.SmallCell
		if s.Denominator != nil {
			c := &evaluate.Counts{Denominator: float64(*s.Denominator)}
			if s.Numerator != nil {
				c.Numerator = float64(*s.Numerator)
			} else {
				// Suppressed (1 to 10): RateInputs recovers it from the
				// value, which rounds back to the count.
				c.Numerator = -1
			}
			o.Counts = c
		}
		out = append(out, o)
	}
	return out
}

// MergeObservation adds o to history unless an observation with its time
// is already kept, so re-reading an unchanged source changes nothing.
func MergeObservation(history []evaluate.Observation, o evaluate.Observation) []evaluate.Observation {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Time.Equal(o.Time) {
			history[i] = o
			return history
		}
	}
	out := append(history, o)
	for i := len(out) - 1; i > 0 && out[i].Time.Before(out[i-1].Time); i-- {
		out[i], out[i-1] = out[i-1], out[i]
	}
	return out
}

// toHistory keeps the newest limit observations, oldest first, with a
// rate's counts except those from 1 to 10 (small cells never reach the
// status; such a numerator is recovered from the value, and a period with
// such a denominator is marked SmallCell, too small to judge then and in
// every later evaluation).
func toHistory(obs []evaluate.Observation, limit int32) []v1.KPISample {
	if limit < 2 {
		limit = v1.DefaultHistoryLimit
	}
	if len(obs) > int(limit) {
		obs = obs[len(obs)-int(limit):]
	}
	out := make([]v1.KPISample, 0, len(obs))
	for _, o := range obs {
		s := v1.KPISample{Time: metav1.NewTime(o.Time), Value: evaluate.FormatNumber(o.Value)}
		if !o.PeriodStart.IsZero() {
			s.PeriodStart = new(metav1.NewTime(o.PeriodStart))
		}
		s.SmallCell = o.SmallCell || (o.Counts != nil && evaluate.SmallCell(o.Counts.Denominator))
		if c := o.Counts; c != nil && !evaluate.SmallCell(c.Denominator) && c.Denominator > 0 {
			s.Denominator = new(int64(math.Round(c.Denominator)))
			if !evaluate.SmallCell(c.Numerator) {
				s.Numerator = new(int64(math.Round(c.Numerator)))
			}
		}
		out = append(out, s)
	}
	return out
}

// HealthOf reads a verdict back from an object's Healthy and AtRisk
// conditions, as the evaluate package defines them.
func HealthOf(conds []metav1.Condition) evaluate.Health {
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

// MessageOf is the message of the condition that explains the verdict.
func MessageOf(conds []metav1.Condition) string {
	if c := meta.FindStatusCondition(conds, v1.ConditionAtRisk); c != nil && c.Status == metav1.ConditionTrue {
		return c.Message
	}
	if c := meta.FindStatusCondition(conds, v1.ConditionHealthy); c != nil {
		return c.Message
	}
	return ""
}

// period reads p, or def (an api Default* constant) when p is empty or
// cannot be read.
func period(p, def v1.Period) evaluate.Period {
	if parsed, err := evaluate.ParsePeriod(string(p)); p != "" && err == nil {
		return parsed
	}
	parsed, err := evaluate.ParsePeriod(string(def))
	if err != nil {
		panic(fmt.Sprintf("api default period %q does not parse: %v", def, err)) // a constant, checked by its test
	}
	return parsed
}

// PartnershipSpec converts a partnership's spec.
func PartnershipSpec(p *v1.Partnership) (evaluate.PartnershipSpec, error) {
	a := p.Spec.Agreement
	if p.Spec.DesiredPhase == v1.PhaseProspect && a.EffectiveDate == "" {
		// No terms yet: nothing to read.
		return evaluate.PartnershipSpec{DesiredPhase: evaluate.PhaseProspect}, nil
	}
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
	ds := evaluate.DataSharingSpec{SharesPHI: a.DataSharing.SharesPHI, BAARef: a.DataSharing.BAARef}
	if ds.BAA, err = instrumentSpec("spec.agreement.dataSharing.baaTerm", a.DataSharing.BAARef, a.DataSharing.BAATerm); err != nil {
		return evaluate.PartnershipSpec{}, err
	}
	if ds.DSA, err = instrumentSpec("spec.agreement.dataSharing.dsaTerm", a.DataSharing.DSARef, a.DataSharing.DSATerm); err != nil {
		return evaluate.PartnershipSpec{}, err
	}
	return evaluate.PartnershipSpec{
		Agreement:     evaluate.AgreementSpec{Effective: eff, Expiry: exp, RenewalNoticeDays: notice, AutoRenew: a.AutoRenew},
		ReviewCadence: period(p.Spec.ReviewCadence, v1.DefaultReviewCadence),
		EscalateAfter: period(p.Spec.EscalateAfter, v1.DefaultEscalateAfter),
		DesiredPhase:  evaluate.Phase(p.Spec.DesiredPhase),
		DataSharing:   ds,
	}, nil
}

// instrumentSpec reads a BAA's or DSA's term; nil when not declared.
func instrumentSpec(field, ref string, t *v1.InstrumentTerm) (*evaluate.InstrumentSpec, error) {
	if t == nil {
		return nil, nil
	}
	in := &evaluate.InstrumentSpec{Ref: ref, NoticeDays: t.NoticeDays}
	if in.NoticeDays == 0 {
		in.NoticeDays = v1.DefaultNoticeDays
	}
	var err error
	if in.Effective, err = evaluate.ParseDate(string(t.EffectiveDate)); err != nil {
		return nil, fmt.Errorf("%s.effectiveDate: %w", field, err)
	}
	if t.ExpiryDate != "" {
		if in.Expiry, err = evaluate.ParseDate(string(t.ExpiryDate)); err != nil {
			return nil, fmt.Errorf("%s.expiryDate: %w", field, err)
		}
	}
	return in, nil
}

// ReviewView is what a partnership sees of a review; false when the
// review's date cannot be read.
func ReviewView(r *v1.Review) (evaluate.ReviewView, bool) {
	d, err := evaluate.ParseDate(string(r.Spec.Date))
	if err != nil {
		return evaluate.ReviewView{}, false
	}
	v := evaluate.ReviewView{Name: r.Name, Date: d, Decision: string(r.Spec.Decision)}
	if r.Spec.ExitDate != "" {
		v.ExitDate, _ = evaluate.ParseDate(string(r.Spec.ExitDate))
	}
	for _, f := range r.Spec.FollowUps {
		fv := evaluate.FollowUpView{Action: f.Action, Owner: f.Owner, State: string(f.State)}
		if f.Due != "" {
			fv.Due, _ = evaluate.ParseDate(string(f.Due))
		}
		v.FollowUps = append(v.FollowUps, fv)
	}
	for _, u := range r.Spec.FollowUpUpdates {
		v.Updates = append(v.Updates, evaluate.FollowUpUpdate{Review: u.Review, Action: u.Action, State: string(u.State)})
	}
	return v, true
}

// ObjectiveSpec converts an objective's spec.
func ObjectiveSpec(o *v1.Objective) evaluate.ObjectiveSpec {
	deadline, _ := evaluate.ParseDate(string(o.Spec.Deadline))
	threshold := v1.DefaultAtRiskBelow
	if o.Spec.AtRiskBelow != nil {
		threshold = *o.Spec.AtRiskBelow
	}
	return evaluate.ObjectiveSpec{Deadline: deadline, AtRiskBelow: threshold}
}

// KPIView is what an objective sees of the KPI a reference names; kpi is
// nil when it does not exist.
func KPIView(ref v1.ObjectiveKPI, kpi *v1.KPI) evaluate.KPIView {
	v := evaluate.KPIView{Name: ref.Name, Weight: ref.Weight, Critical: ref.Critical, Health: evaluate.Unknown}
	if kpi != nil {
		v.Found = true
		v.Health = HealthOf(kpi.Status.Conditions)
		v.Score = copyScore(kpi.Status.Score)
		v.AttainmentPercent = kpi.Status.AttainmentPercent
		v.Message = MessageOf(kpi.Status.Conditions)
		if kpi.Status.TargetMetDate != "" {
			v.TargetMetSince, _ = evaluate.ParseDate(string(kpi.Status.TargetMetDate))
		}
	}
	return v
}

// ObjectiveView is what a partnership sees of one of its objectives.
func ObjectiveView(o *v1.Objective) evaluate.ObjectiveView {
	return evaluate.ObjectiveView{Name: o.Name, Health: HealthOf(o.Status.Conditions), Score: copyScore(o.Status.Score), Message: MessageOf(o.Status.Conditions)}
}

// PartnershipItem is what a portfolio sees of a partnership.
func PartnershipItem(p *v1.Partnership) evaluate.Item {
	return evaluate.Item{
		Kind: "Partnership", Name: p.Name, Health: HealthOf(p.Status.Conditions), Score: copyScore(p.Status.Score),
		Message: MessageOf(p.Status.Conditions), ReviewDue: meta.IsStatusConditionTrue(p.Status.Conditions, v1.ConditionReviewDue),
		Objectives: p.Status.Objectives.Total, Exited: p.Status.Phase == v1.PhaseExited,
		Prospect: p.Status.Phase == v1.PhaseProspect,
	}
}

// ObjectiveItem is what a portfolio sees of an objective.
func ObjectiveItem(o *v1.Objective) evaluate.Item {
	return evaluate.Item{Kind: "Objective", Name: o.Name, Health: HealthOf(o.Status.Conditions), Score: copyScore(o.Status.Score), Message: MessageOf(o.Status.Conditions)}
}

// KPIItem is what a portfolio sees of a KPI.
func KPIItem(k *v1.KPI) evaluate.Item {
	return evaluate.Item{Kind: "KPI", Name: k.Name, Health: HealthOf(k.Status.Conditions), Score: copyScore(k.Status.Score), Message: MessageOf(k.Status.Conditions)}
}

// copyScore copies a score so that a view never shares memory with the
// object it was read from: roll-ups read children straight from the
// informer cache, and a parent's status must not point into it.
func copyScore(s *int32) *int32 {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

func date(t time.Time) v1.Date {
	if t.IsZero() {
		return ""
	}
	return v1.Date(t.UTC().Format(time.DateOnly))
}
