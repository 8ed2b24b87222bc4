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

// Package evaluate is Accord's judgement, as pure functions with an
// injected "now": the glide path from a KPI's baseline to its target, flap
// damping, staleness, trend projection and attainment; objective scores
// from weighted KPIs; partnership roll-ups with agreement state and
// ReviewDue; portfolio roll-ups. It knows nothing about clients or
// clusters, so every rule is tested without one.
//
// Inputs are plain Go values converted from the API types by package
// assess (shared by the reconcilers and accordctl), so that the arithmetic
// is float64 and dates are time.Time here and nowhere else.
package evaluate

import (
	"reflect"
	"time"
)

// Direction says which way a KPI should move.
type Direction string

// Directions, as in the API.
const (
	HigherIsBetter Direction = "HigherIsBetter"
	LowerIsBetter  Direction = "LowerIsBetter"
	InRange        Direction = "InRange"
)

// Health is the verdict on a KPI, objective, partnership or portfolio.
type Health string

// Health values. Breaching is a KPI worse than tolerance for fewer than the
// required number of measurement periods in a row: not Healthy, not yet AtRisk.
const (
	Healthy   Health = "Healthy"
	Breaching Health = "Breaching"
	AtRisk    Health = "AtRisk"
	Unknown   Health = "Unknown"
)

// Observation is one value of a KPI at the time it was observed.
type Observation struct {
	// Time is when the value was observed; for a value that covers a
	// measurement period it is the period's end.
	Time  time.Time
	Value float64
	// Counts, when not nil, are the numerator and denominator behind a
	// rate, as the source or the reporter gave them.
	Counts *Counts
	// Scale says how a source expressed Value when it is a rate without
	// counts (a FHIR measureScore): as a 0-1 proportion, as a percentage,
	// or not said (ScaleUnstated). Sources that do not know leave it empty.
	Scale Scale
	// PeriodStart is the first instant the value covers, when the source
	// says (a FHIR MeasureReport's period.start, a reported periodStart).
	PeriodStart time.Time
	// SmallCell marks a rate's period whose denominator was from 1 to 10
	// and whose counts were therefore not kept (read back from a KPI's
	// status history): too small to judge, like a denominator below
	// spec.minDenominator.
	SmallCell bool
	// Contract holds the value-based contract's terms the source reported
	// with the value (thresholds, baseline, payment stream), or nil.
	Contract *Contract
	// Currency is the ISO 4217 code of a value that is an amount of money
	// (a FHIR Money score, such as an incentive earned), "" otherwise.
	// Such a value is read only by a KPI whose spec.unit is that code.
	Currency string
}

// Equal says whether o and p are the same reading: value, time, counts,
// scale, period start and contract terms. A rate's counts matter on their own: 7 of 40 and
// 14 of 80 are both 17.5% but are judged differently.
func (o Observation) Equal(p Observation) bool {
	if o.Value != p.Value || !o.Time.Equal(p.Time) || o.Scale != p.Scale || !o.PeriodStart.Equal(p.PeriodStart) || o.SmallCell != p.SmallCell ||
		o.Currency != p.Currency || !reflect.DeepEqual(o.Contract, p.Contract) {
		return false
	}
	if o.Counts == nil || p.Counts == nil {
		return o.Counts == nil && p.Counts == nil
	}
	return *o.Counts == *p.Counts
}

// Counts are the numerator and denominator of a rate: for a 30-day
// readmission rate, readmissions and discharges.
type Counts struct {
	Numerator   float64
	Denominator float64
}

// Scale is how a source expressed a rate's value.
type Scale string

// Scales of a rate's value.
const (
	// ScaleUnstated: the source gave a number without saying whether it
	// is a proportion or a percentage.
	ScaleUnstated Scale = "Unstated"
	// ScaleProportion: a number from 0 to 1.
	ScaleProportion Scale = "Proportion"
	// ScalePercent: a number from 0 to 100.
	ScalePercent Scale = "Percent"
)

// KPISpec is what the evaluation needs of a KPI's spec.
type KPISpec struct {
	DisplayName  string
	Unit         string
	Direction    Direction
	BaselineDate time.Time
	Baseline     float64
	TargetDate   time.Time
	// Target is used for HigherIsBetter and LowerIsBetter.
	Target float64
	// TargetMin and TargetMax bound an InRange KPI.
	TargetMin, TargetMax float64
	Tolerance            float64
	// MaxAge is how long the latest value stays fresh; 0 derives it from
	// the period and ReportingLag (see freshFor).
	MaxAge time.Duration
	// BreachesBeforeAtRisk is N: N breaching periods in a row make the KPI
	// AtRisk, and N good periods in a row make an AtRisk KPI Healthy
	// again. For a rate it is also the pooled window.
	BreachesBeforeAtRisk int
	// RatePer is the multiplier of a rate (100 for a percentage); 0 for a
	// KPI that is not a rate.
	RatePer float64
	// Confidence is the two-sided level of a rate's intervals; 0 means
	// DefaultConfidence.
	Confidence float64
	// MinDenominator: a rate's period with a smaller denominator is
	// InsufficientData.
	MinDenominator float64
	// DenominatorLabel is what the denominator counts, plural
	// ("discharges"), for messages; "cases" when empty.
	DenominatorLabel string
	// Period is what one value covers; empty when not declared.
	Period MeasurementPeriod
	// ReportingLag is how long after its period a value usually arrives.
	ReportingLag time.Duration
}

// MeasurementPeriod is what one value of a KPI covers.
type MeasurementPeriod string

