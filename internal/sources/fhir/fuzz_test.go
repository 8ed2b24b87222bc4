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
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

// FuzzParse feeds arbitrary answers and group choices to the
// MeasureReport reading a Fetch performs after the GET. Properties: a
// value is finite and its time is a UTC period end within years 0..10000,
// not before its period's start; counts, when given, are whole, 0 or
// more, the numerator at most the denominator, which is above 0; an error
// keeps the providers' contract (known reason, never quotes the answer);
// the outcome is deterministic.
func FuzzParse(f *testing.F) {
	pop := func(code string, n string) string {
		return `{"code":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/measure-population","code":"` + code + `"}]},"count":` + n + `}`
	}
	groupOf := func(pops ...string) string { return `{"population":[` + strings.Join(pops, ",") + `]}` }
	report := func(groups ...string) string {
		return `{"resourceType":"MeasureReport","status":"complete","type":"summary","period":{"start":"2026-07-01","end":"2026-09-30"},"group":[` + strings.Join(groups, ",") + `]}`
	}
	for _, s := range []struct{ body, group string }{
		{`{"resourceType":"MeasureReport","status":"complete","period":{"start":"2026-07-01","end":"2026-09-30"},"group":[{"measureScore":{"value":0.64}}]}`, ""},
		{`{"resourceType":"MeasureReport","status":"complete","period":{"end":"2026-09"},"group":[{"population":[{"code":{"coding":[{"code":"numerator"}]},"count":61},{"code":{"coding":[{"code":"denominator"}]},"count":95}]}]}`, ""},
		{`{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"MeasureReport","status":"complete","period":{"end":"2026-06-30T23:59:59Z"},"group":[{"measureScore":{"value":0.6}}]}},{"resource":{"resourceType":"Patient","id":"MRN-SECRET"}},{"resource":{"resourceType":"MeasureReport","status":"pending","period":{"end":"2026-12-31"}}}]}`, ""},
		{`{"resourceType":"MRN-SECRET"}`, ""},
		{`{"resourceType":"MeasureReport","status":"MRN-SECRET","period":{"end":"2026"}}`, ""},
		{`{"resourceType":"MeasureReport","status":"complete","period":{"end":"MRN-SECRET"},"group":[{"measureScore":{"value":1e999}}]}`, ""},
		{`{"resourceType":"MeasureReport","status":"complete","period":{"end":"9999-12-31"},"group":[{"population":[{"code":{"coding":[{"code":"denominator"}]},"count":0}]}]}`, ""},
		{`{"resourceType":"Bundle","entry":[{"resource":"MRN-SECRET"}]}`, ""},
		{`[]`, ""}, {`null`, ""}, {`{"resourceType":1}`, ""},
		// Proportions with exclusions and exceptions, and the ways they fail.
		{report(groupOf(pop("initial-population", "1200"), pop("numerator", "300"), pop("numerator-exclusion", "5"), pop("denominator", "1000"), pop("denominator-exclusion", "40"), pop("denominator-exception", "10"))), ""},
		{report(groupOf(pop("numerator", "-7"), pop("denominator", "40"))), ""},
		{report(groupOf(pop("numerator", "7.5"), pop("denominator", "40"))), ""},
		{report(groupOf(pop("numerator", "41"), pop("denominator", "40"))), ""},
		{report(groupOf(pop("numerator", "0"), pop("denominator", "0"))), ""},
		{report(groupOf(pop("numerator", "3"), pop("denominator", "9"), pop("denominator-exclusion", "9"))), ""},
		{report(groupOf(pop("numerator", "3"), pop("numerator", "4"), pop("denominator", "9"))), ""},
		{report(groupOf(pop("numerator", "1e400"), pop("denominator", "9"))), ""},
		{report(groupOf(pop("numerator", `"MRN-SECRET"`), pop("denominator", "9"))), ""},
		// Scores with units, and scores that disagree with their counts.
		{report(`{"measureScore":{"value":64.3,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}`), ""},
		{report(`{"measureScore":{"value":0.643,"system":"http://unitsofmeasure.org","code":"1"},"population":[` + pop("numerator", "643") + `,` + pop("denominator", "1000") + `]}`), ""},
		{report(`{"measureScore":{"value":0.4,"unit":"1"},"population":[` + pop("numerator", "200") + `,` + pop("denominator", "500") + `,` + pop("denominator-exclusion", "100") + `]}`), ""},
		{`{"resourceType":"MeasureReport","status":"complete","period":{"end":"2026-09-30"},"extension":[{"url":"http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-measureScoring","valueCodeableConcept":{"coding":[{"code":"proportion"}]}}],"group":[{"measureScore":{"value":64.3}}]}`, ""},
		// Several groups, chosen by code, by system|code, by id, or not at all.
		{report(`{"id":"g1","code":{"coding":[{"system":"urn:x","code":"readmit-30d"}]},"measureScore":{"value":0.17}}`, `{"id":"g2","code":{"coding":[{"code":"MRN-SECRET"}]},"measureScore":{"value":0.2}}`), "readmit-30d"},
		{report(`{"id":"g1","code":{"coding":[{"system":"urn:x","code":"readmit-30d"}]},"measureScore":{"value":0.17}}`, `{"id":"g2","measureScore":{"value":0.2}}`), "urn:x|readmit-30d"},
		{report(`{"id":"g1","measureScore":{"value":0.17}}`, `{"id":"g2","measureScore":{"value":0.2}}`), "g2"},
		{report(`{"id":"g1","measureScore":{"value":0.17}}`, `{"id":"g2","measureScore":{"value":0.2}}`), ""},
		{`{"resourceType":"MeasureReport","status":"complete","type":"individual","period":{"end":"2026-09-30"},"group":[{"measureScore":{"value":1}}]}`, ""},
		{`{"resourceType":"MeasureReport","status":"complete","period":{"start":"2027-01-01","end":"2026-09-30"},"group":[{"measureScore":{"value":1}}]}`, ""},
		// Money scores (VBPR alternate-measurescore) and a contract
		// Measure listing weighted components.
		{report(`{"measureScore":{"extension":[{"url":"http://hl7.org/fhir/us/davinci-vbpr/StructureDefinition/alternate-measurescore","valueMoney":{"value":500,"currency":"USD"}}]}}`), ""},
		{report(`{"measureScore":{"extension":[{"url":"http://hl7.org/fhir/us/davinci-vbpr/StructureDefinition/alternate-measurescore","valueMoney":{"value":1e400,"currency":"MRN-SECRET"}}]}}`), ""},
		{`{"resourceType":"Measure","title":"C","relatedArtifact":[{"type":"composed-of","display":"M","resource":"` + fuzzMeasure + `","extension":[{"url":"http://hl7.org/fhir/us/davinci-vbpr/StructureDefinition/weight","valueDecimal":3},{"url":"http://hl7.org/fhir/us/davinci-vbpr/StructureDefinition/contractual-status","valueCodeableConcept":{"coding":[{"code":"contractual"}]}}]}]}`, ""},
	} {
		f.Add([]byte(s.body), s.group)
	}
	f.Fuzz(func(t *testing.T, body []byte, groupSel string) {
		obs, err := parse(body, groupSel)
		obs2, err2 := parse(body, groupSel)
		if !reflect.DeepEqual(obs, obs2) || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("two readings differ: %v %v / %v %v", obs, err, obs2, err2)
		}
		if err != nil {
			sourcestest.CheckError(t, err, string(body), groupSel)
			return
		}
		if math.IsNaN(obs.Value) || math.IsInf(obs.Value, 0) {
			t.Fatalf("value %v is not finite", obs.Value)
		}
		if obs.Time.Location() != time.UTC || obs.Time.Year() < 0 || obs.Time.Year() > 10000 {
			t.Fatalf("time %v is not a UTC period end within years 0..10000", obs.Time)
		}
		if obs.PeriodStart.After(obs.Time) {
			t.Fatalf("period starts at %v, after its end %v", obs.PeriodStart, obs.Time)
		}
		sourcestest.CheckCounts(t, obs, true)
		if obs.Currency != "" && len(obs.Currency) != 3 {
			t.Fatalf("currency %q is not an ISO 4217 code", obs.Currency)
		}
	})
}

