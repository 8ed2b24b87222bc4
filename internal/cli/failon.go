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
	"fmt"
	"slices"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/cli/portfoliotree"
)

// failOnChoices are the values of --fail-on and the condition each one
// looks for.
var failOnChoices = []struct {
	name, condition, status string
}{
	{"AtRisk", v1.ConditionAtRisk, "True"},
	{"ReviewDue", v1.ConditionReviewDue, "True"},
	{"NotReady", v1.ConditionReady, "False"},
}

// failOn is the --fail-on flag: the conditions that make the command exit
// 1 (ExitFindings) after printing the tree, so CI can gate on them.
type failOn []string

// String lists the chosen conditions.
func (f *failOn) String() string { return strings.Join(*f, ",") }

// Set adds comma-separated choices; an unknown one names what is allowed.
func (f *failOn) Set(v string) error {
	for name := range strings.SplitSeq(v, ",") {
		name = strings.TrimSpace(name)
		i := slices.IndexFunc(failOnChoices, func(c struct{ name, condition, status string }) bool { return c.name == name })
		if i < 0 {
			return fmt.Errorf("%q is not a choice: want one or more of AtRisk, ReviewDue, NotReady, comma-separated", name)
		}
		if !slices.Contains(*f, name) {
			*f = append(*f, name)
		}
	}
	return nil
}

// Type names the flag's value in help.
func (f *failOn) Type() string { return "conditions" }

// check returns a findings error naming every object in the trees that
// has a chosen condition, each once (a KPI under two objectives counts
// once), or nil.
func (f failOn) check(roots []*portfoliotree.Node) error {
	if len(f) == 0 {
		return nil
	}
	seen := map[string]bool{}
	var hits []string
	var walk func(n *portfoliotree.Node)
	walk = func(n *portfoliotree.Node) {
		id := n.Namespace + "/" + n.Kind + "/" + n.Name
		for _, choice := range failOnChoices {
			if !slices.Contains(f, choice.name) || seen[id+"/"+choice.name] {
				continue
			}
			for _, c := range n.Conditions {
				if c.Type == choice.condition && c.Status == choice.status {
					seen[id+"/"+choice.name] = true
					hits = append(hits, fmt.Sprintf("%s/%s (%s)", n.Kind, n.Name, choice.name))
				}
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	if len(hits) == 0 {
		return nil
	}
	return findings("--fail-on %s: %d finding(s): %s", f.String(), len(hits), strings.Join(hits, ", "))
}
