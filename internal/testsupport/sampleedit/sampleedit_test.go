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

package sampleedit

import (
	"testing"
)

func TestSetWritesExistingFieldsAndRefusesMissingOnes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		path    []any
		wantErr string
	}{
		{name: "a map key", path: []any{"spec", "purpose"}},
		{name: "a list element's key", path: []any{"spec", "partners", 1, "name"}},
		{name: "a list element", path: []any{"spec", "purposes", 0}},
		{name: "a missing map", path: []any{"spec", "agreement", "title"}, wantErr: "sample has no spec.agreement"},
		{name: "a list position past the end", path: []any{"spec", "partners", 2, "name"}, wantErr: "sample has no spec.partners.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			obj := map[string]any{"spec": map[string]any{
				"purpose":  "old",
				"purposes": []any{"old"},
				"partners": []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}},
			}}
			err := Set(obj, tc.path, "new")
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr {
					t.Fatalf("err = %v; want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var cur any = obj
			for _, p := range tc.path {
				switch k := p.(type) {
				case string:
					cur = cur.(map[string]any)[k]
				case int:
					cur = cur.([]any)[k]
				}
			}
			if cur != "new" {
				t.Fatalf("%s = %v; want new", PathString(tc.path), cur)
			}
		})
	}
}
