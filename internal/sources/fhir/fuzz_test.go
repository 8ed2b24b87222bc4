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

package fhir

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

// FuzzParse feeds arbitrary answers to the MeasureReport reading a Fetch
// performs after the GET. Properties: a value is finite and its time is a
// UTC period end within years 0..10000; an error keeps the providers'
// contract (known reason, never quotes the answer); the outcome is
// deterministic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"resourceType":"MeasureReport","status":"complete","period":{"start":"2026-07-01","end":"2026-09-30"},"group":[{"measureScore":{"value":0.64}}]}`,
		`{"resourceType":"MeasureReport","status":"complete","period":{"end":"2026-09"},"group":[{"population":[{"code":{"coding":[{"code":"numerator"}]},"count":61},{"code":{"coding":[{"code":"denominator"}]},"count":95}]}]}`,
		`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"MeasureReport","status":"complete","period":{"end":"2026-06-30T23:59:59Z"},"group":[{"measureScore":{"value":0.6}}]}},{"resource":{"resourceType":"Patient","id":"MRN-SECRET"}},{"resource":{"resourceType":"MeasureReport","status":"pending","period":{"end":"2026-12-31"}}}]}`,
		`{"resourceType":"MRN-SECRET"}`,
		`{"resourceType":"MeasureReport","status":"MRN-SECRET","period":{"end":"2026"}}`,
		`{"resourceType":"MeasureReport","status":"complete","period":{"end":"MRN-SECRET"},"group":[{"measureScore":{"value":1e999}}]}`,
		`{"resourceType":"MeasureReport","status":"complete","period":{"end":"9999-12-31"},"group":[{"population":[{"code":{"coding":[{"code":"denominator"}]},"count":0}]}]}`,
		`{"resourceType":"Bundle","entry":[{"resource":"MRN-SECRET"}]}`,
		`[]`, `null`, `{"resourceType":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		obs, err := parse(body)
		obs2, err2 := parse(body)
		if !reflect.DeepEqual(obs, obs2) || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("two readings differ: %v %v / %v %v", obs, err, obs2, err2)
		}
		if err != nil {
			sourcestest.CheckError(t, err, string(body), "")
			return
		}
		if math.IsNaN(obs.Value) || math.IsInf(obs.Value, 0) {
			t.Fatalf("value %v is not finite", obs.Value)
		}
		if obs.Time.Location() != time.UTC || obs.Time.Year() < 0 || obs.Time.Year() > 10000 {
			t.Fatalf("time %v is not a UTC period end within years 0..10000", obs.Time)
		}
	})
}

// TestAnswerTextIsNotRepeated pins down what FuzzParse's seeds found: the
// resource type and status were quoted from the answer whatever they held.
func TestAnswerTextIsNotRepeated(t *testing.T) {
	for name, body := range map[string]string{
		"resource type": `{"resourceType":"MRN-SECRET 12345"}`,
		"status":        `{"resourceType":"MeasureReport","status":"MRN-SECRET","period":{"end":"2026"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parse([]byte(body))
			if err == nil {
				t.Fatal("parse accepted the answer")
			}
			sourcestest.CheckError(t, err, body, "")
		})
	}
}
