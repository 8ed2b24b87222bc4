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

// Package sampleedit rewrites sample objects for tests that put hostile
// text into free-text fields or point a KPI at a live source: the
// dashboard's and the review pack's escaping and no-leak tests share it.
package sampleedit

import (
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// Field is one free-text field of a sample object: its kind and name, and
// its path, where a string is a map key and an int a list position.
type Field struct {
	Kind, Name string
	Path       []any
}

// PathString is the path as dotted text, e.g. spec.partners.1.name.
func PathString(path []any) string {
	parts := make([]string, 0, len(path))
	for _, p := range path {
		parts = append(parts, fmt.Sprint(p))
	}
	return strings.Join(parts, ".")
}

// Set sets a string at path in obj, walking maps and lists; it fails when
// the sample has no such field, so a renamed field cannot make a test
// silently check nothing.
func Set(obj map[string]any, path []any, value string) error {
	var cur any = obj
	for i, p := range path {
		last := i == len(path)-1
		switch key := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				return fmt.Errorf("sample has no map at %s", PathString(path[:i]))
			}
			if last {
				m[key] = value
				return nil
			}
			cur = m[key]
		case int:
			l, ok := cur.([]any)
			if !ok || key >= len(l) {
				return fmt.Errorf("sample has no %s", PathString(path[:i+1]))
			}
			if last {
				l[key] = value
				return nil
			}
			cur = l[key]
		}
		if cur == nil {
			return fmt.Errorf("sample has no %s", PathString(path[:i+1]))
		}
	}
	return nil
}

// LiveSource makes a sample KPI read the partner API named partner-api
// instead of values committed in git: query is the request path, the
// answer's {.rate} the value and {.observed} its time.
func LiveSource(u *unstructured.Unstructured, query string) {
	unstructured.RemoveNestedField(u.Object, "spec", "reported")
	_ = unstructured.SetNestedMap(u.Object, map[string]any{
		"sourceRef": map[string]any{"name": "partner-api"}, "query": query,
		"jsonPath": "{.rate}", "timestampJSONPath": "{.observed}",
	}, "spec", "source")
}
