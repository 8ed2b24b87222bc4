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
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// KPISpec converts the parts of a KPI's spec a chart needs (glide path,
// tolerance, unit, direction) as the reconciler does; an error names the
// offending field. It reads the same fields as controllers/inputs.go and
// should move with it into the shared conversion package.
func KPISpec(k *v1.KPI) (evaluate.KPISpec, error) {
	s := k.Spec
	bd, err := evaluate.ParseDate(string(s.Baseline.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.baseline.date: %w", err)
	}
	td, err := evaluate.ParseDate(string(s.Target.Date))
	if err != nil {
		return evaluate.KPISpec{}, fmt.Errorf("spec.target.date: %w", err)
	}
	var maxAge time.Duration
	if s.MaxAge != "" {
		if maxAge, err = evaluate.ParseDuration(string(s.MaxAge)); err != nil {
			return evaluate.KPISpec{}, fmt.Errorf("spec.maxAge: %w", err)
		}
	}
	return evaluate.KPISpec{
		DisplayName:          s.DisplayName,
		Unit:                 s.Unit,
		Direction:            evaluate.Direction(s.Direction),
		BaselineDate:         bd,
		Baseline:             s.Baseline.Value.AsApproximateFloat64(),
		TargetDate:           td,
		Target:               quantity(s.Target.Value),
		TargetMin:            quantity(s.Target.Min),
		TargetMax:            quantity(s.Target.Max),
		Tolerance:            quantity(s.Tolerance),
		MaxAge:               maxAge,
		BreachesBeforeAtRisk: int(max(s.BreachesBeforeAtRisk, 1)),
	}, nil
}

func quantity(q *resource.Quantity) float64 {
	if q == nil {
		return 0
	}
	return q.AsApproximateFloat64()
}

// History reads the observations kept in a KPI's status, skipping values
// the operator would not have written.
func History(h []v1.KPISample) []evaluate.Observation {
	out := make([]evaluate.Observation, 0, len(h))
	for _, s := range h {
		q, err := resource.ParseQuantity(s.Value)
		if err != nil {
			continue
		}
		out = append(out, evaluate.Observation{Time: s.Time.UTC(), Value: q.AsApproximateFloat64()})
	}
	return out
}
