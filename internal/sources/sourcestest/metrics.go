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

package sourcestest

import (
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// Requests reads accord_source_requests_total for the MetricSource
// namespace/name, every result summed, from the manager's registry. The
// counter is shared by every fetcher in the process: compare readings
// before and after.
func Requests(t testing.TB, namespace, name string) int {
	t.Helper()
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatalf("gather metrics: %v", err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() != "accord_source_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["namespace"] == namespace && labels["source"] == name {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return int(total)
}
