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

// The types in this file are the JSON output of `accordctl diff -o json`.
// Their field names are a documented interface (docs/gitops.md): add
// fields, never rename or remove them.

// ChangeType says what happened to an object or field.
type ChangeType string

// Change types. Tightened and Loosened are direction-aware (a lower target
// of a HigherIsBetter KPI is loosened); Earlier and Later are for dates.
const (
	Added     ChangeType = "added"
	Removed   ChangeType = "removed"
	Changed   ChangeType = "changed"
	Tightened ChangeType = "tightened"
	Loosened  ChangeType = "loosened"
	Earlier   ChangeType = "earlier"
	Later     ChangeType = "later"
	Recorded  ChangeType = "recorded" // a new Review
)

// Severity of a policy finding.
type Severity string

// Severities, from the most severe.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rank orders severities: error 2, warning 1, anything else 0.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 2
	case SeverityWarning:
		return 1
	}
	return 0
}

// Source describes one side of the comparison.
type Source struct {
	// Name is the argument as given: a git ref such as "origin/main" or a
	// directory.
	Name string `json:"name"`
	// Commit is the full commit id when Name is a git ref.
	Commit string `json:"commit,omitempty"`
	// Path is the subtree compared (--path), when one was given.
	Path string `json:"path,omitempty"`
}

// Report is the semantic diff of two portfolio versions and the policy
// findings on the result.
type Report struct {
	Base    Source  `json:"base"`
	Head    Source  `json:"head"`
	Summary Summary `json:"summary"`
	// Partnerships lists, by partnership name, every partnership with at
	// least one change; changes to objects linked to no partnership
	// (metric sources, portfolios, KPIs no objective uses) come last under
	// the name "".
	Partnerships []PartnershipDiff `json:"partnerships"`
	// Findings are the policy findings, errors first.
	Findings []Finding `json:"findings"`
}

// Summary counts the changes and findings.
type Summary struct {
	PartnershipsAdded   int `json:"partnershipsAdded"`
	PartnershipsRemoved int `json:"partnershipsRemoved"`
	PartnershipsChanged int `json:"partnershipsChanged"`
	ObjectivesAdded     int `json:"objectivesAdded"`
	ObjectivesRemoved   int `json:"objectivesRemoved"`
	KPIsAdded           int `json:"kpisAdded"`
	KPIsRemoved         int `json:"kpisRemoved"`
	TargetsTightened    int `json:"targetsTightened"`
	TargetsLoosened     int `json:"targetsLoosened"`
	DeadlinesEarlier    int `json:"deadlinesEarlier"`
	DeadlinesLater      int `json:"deadlinesLater"`
	ReviewsRecorded     int `json:"reviewsRecorded"`
	// Changes is the number of changes listed under all partnerships; a
	// change to a KPI shared by two partnerships counts once.
	Changes  int `json:"changes"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
}

// PartnershipDiff is what changed for one partnership, including its
// objectives, the KPIs they use and its reviews.
type PartnershipDiff struct {
	// Name is the partnership's key (name, or namespace/name), or "" for
	// objects linked to no partnership.
	Name string `json:"name"`
	// DisplayName is spec.displayName, from HEAD or else from BASE.
	DisplayName string `json:"displayName,omitempty"`
	// Status is added, removed or changed.
	Status  ChangeType `json:"status"`
	Changes []Change   `json:"changes"`
}

// Change is one change to one object: the object itself added or removed
// (Field empty), or one field of it.
type Change struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Field is the path of the changed field, such as "spec.target.value"
	// or "spec.kpis[vicn-ed-visits-per-1000].weight"; list items are keyed
	// by name, title or period end. Empty when the object was added,
	// removed or (for a Review) recorded.
	Field  string     `json:"field,omitempty"`
	Change ChangeType `json:"change"`
	// Before and After are the values, formatted for people ("15.3%",
	// "USD 1,200,000"); empty when absent.
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
	// Note adds context, e.g. "+184 days" for a moved date.
	Note string `json:"note,omitempty"`
}

// Finding is a policy finding: something a reviewer must look at before
// merging.
type Finding struct {
	Severity Severity `json:"severity"`
	// Rule is the stable identifier of the policy rule, e.g.
	// "unreviewed-loosening".
	Rule        string `json:"rule"`
	Partnership string `json:"partnership"`
	// Kind and Name identify the object the finding is about.
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Message string `json:"message"`
}

// Failing counts the findings at or above a severity.
func (r *Report) Failing(threshold Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity.Rank() >= threshold.Rank() && threshold.Rank() > 0 {
			n++
		}
	}
	return n
}
