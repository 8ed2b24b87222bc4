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

package assess

import (
	"context"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Fetcher reads the latest value of a KPI's query from a live metric
// source (*fetch.Fetcher is one).
type Fetcher interface {
	Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error)
}

// ObserveKPI is the KPI's observation pipeline, the same for the
// reconciler and accordctl: it gathers the values reported in git or the
// history kept in status (Observations), and for a live source fetches a
// fresh value through f, turning a failure into the KPI's data problem
// (FetchProblem) or merging the value into the history (MergeObservation),
// whole. src is the MetricSource the KPI names, nil when it names none or
// the named one does not exist. f nil means live sources are not read
// here; withoutFetcher then says what the KPI shows instead.
func ObserveKPI(ctx context.Context, kpi *v1.KPI, src *v1.MetricSource, f Fetcher, withoutFetcher func(src *v1.MetricSource) *DataProblem) ([]evaluate.Observation, *DataProblem) {
	obs, problem, live := Observations(kpi, src)
	if !live {
		return obs, problem
	}
	if f == nil {
		return obs, withoutFetcher(src)
	}
	o, err := f.Fetch(ctx, src, kpi.Spec.Source)
	if err != nil {
		return obs, FetchProblem(src, err)
	}
	return MergeObservation(obs, o), nil
}
