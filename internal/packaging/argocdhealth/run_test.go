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

package argocdhealth

import (
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

func TestRunFollowsArgoCDsCallingConvention(t *testing.T) {
	obj := map[string]any{
		"metadata": map[string]any{"name": "x", "generation": int64(3)},
		"status": map[string]any{"conditions": []any{
			map[string]any{"type": "Ready", "status": "True"},
			map[string]any{"type": "Healthy", "status": "False"},
		}},
	}
	for _, c := range []struct {
		name, script string
		want         Status
		err          string
	}{
		{"obj is a global table, lists are 1-based, numbers are numbers",
			`return {status = "Healthy", message = obj.status.conditions[2].type .. " " .. tostring(obj.metadata.generation + 1)}`,
			Status{Healthy, "Healthy 4"}, ""},
		{"a missing message is empty", `return {status = "Progressing"}`, Status{Progressing, ""}, ""},
		{"an unknown status becomes Unknown, as in Argo CD", `return {status = "Fine"}`,
			Status{Unknown, "Lua returned an invalid health status"}, ""},
		{"the string library is not opened", `return {status = string.format("%s", "Healthy")}`,
			Status{}, "attempt to index a non-table object(nil) with key 'format'"},
		{"the os library is not opened", `return {status = os.getenv("HOME")}`,
			Status{}, "attempt to index a non-table object(nil) with key 'getenv'"},
		{"a script must return a table", `return "Healthy"`, Status{}, "health script returned string, want a table"},
		{"status must be a string", `return {status = 1}`, Status{}, "health script returned status = number, want a string"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Run(c.script, obj)
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
				t.Fatalf("error %v, want one containing %q", err, c.err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestRunStopsAScriptThatNeverEnds(t *testing.T) {
	start := time.Now()
	_, err := Run(`while true do end`, map[string]any{})
	if err == nil {
		t.Fatal("an endless script returned no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stopped after %s, want about the one-second limit", d)
	}
}

func TestConfigMapKeysNameTheGroupAndKind(t *testing.T) {
	if got := ConfigMapKey("MetricSource"); got != "resource.customizations.health.portfolio.accord.dev_MetricSource" {
		t.Errorf("key %q", got)
	}
	if got := ScriptFile("MetricSource"); got != "metricsource.lua" {
		t.Errorf("file %q", got)
	}
	if _, err := ConfigMap(map[string]string{"KPI": "return {}"}); err == nil || !strings.Contains(err.Error(), "no health script for Partnership") {
		t.Errorf("a missing script: %v", err)
	}
}

// Kinds keeps the ConfigMap's order by hand; it must still name every kind
// the API has, and no other.
func TestKindsAreTheAPIsKinds(t *testing.T) {
	got := slices.Sorted(slices.Values(Kinds))
	if want := v1.Kinds(); !slices.Equal(got, want) {
		t.Fatalf("argocdhealth.Kinds = %v, the API's kinds are %v", got, want)
	}
}
