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

package v1alpha1

import (
	fluxmeta "github.com/fluxcd/pkg/apis/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Direction says which way a KPI should move.
// +kubebuilder:validation:Enum=HigherIsBetter;LowerIsBetter;InRange
type Direction string

// Directions.
const (
	HigherIsBetter Direction = "HigherIsBetter"
	LowerIsBetter  Direction = "LowerIsBetter"
	InRange        Direction = "InRange"
)

// KPISpec declares what a KPI measures, where its values come from, and the
// path from baseline to target it is judged against.
// +kubebuilder:validation:XValidation:rule="self.target.date > self.baseline.date",message="spec.target.date must be after spec.baseline.date",fieldPath=".target.date"
// +kubebuilder:validation:XValidation:rule="self.direction == 'InRange' || has(self.target.value) || (has(self.source) && has(self.source.contractTarget))",message="spec.target.value is required when direction is HigherIsBetter or LowerIsBetter, unless spec.source.contractTarget takes it from the contract",fieldPath=".target.value"
// +kubebuilder:validation:XValidation:rule="!has(self.source) || !has(self.source.contractTarget) || self.direction != 'InRange'",message="spec.source.contractTarget gives one threshold to reach: direction must be HigherIsBetter or LowerIsBetter, not InRange",fieldPath=".source.contractTarget"
// +kubebuilder:validation:XValidation:rule="!has(self.source) || !has(self.source.contractTarget) || !has(self.reported) || size(self.reported) == 0",message="spec.source.contractTarget reads the contract from a FHIR MeasureReport; values reported in git carry no contract",fieldPath=".source.contractTarget"
// +kubebuilder:validation:XValidation:rule="self.direction != 'InRange' || (has(self.target.min) && has(self.target.max))",message="spec.target.min and spec.target.max are required when direction is InRange",fieldPath=".target"
// +kubebuilder:validation:XValidation:rule="self.direction != 'HigherIsBetter' || !has(self.target.value) || !isQuantity(string(self.target.value)) || !isQuantity(string(self.baseline.value)) || quantity(string(self.target.value)).isGreaterThan(quantity(string(self.baseline.value)))",message="spec.target.value must be greater than spec.baseline.value when direction is HigherIsBetter",fieldPath=".target.value"
// +kubebuilder:validation:XValidation:rule="self.direction != 'LowerIsBetter' || !has(self.target.value) || !isQuantity(string(self.target.value)) || !isQuantity(string(self.baseline.value)) || quantity(string(self.target.value)).isLessThan(quantity(string(self.baseline.value)))",message="spec.target.value must be less than spec.baseline.value when direction is LowerIsBetter",fieldPath=".target.value"
// +kubebuilder:validation:XValidation:rule="has(self.source) || (has(self.reported) && size(self.reported) > 0)",message="spec.source or spec.reported must be set: a KPI needs a metric source or values reported in git"
// +kubebuilder:validation:XValidation:rule="has(self.ratePer) || !has(self.reported) || self.reported.all(r, !has(r.numerator) && !has(r.denominator))",message="spec.reported[].numerator and denominator are allowed only on a rate: set spec.ratePer (100 for a percentage)",fieldPath=".ratePer"
// +kubebuilder:validation:XValidation:rule="!has(self.ratePer) || !has(self.reported) || self.reported.all(r, has(r.numerator) && has(r.denominator))",message="spec.ratePer declares a rate: every spec.reported[] value needs its numerator and denominator",fieldPath=".reported"
// +kubebuilder:validation:XValidation:rule="has(self.ratePer) || (!has(self.minDenominator) && !has(self.confidence))",message="spec.minDenominator and spec.confidence apply only to a rate: set spec.ratePer",fieldPath=".ratePer"
type KPISpec struct {
	// DisplayName is the KPI's name in reports, e.g. "30-day readmission rate".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	DisplayName string `json:"displayName"`

	// Description says what is measured and how, e.g. the measure steward's
	// definition.
	// +kubebuilder:validation:MaxLength=2000
	// +optional
	Description string `json:"description,omitempty"`

	// Unit is printed after values, e.g. "%", "days", "USD" or "visits".
	// +kubebuilder:validation:MaxLength=32
	// +optional
	Unit string `json:"unit,omitempty"`

	// Direction is which way the KPI should move: HigherIsBetter,
	// LowerIsBetter, or InRange (between target.min and target.max).
	// +required
	Direction Direction `json:"direction"`

	// Baseline is the value the KPI started from and when it was measured.
	// +required
	Baseline Baseline `json:"baseline"`

	// Target is the value (or range) to reach and the date to reach it by.
	// The glide path runs in a straight line from the baseline to the target.
	// +required
	Target Target `json:"target"`

	// Tolerance is how far, in the KPI's unit, a value may be worse than the
	// value expected today and still count as on track. Must be zero or more.
	// +kubebuilder:validation:XValidation:rule="!isQuantity(string(self)) || !quantity(string(self)).isLessThan(quantity('0'))",message="spec.tolerance must be zero or positive"
	// +optional
	Tolerance *resource.Quantity `json:"tolerance,omitempty"`

	// RatePer declares the KPI a rate and its multiplier: 100 for a
	// percentage, 1000 for a rate per 1,000 members. A rate's reported
	// values carry their numerator and denominator (e.g. readmissions and
	// discharges), and each period is judged with a confidence interval
	// around numerator / denominator x ratePer, so that a small hospital's
	// sampling noise is not taken for a shortfall (docs/conditions.md).
	// +kubebuilder:validation:XValidation:rule="!isQuantity(string(self)) || quantity(string(self)).isGreaterThan(quantity('0'))",message="spec.ratePer must be greater than zero, e.g. 100 for a percentage"
	// +optional
	RatePer *resource.Quantity `json:"ratePer,omitempty"`

	// Confidence is the confidence level of a rate's intervals, from 0.5 to
	// 0.999; 0.95 when omitted. Higher means fewer false alarms and later
	// detection of a real shortfall.
	// +kubebuilder:validation:XValidation:rule="!isQuantity(string(self)) || (!quantity(string(self)).isLessThan(quantity('0.5')) && !quantity(string(self)).isGreaterThan(quantity('0.999')))",message="spec.confidence must be from 0.5 to 0.999, e.g. 0.95"
	// +optional
	Confidence *resource.Quantity `json:"confidence,omitempty"`

	// MinDenominator is the smallest denominator a rate's period is judged
	// on; a smaller period is InsufficientData, neither a breach nor a pass
	// ("fewer than 11 discharges in 2026-Q3: too few to judge").
	// +kubebuilder:validation:Minimum=1
	// +optional
	MinDenominator *int64 `json:"minDenominator,omitempty"`

	// DenominatorLabel is what a rate's denominator counts, plural, for
	// messages: "discharges", "members", "patients". "cases" when omitted.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	DenominatorLabel string `json:"denominatorLabel,omitempty"`

	// Period is what one value covers: Month, Quarter, Rolling12Months (a
	// trailing year, reported monthly or quarterly) or MeasurementYear (a
	// year-to-date measure that resets every January, judged against its
	// year's target rather than the glide path on the day). It sets how
	// long a value stays fresh when maxAge is omitted.
	// +optional
	Period MeasurementPeriod `json:"period,omitempty"`

	// ReportingLag is how long after a period ends its value usually
	// arrives, e.g. "45d" for a quarterly readmission rate. Without maxAge a
	// value stays fresh for one period plus this lag after its period ends.
	// +optional
	ReportingLag Duration `json:"reportingLag,omitempty"`

	// Measure identifies the measure by its steward's id, so that two
	// partners' "readmission rate" can be told apart or compared.
	// +optional
	Measure *MeasureIdentity `json:"measure,omitempty"`

	// EvaluationInterval is how often the KPI is fetched and evaluated,
	// e.g. "1h" or "1d"; at least 1m (shorter would load every source and
	// the API server for no new information).
	// +kubebuilder:default="1h"
	// +kubebuilder:validation:XValidation:rule="self.matches('(^|[a-z])0*[1-9][0-9]*[dw]') || (self.matches('^([0-9]+(ms|s|m|h))+$') && duration(self) >= duration('1m'))",message="spec.evaluationInterval must be at least 1m, e.g. 1h or 1d"
	// +optional
	EvaluationInterval Duration `json:"evaluationInterval,omitempty"`

	// MaxAge is how old the latest value may be before the KPI's health is
	// Unknown, e.g. "2h" for a live metric or "100d" for a quarterly report.
	// When omitted, a value stays fresh for one period plus reportingLag
	// after its period ends (spec.period, or the value's own periodStart to
	// periodEnd), and for 2 days when neither says how long a period is.
	// +optional
	MaxAge Duration `json:"maxAge,omitempty"`

	// BreachesBeforeAtRisk is how many measurement periods in a row (told
	// apart by their end) must be worse than tolerance before the KPI
	// turns AtRisk (and better before it returns), from 1 to 100. Damps
	// flapping on noisy metrics. For a rate it is also the window over
	// which counts are pooled (docs/conditions.md).
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=100
	// +kubebuilder:default=2
	// +optional
	BreachesBeforeAtRisk int32 `json:"breachesBeforeAtRisk,omitempty"`

	// HistoryLimit is how many recent observations the status keeps for
	// charts and trend projection, from 2 to 200.
	// +kubebuilder:validation:Minimum=2
	// +kubebuilder:validation:Maximum=200
	// +kubebuilder:default=30
	// +optional
	HistoryLimit int32 `json:"historyLimit,omitempty"`

	// Source names the MetricSource the KPI is read from and the query to
	// run there. Omit it when the values are reported in git.
	// +optional
	Source *KPISource `json:"source,omitempty"`

	// Reported holds values committed to git, one per reporting period, for
	// KPIs that come from surveys, finance reports or manual counts. They go
	// through pull-request review like every other change. One value per
	// period: two values with the same periodEnd are refused (which one
	// would count?).
	// +listType=map
	// +listMapKey=periodEnd
	// +kubebuilder:validation:MaxItems=200
	// +optional
	Reported []ReportedValue `json:"reported,omitempty"`
}

// MeasurementPeriod is what one value of a KPI covers.
// +kubebuilder:validation:Enum=Month;Quarter;Rolling12Months;MeasurementYear
type MeasurementPeriod string

// Measurement periods.
const (
	PeriodMonth           MeasurementPeriod = "Month"
	PeriodQuarter         MeasurementPeriod = "Quarter"
	PeriodRolling12Months MeasurementPeriod = "Rolling12Months"
	PeriodMeasurementYear MeasurementPeriod = "MeasurementYear"
)

// MeasureSystem is the catalogue a measure id belongs to.
// +kubebuilder:validation:Enum=CMSeCQM;CBE;HEDIS;Other
type MeasureSystem string

// Measure systems.
const (
	// MeasureCMSeCQM: a CMS electronic clinical quality measure id, e.g. CMS165.
	MeasureCMSeCQM MeasureSystem = "CMSeCQM"
	// MeasureCBE: a CMS consensus-based entity (formerly NQF) number, e.g. 0018.
	MeasureCBE MeasureSystem = "CBE"
	// MeasureHEDIS: an NCQA HEDIS measure code, e.g. CBP.
	MeasureHEDIS MeasureSystem = "HEDIS"
	// MeasureOther: a local or other steward's id.
	MeasureOther MeasureSystem = "Other"
)

// MeasureIdentity names a measure as its steward publishes it.
type MeasureIdentity struct {
	// ID is the measure's id in its system, e.g. "CMS165", "0018" or "CBP".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +required
	ID string `json:"id"`

	// System is the catalogue the id belongs to: CMSeCQM, CBE (formerly
	// NQF), HEDIS or Other.
	// +required
	System MeasureSystem `json:"system"`

	// Steward is the organisation that maintains the measure, e.g. "NCQA"
	// or "CMS".
	// +kubebuilder:validation:MaxLength=200
	// +optional
	Steward string `json:"steward,omitempty"`

	// Version is the measure's version or specification year, e.g. "12.0.000" or "MY2026".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Version string `json:"version,omitempty"`
}

// Baseline is where a KPI started.
type Baseline struct {
	// Value of the KPI at the baseline date, in the KPI's unit.
	// +required
	Value resource.Quantity `json:"value"`

	// Date the baseline was measured (YYYY-MM-DD).
	// +required
	Date Date `json:"date"`
}

// Target is where a KPI must be, and by when.
// +kubebuilder:validation:XValidation:rule="!has(self.min) || !has(self.max) || !isQuantity(string(self.min)) || !isQuantity(string(self.max)) || quantity(string(self.min)).isLessThan(quantity(string(self.max)))",message="spec.target.min must be less than spec.target.max",fieldPath=".min"
type Target struct {
	// Value to reach, in the KPI's unit. Required for HigherIsBetter and
	// LowerIsBetter.
	// +optional
	Value *resource.Quantity `json:"value,omitempty"`

	// Min is the lowest acceptable value for an InRange KPI.
	// +optional
	Min *resource.Quantity `json:"min,omitempty"`

	// Max is the highest acceptable value for an InRange KPI.
	// +optional
	Max *resource.Quantity `json:"max,omitempty"`

	// Date by which the target must be reached (YYYY-MM-DD). Must be after
	// the baseline date.
	// +required
	Date Date `json:"date"`
}

// KPISource says where a KPI's values come from. Which fields apply
// depends on the MetricSource's type: jsonPath, timestampJSONPath,
// numeratorJSONPath, denominatorJSONPath, periodStartJSONPath and
// periodEndJSONPath to HTTPJSON, denominatorQuery to Prometheus, group to
// FHIR. The type is on the MetricSource, so a field set for another type
// is refused when the source is read (MetricsAvailable=False, reason
// InvalidQuery, naming the field), not by the API server.
// +kubebuilder:validation:XValidation:rule="has(self.numeratorJSONPath) == has(self.denominatorJSONPath)",message="spec.source.numeratorJSONPath and spec.source.denominatorJSONPath go together: a rate needs both counts"
// +kubebuilder:validation:XValidation:rule="!has(self.numeratorJSONPath) || !has(self.jsonPath)",message="spec.source.jsonPath cannot be set with numeratorJSONPath: with counts the value is numerator / denominator"
// +kubebuilder:validation:XValidation:rule="!has(self.timestampJSONPath) || !has(self.periodEndJSONPath)",message="spec.source.timestampJSONPath and periodEndJSONPath both give the observation time: set one"
// +kubebuilder:validation:XValidation:rule="!has(self.periodStartJSONPath) || has(self.periodEndJSONPath)",message="spec.source.periodStartJSONPath needs periodEndJSONPath: a period is read with its end"
// +kubebuilder:validation:XValidation:rule="!has(self.contractTarget) || !(has(self.jsonPath) || has(self.timestampJSONPath) || has(self.numeratorJSONPath) || has(self.denominatorJSONPath) || has(self.periodStartJSONPath) || has(self.periodEndJSONPath) || has(self.denominatorQuery))",message="spec.source.contractTarget applies to FHIR sources only, and the HTTPJSON or Prometheus fields set next to it say this source is not one",fieldPath=".contractTarget"
// +kubebuilder:validation:XValidation:rule="!has(self.contractMeasure) || !(has(self.jsonPath) || has(self.timestampJSONPath) || has(self.numeratorJSONPath) || has(self.denominatorJSONPath) || has(self.periodStartJSONPath) || has(self.periodEndJSONPath) || has(self.denominatorQuery))",message="spec.source.contractMeasure applies to FHIR sources only, and the HTTPJSON or Prometheus fields set next to it say this source is not one",fieldPath=".contractMeasure"
type KPISource struct {
	// SourceRef names the MetricSource, in the same namespace.
	// +required
	SourceRef LocalObjectReference `json:"sourceRef"`

	// Query is what to ask the source: a PromQL expression for Prometheus
	// (with denominatorQuery, the numerator's count), a path relative to
	// the endpoint for HTTPJSON, a MeasureReport id or search for FHIR.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	// +required
	Query string `json:"query"`

	// JSONPath extracts the value from an HTTPJSON answer, in kubectl's
	// JSONPath syntax, e.g. "{.data.rate}"; "{.value}" when unset. It
	// must select exactly one number. HTTPJSON only; not with
	// numeratorJSONPath.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	JSONPath string `json:"jsonPath,omitempty"`

	// TimestampJSONPath extracts the observation time (RFC 3339 or Unix
	// seconds) from an HTTPJSON answer; without it (and without
	// periodEndJSONPath) the time of the request is used. HTTPJSON only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	TimestampJSONPath string `json:"timestampJSONPath,omitempty"`

	// NumeratorJSONPath extracts a rate's numerator count (e.g.
	// readmissions) from an HTTPJSON answer, in kubectl's JSONPath syntax,
	// e.g. "{.data.readmissions}". Set it with denominatorJSONPath; the
	// value is then numerator / denominator, and both counts reach the
	// KPI. Counts must be whole numbers from 0 up, the numerator at most
	// the denominator and the denominator above 0. HTTPJSON only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	NumeratorJSONPath string `json:"numeratorJSONPath,omitempty"`

	// DenominatorJSONPath extracts a rate's denominator count (e.g.
	// discharges) from an HTTPJSON answer, e.g. "{.data.discharges}".
	// Set it with numeratorJSONPath. HTTPJSON only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	DenominatorJSONPath string `json:"denominatorJSONPath,omitempty"`

	// PeriodStartJSONPath extracts the first day the value covers from an
	// HTTPJSON answer: a date (YYYY-MM-DD, the start of that day in UTC),
	// an RFC 3339 time or Unix seconds. Needs periodEndJSONPath.
	// HTTPJSON only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	PeriodStartJSONPath string `json:"periodStartJSONPath,omitempty"`

	// PeriodEndJSONPath extracts the last day the value covers from an
	// HTTPJSON answer: a date (YYYY-MM-DD, the end of that day in UTC),
	// an RFC 3339 time or Unix seconds. It is the observation time, so a
	// value read twice for one period counts once. Not with
	// timestampJSONPath. HTTPJSON only.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	PeriodEndJSONPath string `json:"periodEndJSONPath,omitempty"`

	// DenominatorQuery is a PromQL expression giving a rate's denominator
	// count (e.g. sum(increase(discharges_total[90d]))). With it, query
	// gives the numerator's count (e.g.
	// sum(increase(readmissions_within_30d_total[90d]))), both run as
	// instant queries at the same time, the value is numerator /
	// denominator and both counts reach the KPI. Each must return a
	// scalar or one series; the counts must be 0 or more, the numerator
	// at most the denominator and the denominator above 0. Prometheus
	// only.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	// +optional
	DenominatorQuery string `json:"denominatorQuery,omitempty"`

	// Group names the MeasureReport group to read by its code
	// (group.code.coding[].code, or "system|code" to match the coding's
	// system too), or by its id when the groups carry no code. Required
	// when a report has several groups; with one group it may be left
	// out. FHIR only.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	// +optional
	Group string `json:"group,omitempty"`

	// ContractTarget takes the KPI's target value from the value-based
	// contract the FHIR MeasureReport carries (the HL7 Da Vinci
	// Value-Based Performance Reporting threshold extension), instead of
	// repeating it in spec.target.value: the glide path then runs from
	// spec.baseline to the contract's threshold, by spec.target.date, and
	// follows the threshold when a new report moves it (event
	// ContractTermsChanged). When spec.target.value is also set, the
	// contract's threshold wins and `accordctl diff` reports the
	// disagreement. A report without the threshold makes Ready False,
	// reason ContractTermMissing. FHIR only; direction HigherIsBetter or
	// LowerIsBetter.
	// +optional
	ContractTarget *ContractTarget `json:"contractTarget,omitempty"`

	// ContractMeasure names the value-based contract's own Measure on the
	// same FHIR server, as "Measure/<id>" (an HL7 Da Vinci VBPR
	// vbp-measure, which lists the contract's measures as components).
	// With it the KPI also reads, for the measure its MeasureReport is
	// of, the weight the contract gives it and whether it counts towards
	// payment (contractual, contractual-alternate or reporting-only),
	// into status.contract; the review pack shows them. A contract that
	// does not list the report's measure makes the KPI's data
	// unavailable, naming this field. FHIR only.
	// +kubebuilder:validation:MaxLength=73
	// +kubebuilder:validation:Pattern=`^Measure/[A-Za-z0-9.-]{1,64}$`
	// +optional
	ContractMeasure string `json:"contractMeasure,omitempty"`
}

// ContractTarget names the contract threshold a KPI aims at.
type ContractTarget struct {
	// ThresholdType is the code of the threshold, as the report's
	// threshold type gives it: in the guide's code system star-1 to
	// star-5, hedis-50-percentile, hedis-75-percentile or
	// hedis-90-percentile; a payer's own code otherwise. The threshold is
	// read on the KPI's scale as its score is: 83 % is 83 on a KPI in %
	// (or with ratePer 100) and 0.83 on a rate per 1.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9][A-Za-z0-9._-]*$`
	// +required
	ThresholdType string `json:"thresholdType"`
}

// ReportedValue is one KPI value reported by a person for a period, with
// who reported it and where it came from.
// +kubebuilder:validation:XValidation:rule="!has(self.periodStart) || self.periodStart <= self.periodEnd",message="reported[].periodStart must not be after periodEnd"
// +kubebuilder:validation:XValidation:rule="has(self.value) || has(self.numerator)",message="reported[].value is required unless numerator and denominator are given",fieldPath=".value"
// +kubebuilder:validation:XValidation:rule="has(self.numerator) == has(self.denominator)",message="reported[].numerator and denominator go together: give both or neither",fieldPath=".denominator"
// +kubebuilder:validation:XValidation:rule="!has(self.numerator) || !has(self.denominator) || self.numerator <= self.denominator",message="reported[].numerator must not be greater than denominator: the numerator counts cases among the denominator's",fieldPath=".numerator"
type ReportedValue struct {
	// Value for the period, in the KPI's unit. Optional on a rate whose
	// numerator and denominator are given; when also given it must agree
	// with numerator / denominator x ratePer to the decimals written.
	// +optional
	Value *resource.Quantity `json:"value,omitempty"`

	// Numerator is the count of cases in the period on a rate KPI, e.g. 7
	// readmissions. Zero or more, at most the denominator.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Numerator *int64 `json:"numerator,omitempty"`

	// Denominator is the count the rate is taken over in the period, e.g.
	// 40 discharges. At least 1.
	// +kubebuilder:validation:Minimum=1
	// +optional
	Denominator *int64 `json:"denominator,omitempty"`

	// PeriodStart is the first day the value covers (YYYY-MM-DD).
	// +optional
	PeriodStart Date `json:"periodStart,omitempty"`

	// PeriodEnd is the last day the value covers (YYYY-MM-DD); it is the
	// value's observation time.
	// +required
	PeriodEnd Date `json:"periodEnd"`

	// ReportedBy names the person or team that reported the value.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	ReportedBy string `json:"reportedBy"`

	// Document links the report the value was taken from.
	// +optional
	Document *DocumentLink `json:"document,omitempty"`
}

// KPISample is one observation of a KPI.
type KPISample struct {
	// Time the value was observed at the source.
	Time metav1.Time `json:"time"`
	// Value observed, as a decimal number such as "17.2".
	// +kubebuilder:validation:MaxLength=64
	Value string `json:"value"`
	// PeriodStart is the first instant the value covers, when known.
	// +optional
	PeriodStart *metav1.Time `json:"periodStart,omitempty"`
	// Numerator of a rate's value, kept so that later evaluations can judge
	// and pool the period; omitted when from 1 to 10 (small cells never
	// reach the status), and then recovered from the value.
	// +kubebuilder:validation:Minimum=0
	// +optional
	Numerator *int64 `json:"numerator,omitempty"`
	// Denominator of a rate's value; omitted when from 1 to 10, and the
	// period is then too small to judge.
	// +kubebuilder:validation:Minimum=11
	// +optional
	Denominator *int64 `json:"denominator,omitempty"`
	// SmallCell is true for a rate's period whose denominator was from 1
	// to 10: its counts are kept out of the status, and the period stays
	// too small to judge (InsufficientData) in later evaluations.
	// +optional
	SmallCell bool `json:"smallCell,omitempty"`
}

// KPIStatus is the observed state of a KPI. Values are decimal numbers
// written as strings (e.g. "16.3") so that they read the same in kubectl,
// dashboards and reports.
type KPIStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready, MetricsAvailable, Healthy and AtRisk.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// LastValue is the latest value read from the source or reported.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	LastValue string `json:"lastValue,omitempty"`

	// LastObservedTime is when the latest value was observed at the source
	// (for reported values, the end of the period they cover).
	// +optional
	LastObservedTime *metav1.Time `json:"lastObservedTime,omitempty"`

	// ExpectedValue is the value the glide path from baseline to target
	// expects today.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	ExpectedValue string `json:"expectedValue,omitempty"`

	// ProjectedValue is the value the recent trend projects at the target
	// date.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	ProjectedValue string `json:"projectedValue,omitempty"`

	// AttainmentPercent is how far the KPI has moved from baseline toward
	// target, in percent; 100 means the target is met.
	// +optional
	AttainmentPercent *int32 `json:"attainmentPercent,omitempty"`

	// Score is the KPI's contribution to its objectives, 0 to 100: 100 on
	// or ahead of the glide path, less in proportion to the shortfall.
	// +optional
	Score *int32 `json:"score,omitempty"`

	// ConsecutiveBreaches counts the newest observations in a row that
	// are worse than tolerance.
	// +optional
	ConsecutiveBreaches int32 `json:"consecutiveBreaches,omitempty"`

	// TargetMetDate is the date of the observation from which the KPI has
	// met its target without a break (the first of the latest run of
	// values at or beyond the target, or inside the range): a win, which
	// the operator announces once with a TargetMet event. Absent while
	// the latest value misses the target; a later crossing sets it again.
	// +optional
	TargetMetDate Date `json:"targetMetDate,omitempty"`

	// History holds recent observations, oldest first, at most
	// spec.historyLimit of them.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=200
	// +optional
	History []KPISample `json:"history,omitempty"`

	// Contract holds the value-based contract's terms as the latest
	// FHIR MeasureReport gave them (HL7 Da Vinci VBPR extensions): its
	// thresholds, star score, baseline and payment streams, and, when
	// spec.source.contractTarget is set, the target taken from them.
	// +optional
	Contract *ContractStatus `json:"contract,omitempty"`
}

