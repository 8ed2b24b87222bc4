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
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// ReasonContractTermMissing: Ready=False and MetricsAvailable=False on a
// KPI whose spec.source.contractTarget names a threshold the latest
// report does not give (or that cannot be read on the KPI's scale).
const ReasonContractTermMissing = "ContractTermMissing"

// dayWords is how a contract's dates read in messages: "30 May 2023".
const dayWords = "2 January 2006"

// contractTerms records in status the contract terms of the newest
// observation that carries them (kept from earlier evaluations when the
// latest fetch failed), and for a KPI with spec.source.contractTarget
// sets spec's target to the named threshold. It returns the problem that
// keeps the KPI from being judged, nil when there is none.
func contractTerms(kpi *v1.KPI, spec *evaluate.KPISpec, obs []evaluate.Observation) *DataProblem {
	for _, o := range slices.Backward(obs) {
		if o.Contract != nil {
			kpi.Status.Contract = ContractStatus(o.Contract, o.Time, *spec)
			break
		}
	}
	var ct *v1.ContractTarget
	if kpi.Spec.Source != nil {
		ct = kpi.Spec.Source.ContractTarget
	}
	st := kpi.Status.Contract
	if ct == nil {
		if st != nil {
			st.TargetThresholdType, st.Target = "", ""
		}
		return nil
	}
	src := fmt.Sprintf("MetricSource %q: ", kpi.Spec.Source.SourceRef.Name)
	if st == nil {
		return &DataProblem{ReasonContractTermMissing, src + fmt.Sprintf(
			"the MeasureReport carries no value-based contract terms (the HL7 Da Vinci VBPR threshold extension), so there is no %q threshold to take the target from (spec.source.contractTarget.thresholdType)", ct.ThresholdType), true}
	}
	st.TargetThresholdType, st.Target = "", ""
	var given []string
	for _, t := range st.Thresholds {
		if t.Type != ct.ThresholdType {
			given = append(given, fmt.Sprintf("%s (%s)", thresholdName(t), t.Type))
			continue
		}
		q, err := resource.ParseQuantity(t.Value)
		if err != nil {
			return &DataProblem{ReasonContractTermMissing, src + fmt.Sprintf(
				"the contract's %s threshold, %s, cannot be read on this KPI's scale: a percentage needs spec.unit \"%%\" or spec.ratePer", thresholdName(t), t.Reported), true}
		}
		spec.Target = q.AsApproximateFloat64()
		st.TargetThresholdType, st.Target = t.Type, t.Value
		return nil
	}
	what := "no thresholds"
	if len(given) > 0 {
		what = "only " + strings.Join(given, ", ")
	}
	return &DataProblem{ReasonContractTermMissing, src + fmt.Sprintf(
		"the MeasureReport%s gives no %q threshold (spec.source.contractTarget.thresholdType); it gives %s", reportOf(st), ct.ThresholdType, what), true}
}

func reportOf(st *v1.ContractStatus) string {
	if st.ReportDate == "" {
		return ""
	}
	if d, err := evaluate.ParseDate(string(st.ReportDate)); err == nil {
		return " of " + d.Format(dayWords)
	}
	return ""
}

func thresholdName(t v1.ContractThresholdStatus) string {
	if t.Display != "" {
		return t.Display
	}
	return t.Type
}

// recordedContractTarget sets the target of a KPI that takes it from the
// contract to the threshold its status recorded, so that every reader of
// KPISpec (charts, metrics, accordctl) sees the target in force; the
// evaluation then reads it again from the newest report (contractTerms).
func recordedContractTarget(k *v1.KPI, spec *evaluate.KPISpec) {
	st := k.Status.Contract
	if k.Spec.Source == nil || k.Spec.Source.ContractTarget == nil || st == nil ||
		st.TargetThresholdType != k.Spec.Source.ContractTarget.ThresholdType {
		return
	}
	if q, err := resource.ParseQuantity(st.Target); err == nil {
		spec.Target = q.AsApproximateFloat64()
	}
}

