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
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/accord-dev/accord/internal/cli/propose"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/numbers"
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
	cmd.AddCommand(newRecordValueCmd(s), newRecordReviewCmd(s), newRecordFollowUpCmd(s))
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

// valueInput is one value to record, from flags or an import row.
type valueInput struct {
	kpi                                  string
	value, period, periodEnd, reportedBy string
	document, documentTitle, sha256      string
	numerator, denominator               int64 // -1 when not given
}

func (o *recordValueOptions) change(kpi, root string) (*portfolioChange, error) {
	docs, _, err := loadPortfolio(root)
	if err != nil {
		return nil, err
	}
	in := valueInput{kpi: kpi, value: o.value, period: o.period, periodEnd: o.periodEnd, reportedBy: o.reportedBy,
		document: o.document, documentTitle: o.documentTitle, sha256: o.sha256, numerator: o.numerator, denominator: o.denominator}
	c := newChange(root)
	rec, err := addValue(c, docs, in, flagNames)
	if err != nil {
		return nil, err
	}
	c.subject = rec.subject()
	c.details = append(rec.details(), "", "Recorded with accordctl record value; accordctl validate passed on the result.")
	c.branch = propose.BranchName("report", kpi, rec.periodLabel)
	return c, nil
}

// inputNames says how a value's inputs are called in messages: flags for
// record value, columns for import.
type inputNames struct {
	value, period, periodEnd, reportedBy, document, sha256, numerator, denominator string
}

var flagNames = inputNames{"--value", "--period", "--period-end", "--reported-by", "--document", "--sha256", "--numerator", "--denominator"}

// recordedValue is a value added to a KPI, for messages.
type recordedValue struct {
	kpi, kpiTitle, unit, partnerships string
	value                             string
	numerator, denominator            int64
	periodStart, periodEnd            string
	periodLabel                       string
	reportedBy, document, file        string
}

// addValue checks one value against its KPI and adds it to the change.
func addValue(c *portfolioChange, docs []load.Document, in valueInput, names inputNames) (*recordedValue, error) {
	d, err := findObject(docs, c.root, "KPI", in.kpi)
	if err != nil {
		return nil, err
	}
	spec, _, _ := unstructured.NestedMap(d.Object.Object, "spec")
	unit, _ := spec["unit"].(string)
	title, _ := spec["displayName"].(string)
	rec := &recordedValue{kpi: in.kpi, kpiTitle: title, unit: unit, file: d.File, reportedBy: in.reportedBy,
		numerator: in.numerator, denominator: in.denominator, partnerships: partnershipsOfKPI(docs, d)}

	if strings.TrimSpace(in.reportedBy) == "" {
		return nil, findings("%s is required: the person or team that reported the value", names.reportedBy)
	}
	if in.value != "" {
		v, err := numbers.Parse(in.value, unit)
		if err != nil {
			return nil, findings("%s: %v", names.value, err)
		}
		rec.value = v
	}
	switch {
	case in.numerator < -1 || in.denominator < -1:
		return nil, findings("%s and %s are counts: 0 or more", names.numerator, names.denominator)
	case (in.numerator >= 0) != (in.denominator >= 0):
		return nil, findings("%s and %s go together: give both or neither", names.numerator, names.denominator)
	case in.numerator >= 0 && in.numerator > in.denominator:
		return nil, findings("%s (%s) is more than %s (%s); a rate's numerator counts events among the denominator's", names.numerator,
			evaluate.FormatCount(float64(in.numerator)), names.denominator, evaluate.FormatCount(float64(in.denominator)))
	case rec.value == "" && in.numerator < 0:
		return nil, findings("%s is required (or %s and %s for a rate)", names.value, names.numerator, names.denominator)
	}
	switch {
	case in.period != "" && in.periodEnd != "":
		return nil, findings("give %s or %s, not both", names.period, names.periodEnd)
	case in.period != "":
		start, end, err := parseReportingPeriod(in.period)
		if err != nil {
			return nil, findings("%s %q: %v", names.period, in.period, err)
		}
		rec.periodStart, rec.periodEnd, rec.periodLabel = start, end, strings.ToUpper(strings.TrimSpace(in.period))
	case in.periodEnd != "":
		if err := checkDate(in.periodEnd); err != nil {
			return nil, findings("%s %q: %v", names.periodEnd, in.periodEnd, err)
		}
		rec.periodEnd, rec.periodLabel = in.periodEnd, in.periodEnd
	default:
		return nil, findings("%s (2026-Q3) or %s (2026-09-30) is required", names.period, names.periodEnd)
	}
	if err := duplicateValue(spec, rec); err != nil {
		return nil, err
	}
	if in.sha256 != "" && in.document == "" {
		return nil, findings("%s needs %s: the checksum is of a document", names.sha256, names.document)
	}
	var doc *yaml.Node
	if in.document != "" {
		t := in.documentTitle
		if t == "" {
			t = documentTitle(in.document)
		}
		var sum *yaml.Node
		if in.sha256 != "" {
			sum = edit.Str(strings.ToLower(in.sha256))
		}
		doc = edit.Map("title", edit.Str(t), "url", edit.Str(in.document), "sha256", sum)
		rec.document = in.document
	}
	item := edit.Map(
		"value", strNode(rec.value),
		"numerator", countNode(in.numerator),
		"denominator", countNode(in.denominator),
		"periodStart", strNode(rec.periodStart),
		"periodEnd", edit.Str(rec.periodEnd),
		"reportedBy", edit.Str(in.reportedBy),
		"document", doc,
	)
	f, err := c.file(d.File)
	if err != nil {
		return nil, err
	}
	obj := edit.Object{Kind: "KPI", Namespace: d.Object.GetNamespace(), Name: in.kpi}
	if err := f.Append(obj, edit.Path{"spec", "reported"}, item); err != nil {
		return nil, usageError(err)
	}
	return rec, nil
}

