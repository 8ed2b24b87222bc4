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

package reviewpack

import (
	"testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// The terms the operator records from the guide's reports: the Star 4 and
// Star 5 thresholds of quality-measurereport32, and the baseline and
// payment stream of vbp-measurereport102's inpatient-admission group.
func TestThePackShowsTheContractsThresholdsAndIncentive(t *testing.T) {
	for _, tc := range []struct {
		name string
		st   *v1.ContractStatus
		want string
	}{
		{"thresholds, the one aimed at marked", &v1.ContractStatus{ReportDate: "2023-05-30", TargetThresholdType: "star-4", Target: "83", StarScore: "0",
			Thresholds: []v1.ContractThresholdStatus{{Type: "star-4", Display: "Star 4", Value: "83", Reported: "83%"}, {Type: "star-5", Display: "Star 5", Value: "92", Reported: "92%"}}},
			"Contract (report of 30 May 2023): thresholds Star 4 (the target) 83%, Star 5 92%; star score 0."},
		{"baseline and the incentive at stake", &v1.ContractStatus{ReportDate: "2022-12-31",
			Baseline:       &v1.ContractBaselineStatus{Reported: "250 /10*3", PeriodStart: "2021-01-01", PeriodEnd: "2021-12-31"},
			PaymentStreams: []v1.PaymentStreamStatus{{Type: "ubip", Display: "Utilization incentive payment"}}},
			"Contract (report of 31 December 2022): baseline 250 /10*3 (2021-01-01 to 2021-12-31); incentive at stake: Utilization incentive payment."},
		{"the measure's weight in the contract after the report's terms", &v1.ContractStatus{ReportDate: "2023-05-30", StarScore: "0",
			Component: &v1.ContractComponentStatus{Contract: "Example Value-Based Contract - ABC Payer and GoodHealth", Display: "Diabetes Care - Blood Sugar Controlled",
				Weight: "3", ContractualWeight: "18", Status: "contractual"}},
			"Contract (report of 30 May 2023): star score 0. In Example Value-Based Contract - ABC Payer and GoodHealth, Diabetes Care - Blood Sugar Controlled weighs 3 of the contractual measures' 18 and counts towards payment (contractual)."},
		{"the weight alone", &v1.ContractStatus{Component: &v1.ContractComponentStatus{Display: "Eye exam", Status: "reporting-only"}},
			"Contract: Eye exam is reported only and counts towards no payment (reporting only)."},
		{"no contract, no line", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := contractTerms(&v1.KPI{Status: v1.KPIStatus{Contract: tc.st}}); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
