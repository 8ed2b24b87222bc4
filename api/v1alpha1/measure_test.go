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

import "testing"

// The labels follow the stewards' own citation forms: CMS writes its
// eCQMs as CMS165v12 (eCQI Resource Center), NCQA its measures by code
// and measurement year.
func TestMeasureLabelsReadAsTheStewardCitesThem(t *testing.T) {
	cases := []struct {
		name           string
		m              *MeasureIdentity
		label, details string
	}{
		{"a CMS eCQM with a full version", &MeasureIdentity{ID: "CMS165", System: MeasureCMSeCQM, Version: "12.0.000", Steward: "NCQA"},
			"CMS165v12", "CMS eCQM, version 12.0.000, steward NCQA"},
		{"a CMS eCQM with a minor version", &MeasureIdentity{ID: "CMS122", System: MeasureCMSeCQM, Version: "13.1.000"}, "CMS122v13.1", "CMS eCQM, version 13.1.000"},
		{"a CMS eCQM written v13", &MeasureIdentity{ID: "CMS165", System: MeasureCMSeCQM, Version: "v13"}, "CMS165v13", "CMS eCQM, version v13"},
		{"a CMS eCQM without a version", &MeasureIdentity{ID: "CMS165", System: MeasureCMSeCQM}, "CMS165", "CMS eCQM"},
		{"a CBE number", &MeasureIdentity{ID: "1789", System: MeasureCBE, Steward: "CMS"}, "CBE 1789", "CBE (formerly NQF) number, steward CMS"},
		{"a HEDIS measure and year", &MeasureIdentity{ID: "CBP", System: MeasureHEDIS, Version: "MY2026"}, "HEDIS CBP MY2026", "NCQA HEDIS measure, version MY2026"},
		{"a local measure", &MeasureIdentity{ID: "VICN-7", System: MeasureOther, Version: "2"}, "VICN-7 v2", "local or other steward's measure, version 2"},
		{"no measure", nil, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.m.Label(); got != tc.label {
				t.Errorf("Label() = %q, want %q", got, tc.label)
			}
			if got := tc.m.Details(); got != tc.details {
				t.Errorf("Details() = %q, want %q", got, tc.details)
			}
		})
	}
}