func strNode(s string) *yaml.Node {
	if s == "" {
		return nil
	}
	return edit.Str(s)
}

func countNode(n int64) *yaml.Node {
	if n < 0 {
		return nil
	}
	return edit.Int(n)
}

// duplicateValue refuses a second value for a period the KPI has.
func duplicateValue(spec map[string]any, rec *recordedValue) error {
	reported, _ := spec["reported"].([]any)
	for i, r := range reported {
		m, _ := r.(map[string]any)
		if end, _ := m["periodEnd"].(string); end != rec.periodEnd {
			continue
		}
		old := fmt.Sprint(m["value"])
		by, _ := m["reportedBy"].(string)
		if same(old, rec.value) {
			return findings("KPI %s already has %s for the period ending %s (spec.reported[%d], reported by %s): a duplicate; nothing written", rec.kpi, old, rec.periodEnd, i, by)
		}
		return findings("KPI %s already has a value for the period ending %s: %s (spec.reported[%d], reported by %s); a second value for one period is refused: correct the existing one in %s", rec.kpi, rec.periodEnd, old, i, by, rec.file)
	}
	return nil
}

// same compares two quantities by value ("17.2" equals "17.20").
func same(a, b string) bool {
	qa, errA := resource.ParseQuantity(a)
	qb, errB := resource.ParseQuantity(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return qa.Cmp(qb) == 0
}

func documentTitle(u string) string {
	if p, err := url.Parse(u); err == nil && path.Base(p.Path) != "/" && path.Base(p.Path) != "." {
		return path.Base(p.Path)
	}
	return u
}

// partnershipsOfKPI names the partnerships whose objectives use the KPI,
// by display name, for messages.
func partnershipsOfKPI(docs []load.Document, kpi load.Document) string {
	var names []string
	seen := map[string]bool{}
	for _, d := range docs {
		if d.Object.GetKind() != "Objective" || d.Object.GetNamespace() != kpi.Object.GetNamespace() {
			continue
		}
		refs, _, _ := unstructured.NestedSlice(d.Object.Object, "spec", "kpis")
		for _, r := range refs {
			m, _ := r.(map[string]any)
			if m["name"] != kpi.Object.GetName() {
				continue
			}
			p, _, _ := unstructured.NestedString(d.Object.Object, "spec", "partnershipRef", "name")
			if p != "" && !seen[p] {
				seen[p] = true
				names = append(names, partnershipTitle(docs, p))
			}
		}
	}
	return strings.Join(names, " and ")
}

func partnershipTitle(docs []load.Document, name string) string {
	for _, d := range docs {
		if d.Object.GetKind() == "Partnership" && d.Object.GetName() == name {
			if t, _, _ := unstructured.NestedString(d.Object.Object, "spec", "displayName"); t != "" {
				return t
			}
		}
	}
	return name
}

// subject is the commit subject: "Report 2026-Q3 30-day readmission rate
// for Valley Integrated Care Network: 17.2% (fewer than 11 of 40)".
func (r *recordedValue) subject() string {
	what := r.kpiTitle
	if what == "" {
		what = r.kpi
	}
	s := fmt.Sprintf("Report %s %s", r.periodLabel, what)
	if r.partnerships != "" {
		s += " for " + r.partnerships
	}
	parts := []string{}
	if r.value != "" {
		parts = append(parts, withUnit(r.value, r.unit))
	}
	if r.numerator >= 0 {
		parts = append(parts, "("+counts(r.numerator, r.denominator)+")")
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, " ")
	}
	return s
}

