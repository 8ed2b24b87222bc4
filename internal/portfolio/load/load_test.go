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

package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPathsReadsEverySampleDocument(t *testing.T) {
	docs, bad, err := Paths([]string{"../../../config/samples"}, nil)
	if err != nil || len(bad) > 0 {
		t.Fatalf("samples: err=%v bad=%v", err, bad)
	}
	kinds := map[string]int{}
	for _, d := range docs {
		kinds[d.Object.GetKind()]++
		if d.Object.GetName() == "" {
			t.Errorf("%s has no name", d.Where())
		}
	}
	// Every kind is in the samples; kustomization.yaml is not an object.
	for _, k := range []string{"Partnership", "Objective", "KPI", "MetricSource", "Review", "Portfolio"} {
		if kinds[k] == 0 {
			t.Errorf("no %s loaded from the samples (got %v)", k, kinds)
		}
	}
	if kinds["Kustomization"] > 0 {
		t.Errorf("kustomization.yaml loaded as an object")
	}
}

func TestReadNamesFileAndDocumentOfEachProblem(t *testing.T) {
	cases := []struct {
		name, in  string
		wantDocs  int
		wantError string // substring of the single error
	}{
		{"two documents and comments", "# c\n---\napiVersion: v1\nkind: A\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: B\n", 2, ""},
		{"syntax error names the document", "apiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: [\n", 1, "f.yaml#1: YAML syntax"},
		{"missing kind", "apiVersion: v1\nmetadata: {name: a}\n", 0, "f.yaml#0: kind: Required value"},
		{"missing apiVersion", "kind: A\n", 0, "f.yaml#0: apiVersion: Required value"},
		{"a list is not an object", "- a\n- b\n", 0, "f.yaml#0: YAML syntax"},
		{"JSON works too", "{\"apiVersion\":\"v1\",\"kind\":\"A\"}", 1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs, bad := Read("f.yaml", strings.NewReader(tc.in))
			if len(docs) != tc.wantDocs {
				t.Errorf("got %d documents, want %d", len(docs), tc.wantDocs)
			}
			switch {
			case tc.wantError == "" && len(bad) > 0:
				t.Errorf("unexpected errors: %v", bad)
			case tc.wantError != "" && (len(bad) != 1 || !strings.Contains(bad[0].Error(), tc.wantError)):
				t.Errorf("errors %v, want one containing %q", bad, tc.wantError)
			}
		})
	}
}

func TestPathsMissingFileIsAnIOError(t *testing.T) {
	_, _, err := Paths([]string{filepath.Join(t.TempDir(), "nope.yaml")}, nil)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestPathsSkipsHiddenDirectoriesAndOtherFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	obj := "apiVersion: v1\nkind: A\nmetadata: {name: x}\n"
	write("a.yaml", obj)
	write("sub/b.yml", obj)
	write(".git/c.yaml", obj)
	write("README.md", "not yaml")
	docs, bad, err := Paths([]string{dir}, nil)
	if err != nil || len(bad) > 0 || len(docs) != 2 {
		t.Fatalf("docs=%d bad=%v err=%v, want 2 documents", len(docs), bad, err)
	}
}
