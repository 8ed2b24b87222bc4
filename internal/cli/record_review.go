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
	"io"

	"github.com/spf13/cobra"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/record"
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
	in := record.ReviewInput{Partnership: partnership, Name: o.name, Date: o.date, Decision: o.decision, ExitDate: o.exitDate,
		Notes: o.notes, Attendees: o.attendees, FollowUps: o.followUps}
	c, err := record.NewReview(root, in, record.FlagNames, "accordctl record review")
	if err != nil {
		return nil, recordError(Streams{Err: io.Discard}, err)
	}
	return &portfolioChange{c}, nil
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
	c, err := record.NewFollowUp(root, review, index, state, record.FlagNames, "accordctl record follow-up")
	if err != nil {
		return nil, recordError(Streams{Err: io.Discard}, err)
	}
	return &portfolioChange{c}, nil
}
