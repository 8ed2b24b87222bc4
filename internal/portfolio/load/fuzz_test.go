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
	"bytes"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// FuzzRead feeds arbitrary streams to the reader accordctl uses for every
// file. Properties: it never panics; every problem names the file and a
// document index in order; every document has a string apiVersion and
// kind, survives the deep copy and JSON round trip the validators make,
// and reading is deterministic.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"apiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata:\n  name: a\nspec:\n  baseline: 18\n",
		"---\n# only a comment\n---\napiVersion: v1\nkind: Secret\nstringData: {token: x}\n---\n",
		"apiVersion: v1\nkind: [1, 2]\n",
		"apiVersion: 1\nkind: KPI\n",
		"- a\n- b\n",
		"{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"k\":1e400}}",
		"apiVersion: v1\nkind: KPI\nmetadata: {name: &a [*a]}\n",
		"apiVersion: v1\nkind: KPI\nspec:\n\tbad: tab\n",
		"a: b\n---\n---\nc: [\n",
		"apiVersion: v1\nkind: KPI\nmetadata:\n  name: x\n  labels: {? [a] : b}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, bad := Read("fuzz.yaml", bytes.NewReader(data))
		docs2, bad2 := Read("fuzz.yaml", bytes.NewReader(data))
		if len(docs) != len(docs2) || len(bad) != len(bad2) {
			t.Fatalf("two readings differ: %d/%d documents, %d/%d problems", len(docs), len(docs2), len(bad), len(bad2))
		}
		last := -1
		for _, e := range bad {
			if e.File != "fuzz.yaml" || e.Index < -1 || !strings.HasPrefix(e.Error(), "fuzz.yaml") {
				t.Fatalf("problem %q does not name the file and a document index", e)
			}
		}
		for _, d := range docs {
			if d.Index <= last {
				t.Fatalf("document indexes out of order: %d after %d", d.Index, last)
			}
			last = d.Index
			if d.Object.GetAPIVersion() == "" || d.Object.GetKind() == "" {
				t.Fatalf("document %s has no apiVersion or kind", d.Where())
			}
			cp := d.Object.DeepCopy()
			js, err := cp.MarshalJSON()
			if err != nil {
				t.Fatalf("document %s does not encode to JSON: %v", d.Where(), err)
			}
			var back unstructured.Unstructured
			if err := back.UnmarshalJSON(js); err != nil {
				t.Fatalf("document %s does not decode from its own JSON: %v", d.Where(), err)
			}
		}
	})
}
