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

package record

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/propose"
)

// kindReview is the Review kind's name.
const kindReview = "Review"

// ReviewInput is a review meeting to record: its date, decision,
// attendees ("Name, Organisation") and follow-ups ("action; owner; due").
type ReviewInput struct {
	Partnership, Name, Date, Decision, ExitDate, Notes string
	Attendees, FollowUps                               []string
}

// NewReview is the change accordctl record review and the dashboard's
// review form make: a Review document added under root.
func NewReview(root string, o ReviewInput, names Names, tool string) (*Change, error) {
	partnership := o.Partnership
	docs, _, err := Load(root)
	if err != nil {
		return nil, err
	}
	p, err := findObject(docs, root, "Partnership", partnership)
	if err != nil {
		return nil, err
	}
	if err := CheckDate(o.Date); err != nil {
		return nil, refuseAt(InDate, "%s %q: %v", names.of(InDate), o.Date, err)
	}
	switch v1.Decision(o.Decision) {
	case v1.DecisionContinue, v1.DecisionRevise, v1.DecisionExit:
	default:
		return nil, refuseAt(InDecision, "%s %q: want Continue, Revise or Exit", names.of(InDecision), o.Decision)
	}
	if o.ExitDate != "" {
		if err := CheckDate(o.ExitDate); err != nil {
			return nil, refuseAt(InExitDate, "%s %q: %v", names.of(InExitDate), o.ExitDate, err)
		}
	}
	reviews := reviewsOf(docs, partnership)
	for _, r := range reviews {
		if d, _, _ := unstructured.NestedString(r.Object.Object, "spec", "date"); d == o.Date {
			return nil, refuseAt(InDate, "%s already records a review of %s on %s (Review %s): a duplicate; nothing written", r.File, partnership, o.Date, r.Object.GetName())
		}
	}
	name := o.Name
	if name == "" {
		name = reviewName(docs, reviews, partnership, o.Date)
	}
	var attendees []*yaml.Node
	for _, a := range o.Attendees {
		n, org, _ := strings.Cut(a, ",")
		if strings.TrimSpace(n) == "" {
			return nil, refuseAt(InAttendee, "%s %q: want \"Name, Organisation\"", names.of(InAttendee), a)
		}
		var orgNode *yaml.Node
		if strings.TrimSpace(org) != "" {
			orgNode = edit.Str(strings.TrimSpace(org))
		}
		attendees = append(attendees, edit.Flow(edit.Map("name", edit.Str(strings.TrimSpace(n)), "organization", orgNode)))
	}
	var followUps []*yaml.Node
	for _, fu := range o.FollowUps {
		n, err := followUpNode(fu, names)
		if err != nil {
			return nil, err
		}
		followUps = append(followUps, n)
	}
	spec := edit.Map(
		"partnershipRef", edit.Flow(edit.Map("name", edit.Str(partnership))),
		"date", edit.Str(o.Date),
		"decision", edit.Str(o.Decision),
		"exitDate", strNode(o.ExitDate),
		"attendees", seqOrNil(attendees),
		"notes", foldedOrNil(o.Notes),
		"followUps", seqOrNil(followUps),
	)
	var ns *yaml.Node
	if p.Object.GetNamespace() != "" {
		ns = edit.Str(p.Object.GetNamespace())
	}
	doc := edit.Map(
		"apiVersion", edit.Str(v1.GroupVersion.String()),
		"kind", edit.Str(kindReview),
		"metadata", edit.Map("name", edit.Str(name), "namespace", ns),
		"spec", spec,
	)
	c := New(root)
	f, err := c.File(reviewFile(docs, reviews, p))
	if err != nil {
		return nil, err
	}
	if err := f.AppendDocument(doc); err != nil {
		return nil, err
	}
	title := partnershipTitle(docs, partnership)
	c.Subject = fmt.Sprintf("Record the %s review of %s: %s", o.Date, title, o.Decision)
	if o.Decision == string(v1.DecisionExit) && o.ExitDate != "" {
		c.Subject += ", ending on " + o.ExitDate
	}
	if n := len(followUps); n > 0 {
		c.Subject += fmt.Sprintf(" (%s)", plural(n, "follow-up"))
	}
	c.Details = []string{fmt.Sprintf("Review %s (%s): %s decided %s.", name, f.Path, title, o.Decision)}
	if len(o.Attendees) > 0 {
		c.Details = append(c.Details, "Attendees: "+strings.Join(o.Attendees, "; ")+".")
	}
	for i, fu := range o.FollowUps {
		c.Details = append(c.Details, fmt.Sprintf("Follow-up %d: %s", i+1, fu))
	}
	c.Details = append(c.Details, "", "Recorded with "+tool+"; accordctl validate passed on the result.")
	c.Branch = propose.BranchName("review", partnership, o.Date)
	return c, nil
}

func seqOrNil(items []*yaml.Node) *yaml.Node {
	if len(items) == 0 {
		return nil
	}
	return edit.Seq(items...)
}

func foldedOrNil(s string) *yaml.Node {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return edit.Folded(strings.TrimSpace(s))
}