// fuzzMeasure is the measure the fuzzed contract Measures are asked about.
const fuzzMeasure = "http://example.org/Measure/m|1"

// FuzzParse's bodies are also read as contract Measures: whatever they
// hold, a weight is finite and not negative, names fit the status, and
// errors never quote the answer.
func FuzzComponent(f *testing.F) {
	f.Add([]byte(`{"resourceType":"Measure","relatedArtifact":[{"type":"composed-of","resource":"` + fuzzMeasure + `","extension":[{"url":"http://hl7.org/fhir/us/davinci-vbpr/StructureDefinition/weight","valueDecimal":3}]}]}`))
	f.Add([]byte(`{"resourceType":"Measure","relatedArtifact":[{"type":"composed-of","resource":"MRN-SECRET"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := component(body, fuzzMeasure)
		if err != nil {
			sourcestest.CheckError(t, err, string(body), fuzzMeasure)
			return
		}
		if c.Weight != nil && (math.IsNaN(*c.Weight) || math.IsInf(*c.Weight, 0) || *c.Weight < 0) {
			t.Fatalf("weight %v", *c.Weight)
		}
		if math.IsNaN(c.ContractualWeight) || math.IsInf(c.ContractualWeight, 0) || c.ContractualWeight < 0 {
			t.Fatalf("contractual weight %v", c.ContractualWeight)
		}
		if len(c.Contract) > 128 || len(c.Display) > 128 || !utf8.ValidString(c.Contract) || !utf8.ValidString(c.Display) {
			t.Fatalf("names %q %q do not fit the status", c.Contract, c.Display)
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
			_, err := parse([]byte(body), "")
			if err == nil {
				t.Fatal("parse accepted the answer")
			}
			sourcestest.CheckError(t, err, body, "")
		})
	}
}
