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
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/numbers"
	"github.com/accord-dev/accord/internal/portfolio/propose"
)

// NewValue is the change accordctl record value and the dashboard's
// report-a-value form make: one value added to a KPI under root.
func NewValue(root string, in ValueInput, names Names, tool string) (*Change, *Value, error) {
	docs, _, err := Load(root)
	if err != nil {
		return nil, nil, err
	}
	c := New(root)
	rec, err := AddValue(c, docs, in, names)
	if err != nil {
		return nil, nil, err
	}
	c.Subject = rec.Subject()
	c.Details = append(rec.Details(), "", "Recorded with "+tool+"; accordctl validate passed on the result.")
	c.Branch = propose.BranchName("report", in.KPI, rec.PeriodLabel)
	return c, rec, nil
}

// ValueInput is one value to record, as a person wrote it: from flags,
// an import row or a form.
type ValueInput struct {
	KPI                                  string
	Value, Period, PeriodEnd, ReportedBy string
	Document, DocumentTitle, SHA256      string
	// Numerator and Denominator are -1 when not given.
	Numerator, Denominator int64
}

// Value is a value added to a KPI, for messages.
type Value struct {
	// KPI is the KPI's name; PeriodEnd the period's last day;
	// PeriodLabel the period as given (2026-Q3) or its last day.
	KPI, PeriodEnd, PeriodLabel  string
	kpiTitle, unit, partnerships string
	value                        string
	numerator, denominator       int64
	periodStart                  string
	reportedBy, document, file   string
}

