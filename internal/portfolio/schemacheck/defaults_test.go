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

package schemacheck_test

import (
	"fmt"
	"strings"
	"testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

// TestAPIDefaultsAreTheCRDDefaults holds the api package's Default*
// constants, the fallbacks of code that judges objects built in Go, to
// the +kubebuilder:default markers the API server and accordctl apply:
// one default per field, whichever path an object takes.
func TestAPIDefaultsAreTheCRDDefaults(t *testing.T) {
	c, err := schemacheck.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		kind     string
		field    []string
		constant any
	}{
		{"KPI", []string{"breachesBeforeAtRisk"}, v1.DefaultBreachesBeforeAtRisk},
		{"KPI", []string{"historyLimit"}, v1.DefaultHistoryLimit},
		{"KPI", []string{"evaluationInterval"}, v1.DefaultEvaluationInterval},
		{"Objective", []string{"atRiskBelow"}, v1.DefaultAtRiskBelow},
		{"Partnership", []string{"reviewCadence"}, v1.DefaultReviewCadence},
		{"Partnership", []string{"escalateAfter"}, v1.DefaultEscalateAfter},
		{"Partnership", []string{"agreement", "dataSharing", "baaTerm", "noticeDays"}, v1.DefaultNoticeDays},
		{"Partnership", []string{"agreement", "dataSharing", "dsaTerm", "noticeDays"}, v1.DefaultNoticeDays},
		{"Portfolio", []string{"assessmentMaxAge"}, v1.DefaultAssessmentMaxAge},
	}
	for _, tc := range cases {
		d, ok := c.DefaultOf(v1.GroupVersion.String(), tc.kind, append([]string{"spec"}, tc.field...)...)
		if !ok {
			t.Errorf("the %s CRD declares no default for spec.%s; the api constant %v has no marker to follow", tc.kind, strings.Join(tc.field, "."), tc.constant)
			continue
		}
		if fmt.Sprint(d) != fmt.Sprint(tc.constant) {
			t.Errorf("%s spec.%s: the CRD defaults to %v, the api constant is %v", tc.kind, strings.Join(tc.field, "."), d, tc.constant)
		}
	}
}