// ContractNote is the sentence a KPI's conditions add to name where its
// target comes from, "" when it is not taken from the contract.
func ContractNote(kpi *v1.KPI) string {
	st := kpi.Status.Contract
	if st == nil || st.TargetThresholdType == "" {
		return ""
	}
	for _, t := range st.Thresholds {
		if t.Type == st.TargetThresholdType {
			q, err := resource.ParseQuantity(st.Target)
			if err != nil {
				return ""
			}
			return fmt.Sprintf("Target %s (the contract's %s threshold, report%s).",
				evaluate.FormatValue(q.AsApproximateFloat64(), kpi.Spec.Unit), thresholdName(t), reportOf(st))
		}
	}
	return ""
}

// ContractStatus turns a report's contract terms into the status a KPI
// keeps: thresholds and baseline as written and, for thresholds, on the
// KPI's scale, converted as the score is (RateValue), so that a 0-1
// score and a threshold in percent are never compared raw. The gap to a
// threshold is left out: the guide's examples give it as a count of
// patients, and a count from 1 to 10 must not reach the status.
func ContractStatus(c *evaluate.Contract, periodEnd time.Time, spec evaluate.KPISpec) *v1.ContractStatus {
	st := &v1.ContractStatus{}
	if !c.ReportDate.IsZero() {
		st.ReportDate = v1.Date(c.ReportDate.Format(time.DateOnly))
	}
	if !periodEnd.IsZero() {
		st.PeriodEnd = v1.Date(periodEnd.UTC().Format(time.DateOnly))
	}
	ratePer := kpiRatePer(spec)
	for _, t := range c.Thresholds {
		ts := v1.ContractThresholdStatus{Type: t.Type, Display: t.TypeDisplay, Reported: written(t.ContractValue)}
		if v, err := evaluate.RateValue(evaluate.Observation{Value: t.Value, Scale: t.Scale}, ratePer); err == nil {
			ts.Value = exact(v)
		}
		st.Thresholds = append(st.Thresholds, ts)
		if len(st.Thresholds) == 20 {
			break
		}
	}
	if c.StarScore != nil {
		st.StarScore = evaluate.FormatNumber(*c.StarScore)
	}
	if b := c.Baseline; b != nil {
		st.Baseline = &v1.ContractBaselineStatus{Reported: written(b.ContractValue)}
		if !b.PeriodStart.IsZero() {
			st.Baseline.PeriodStart = v1.Date(b.PeriodStart.Format(time.DateOnly))
		}
		if !b.PeriodEnd.IsZero() {
			st.Baseline.PeriodEnd = v1.Date(b.PeriodEnd.Format(time.DateOnly))
		}
	}
	for _, p := range c.PaymentStreams {
		st.PaymentStreams = append(st.PaymentStreams, v1.PaymentStreamStatus{Type: p.Type, Display: p.TypeDisplay, Incentive: p.IncentiveDisplay})
		if len(st.PaymentStreams) == 20 {
			break
		}
	}
	if m := c.Component; m != nil {
		st.Component = &v1.ContractComponentStatus{Contract: m.Contract, Display: m.Display, Status: m.Status}
		if m.Weight != nil {
			st.Component.Weight = evaluate.FormatNumber(*m.Weight)
		}
		if m.ContractualWeight > 0 {
			st.Component.ContractualWeight = evaluate.FormatNumber(m.ContractualWeight)
		}
	}
	return st
}

