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
	"fmt"
	"slices"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"

	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// unknownFieldMessage explains an unknown field and, when the schema has a
// field of a similar name at the same place, suggests it: most unknown
// fields are typos or wrong capitalisation.
func unknownFieldMessage(root *structuralschema.Structural, path string) string {
	msg := `Unknown field: the schema does not declare it, and the API server rejects it under strict field validation`
	parent, name := parentSchema(root, path)
	if parent == nil || len(parent.Properties) == 0 {
		return msg
	}
	known := make([]string, 0, len(parent.Properties))
	for k := range parent.Properties {
		known = append(known, k)
	}
	slices.Sort(known)
	if s := suggest.Closest(name, known); s != "" {
		return fmt.Sprintf("%s; did you mean %q?", msg, s)
	}
	return fmt.Sprintf("%s; known fields here: %s", msg, strings.Join(known, ", "))
}

// parentSchema walks a pruning path such as "spec.partners[1].nme" down the
// schema and returns the schema of the object holding the last field, and
// that field's name.
func parentSchema(root *structuralschema.Structural, path string) (*structuralschema.Structural, string) {
	steps := strings.Split(path, ".")
	s := root
	for _, step := range steps[:len(steps)-1] {
		name, indexed := step, false
		if before, _, cut := strings.Cut(step, "["); cut {
			name, indexed = before, true
		}
		p, ok := s.Properties[name]
		if !ok {
			return nil, ""
		}
		s = &p
		for ; indexed && s != nil; indexed = false {
			s = s.Items
		}
		if s == nil {
			return nil, ""
		}
	}
	return s, steps[len(steps)-1]
}