// ContractStatus is a value-based contract's terms in force for a KPI.
// Values are decimal numbers on the KPI's scale, written as strings.
type ContractStatus struct {
	// ReportDate is the day the report that gave these terms was
	// produced (MeasureReport.date), when it says.
	// +optional
	ReportDate Date `json:"reportDate,omitempty"`

	// PeriodEnd is the last day of the period that report covers.
	// +optional
	PeriodEnd Date `json:"periodEnd,omitempty"`

	// TargetThresholdType is the threshold spec.source.contractTarget
	// names, when the KPI takes its target from the contract.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	TargetThresholdType string `json:"targetThresholdType,omitempty"`

	// Target is the target value in force, the named threshold on the
	// KPI's scale.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Target string `json:"target,omitempty"`

	// Thresholds are the contract's thresholds, in the report's order.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Thresholds []ContractThresholdStatus `json:"thresholds,omitempty"`

	// StarScore is the measure's star score, when reported.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	StarScore string `json:"starScore,omitempty"`

	// Baseline is the contract's baseline, when reported.
	// +optional
	Baseline *ContractBaselineStatus `json:"baseline,omitempty"`

	// PaymentStreams are the payments the result feeds: the incentive at
	// stake.
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=20
	// +optional
	PaymentStreams []PaymentStreamStatus `json:"paymentStreams,omitempty"`

	// Component is what the contract's Measure (spec.source.
	// contractMeasure) says of this KPI's measure: its weight and
	// contractual status.
	// +optional
	Component *ContractComponentStatus `json:"component,omitempty"`
}

