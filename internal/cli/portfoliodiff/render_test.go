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

package portfoliodiff

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestMarkdownHasSummaryTablesAndFindings(t *testing.T) {
	head := edit(t, portfolio, `value: "15.3"`, `value: "16"`)
	head = edit(t, head, `deadline: "2027-06-30"`, `deadline: "2027-12-31"`)
	head = edit(t, head, `displayName: Valley Integrated Care`, `displayName: Valley | Integrated <Care>`)
	r := Compare(snapshot(t, portfolio), snapshot(t, head))
	r.Base = Source{Name: "origin/main", Commit: "0123456789abcdef", Path: "config/samples"}
	r.Head = Source{Name: "HEAD", Commit: "fedcba9876543210", Path: "config/samples"}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, line := range []string{
		MarkdownMarker,
		"## Accord portfolio diff: `origin/main` (0123456) → `HEAD` (fedcba9)",
		"Compared `config/samples`.",
		"1 partnership changed, 1 target loosened, 1 deadline moved later; 3 changes in all.",
		"**Policy: 2 errors, 0 warnings.**",
		"### Valley \\| Integrated &lt;Care&gt; (`vicn`): changed",
		"| Objective `readmissions` | `spec.deadline` | later (+184 days) | 2027-06-30 | 2027-12-31 |",
		"| KPI `readmission-rate` | `spec.target.value` | loosened | 15.3% | 16% |",
		"| Partnership `vicn` | `spec.displayName` | changed | Valley Integrated Care | Valley \\| Integrated &lt;Care&gt; |",
		"| Severity | Rule | Partnership | Finding |",
		"| error | `unreviewed-loosening` | `vicn` | KPI readmission-rate: spec.target.value loosened from 15.3% to 16%, but",
	} {
		if !containsLine(md, line) {
			t.Errorf("Markdown lacks %q:\n%s", line, md)
		}
	}
}

// containsLine is true when a line of text starts with prefix.
func containsLine(text, prefix string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func TestMarkdownOfNoChangeSaysSo(t *testing.T) {
	r := Compare(snapshot(t, portfolio), snapshot(t, portfolio))
	r.Base, r.Head = Source{Name: "a"}, Source{Name: "b"}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := MarkdownMarker + "\n## Accord portfolio diff: `a` → `b`\n\nNo changes to the portfolio.\n\n**Policy: no findings.**\n"; b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestJSONShapeIsStable pins the documented field names of -o json.
func TestJSONShapeIsStable(t *testing.T) {
	r := Compare(snapshot(t, portfolio), snapshot(t, edit(t, portfolio, `deadline: "2027-06-30"`, `deadline: "2027-12-31"`)))
	r.Base, r.Head = Source{Name: "origin/main", Commit: "abc", Path: "p"}, Source{Name: "HEAD", Commit: "def", Path: "p"}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	keys := func(v any) []string {
		out := make([]string, 0, len(v.(map[string]any)))
		for k := range v.(map[string]any) {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	p := m["partnerships"].([]any)[0]
	checks := map[string]struct {
		got  []string
		want []string
	}{
		"report":      {keys(m), []string{"base", "findings", "head", "partnerships", "summary"}},
		"source":      {keys(m["base"]), []string{"commit", "name", "path"}},
		"summary":     {keys(m["summary"]), []string{"changes", "deadlinesEarlier", "deadlinesLater", "errors", "kpisAdded", "kpisRemoved", "objectivesAdded", "objectivesRemoved", "partnershipsAdded", "partnershipsChanged", "partnershipsRemoved", "reviewsRecorded", "targetsLoosened", "targetsTightened", "warnings"}},
		"partnership": {keys(p), []string{"changes", "displayName", "name", "status"}},
		"change":      {keys(p.(map[string]any)["changes"].([]any)[0]), []string{"after", "before", "change", "field", "kind", "name", "note"}},
		"finding":     {keys(m["findings"].([]any)[0]), []string{"kind", "message", "name", "partnership", "rule", "severity"}},
	}
	for name, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s keys = %v, want %v", name, c.got, c.want)
		}
	}
}

func TestJSONOfNoChangeHasEmptyListsNotNull(t *testing.T) {
	r := Compare(snapshot(t, portfolio), snapshot(t, portfolio))
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"partnerships": [],`) || !strings.Contains(b.String(), `"findings": []`) {
		t.Errorf("JSON = %s, want empty lists", b.String())
	}
}
