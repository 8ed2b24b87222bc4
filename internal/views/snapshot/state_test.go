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

package snapshot

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func TestWordsSplitReasonsAndKeepAcronyms(t *testing.T) {
	for in, want := range map[string]string{
		"ProjectedMiss":          "Projected miss",
		"CriticalKPIAtRisk":      "Critical KPI at risk",
		"KPIsUnknown":            "KPIs unknown",
		"OffTrack":               "Off track",
		"AgreementNotInForce":    "Agreement not in force",
		"CadenceElapsed":         "Cadence elapsed",
		"ReviewCurrent":          "Review current",
		"Evaluated":              "Evaluated",
		"":                       "",
		"SourceTypeUnsupported":  "Source type unsupported",
		"ScoreBelowThreshold":    "Score below threshold",
		"RenewalWindowOpen":      "Renewal window open",
		"AtRiskEscalation":       "At risk escalation",
		"HTTPJSONSourceNotFound": "HTTPJSON source not found",
	} {
		if got := Words(in); got != want {
			t.Errorf("Words(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHealthReadsConditionsAsTheOperatorSetsThem(t *testing.T) {
	c := func(typ string, s metav1.ConditionStatus, reason string) metav1.Condition {
		return metav1.Condition{Type: typ, Status: s, Reason: reason, Message: reason + " message"}
	}
	cases := []struct {
		name  string
		conds []metav1.Condition
		want  string
	}{
		{"at risk wins", []metav1.Condition{c("Healthy", "False", "OffTrack"), c("AtRisk", "True", "OffTrack")}, "at-risk/At risk/OffTrack"},
		{"healthy", []metav1.Condition{c("Healthy", "True", "OnTrack"), c("AtRisk", "False", "OnTrack")}, "healthy/Healthy/OnTrack"},
		{"breaching is behind plan", []metav1.Condition{c("Healthy", "False", "BehindPlan"), c("AtRisk", "False", "BehindPlan")}, "behind/Behind plan/BehindPlan"},
		{"agreement not in force is inactive", []metav1.Condition{c("Healthy", "False", "AgreementExpired"), c("AtRisk", "False", "AgreementExpired")}, "inactive/Inactive/AgreementExpired"},
		{"unknown data", []metav1.Condition{c("Healthy", "Unknown", "StaleData"), c("AtRisk", "Unknown", "StaleData")}, "unknown/Unknown/StaleData"},
		{"never evaluated", nil, "unknown/Not evaluated yet/"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := Health(tc.conds)
			if got := s.Class + "/" + s.Word + "/" + s.Reason; got != tc.want {
				t.Errorf("Health = %s, want %s", got, tc.want)
			}
			if s.Icon == "" {
				t.Error("every state needs an icon beside its colour")
			}
		})
	}
}
