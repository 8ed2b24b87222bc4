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
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/cli/propose"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// --- record review ---

type recordReviewOptions struct {
	name, date, decision, exitDate, notes string
	attendees, followUps                  []string
	propose                               proposeOptions
}

func newRecordReviewCmd(s Streams) *cobra.Command {
	o := &recordReviewOptions{}
	cmd := &cobra.Command{
		Use:   "review PARTNERSHIP [PATH]",
		Short: "Add a Review of a partnership: the meeting, its decision, attendees and follow-ups",
		Long: `Add a Review document for a review meeting of the partnership. It goes at
the end of the file that holds the partnership's earlier reviews (or any
reviews, or else the partnership's own file), in the same layout.

--attendee is "Name, Organisation" (the first comma separates them) and may
be repeated; --follow-up is "action; owner; due" (owner and due optional,
due as YYYY-MM-DD) and may be repeated. The review is named after the
partnership's earlier reviews and the month, e.g. vicn-2026-12-review,
unless --name is given. A second review of the partnership on the same date
is refused.`,
		Example: `  accordctl record review valley-integrated-care --date 2026-12-10 --decision Continue \
      --attendee "Dana Whitfield, Valley Regional Hospital" --attendee "Luis Ortega, Pine Ridge Community Health Center" \
      --notes "Readmissions on the revised path." \
      --follow-up "Share the Q4 readmission root-cause review; Valley Regional Hospital; 2027-01-15" config/samples`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := o.change(args[0], pathArg(args, 1))
			if err != nil {
				return err
			}
			return c.apply(cmd.Context(), s, o.propose)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.date, "date", "", "date of the meeting (YYYY-MM-DD, required)")
	f.StringVar(&o.decision, "decision", "", "what the meeting decided: Continue, Revise or Exit (required)")
	f.StringVar(&o.exitDate, "exit-date", "", "when the partnership ends (YYYY-MM-DD); required with --decision Exit")
	f.StringArrayVar(&o.attendees, "attendee", nil, `an attendee, "Name, Organisation" (repeat for each)`)
	f.StringVar(&o.notes, "notes", "", "summary of the discussion; never patient-level data")
	f.StringArrayVar(&o.followUps, "follow-up", nil, `an agreed action, "action; owner; due" (repeat for each)`)
	f.StringVar(&o.name, "name", "", "name of the Review object (default: from the partnership's earlier reviews and the month)")
	addProposeFlags(f, &o.propose)
	return cmd
}

