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

package prometheus

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

// decodeResult decodes the data part of a /api/v1/query answer the way the
// API client does: the result type picks the Go type the result decodes
// into.
func decodeResult(resultType string, result []byte) (model.Value, bool) {
	var v model.Value
	switch resultType {
	case "scalar":
		v = new(model.Scalar)
	case "vector":
		v = new(model.Vector)
	case "matrix":
		v = new(model.Matrix)
	case "string":
		v = new(model.String)
	default:
		return nil, false
	}
	if err := json.Unmarshal(result, v); err != nil {
		return nil, false
	}
	if p, ok := v.(*model.Vector); ok {
		return *p, true
	}
	if p, ok := v.(*model.Matrix); ok {
		return *p, true
	}
	return v, true
}

// FuzzObservation feeds arbitrary query results to the reading a Fetch
// performs after the API call, alone or as a rate's numerator with a
// second result as its denominator. Properties: a value is finite; its
// time is the sample's (or, for a vector, what timestamp() answered), a
// rate's the older of its two; counts are 0 or more, the numerator at most
// the denominator, which is above 0; an error keeps the providers'
// contract and never quotes labels or values.
func FuzzObservation(f *testing.F) {
	for _, s := range []struct{ typ, result, ts, denTyp, den string }{
		{"vector", `[{"metric":{},"value":[1767225600,"97.75"]}]`, `[{"metric":{},"value":[1767225600,"1767225540"]}]`, "", ``},
		{"scalar", `[1767225600.123,"0.5"]`, ``, "", ``},
		{"vector", `[]`, ``, "", ``},
		{"vector", `[{"metric":{"patient":"MRN-SECRET"},"value":[1,"NaN"]}]`, `[]`, "", ``},
		{"vector", `[{"metric":{"patient":"MRN-SECRET"},"value":[1,"1"]},{"metric":{"patient":"x"},"value":[1,"2"]}]`, ``, "", ``},
		{"vector", `[{"metric":{},"value":[1,"+Inf"]}]`, `[{"metric":{},"value":[1,"-1e300"]}]`, "", ``},
		{"matrix", `[{"metric":{"mrn":"MRN-SECRET"},"values":[[1,"1"]]}]`, ``, "", ``},
		{"string", `[1,"MRN-SECRET"]`, ``, "", ``},
		// Rates: counts read at one instant, and the ways they fail.
		{"vector", `[{"metric":{},"value":[1767225600,"70"]}]`, ``, "vector", `[{"metric":{},"value":[1767225600,"400"]}]`},
		{"scalar", `[1767225600,"41.7"]`, ``, "scalar", `[1767225540,"399.2"]`},
		{"vector", `[{"metric":{},"value":[1,"-3"]}]`, ``, "vector", `[{"metric":{},"value":[1,"40"]}]`},
		{"vector", `[{"metric":{},"value":[1,"41"]}]`, ``, "vector", `[{"metric":{},"value":[1,"40"]}]`},
		{"vector", `[{"metric":{},"value":[1,"0"]}]`, ``, "vector", `[{"metric":{},"value":[1,"0"]}]`},
		{"vector", `[{"metric":{},"value":[1,"7"]}]`, ``, "vector", `[{"metric":{"mrn":"MRN-SECRET"},"value":[1,"NaN"]}]`},
		{"vector", `[{"metric":{},"value":[1,"7"]}]`, ``, "vector", `[]`},
		{"vector", `[{"metric":{},"value":[1,"7"]}]`, ``, "string", `[1,"MRN-SECRET"]`},
	} {
		f.Add(s.typ, []byte(s.result), []byte(s.ts), "avg(accord_demo_value)", s.denTyp, []byte(s.den))
	}
	f.Fuzz(func(t *testing.T, typ string, result, tsResult []byte, q, denTyp string, denResult []byte) {
		val, ok := decodeResult(typ, result)
		if !ok {
			return
		}
		eval := model.TimeFromUnixNano(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC).UnixNano())
		sampleTime := func(model.Time) model.Time {
			if tv, ok := decodeResult("vector", tsResult); ok {
				return timestampOf(tv, eval)
			}
			return eval
		}
		obs, err := observation(val, q, sampleTime)
		if err != nil {
			sourcestest.CheckError(t, err, string(result), q)
			return
		}
		if math.IsNaN(obs.Value) || math.IsInf(obs.Value, 0) {
			t.Fatalf("value %v is not finite", obs.Value)
		}
		if obs.Time.Location() != time.UTC {
			t.Fatalf("time %v is not UTC", obs.Time)
		}
		denVal, ok := decodeResult(denTyp, denResult)
		if !ok {
			return
		}
		den, err := observation(denVal, "sum(accord_discharges)", func(model.Time) model.Time { return eval })
		if err != nil {
			sourcestest.CheckError(t, err, string(denResult), "sum(accord_discharges)")
			return
		}
		r, err := rate(obs, den)
		if err != nil {
			sourcestest.CheckError(t, err, string(result)+string(denResult), q)
			return
		}
		if r.Time.After(obs.Time) || r.Time.After(den.Time) {
			t.Fatalf("rate observed at %v, after one of its counts (%v, %v)", r.Time, obs.Time, den.Time)
		}
		sourcestest.CheckCounts(t, r, false)
	})
}
