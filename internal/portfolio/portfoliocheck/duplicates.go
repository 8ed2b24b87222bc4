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

package portfoliocheck

import "fmt"

// duplicates finds objects defined more than once: applying both keeps
// only the last, silently.
func duplicates(p *portfolio) []Finding {
	var out []Finding
	for i, o := range p.objs {
		k := idOf(o)
		f := p.first[k]
		if f == i {
			continue
		}
		out = append(out, Finding{Key: o.Key, Severity: Error, Rule: RuleDuplicate, Field: "metadata.name",
			Message: fmt.Sprintf("Duplicate value: %q: %s %s/%s is already defined at %s; applying both would keep only the last",
				k.name, k.kind, k.namespace, k.name, p.objs[f].Origin)})
	}
	return out
}
