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

package portfoliotree

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/xlab/treeprint"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Text writes each tree with one line per object (kind/name, verdict,
// score and conditions) and, indented under it, the messages that explain
// the verdict. With showNamespace, a "Namespace <name>" line heads each
// namespace's trees.
func Text(w io.Writer, roots []*Node, showNamespace bool) error {
	var b strings.Builder
	ns := ""
	for i, r := range roots {
		if showNamespace && (i == 0 || r.Namespace != ns) {
			if i > 0 {
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "Namespace %s\n", r.Namespace)
		}
		ns = r.Namespace
		t := treeprint.NewWithRoot(text(r))
		addChildren(t, r)
		b.WriteString(t.String())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func addChildren(t treeprint.Tree, n *Node) {
	for _, c := range n.Children {
		if len(c.Children) == 0 {
			t.AddNode(text(c))
			continue
		}
		addChildren(t.AddBranch(text(c)), c)
	}
}

// text is a node's line and its messages, each on a line of its own.
func text(n *Node) string {
	var b strings.Builder
	b.WriteString(n.Kind + "/" + n.Name)
	var ref []string
	if n.Weight > 0 {
		ref = append(ref, fmt.Sprintf("weight %d", n.Weight))
	}
	if n.Critical {
		ref = append(ref, "critical")
	}
	if n.Note != "" {
		ref = append(ref, n.Note)
	}
	if len(ref) > 0 {
		b.WriteString(" (" + strings.Join(ref, ", ") + ")")
	}
	b.WriteString("  " + n.Verdict)
	if n.Score != nil {
		fmt.Fprintf(&b, "  score %d", *n.Score)
	}
	if len(n.Conditions) > 0 {
		b.WriteString(" ")
		for _, c := range n.Conditions {
			b.WriteString(" " + c.Type + "=" + c.Status)
		}
	}
	for _, m := range messages(n) {
		b.WriteString("\n  " + m)
	}
	return b.String()
}

// messages explain a node's verdict: the message of the condition that
// decides it, then missing data and a review that is due.
func messages(n *Node) []string {
	cond := func(t string) *Condition {
		for i := range n.Conditions {
			if n.Conditions[i].Type == t {
				return &n.Conditions[i]
			}
		}
		return nil
	}
	switch {
	case n.Verdict == "Missing":
		return []string{fmt.Sprintf("%s %q does not exist in namespace %s", n.Kind, n.Name, n.Namespace)}
	case n.Verdict == verdictPending && len(n.Conditions) == 0:
		return []string{"not yet evaluated by the operator"}
	case n.Verdict == verdictPending:
		return []string{fmt.Sprintf("not yet evaluated for generation %d of the spec", n.generation)}
	}
	var primary *Condition
	switch n.Kind {
	case "MetricSource":
		primary = cond(v1.ConditionReachable)
	case "Review":
		primary = cond(v1.ConditionApplied)
	}
	if c := cond(v1.ConditionReady); primary == nil && c != nil && c.Status == string(metav1.ConditionFalse) {
		primary = c
	}
	if c := cond(v1.ConditionAtRisk); primary == nil && c != nil && c.Status == "True" {
		primary = c
	}
	if primary == nil {
		primary = cond(v1.ConditionHealthy)
	}
	var out []string
	if primary != nil && primary.Message != "" {
		out = append(out, primary.Message)
	}
	if c := cond(v1.ConditionMetricsAvailable); c != nil && c.Status == string(metav1.ConditionFalse) && (primary == nil || c.Message != primary.Message) {
		out = append(out, "data: "+c.Message)
	}
	if c := cond(v1.ConditionReviewDue); c != nil && c.Status == "True" {
		out = append(out, "review due: "+c.Message)
	}
	if c := cond(v1.ConditionHoursDelivered); c != nil && c.Status == string(metav1.ConditionFalse) {
		out = append(out, "hours: "+c.Message)
	}
	if c := cond(v1.ConditionCompliant); c != nil && c.Status == string(metav1.ConditionFalse) {
		out = append(out, "not compliant: "+c.Message)
	}
	return out
}

// JSON writes the trees as {"items": [...]}, indented.
func JSON(w io.Writer, roots []*Node) error {
	if roots == nil {
		roots = []*Node{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Items []*Node `json:"items"`
	}{roots})
}
