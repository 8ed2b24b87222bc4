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
	"math"

	"github.com/prometheus/common/model"

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// observation turns a query result into a KPI value: a scalar, or a vector
// with exactly one series. sampleTime gives the time of a vector's sample
// from its evaluation time (Fetch asks Prometheus with timestamp()). It
// touches no network, so it can be fuzzed on its own; its errors name the
// query and the shape of the result, never labels or values.
func observation(val model.Value, q string, sampleTime func(model.Time) model.Time) (evaluate.Observation, error) {
	switch v := val.(type) {
	case *model.Scalar:
		return sample(float64(v.Value), v.Timestamp, q)
	case model.Vector:
		switch len(v) {
		case 0:
			return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "query %q returned no series", q)
		case 1:
			return sample(float64(v[0].Value), sampleTime(v[0].Timestamp), q)
		default:
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "query %q returned %d series; aggregate it to one (e.g. with sum or avg)", q, len(v))
		}
	default:
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "query %q returned a %s; want a scalar or one series", q, val.Type())
	}
}

// timestampOf reads the answer to timestamp(q): one series whose value is
// Unix seconds. Anything else leaves the evaluation time.
func timestampOf(val model.Value, eval model.Time) model.Time {
	if v, ok := val.(model.Vector); ok && len(v) == 1 && !math.IsNaN(float64(v[0].Value)) {
		// Seconds with millisecond decimals: rounding keeps the millisecond
		// that float arithmetic would otherwise truncate to the one before.
		return model.Time(math.Round(float64(v[0].Value) * 1e3))
	}
	return eval
}

func sample(v float64, ts model.Time, q string) (evaluate.Observation, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "query %q returned %v, not a finite number", q, v)
	}
	return evaluate.Observation{Time: ts.Time().UTC(), Value: v}, nil
}
