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

package evaluate

import "time"

// Contract is what a value-based contract's report says besides the
// measure's score: the thresholds the payer pays against, the star
// score, the baseline and the payment stream (HL7 Da Vinci Value-Based
// Performance Reporting puts them on the MeasureReport). Values keep the
// scale their report wrote them in; RateValue converts them as it does
// the score, so a threshold of "83 %" and a score of 0.58 meet on the
// KPI's scale.
type Contract struct {
	// ReportDate is when the report was produced (MeasureReport.date);
	// zero when it does not say.
	ReportDate time.Time
	// Thresholds in the order the report gives them.
	Thresholds []ContractThreshold
	// StarScore is the measure's star score, when reported.
	StarScore *float64
	// Baseline is the value the contract compares against, when reported.
	Baseline *ContractBaseline
	// PaymentStreams are the kinds of payment the result feeds.
	PaymentStreams []PaymentStream
	// Component is what the contract's own Measure says of this measure
	// (its weight and contractual status), when the KPI names that
	// Measure (spec.source.contractMeasure).
	Component *ContractComponent
}

// ContractComponent is one measure of a value-based contract as the
// contract's Measure lists it (HL7 Da Vinci VBPR vbp-measure,
// relatedArtifact of type composed-of): how much it weighs and whether
// it counts towards payment.
type ContractComponent struct {
	// Contract is the contract Measure's title, e.g. "Example Value-Based
	// Contract - ABC Payer and GoodHealth".
	Contract string
	// Display is the component's name, e.g. "Diabetes Care - Blood Sugar
	// Controlled".
	Display string
	// Weight is the component's weight, when given.
	Weight *float64
	// ContractualWeight is the sum of the weights of the contract's
	// components whose status is contractual: the whole this weight is a
	// share of.
	ContractualWeight float64
	// Status is the contractual status code (contractual,
	// contractual-alternate or reporting-only) and StatusDisplay its name.
	Status, StatusDisplay string
}

// ContractValue is a number with the scale and unit its report gave.
type ContractValue struct {
	Value float64
	// Scale is ScalePercent for UCUM "%", ScaleProportion for UCUM "1",
	// ScaleUnstated otherwise.
	Scale Scale
	// Unit is the UCUM code or unit text, or "" for a plain decimal.
	Unit string
}

// ContractThreshold is one threshold of a contract, e.g. the Star 4 cut
// point or the HEDIS 75th percentile.
type ContractThreshold struct {
	ContractValue
	// Type is the threshold's code, e.g. "star-4".
	Type string
	// TypeSystem is the code's system.
	TypeSystem string
	// TypeDisplay is how people call it, e.g. "Star 4".
	TypeDisplay string
	// Gap is the report's gap to the threshold, when given. The guide
	// does not fix its unit (its examples give a count of patients), so
	// it is carried but never shown: a count from 1 to 10 is a small cell.
	Gap *float64
}

// ContractBaseline is the contract's baseline and the period it was
// measured over.
type ContractBaseline struct {
	ContractValue
	PeriodStart, PeriodEnd time.Time
}

// PaymentStream is a kind of payment a result feeds, e.g. "Quality
// incentive payment", and the incentive within it.
type PaymentStream struct {
	Type, TypeDisplay           string
	Incentive, IncentiveDisplay string
}

// Threshold returns the contract's threshold of type code, if any.
func (c *Contract) Threshold(code string) (ContractThreshold, bool) {
	if c == nil {
		return ContractThreshold{}, false
	}
	for _, t := range c.Thresholds {
		if t.Type == code {
			return t, true
		}
	}
	return ContractThreshold{}, false
}

// Name is how a message calls the threshold: its display, else its code.
func (t ContractThreshold) Name() string {
	if t.TypeDisplay != "" {
		return t.TypeDisplay
	}
	return t.Type
}
