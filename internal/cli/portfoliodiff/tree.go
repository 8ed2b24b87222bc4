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
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// This file finds every difference between two objects as a list of
// leaves, so that no change goes unreported; semantics.go then says what
// each leaf means.

// leaf is one difference: a value at path that is absent (nil) on one side
// or differs between the two.
type leaf struct {
	path          string
	before, after any
}

// tree renders an object as the generic tree it is compared on: its
// labels and spec, through the typed API so that equal quantities written
// differently ("1.2M", "1200k") compare equal. Status is not compared.
func tree(obj any) map[string]any {
	raw, err := json.Marshal(obj)
	if err != nil {
		// The API types always marshal; a failure is a programming error.
		panic(fmt.Sprintf("marshal %T: %v", obj, err))
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		panic(fmt.Sprintf("unmarshal %T: %v", obj, err))
	}
	out := map[string]any{"spec": m["spec"]}
	if md, ok := m["metadata"].(map[string]any); ok && md["labels"] != nil {
		out["metadata"] = map[string]any{"labels": md["labels"]}
	}
	return out
}

// diffTrees appends the differences between a and b under path.
func diffTrees(path string, a, b any, out *[]leaf) {
	switch {
	case reflect.DeepEqual(a, b):
		return
	case a == nil || b == nil:
		*out = append(*out, leaf{path, a, b})
		return
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		for _, k := range unionKeys(am, bm) {
			diffTrees(join(path, k), am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok {
		diffLists(path, al, bl, out)
		return
	}
	*out = append(*out, leaf{path, a, b})
}

// diffLists matches list items by a key field when they have one, so that
// inserting a partner does not read as every later partner changing.
// Lists of plain values are compared as sets.
func diffLists(path string, a, b []any, out *[]leaf) {
	if scalars(a) && scalars(b) {
		for _, v := range a {
			if !contains(b, v) {
				*out = append(*out, leaf{path, v, nil})
			}
		}
		for _, v := range b {
			if !contains(a, v) {
				*out = append(*out, leaf{path, nil, v})
			}
		}
		return
	}
	field := listKey(a, b)
	if field == "" {
		for i := 0; i < max(len(a), len(b)); i++ {
			var x, y any
			if i < len(a) {
				x = a[i]
			}
			if i < len(b) {
				y = b[i]
			}
			diffTrees(fmt.Sprintf("%s[%d]", path, i), x, y, out)
		}
		return
	}
	am, bm := byKey(a, field), byKey(b, field)
	for _, k := range unionKeys(am, bm) {
		diffTrees(path+"["+k+"]", am[k], bm[k], out)
	}
}

// listKeys are the fields that identify list items in the Accord API, in
// order of preference: partners, KPI refs, headers and attendees have a
// name, documents a title, reported values a period end.
var listKeys = []string{"name", "title", "periodEnd"}

// listKey returns the first key field that every item of both lists has,
// with no value repeated within a list, or "".
func listKey(a, b []any) string {
	for _, f := range listKeys {
		if uniqueStrings(a, f) && uniqueStrings(b, f) {
			return f
		}
	}
	return ""
}

func uniqueStrings(l []any, field string) bool {
	seen := map[string]bool{}
	for _, item := range l {
		m, ok := item.(map[string]any)
		if !ok {
			return false
		}
		s, ok := m[field].(string)
		if !ok || seen[s] {
			return false
		}
		seen[s] = true
	}
	return true
}

func byKey(l []any, field string) map[string]any {
	out := map[string]any{}
	for _, item := range l {
		m := item.(map[string]any)
		out[m[field].(string)] = m
	}
	return out
}

func scalars(l []any) bool {
	for _, v := range l {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func contains(l []any, v any) bool {
	for _, x := range l {
		if reflect.DeepEqual(x, v) {
			return true
		}
	}
	return false
}

func unionKeys(a, b map[string]any) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// render formats a generic value compactly on one line: scalars as they
// are, maps as {k: v, ...} with sorted keys, lists as [a, b].
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ": " + render(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = render(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	default:
		return fmt.Sprint(x)
	}
}