// ContractComponentStatus is one measure of a value-based contract as the
// contract's Measure lists it.
type ContractComponentStatus struct {
	// Contract is the contract Measure's title.
	// +kubebuilder:validation:MaxLength=128
	// +optional
	Contract string `json:"contract,omitempty"`
	// Display is the measure's name in the contract, e.g. "Diabetes Care
	// - Blood Sugar Controlled".
	// +kubebuilder:validation:MaxLength=128
	// +optional
	Display string `json:"display,omitempty"`
	// Weight is the weight the contract gives the measure, e.g. "3".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Weight string `json:"weight,omitempty"`
	// ContractualWeight is the sum of the weights of the contract's
	// contractual measures, the whole Weight is a share of, e.g. "18".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	ContractualWeight string `json:"contractualWeight,omitempty"`
	// Status is the measure's contractual status: contractual,
	// contractual-alternate or reporting-only (counts towards nothing
	// paid).
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Status string `json:"status,omitempty"`
}

// ContractThresholdStatus is one threshold of a contract.
type ContractThresholdStatus struct {
	// Type is the threshold's code, e.g. "star-4".
	// +kubebuilder:validation:MaxLength=64
	Type string `json:"type"`
	// Display is how people call it, e.g. "Star 4".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Display string `json:"display,omitempty"`
	// Value is the threshold on the KPI's scale, e.g. "83" on a KPI in %.
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Value string `json:"value,omitempty"`
	// Reported is the threshold as the report wrote it, e.g. "83 %".
	// +kubebuilder:validation:MaxLength=80
	Reported string `json:"reported"`
}