func (o *recordReviewOptions) change(partnership, root string) (*portfolioChange, error) {
	docs, _, err := loadPortfolio(root)
	if err != nil {
		return nil, err
	}
	p, err := findObject(docs, root, "Partnership", partnership)
	if err != nil {
		return nil, err
	}
	if err := checkDate(o.date); err != nil {
		return nil, findings("--date %q: %v", o.date, err)
	}
	switch v1.Decision(o.decision) {
	case v1.DecisionContinue, v1.DecisionRevise, v1.DecisionExit:
	default:
		return nil, findings("--decision %q: want Continue, Revise or Exit", o.decision)
	}
	if o.exitDate != "" {
		if err := checkDate(o.exitDate); err != nil {
			return nil, findings("--exit-date %q: %v", o.exitDate, err)
		}
	}
	reviews := reviewsOf(docs, partnership)
	for _, r := range reviews {
		if d, _, _ := unstructured.NestedString(r.Object.Object, "spec", "date"); d == o.date {
			return nil, findings("%s already records a review of %s on %s (Review %s): a duplicate; nothing written", r.File, partnership, o.date, r.Object.GetName())
		}
	}
	name := o.name
	if name == "" {
		name = reviewName(docs, reviews, partnership, o.date)
	}
	var attendees []*yaml.Node
	for _, a := range o.attendees {
		n, org, _ := strings.Cut(a, ",")
		if strings.TrimSpace(n) == "" {
			return nil, findings("--attendee %q: want \"Name, Organisation\"", a)
		}
		var orgNode *yaml.Node
		if strings.TrimSpace(org) != "" {
			orgNode = edit.Str(strings.TrimSpace(org))
		}
		attendees = append(attendees, edit.Flow(edit.Map("name", edit.Str(strings.TrimSpace(n)), "organization", orgNode)))
	}
	var followUps []*yaml.Node
	for _, fu := range o.followUps {
		n, err := followUpNode(fu)
		if err != nil {
			return nil, err
		}
		followUps = append(followUps, n)
	}
	spec := edit.Map(
		"partnershipRef", edit.Flow(edit.Map("name", edit.Str(partnership))),
		"date", edit.Str(o.date),
		"decision", edit.Str(o.decision),
		"exitDate", strNode(o.exitDate),
		"attendees", seqOrNil(attendees),
		"notes", foldedOrNil(o.notes),
		"followUps", seqOrNil(followUps),
	)
	var ns *yaml.Node
	if p.Object.GetNamespace() != "" {
		ns = edit.Str(p.Object.GetNamespace())
	}
	doc := edit.Map(
		"apiVersion", edit.Str(v1.GroupVersion.String()),
		"kind", edit.Str(portfolio.KindReview),
		"metadata", edit.Map("name", edit.Str(name), "namespace", ns),
		"spec", spec,
	)
	c := newChange(root)
	f, err := c.file(reviewFile(docs, reviews, p))
	if err != nil {
		return nil, err
	}
	if err := f.AppendDocument(doc); err != nil {
		return nil, usageError(err)
	}
	title := partnershipTitle(docs, partnership)
	c.subject = fmt.Sprintf("Record the %s review of %s: %s", o.date, title, o.decision)
	if o.decision == string(v1.DecisionExit) && o.exitDate != "" {
		c.subject += ", ending on " + o.exitDate
	}
	if n := len(followUps); n > 0 {
		c.subject += fmt.Sprintf(" (%s)", plural(n, "follow-up"))
	}
	c.details = []string{fmt.Sprintf("Review %s (%s): %s decided %s.", name, f.Path, title, o.decision)}
	if len(o.attendees) > 0 {
		c.details = append(c.details, "Attendees: "+strings.Join(o.attendees, "; ")+".")
	}
	for i, fu := range o.followUps {
		c.details = append(c.details, fmt.Sprintf("Follow-up %d: %s", i+1, fu))
	}
	c.details = append(c.details, "", "Recorded with accordctl record review; accordctl validate passed on the result.")
	c.branch = propose.BranchName("review", partnership, o.date)
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
func followUpNode(s string) (*yaml.Node, error) {
	parts := strings.Split(s, ";")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	var due, owner *yaml.Node
	if len(parts) >= 3 {
		d := parts[len(parts)-1]
		if err := checkDate(d); err != nil {
			return nil, findings("--follow-up %q: the due date %q: %v", s, d, err)
		}
		due, owner = edit.Str(d), edit.Str(parts[len(parts)-2])
		parts = parts[:len(parts)-2]
	} else if len(parts) == 2 {
		if checkDate(parts[1]) == nil {
			due = edit.Str(parts[1])
		} else {
			owner = edit.Str(parts[1])
		}
		parts = parts[:1]
	}
	action := strings.Join(parts, "; ")
	if action == "" {
		return nil, findings("--follow-up %q: want \"action; owner; due\" with an action", s)
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
		if d.Object.GetKind() != portfolio.KindReview {
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
		if d.Object.GetKind() == portfolio.KindReview {
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
		if d.Object.GetKind() == portfolio.KindReview {
			taken[d.Object.GetName()] = true
		}
	}
	name := prefix + "-" + date[:7] + "-review"
	if taken[name] {
		name = prefix + "-" + date + "-review"
	}
	return name
}

// --- record follow-up ---

type recordFollowUpOptions struct {
	done, dropped, open bool
	propose             proposeOptions
}

func newRecordFollowUpCmd(s Streams) *cobra.Command {
	o := &recordFollowUpOptions{}
	cmd := &cobra.Command{
		Use:   "follow-up REVIEW INDEX [PATH]",
		Short: "Mark a review's follow-up done or dropped",
		Long: `Set the state of one follow-up of a Review: --done when the action is
done, --dropped when the partners decided not to do it (--open reopens it).
INDEX counts from 1, in the order the review lists its follow-ups.`,
		Example: `  accordctl record follow-up vicn-2026-09-review 2 --done config/samples
  accordctl record follow-up tele-2026-06-review 1 --dropped --push origin`,
		Args: cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := o.change(args[0], args[1], pathArg(args, 2))
			if err != nil {
				return err
			}
			return c.apply(cmd.Context(), s, o.propose)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.done, "done", false, "the action is done")
	f.BoolVar(&o.dropped, "dropped", false, "the partners decided not to do it")
	f.BoolVar(&o.open, "open", false, "reopen it")
	cmd.MarkFlagsMutuallyExclusive("done", "dropped", "open")
	cmd.MarkFlagsOneRequired("done", "dropped", "open")
	addProposeFlags(f, &o.propose)
	return cmd
}

func (o *recordFollowUpOptions) change(review, index, root string) (*portfolioChange, error) {
	state := v1.FollowUpDone
	switch {
	case o.dropped:
		state = v1.FollowUpDropped
	case o.open:
		state = v1.FollowUpOpen
	}
	docs, _, err := loadPortfolio(root)
	if err != nil {
		return nil, err
	}
	d, err := findObject(docs, root, portfolio.KindReview, review)
	if err != nil {
		return nil, err
	}
	list, _, _ := unstructured.NestedSlice(d.Object.Object, "spec", "followUps")
	i, err := strconv.Atoi(index)
	if err != nil || i < 1 || i > len(list) {
		if len(list) == 0 {
			return nil, findings("INDEX %q: Review %s has no follow-ups", index, review)
		}
		return nil, findings("INDEX %q: Review %s has %s; give a number from 1 to %d", index, review, plural(len(list), "follow-up"), len(list))
	}
	fu, _ := list[i-1].(map[string]any)
	current, _ := fu["state"].(string)
	if current == "" {
		current = string(v1.FollowUpOpen)
	}
	action, _ := fu["action"].(string)
	if current == string(state) {
		return nil, findings("follow-up %d of Review %s (%q) is %s already; nothing written", i, review, action, current)
	}
	c := newChange(root)
	f, err := c.file(d.File)
	if err != nil {
		return nil, err
	}
	obj := edit.Object{Kind: portfolio.KindReview, Namespace: d.Object.GetNamespace(), Name: review}
	if err := f.Set(obj, edit.Path{"spec", "followUps", i - 1}, "state", edit.Str(string(state))); err != nil {
		return nil, usageError(err)
	}
	p, _, _ := unstructured.NestedString(d.Object.Object, "spec", "partnershipRef", "name")
	date, _, _ := unstructured.NestedString(d.Object.Object, "spec", "date")
	verb := map[v1.FollowUpState]string{v1.FollowUpDone: "done", v1.FollowUpDropped: "dropped", v1.FollowUpOpen: "open again"}[state]
	c.subject = fmt.Sprintf("Mark follow-up %d of the %s review of %s %s: %s", i, date, partnershipTitle(docs, p), verb, action)
	c.details = []string{
		fmt.Sprintf("Review %s (%s), spec.followUps[%d]: state %s (was %s).", review, f.Path, i-1, state, current),
		"", "Recorded with accordctl record follow-up; accordctl validate passed on the result.",
	}
	c.branch = propose.BranchName("follow-up", review, strconv.Itoa(i), strings.ToLower(string(state)))
	return c, nil
}