func (r *recordedValue) details() []string {
	period := "the period ending " + r.periodEnd
	if r.periodStart != "" {
		period = fmt.Sprintf("%s to %s", r.periodStart, r.periodEnd)
	}
	l := []string{fmt.Sprintf("KPI %s (%s): %s for %s, reported by %s.", r.kpi, r.file, orDash(withUnit(r.value, r.unit)), period, r.reportedBy)}
	if r.numerator >= 0 {
		l = append(l, "Counts: "+counts(r.numerator, r.denominator)+".")
	}
	if r.document != "" {
		l = append(l, "Source document: "+r.document)
	}
	return l
}

func orDash(s string) string {
	if s == "" {
		return "no value (counts only)"
	}
	return s
}

// counts writes a numerator and denominator for people, never showing a
// count from 1 to 10 (small cells could identify patients), by the one
// rule evaluate.FormatCount keeps.
func counts(num, den int64) string {
	return evaluate.FormatCount(float64(num)) + " of " + evaluate.FormatCount(float64(den))
}

// withUnit writes a value with its unit: "17.2%", "420000 USD", "42 visits/1k".
func withUnit(v, unit string) string {
	switch {
	case v == "":
		return ""
	case unit == "":
		return v
	case numbers.IsPercent(unit):
		return v + "%"
	}
	return v + " " + unit
}

var (
	quarterRE = regexp.MustCompile(`^(\d{4})-?Q([1-4])$`)
	halfRE    = regexp.MustCompile(`^(\d{4})-?H([12])$`)
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	yearRE    = regexp.MustCompile(`^(\d{4})$`)
)

// parseReportingPeriod turns 2026-Q3, 2026-H2, 2026-09 or 2026 into its first and
// last day.
func parseReportingPeriod(p string) (string, string, error) {
	p = strings.ToUpper(strings.TrimSpace(p))
	var y, first, months int
	switch {
	case quarterRE.MatchString(p):
		m := quarterRE.FindStringSubmatch(p)
		y, _ = strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		first, months = 3*(q-1)+1, 3
	case halfRE.MatchString(p):
		m := halfRE.FindStringSubmatch(p)
		y, _ = strconv.Atoi(m[1])
		h, _ := strconv.Atoi(m[2])
		first, months = 6*(h-1)+1, 6
	case monthRE.MatchString(p):
		m := monthRE.FindStringSubmatch(p)
		y, _ = strconv.Atoi(m[1])
		first, _ = strconv.Atoi(m[2])
		if first < 1 || first > 12 {
			return "", "", fmt.Errorf("month %d does not exist", first)
		}
		months = 1
	case yearRE.MatchString(p):
		y, _ = strconv.Atoi(p)
		first, months = 1, 12
	default:
		return "", "", fmt.Errorf("want a quarter (2026-Q3), a half year (2026-H2), a month (2026-09) or a year (2026)")
	}
	start := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, months, -1)
	return start.Format(time.DateOnly), end.Format(time.DateOnly), nil
}

// checkDate requires a real YYYY-MM-DD date.
func checkDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("want a date as YYYY-MM-DD, e.g. 2026-09-30")
	}
	return nil
}