// ComponentSentence says what the contract's Measure says of the KPI's
// measure, "" when the KPI does not read it: "In Example Value-Based
// Contract - ABC Payer and GoodHealth, Diabetes Care - Blood Sugar
// Controlled weighs 3 of the contractual measures' 18 and is
// contractual."
func ComponentSentence(st *v1.ContractStatus) string {
	if st == nil || st.Component == nil {
		return ""
	}
	m := st.Component
	name := m.Display
	if name == "" {
		name = "this measure"
	}
	in := ""
	if m.Contract != "" {
		in = "In " + m.Contract + ", "
	} else {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	var parts []string
	switch {
	case m.Weight != "" && m.ContractualWeight != "":
		parts = append(parts, fmt.Sprintf("weighs %s of the contractual measures' %s", m.Weight, m.ContractualWeight))
	case m.Weight != "":
		parts = append(parts, "weighs "+m.Weight)
	}
	switch m.Status {
	case "contractual":
		parts = append(parts, "counts towards payment (contractual)")
	case "contractual-alternate":
		parts = append(parts, "counts towards payment in place of another measure (contractual alternate)")
	case "reporting-only":
		parts = append(parts, "is reported only and counts towards no payment (reporting only)")
	case "":
	default:
		parts = append(parts, "has contractual status "+m.Status)
	}
	if len(parts) == 0 {
		return in + name + " is one of the contract's measures."
	}
	return in + name + " " + strings.Join(parts, " and ") + "."
}

// kpiRatePer is the multiplier a KPI's rates are read with: spec.ratePer,
// or 100 on a KPI in "%" (see RateInputs).
func kpiRatePer(spec evaluate.KPISpec) float64 {
	if spec.RatePer <= 0 && spec.Unit == "%" {
		return 100
	}
	return spec.RatePer
}

// exact writes a threshold to six decimals: FormatNumber's two would
// move a 0-1 proportion's threshold (0.835 is not 0.84), and the target
// is read back from this text when a later fetch fails.
func exact(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e6)/1e6, 'f', -1, 64)
}

// written is a contract value as its report wrote it: "83%", "250 /10*3".
func written(v evaluate.ContractValue) string {
	return evaluate.FormatValue(v.Value, v.Unit)
}

// ContractChanges says, one sentence each, how the contract's terms
// moved between two evaluations: "the Star 4 threshold moved from 83% to
// 85%". The first terms a KPI sees are no change.
func ContractChanges(old, cur *v1.ContractStatus) []string {
	if old == nil || cur == nil {
		return nil
	}
	var out []string
	was := map[string]v1.ContractThresholdStatus{}
	for _, t := range old.Thresholds {
		was[t.Type] = t
	}
	now := map[string]bool{}
	for _, t := range cur.Thresholds {
		now[t.Type] = true
		w, ok := was[t.Type]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("the contract now gives a %s threshold of %s", thresholdName(t), t.Reported))
		case w.Reported != t.Reported:
			out = append(out, fmt.Sprintf("the %s threshold moved from %s to %s", thresholdName(t), w.Reported, t.Reported))
		}
	}
	for _, t := range old.Thresholds {
		if !now[t.Type] {
			out = append(out, fmt.Sprintf("the contract no longer gives a %s threshold (it was %s)", thresholdName(t), t.Reported))
		}
	}
	switch ob, cb := old.Baseline, cur.Baseline; {
	case ob != nil && cb != nil && ob.Reported != cb.Reported:
		out = append(out, fmt.Sprintf("the contract's baseline moved from %s to %s", ob.Reported, cb.Reported))
	case ob == nil && cb != nil:
		out = append(out, "the contract now gives a baseline of "+cb.Reported)
	}
	if streams(old.PaymentStreams) != streams(cur.PaymentStreams) && len(cur.PaymentStreams) > 0 {
		out = append(out, "the payment streams are now "+streams(cur.PaymentStreams))
	}
	return out
}

// streams names payment streams for people: "Quality incentive payment
// (Chronic care management), Care coordination fee".
func streams(ps []v1.PaymentStreamStatus) string {
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		n := p.Display
		if n == "" {
			n = p.Type
		}
		if p.Incentive != "" {
			n += " (" + p.Incentive + ")"
		}
		names = append(names, n)
	}
	return strings.Join(names, ", ")
}
