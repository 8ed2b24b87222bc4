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

package fetch

import (
	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Metrics of the fetcher, on controller-runtime's registry (the manager's
// /metrics). Labels name sources and reasons only, never a query: a query
// may carry an identifier.
var (
	requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "accord_source_requests_total",
		Help: `Requests made to live metric sources, by MetricSource and result ("Success" or the failure's reason). KPIs sharing a (source, query) pair share one request per minInterval.`,
	}, []string{"namespace", "source", "result"})
	cachedAnswers = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "accord_source_cached_answers",
		Help: "Answers of live metric sources held in the fetcher's cache, one per (source, query) pair in use.",
	})
)

// resultSuccess is the result label of a request that answered.
const resultSuccess = "Success"

func init() {
	metrics.Registry.MustRegister(requests, cachedAnswers)
}