// AddValue checks one value against its KPI and adds it to the change.
func AddValue(c *Change, docs []load.Document, in ValueInput, names Names) (*Value, error) {
	d, err := findObject(docs, c.Root, "KPI", in.KPI)
	if err != nil {
		return nil, err
	}
	spec, _, _ := unstructured.NestedMap(d.Object.Object, "spec")
	unit, _ := spec["unit"].(string)
	title, _ := spec["displayName"].(string)
	rec := &Value{KPI: in.KPI, kpiTitle: title, unit: unit, file: d.File, reportedBy: in.ReportedBy,
		numerator: in.Numerator, denominator: in.Denominator, partnerships: partnershipsOfKPI(docs, d)}

	if strings.TrimSpace(in.ReportedBy) == "" {
		return nil, refuseAt(InReportedBy, "%s is required: the person or team that reported the value", names.of(InReportedBy))
	}
	if in.Value != "" {
		v, err := numbers.Parse(in.Value, unit)
		if err != nil {
			return nil, refuseAt(InValue, "%s: %v", names.of(InValue), err)
		}
		rec.value = v
	}
	switch {
	case in.Numerator < -1 || in.Denominator < -1:
		return nil, refuseAt(InNumerator, "%s and %s are counts: 0 or more", names.of(InNumerator), names.of(InDenominator))
	case (in.Numerator >= 0) != (in.Denominator >= 0):
		return nil, refuseAt(InNumerator, "%s and %s go together: give both or neither", names.of(InNumerator), names.of(InDenominator))
	case in.Numerator >= 0 && in.Numerator > in.Denominator:
		return nil, refuseAt(InNumerator, "%s (%s) is more than %s (%s); a rate's numerator counts events among the denominator's", names.of(InNumerator),
			evaluate.FormatCount(float64(in.Numerator)), names.of(InDenominator), evaluate.FormatCount(float64(in.Denominator)))
	case rec.value == "" && in.Numerator < 0:
		return nil, refuseAt(InValue, "%s is required (or %s and %s for a rate)", names.of(InValue), names.of(InNumerator), names.of(InDenominator))
	}
	switch {
	case in.Period != "" && in.PeriodEnd != "":
		return nil, refuseAt(InPeriod, "give %s or %s, not both", names.of(InPeriod), names.of(InPeriodEnd))
	case in.Period != "":
		start, end, err := ParsePeriod(in.Period)
		if err != nil {
			return nil, refuseAt(InPeriod, "%s %q: %v", names.of(InPeriod), in.Period, err)
		}
		rec.periodStart, rec.PeriodEnd, rec.PeriodLabel = start, end, strings.ToUpper(strings.TrimSpace(in.Period))
	case in.PeriodEnd != "":
		if err := CheckDate(in.PeriodEnd); err != nil {
			return nil, refuseAt(InPeriodEnd, "%s %q: %v", names.of(InPeriodEnd), in.PeriodEnd, err)
		}
		rec.PeriodEnd, rec.PeriodLabel = in.PeriodEnd, in.PeriodEnd
	default:
		return nil, refuseAt(InPeriod, "%s (2026-Q3) or %s (2026-09-30) is required", names.of(InPeriod), names.of(InPeriodEnd))
	}
	if err := duplicateValue(spec, rec); err != nil {
		return nil, err
	}
	if in.SHA256 != "" && in.Document == "" {
		return nil, refuseAt(InSHA256, "%s needs %s: the checksum is of a document", names.of(InSHA256), names.of(InDocument))
	}
	var doc *yaml.Node
	if in.Document != "" {
		t := in.DocumentTitle
		if t == "" {
			t = documentTitle(in.Document)
		}
		var sum *yaml.Node
		if in.SHA256 != "" {
			sum = edit.Str(strings.ToLower(in.SHA256))
		}
		doc = edit.Map("title", edit.Str(t), "url", edit.Str(in.Document), "sha256", sum)
		rec.document = in.Document
	}
	item := edit.Map(
		"value", strNode(rec.value),
		"numerator", countNode(in.Numerator),
		"denominator", countNode(in.Denominator),
		"periodStart", strNode(rec.periodStart),
		"periodEnd", edit.Str(rec.PeriodEnd),
		"reportedBy", edit.Str(in.ReportedBy),
		"document", doc,
	)
	f, err := c.File(d.File)
	if err != nil {
		return nil, err
	}
	obj := edit.Object{Kind: "KPI", Namespace: d.Object.GetNamespace(), Name: in.KPI}
	if err := f.Append(obj, edit.Path{keySpec, "reported"}, item); err != nil {
		return nil, err
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
func duplicateValue(spec map[string]any, rec *Value) error {
	reported, _ := spec["reported"].([]any)
	for i, r := range reported {
		m, _ := r.(map[string]any)
		if end, _ := m["periodEnd"].(string); end != rec.PeriodEnd {
			continue
		}
		old := fmt.Sprint(m["value"])
		by, _ := m["reportedBy"].(string)
		if same(old, rec.value) {
			return refuseAt(InPeriod, "KPI %s already has %s for the period ending %s (spec.reported[%d], reported by %s): a duplicate; nothing written", rec.KPI, old, rec.PeriodEnd, i, by)
		}
		return refuseAt(InPeriod, "KPI %s already has a value for the period ending %s: %s (spec.reported[%d], reported by %s); a second value for one period is refused: correct the existing one in %s", rec.KPI, rec.PeriodEnd, old, i, by, rec.file)
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

// Subject is the commit subject: "Report 2026-Q3 30-day readmission rate
// for Valley Integrated Care Network: 17.2% (fewer than 11 of 40)".
func (r *Value) Subject() string {
	what := r.kpiTitle
	if what == "" {
		what = r.KPI
	}
	s := fmt.Sprintf("Report %s %s", r.PeriodLabel, what)
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

func (r *Value) Details() []string {
	period := "the period ending " + r.PeriodEnd
	if r.periodStart != "" {
		period = fmt.Sprintf("%s to %s", r.periodStart, r.PeriodEnd)
	}
	l := []string{fmt.Sprintf("KPI %s (%s): %s for %s, reported by %s.", r.KPI, r.file, orDash(withUnit(r.value, r.unit)), period, r.reportedBy)}
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

// ParsePeriod turns 2026-Q3, 2026-H2, 2026-09 or 2026 into its first and
// last day.
func ParsePeriod(p string) (string, string, error) {
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

// CheckDate requires a real YYYY-MM-DD date.
func CheckDate(s string) error {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return fmt.Errorf("want a date as YYYY-MM-DD, e.g. 2026-09-30")
	}
	return nil
}
