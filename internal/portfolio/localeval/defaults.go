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

package localeval

import (
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// crdDefaults are the `default:` values of the CRDs in config/crd/bases,
// by kind and field path ("[]" stands for every item of a list). The API
// server fills them in on create; a file read offline lacks them. A test
// compares this table with the CRDs, so it cannot drift from them.
var crdDefaults = map[string]map[string]any{
	"KPI": {
		"spec.evaluationInterval":   "1h",
		"spec.maxAge":               "2d",
		"spec.breachesBeforeAtRisk": int64(2),
		"spec.historyLimit":         int64(30),
	},
	"MetricSource": {
		"spec.timeout":          "10s",
		"spec.minInterval":      "1m",
		"spec.maxResponseBytes": int64(1048576),
		"spec.maxConcurrency":   int64(4),
	},
	"Objective": {
		"spec.atRiskBelow":   int64(70),
		"spec.kpis[].weight": int64(1),
	},
	"Partnership": {
		"spec.reviewCadence":                "P3M",
		"spec.escalateAfter":                "P30D",
		"spec.desiredPhase":                 "Active",
		"spec.agreement.financial.currency": "USD",
	},
	"Portfolio": {
		"spec.worstItems": int64(5),
	},
}

// applyDefaults sets the CRD default of every absent field whose parent
// exists, as the API server's structural defaulting does.
func applyDefaults(u *unstructured.Unstructured) {
	for path, value := range crdDefaults[u.GetKind()] {
		setDefault(u.Object, strings.Split(path, "."), value)
	}
}

func setDefault(obj map[string]any, path []string, value any) {
	field := path[0]
	if len(path) == 1 {
		if _, ok := obj[field]; !ok {
			obj[field] = value
		}
		return
	}
	if strings.HasSuffix(field, "[]") {
		items, _ := obj[strings.TrimSuffix(field, "[]")].([]any)
		for _, it := range items {
			if m, ok := it.(map[string]any); ok {
				setDefault(m, path[1:], value)
			}
		}
		return
	}
	if child, ok := obj[field].(map[string]any); ok {
		setDefault(child, path[1:], value)
	}
}