// ContractBaselineStatus is a contract's baseline.
type ContractBaselineStatus struct {
	// Reported is the baseline as the report wrote it, e.g. "250 /10*3".
	// +kubebuilder:validation:MaxLength=80
	Reported string `json:"reported"`
	// PeriodStart is the first day of the period it was measured over.
	// +optional
	PeriodStart Date `json:"periodStart,omitempty"`
	// PeriodEnd is the last day of that period.
	// +optional
	PeriodEnd Date `json:"periodEnd,omitempty"`
}

// PaymentStreamStatus is a payment a contract's result feeds.
type PaymentStreamStatus struct {
	// Type is the payment stream's code, e.g. "qip".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Type string `json:"type,omitempty"`
	// Display is its name, e.g. "Quality incentive payment".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Display string `json:"display,omitempty"`
	// Incentive is the kind of incentive within the stream, e.g.
	// "Chronic care management".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Incentive string `json:"incentive,omitempty"`
}

// KPI is a key performance indicator: a measured value with a baseline, a
// target and a deadline. Objectives reference KPIs with weights.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=kpi,categories=accord
// +kubebuilder:printcolumn:name="Value",type=string,JSONPath=`.status.lastValue`
// +kubebuilder:printcolumn:name="Expected",type=string,JSONPath=`.status.expectedValue`
// +kubebuilder:printcolumn:name="Target",type=string,JSONPath=`.spec.target.value`
// +kubebuilder:printcolumn:name="Unit",type=string,JSONPath=`.spec.unit`,priority=1
// +kubebuilder:printcolumn:name="Healthy",type=string,JSONPath=`.status.conditions[?(@.type=="Healthy")].status`
// +kubebuilder:printcolumn:name="AtRisk",type=string,JSONPath=`.status.conditions[?(@.type=="AtRisk")].status`
// +kubebuilder:printcolumn:name="Data",type=string,JSONPath=`.status.conditions[?(@.type=="MetricsAvailable")].status`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type KPI struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec declares the KPI.
	// +required
	Spec KPISpec `json:"spec"`

	// Status is the KPI's observed state, written by the operator.
	// +optional
	Status KPIStatus `json:"status,omitempty"`
}

// KPIList is a list of KPIs.
// +kubebuilder:object:root=true
type KPIList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []KPI `json:"items"`
}

func init() {
	SchemeBuilder.Register(&KPI{}, &KPIList{})
}
