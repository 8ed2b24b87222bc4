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

package snapshot

import (
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// State is an object's health or review state in words, with an icon and
// a CSS class, so pages never signal by colour alone.
type State struct {
	// Class is a stable token for styling and tests: healthy, at-risk,
	// behind, inactive, ended, prospect, unknown, review-due, review-current or
	// review-none.
	Class string
	// Icon is a short symbol shown before Word.
	Icon string
	// Word is the state in words, e.g. "At risk".
	Word string
	// Reason is the condition's machine-readable reason, e.g. "OffTrack".
	Reason string
	// Message is the condition's sentence.
	Message string
}

// Severity orders health states worst first (0 is at risk), for the
// dashboard's overview and the board's page of a portfolio pack: at risk,
// behind plan, not yet known, inactive, healthy, prospect (not started),
// ended.
func (s State) Severity() int {
	if n, ok := severity[s.Class]; ok {
		return n
	}
	return severity[classUnknown]
}

var severity = map[string]int{"at-risk": 0, "behind": 1, classUnknown: 2, "inactive": 3, "healthy": 4, "prospect": 5, "ended": 6}

// classUnknown is the class of a state not yet known.
const classUnknown = "unknown"

// Health reads an object's Healthy and AtRisk conditions the way the
// operator sets them: AtRisk True wins, then Healthy True; both False is
// behind plan (or inactive when the agreement is not in force); anything
// else is not yet known.
func Health(conds []metav1.Condition) State {
	healthy := meta.FindStatusCondition(conds, v1.ConditionHealthy)
	atRisk := meta.FindStatusCondition(conds, v1.ConditionAtRisk)
	switch {
	case healthy != nil && healthy.Reason == ended:
		// Finished, not failing: the partnership (or the one it counts
		// toward) is Exited.
		return State{Class: "ended", Icon: "✔", Word: "Ended", Reason: healthy.Reason, Message: healthy.Message}
	case healthy != nil && healthy.Reason == prospect:
		// Before its agreement: not started, nothing judged.
		return State{Class: "prospect", Icon: "○", Word: "Prospect", Reason: healthy.Reason, Message: healthy.Message}
	case atRisk != nil && atRisk.Status == metav1.ConditionTrue:
		return State{Class: "at-risk", Icon: "⚠", Word: "At risk", Reason: atRisk.Reason, Message: atRisk.Message}
	case healthy != nil && healthy.Status == metav1.ConditionTrue:
		return State{Class: "healthy", Icon: "✔", Word: "Healthy", Reason: healthy.Reason, Message: healthy.Message}
	case healthy != nil && healthy.Status == metav1.ConditionFalse && atRisk != nil && atRisk.Status == metav1.ConditionFalse:
		if strings.HasPrefix(healthy.Reason, "Agreement") {
			return State{Class: "inactive", Icon: "–", Word: "Inactive", Reason: healthy.Reason, Message: healthy.Message}
		}
		return State{Class: "behind", Icon: "▼", Word: "Behind plan", Reason: healthy.Reason, Message: healthy.Message}
	case healthy != nil:
		return State{Class: classUnknown, Icon: "?", Word: "Unknown", Reason: healthy.Reason, Message: healthy.Message}
	default:
		return State{Class: classUnknown, Icon: "?", Word: "Not evaluated yet"}
	}
}

// ended is the reason of the verdicts of an Exited partnership and of its
// objectives and KPIs (docs/conditions.md).
const ended = "PartnershipEnded"

// prospect is the reason of the verdicts of a partnership in phase
// Prospect, before its agreement.
const prospect = "Prospect"

// Review reads a partnership's ReviewDue condition.
func Review(conds []metav1.Condition) State {
	c := meta.FindStatusCondition(conds, v1.ConditionReviewDue)
	switch {
	case c == nil:
		return State{Class: classUnknown, Icon: "?", Word: "Not evaluated yet"}
	case c.Reason == ended:
		return State{Class: "review-none", Icon: "–", Word: "No more reviews", Reason: c.Reason, Message: c.Message}
	case c.Reason == prospect:
		return State{Class: "review-none", Icon: "–", Word: "No reviews yet", Reason: c.Reason, Message: c.Message}
	case c.Status == metav1.ConditionTrue:
		return State{Class: "review-due", Icon: "⚑", Word: "Review due", Reason: c.Reason, Message: c.Message}
	default:
		return State{Class: "review-current", Icon: "✔", Word: "Review current", Reason: c.Reason, Message: c.Message}
	}
}

// Words splits a CamelCase reason into words, lower-casing all but the
// first and acronyms: "CriticalKPIAtRisk" becomes "Critical KPI at risk".
func Words(reason string) string {
	rs := []rune(reason)
	var words []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prevLower := unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])
		nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
		// "KPIs" is a plural acronym, not "KP" and "Is".
		if nextLower && rs[i+1] == 's' && (i+2 == len(rs) || unicode.IsUpper(rs[i+2])) {
			nextLower = false
		}
		if unicode.IsUpper(rs[i]) && (prevLower || (unicode.IsUpper(rs[i-1]) && nextLower)) {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	words = append(words, string(rs[start:]))
	for i, w := range words {
		if i > 0 && (len(w) <= 1 || strings.ToUpper(w) != w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}
