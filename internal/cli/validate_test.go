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

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/packaging/manifests"
)

// kustomizeYAML renders a kustomize tree as kustomize build prints it.
func kustomizeYAML(t *testing.T, dir string) string {
	t.Helper()
	objs, err := manifests.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, o := range objs {
		y, err := yaml.Marshal(o.Object)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString("---\n")
		b.Write(y)
	}
	return b.String()
}

func validateRun(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb strings.Builder
	code = Execute(append([]string{"accordctl", "validate"}, args...), Streams{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// The shipped samples and the demo (samples plus live KPIs, built with
// kustomize and piped in as CI would) are valid even under --strict.
func TestValidateAcceptsTheSamplesAndTheDemo(t *testing.T) {
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"samples directory", "", []string{"--strict", "../../config/samples"}},
		{"samples kustomize build on stdin", kustomizeYAML(t, "../../config/samples"), []string{"--strict", "-"}},
		{"demo kustomize build on stdin", kustomizeYAML(t, "../../config/demo"), []string{"--strict", "-"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := validateRun(tc.stdin, tc.args...)
			if code != ExitOK || !strings.Contains(out, "valid: 0 errors, 0 warnings") {
				t.Fatalf("exit %d, want 0\n%s%s", code, out, errOut)
			}
		})
	}
	// Every sample file is read: the directory run counts them all.
	files, _ := filepath.Glob("../../config/samples/*.yaml")
	_, out, _ := validateRun("", "-o", "json", "../../config/samples")
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if want := len(files) - 1; rep.Summary.Files != want || rep.Summary.Objects < 20 || !rep.Valid { // minus kustomization.yaml
		t.Errorf("summary %+v, want %d files, 20+ objects, valid", rep.Summary, want)
	}
}

// The demo's live KPIs on their own point at sources and objectives that
// only the rest of the portfolio defines: validating a fragment says so.
func TestValidateNamesDocumentKindFieldAndRule(t *testing.T) {
	code, out, errOut := validateRun("", "../../config/demo/live-kpis.yaml")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	want := `../../config/demo/live-kpis.yaml#2 KPI/mpop-controlling-bp: error: spec.source.sourceRef.name: Not found: "heartland-quality-fhir": no MetricSource "heartland-quality-fhir" in namespace default among the objects validated [dangling-ref]`
	if !strings.Contains(out, want+"\n") {
		t.Errorf("output lacks\n%s\ngot\n%s", want, out)
	}
	if !strings.Contains(errOut, "validation failed: 3 errors") {
		t.Errorf("stderr %q", errOut)
	}
}

// -o json carries the same findings with each part in its own field.
func TestValidateJSONHasOneRecordPerFinding(t *testing.T) {
	doc := `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: q3, namespace: team}
spec:
  partnershipRef: {name: valley}
  date: "2026-09-18"
  decision: Carry on
  attendees: [{name: Dana, organization: Valley}]
`
	code, out, _ := validateRun(doc, "-o", "json", "-")
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1\n%s", code, out)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	got := make([]string, 0, len(rep.Findings))
	for _, f := range rep.Findings {
		got = append(got, strings.Join([]string{f.Severity, f.Check, f.File, string(rune('0' + f.Index)), f.Kind, f.Namespace, f.Name, f.Field}, " "))
	}
	want := []string{
		"note skipped - 0 ConfigMap  settings ",
		"error schema - 1 Review team q3 spec.decision",
		"note incomplete - 1 Review team q3 ",
		"error dangling-ref - 1 Review team q3 spec.partnershipRef.name",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rep.Valid || rep.Summary.Errors != 2 || rep.Summary.Skipped != 1 || rep.Summary.Objects != 1 {
		t.Errorf("summary %+v valid %v", rep.Summary, rep.Valid)
	}
	if !strings.Contains(rep.Findings[1].Message, `Unsupported value: "Carry on": supported values:`) {
		t.Errorf("message %q", rep.Findings[1].Message)
	}
}

// Broken invocations exit 2 with a message, never 1: CI must tell a bad
// portfolio from a bad pipeline.
func TestValidateUsageAndIOErrorsExit2(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no path", nil, "requires at least 1 arg"},
		{"missing file", []string{filepath.Join(dir, "nope.yaml")}, "nope.yaml: no such file or directory"},
		{"unknown output", []string{"-o", "xml", "../../config/samples"}, `--output "xml": must be text or json`},
		{"bad namespace", []string{"-n", "Team_A", "../../config/samples"}, `--namespace "Team_A"`},
		{"directory without YAML", []string{dir}, "no YAML or JSON documents found"},
		{"unknown flag", []string{"--schema", "x", "../../config/samples"}, "unknown flag: --schema"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := validateRun("", tc.args...)
			if code != ExitUsage || !strings.Contains(errOut, tc.wantErr) {
				t.Errorf("exit %d stderr %q, want 2 and %q", code, errOut, tc.wantErr)
			}
		})
	}
}

// Warnings fail only under --strict; an explicit --namespace that differs
// from an object's own is an error, as kubectl apply -n would refuse it.
func TestValidateStrictAndNamespace(t *testing.T) {
	kpi := `apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: spare, namespace: team}
spec:
  displayName: Spare
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15", date: "2027-06-30"}
  reported: [{value: "17", periodStart: "2025-07-01", periodEnd: "2025-09-30", reportedBy: Quality office}]
`
	cases := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"warning alone passes", []string{"-"}, ExitOK, "warning: metadata.name: no Objective lists this KPI"},
		{"warning fails under strict", []string{"--strict", "-"}, ExitFindings, "invalid: 0 errors, 1 warning"},
		{"same namespace", []string{"-n", "team", "-"}, ExitOK, "valid: 0 errors"},
		{"other namespace", []string{"-n", "prod", "-"}, ExitFindings, `metadata.namespace: Invalid value: "team": differs from --namespace "prod"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := validateRun(kpi, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, want %d and %q\n%s%s", code, tc.wantCode, tc.want, out, errOut)
			}
		})
	}
}