// followUpNode reads "action; owner; due".
func followUpNode(s string, names Names) (*yaml.Node, error) {
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var due, owner *yaml.Node
	if len(parts) >= 3 {
		d := parts[len(parts)-1]
		if err := CheckDate(d); err != nil {
			return nil, refuseAt(InFollowUp, "%s %q: the due date %q: %v", names.of(InFollowUp), s, d, err)
		}
		due, owner = edit.Str(d), edit.Str(parts[len(parts)-2])
		parts = parts[:len(parts)-2]
	} else if len(parts) == 2 {
		if CheckDate(parts[1]) == nil {
			due = edit.Str(parts[1])
		} else {
			owner = edit.Str(parts[1])
		}
		parts = parts[:1]
	}
	action := strings.Join(parts, "; ")
	if action == "" {
		return nil, refuseAt(InFollowUp, "%s %q: want \"action; owner; due\" with an action", names.of(InFollowUp), s)
	}
	if owner != nil && owner.Value == "" {
		owner = nil
	}
	return edit.Flow(edit.Map("action", edit.Str(action), "owner", owner, "due", due)), nil
}

// reviewsOf lists the Reviews of a partnership, in file order.
func reviewsOf(docs []load.Document, partnership string) []load.Document {
	var out []load.Document
	for _, d := range docs {
		if d.Object.GetKind() != kindReview {
			continue
		}
		if p, _, _ := unstructured.NestedString(d.Object.Object, "spec", "partnershipRef", "name"); p == partnership {
			out = append(out, d)
		}
	}
	return out
}

// reviewFile is where a new review goes: with the partnership's last
// review, or any review, or the partnership itself.
func reviewFile(docs []load.Document, reviews []load.Document, p load.Document) string {
	if len(reviews) > 0 {
		return reviews[len(reviews)-1].File
	}
	for _, d := range docs {
		if d.Object.GetKind() == kindReview {
			return d.File
		}
	}
	return p.File
}

var reviewNameRE = regexp.MustCompile(`^(.+)-\d{4}-\d{2}(-\d{2})?-review$`)

// reviewName names a review as the partnership's earlier ones are named
// ("vicn-2026-09-review" makes "vicn-2026-12-review"), with the day added
// when the month's name is taken.
func reviewName(docs, reviews []load.Document, partnership, date string) string {
	prefix := partnership
	for _, r := range reviews {
		if m := reviewNameRE.FindStringSubmatch(r.Object.GetName()); m != nil {
			prefix = m[1]
		}
	}
	taken := map[string]bool{}
	for _, d := range docs {
		if d.Object.GetKind() == kindReview {
			taken[d.Object.GetName()] = true
		}
	}
	name := prefix + "-" + date[:7] + "-review"
	if taken[name] {
		name = prefix + "-" + date + "-review"
	}
	return name
}

// NewFollowUp is the change accordctl record follow-up and the
// dashboard's follow-up form make: the state of follow-up index (from 1)
// of a review set to state.
func NewFollowUp(root, review, index string, state v1.FollowUpState, names Names, tool string) (*Change, error) {
	docs, _, err := Load(root)
	if err != nil {
		return nil, err
	}
	d, err := findObject(docs, root, kindReview, review)
	if err != nil {
		return nil, err
	}
	list, _, _ := unstructured.NestedSlice(d.Object.Object, "spec", "followUps")
	i, err := strconv.Atoi(index)
	if err != nil || i < 1 || i > len(list) {
		if len(list) == 0 {
			return nil, refuseAt(InIndex, "%s %q: Review %s has no follow-ups", names.of(InIndex), index, review)
		}
		return nil, refuseAt(InIndex, "%s %q: Review %s has %s; give a number from 1 to %d", names.of(InIndex), index, review, plural(len(list), "follow-up"), len(list))
	}
	fu, _ := list[i-1].(map[string]any)
	current, _ := fu["state"].(string)
	if current == "" {
		current = string(v1.FollowUpOpen)
	}
	action, _ := fu["action"].(string)
	if current == string(state) {
		return nil, refuse("follow-up %d of Review %s (%q) is %s already; nothing written", i, review, action, current)
	}
	c := New(root)
	f, err := c.File(d.File)
	if err != nil {
		return nil, err
	}
	obj := edit.Object{Kind: kindReview, Namespace: d.Object.GetNamespace(), Name: review}
	if err := f.Set(obj, edit.Path{keySpec, "followUps", i - 1}, "state", edit.Str(string(state))); err != nil {
		return nil, err
	}
	p, _, _ := unstructured.NestedString(d.Object.Object, "spec", "partnershipRef", "name")
	date, _, _ := unstructured.NestedString(d.Object.Object, "spec", "date")
	verb := map[v1.FollowUpState]string{v1.FollowUpDone: "done", v1.FollowUpDropped: "dropped", v1.FollowUpOpen: "open again"}[state]
	c.Subject = fmt.Sprintf("Mark follow-up %d of the %s review of %s %s: %s", i, date, partnershipTitle(docs, p), verb, action)
	c.Details = []string{
		fmt.Sprintf("Review %s (%s), spec.followUps[%d]: state %s (was %s).", review, f.Path, i-1, state, current),
		"", "Recorded with " + tool + "; accordctl validate passed on the result.",
	}
	c.Branch = propose.BranchName("follow-up", review, strconv.Itoa(i), strings.ToLower(string(state)))
	return c, nil
}
