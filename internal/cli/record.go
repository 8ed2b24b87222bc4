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

	"github.com/accord-dev/accord/internal/portfolio/record"
)

func newRecordCmd(s Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "record",
		Short: "Write a reported value, a review or a follow-up's state into the portfolio's YAML",
		Long: `Record edits the portfolio's YAML files in place, the way a person would:
it adds the new lines and leaves every comment, key order and layout of the
rest of the file as it was. It finds the object's file under PATH (default:
the current directory, read as accordctl validate reads it), checks the
whole result as accordctl validate does and writes nothing when it would
not validate.

With --commit, --push REMOTE or --branch NAME the change goes to a new
branch, committed with a message a reviewer understands, pushed, and
proposed as a pull request (see docs/gitops.md, "For the partnership
office").

Exit status: 0 recorded, 1 refused (invalid, duplicate, unknown object;
nothing written), 2 usage, I/O or git error.`,
	}
	cmd.AddCommand(newRecordValueCmd(s), newRecordReviewCmd(s), newRecordFollowUpCmd(s), newRecordHoursCmd(s))
	return cmd
}

// pathArg is the optional PATH argument after the required ones.
func pathArg(args []string, n int) string {
	if len(args) > n {
		return args[n]
	}
	return "."
}

// --- record value ---

type recordValueOptions struct {
	value, period, periodEnd, reportedBy string
	document, documentTitle, sha256      string
	numerator, denominator               int64
	propose                              proposeOptions
}

func newRecordValueCmd(s Streams) *cobra.Command {
	o := &recordValueOptions{}
	cmd := &cobra.Command{
		Use:   "value KPI [PATH]",
		Short: "Add a reported value for a period to a KPI's spec.reported",
		Long: `Add a value for a period to the KPI's spec.reported list.

--value is read in the unit the KPI declares, as people write numbers:
"17.2", "17.2%" for a percentage, "$1,200,000", "1.2M" or "1,200"; it is
written as a plain quantity ("17.2", "1200000"). "1.5m" is refused: in a
quantity m means milli (0.0015).

--period names a quarter, month or year (2026-Q3, 2026-09, 2026) and
writes periodStart and periodEnd; --period-end gives only the last day.
A value for a period the KPI already has is refused (a duplicate when it is
the same value): correct an existing value by editing the file.`,
		Example: `  accordctl record value vicn-readmission-rate-30d --value 17.2% --numerator 7 --denominator 40 \
      --period 2026-Q3 --reported-by "VRH quality office" config/samples
  accordctl record value vicn-patient-satisfaction --value 73.1 --period-end 2026-09-30 \
      --reported-by "Patient experience team" --push origin`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("numerator") {
				o.numerator = -1
			}
			if !cmd.Flags().Changed("denominator") {
				o.denominator = -1
			}
			c, err := o.change(args[0], pathArg(args, 1))
			if err != nil {
				return err
			}
			return c.apply(cmd.Context(), s, o.propose)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.value, "value", "", `the value, in the KPI's unit: 17.2, "17.2%", "$1,200,000", 1.2M`)
	f.Int64Var(&o.numerator, "numerator", 0, "for a rate: the count of events (e.g. readmissions)")
	f.Int64Var(&o.denominator, "denominator", 0, "for a rate: the count it is out of (e.g. index discharges)")
	f.StringVar(&o.period, "period", "", "the period the value covers: a quarter (2026-Q3), a month (2026-09) or a year (2026)")
	f.StringVar(&o.periodEnd, "period-end", "", "the last day the value covers (YYYY-MM-DD), instead of --period")
	f.StringVar(&o.reportedBy, "reported-by", "", "the person or team that reported the value (required)")
	f.StringVar(&o.document, "document", "", "https:// URL of the report the value was taken from")
	f.StringVar(&o.documentTitle, "document-title", "", "title of that report (default: the URL's file name)")
	f.StringVar(&o.sha256, "sha256", "", "SHA-256 of the document's bytes, as sha256sum prints it")
	addProposeFlags(f, &o.propose)
	return cmd
}

func (o *recordValueOptions) change(kpi, root string) (*portfolioChange, error) {
	in := record.ValueInput{KPI: kpi, Value: o.value, Period: o.period, PeriodEnd: o.periodEnd, ReportedBy: o.reportedBy,
		Document: o.document, DocumentTitle: o.documentTitle, SHA256: o.sha256, Numerator: o.numerator, Denominator: o.denominator}
	c, _, err := record.NewValue(root, in, record.FlagNames, "accordctl record value")
	if err != nil {
		return nil, recordError(Streams{Err: io.Discard}, err)
	}
	return &portfolioChange{c}, nil
}

// --- record hours ---

type recordHoursOptions struct {
	partner, role, period, hours, reportedBy string
	propose                                  proposeOptions
}

func newRecordHoursCmd(s Streams) *cobra.Command {
	o := &recordHoursOptions{}
	cmd := &cobra.Command{
		Use:   "hours PARTNERSHIP [PATH]",
		Short: "Add the staff hours a partner gave in a period to its commitment's delivered list",
		Long: `Add the hours a partner's staff actually gave in a period to the staff
commitment's spec.partners[].staffCommitments[].delivered list. The
operator compares the latest period with the hours committed for it
(hoursPerMonth times its months) and names a partner that gave less than
spec.deliveryThresholdPercent (75% by default) in the HoursDelivered
condition and the review pack.

--role picks the commitment when the partner commits time in more than
one role. --period names a quarter, month or year (2026-Q3, 2026-09,
2026). A second entry for a period the commitment has is refused.`,
		Example: `  accordctl record hours valley-integrated-care --partner "Valley Regional Hospital" --role "Data analyst" \
      --period 2026-Q4 --hours 118 --reported-by "Valley Regional HR" config/samples`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			in := record.HoursInput{Partnership: args[0], Partner: o.partner, Role: o.role, Period: o.period, Hours: o.hours, ReportedBy: o.reportedBy}
			c, err := record.NewHours(pathArg(args, 1), in, record.FlagNames, "accordctl record hours")
			if err != nil {
				return recordError(Streams{Err: io.Discard}, err)
			}
			return (&portfolioChange{c}).apply(cmd.Context(), s, o.propose)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.partner, "partner", "", "the partner that gave the time, as named in spec.partners (required)")
	f.StringVar(&o.role, "role", "", "the staff role, as named in its staffCommitments (needed when it commits several)")
	f.StringVar(&o.period, "period", "", "the period: a quarter (2026-Q3), a month (2026-09) or a year (2026)")
	f.StringVar(&o.hours, "hours", "", "whole hours given in the period")
	f.StringVar(&o.reportedBy, "reported-by", "", "the person or team that reported the hours (required)")
	addProposeFlags(f, &o.propose)
	return cmd
}
