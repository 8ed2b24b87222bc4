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

package schemacheck

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func object(t *testing.T, doc string) *unstructured.Unstructured {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
		t.Fatal(err)
	}
	return &unstructured.Unstructured{Object: m}
}

const validReview = `apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: q3}
spec:
  partnershipRef: {name: valley}
  date: "2026-09-18"
  decision: Continue
  attendees: [{name: Dana, organization: Valley}]
status: {conditions: []}
`

// A valid object comes back as the API server would store it: in the
// default namespace, status dropped on create.
func TestCheckReturnsTheObjectAsStored(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	res := c.Check(object(t, validReview), "team")
	if len(res.Problems) != 0 || res.Incomplete || res.Skipped != "" {
		t.Fatalf("problems %v incomplete %v skipped %q", res.Problems, res.Incomplete, res.Skipped)
	}
	if res.Object.GetNamespace() != "team" {
		t.Errorf("namespace %q, want team", res.Object.GetNamespace())
	}
	if _, ok := res.Object.Object["status"]; ok {
		t.Errorf("status kept: the status subresource drops it on create")
	}
}

func TestCheckReportsEachFamilyWithItsField(t *testing.T) {
	cases := []struct {
		name       string
		from, to   string
		check      Check
		field      string
		message    string
		incomplete bool
	}{
		{"typo gets a suggestion", "decision: Continue", "decision: Continue\n  atendees: []", CheckUnknownField, "spec.atendees", `did you mean "attendees"?`, false},
		{"enum blocks CEL", "decision: Continue", "decision: Maybe", CheckSchema, "spec.decision", `Unsupported value: "Maybe"`, true},
		{"CEL rule", "decision: Continue", "decision: Exit", CheckCEL, "spec.exitDate", "spec.exitDate is required when decision is Exit", false},
		{"kind alias", "kind: Review", "kind: reviews", CheckKind, "kind", `did you mean "Review"?`, false},
		{"unserved version", "v1alpha1", "v1", CheckKind, "apiVersion", `supported values: "portfolio.accord.dev/v1alpha1"`, false},
	}
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := c.Check(object(t, strings.Replace(validReview, tc.from, tc.to, 1)), "team")
			if len(res.Problems) != 1 {
				t.Fatalf("problems %v, want one", res.Problems)
			}
			p := res.Problems[0]
			if p.Check != tc.check || p.Field != tc.field || !strings.Contains(p.Message, tc.message) || res.Incomplete != tc.incomplete {
				t.Errorf("got %s %s %q incomplete %v, want %s %s %q incomplete %v", p.Check, p.Field, p.Message, res.Incomplete, tc.check, tc.field, tc.message, tc.incomplete)
			}
		})
	}
}

// Other groups are not Accord's to judge, but a near miss of the group is.
func TestCheckSkipsOtherGroupsOnly(t *testing.T) {
	c, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	cm := c.Check(object(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"), "team")
	if cm.Skipped == "" || len(cm.Problems) != 0 {
		t.Errorf("ConfigMap: skipped %q problems %v", cm.Skipped, cm.Problems)
	}
	miss := c.Check(object(t, strings.Replace(validReview, "portfolio.accord.dev", "accord.dev", 1)), "team")
	if miss.Skipped != "" || len(miss.Problems) != 1 || miss.Problems[0].Check != CheckKind {
		t.Errorf("accord.dev: skipped %q problems %v", miss.Skipped, miss.Problems)
	}
}