// Measurement periods, as in the API.
const (
	PeriodMonth           MeasurementPeriod = "Month"
	PeriodQuarter         MeasurementPeriod = "Quarter"
	PeriodRolling12Months MeasurementPeriod = "Rolling12Months"
	PeriodMeasurementYear MeasurementPeriod = "MeasurementYear"
)

// KPIReason is the machine-readable cause of a KPI verdict; it becomes the
// Reason of the KPI's Healthy and AtRisk conditions.
type KPIReason string

// KPI reasons.
const (
	ReasonOnTrack          KPIReason = "OnTrack"          // latest value within tolerance of the glide path or better
	ReasonTargetMet        KPIReason = "TargetMet"        // latest value at or beyond the target (or inside the range)
	ReasonBehindPlan       KPIReason = "BehindPlan"       // worse than tolerance, fewer than N times in a row
	ReasonOffTrack         KPIReason = "OffTrack"         // worse than tolerance N times in a row (AtRisk)
	ReasonRecovering       KPIReason = "Recovering"       // AtRisk, latest good but fewer than N good in a row
	ReasonProjectedMiss    KPIReason = "ProjectedMiss"    // on track now, but the trend misses the target at the deadline
	ReasonWithinNoise      KPIReason = "WithinNoise"      // a rate worse than tolerance whose interval still holds the plan
	ReasonInsufficientData KPIReason = "InsufficientData" // the latest period's denominator is below minDenominator
	ReasonNoData           KPIReason = "NoData"           // no observations at all
	ReasonStaleData        KPIReason = "StaleData"        // latest observation older than MaxAge
)

// KPIResult is the verdict on a KPI at a moment.
type KPIResult struct {
	Health Health
	Reason KPIReason
	// Message is a sentence a programme manager can read, e.g. "30-day
	// readmission rate 17.2% on 2026-09-30 is above the 16.3% expected by
	// then (target 15.3% by 2027-06-30)".
	Message string
	// Latest is the newest observation, nil when there is none.
	Latest *Observation
	// ExpectedNow is the glide-path value today, at midnight UTC, so that
	// it moves once a day rather than with every evaluation (for InRange:
	// the upper bound when coming from above, the lower bound when coming
	// from below, the nearer bound otherwise).
	ExpectedNow float64
	// Projected is the least-squares trend of the observations, evaluated
	// at the target date; nil with fewer than 3 observations or for InRange.
	Projected *float64
	// ProjectedLow and ProjectedHigh bound the prediction interval of the
	// projection at the target date; nil with Projected.
	ProjectedLow, ProjectedHigh *float64
	// AttainmentPercent is how far the latest value has moved from the
	// baseline toward the target, 0 at the baseline and 100 at the target
	// (negative when worse than the baseline, above 100 when beyond the
	// target); nil without data. InRange: 100 inside the range.
	AttainmentPercent *int32
	// Score is 0 to 100 for weighting in objectives: 100 within tolerance
	// of the glide path or better, else 100 x actual progress / expected
	// progress clamped to [0, 99]; nil when Health is Unknown.
	Score *int32
	// ConsecutiveBreaches counts the newest observations in a row that are
	// worse than tolerance.
	ConsecutiveBreaches int32
	// NextChange is the next moment the verdict can change without new
	// data (the staleness deadline); zero when none.
	NextChange time.Time
	// TargetMetSince is when the KPI crossed its target: the time of the
	// first of the latest run of observations at or beyond it (inside the
	// range for InRange); zero while the latest value misses it.
	TargetMetSince time.Time
}

// KPIView is what an objective sees of one of its KPIs.
type KPIView struct {
	Name     string
	Weight   int32
	Critical bool
	// Found is false when the referenced KPI does not exist.
	Found             bool
	Health            Health
	Score             *int32
	AttainmentPercent *int32
	Message           string
	// TargetMetSince is when the KPI met its target (its status's
	// targetMetDate); zero when it does not meet it.
	TargetMetSince time.Time
}

// ObjectiveSpec is what the evaluation needs of an objective's spec.
type ObjectiveSpec struct {
	Deadline    time.Time
	AtRiskBelow int32
}

// ObjectiveReason is the cause of an objective's verdict.
type ObjectiveReason string

// Objective reasons.
const (
	ReasonObjectiveOnTrack    ObjectiveReason = "OnTrack"
	ReasonScoreBelowThreshold ObjectiveReason = "ScoreBelowThreshold"
	ReasonCriticalKPIAtRisk   ObjectiveReason = "CriticalKPIAtRisk"
	ReasonNoKPIs              ObjectiveReason = "NoKPIs"
	ReasonKPIsUnknown         ObjectiveReason = "KPIsUnknown" // no KPI has a score, or a critical KPI is Unknown
	ReasonKPINotFound         ObjectiveReason = "KPINotFound" // a referenced KPI does not exist
)

// ObjectiveResult is the verdict on an objective.
type ObjectiveResult struct {
	Health  Health
	Reason  ObjectiveReason
	Message string
	// Score is the weight-averaged score of the KPIs that have one; nil
	// when none has.
	Score *int32
	// ProgressPercent is the weight-averaged attainment of the KPIs that
	// have one.
	ProgressPercent *int32
	// Outcome is OnTrack, AtRisk, Achieved (every KPI at 100% attainment),
	// Missed (deadline passed and not achieved) or Unknown.
	Outcome Outcome
	// OutcomeDate is the day the objective was Achieved (the latest of
	// its KPIs' TargetMetSince, or now when one has none) or Missed (the
	// deadline); zero for the other outcomes.
	OutcomeDate time.Time
	// Counts by KPI health; Breaching counts as neither Healthy nor AtRisk.
	Total, Healthy, AtRisk, Unknown int32
}
