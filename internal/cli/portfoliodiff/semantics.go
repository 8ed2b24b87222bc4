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

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	model "github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

// This file says what each difference means: which way a target moved,
// how far a date moved, how to print a quantity with its unit.

// defaultAtRiskBelow is the CRD's default of an objective's
// spec.atRiskBelow, shown when a version omits the field: the versions are
// compared as written, without defaults.
func defaultAtRiskBelow() string {
	c, err := schemacheck.Embedded()
	if err != nil {
		panic(fmt.Sprintf("load the embedded CRDs: %v", err)) // they are compiled in
	}
	d, ok := c.DefaultOf(v1.GroupVersion.String(), model.KindObjective, "spec", "atRiskBelow")
	if !ok {
		panic("the Objective CRD declares no default for spec.atRiskBelow")
	}
	return fmt.Sprint(d)
}

// hidden replaces values that must not be repeated in a pull-request
// comment: header values of metric sources may carry credentials, and
// review notes, though they must not, might hold patient-level detail.
const hidden = "(value not shown)"

// compareObject returns the changes between two versions of one object;
// base is nil for an added object and head for a removed one.
func compareObject(kind, key string, base, head any) []Change {
	switch {
	case base == nil && head == nil:
		return nil
	case base == nil:
		ch := Change{Kind: kind, Name: key, Change: Added, After: describe(kind, head)}
		if kind == model.KindReview {
			ch.Change, ch.Field = Recorded, "spec.decision"
		}
		return []Change{ch}
	case head == nil:
		return []Change{{Kind: kind, Name: key, Change: Removed, Before: describe(kind, base)}}
	}
	bt, ht := tree(base), tree(head)
	var out []Change
	if kind == model.KindKPI {
		// A measure is one identity, not four fields: "measure changed
		// from CMS165v12 to CMS165v13", once.
		if ch, ok := measureChange(key, base.(*v1.KPI).Spec.Measure, head.(*v1.KPI).Spec.Measure); ok {
			out = append(out, ch)
		}
		for _, t := range []map[string]any{bt, ht} {
			if spec, ok := t["spec"].(map[string]any); ok {
				delete(spec, "measure")
			}
		}
	}
	var leaves []leaf
	diffTrees("", bt, ht, &leaves)
	for _, l := range leaves {
		out = append(out, classify(kind, key, base, head, l))
	}
	return out
}

// measureChange is the change of a KPI's spec.measure, shown by its
// label (v1.MeasureIdentity.Label), with the details when the label alone
// does not tell the two apart (a new steward, say).
func measureChange(key string, before, after *v1.MeasureIdentity) (Change, bool) {
	if reflect.DeepEqual(before, after) {
		return Change{}, false
	}
	ch := Change{Kind: model.KindKPI, Name: key, Field: "spec.measure", Change: Changed, Before: before.Label(), After: after.Label()}
	switch {
	case before == nil:
		ch.Change = Added
	case after == nil:
		ch.Change = Removed
	case ch.Before == ch.After:
		ch.Before += " (" + before.Details() + ")"
		ch.After += " (" + after.Details() + ")"
	}
	return ch, true
}

// sameMeasure says whether two measure identities name the same measure
// at the same version: id, system and version (the steward is a label).
func sameMeasure(a, b *v1.MeasureIdentity) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.ID == b.ID && a.System == b.System && a.Version == b.Version
}

var bracketRE = regexp.MustCompile(`\[[^\]]*\]`)

// pattern turns "spec.kpis[a].weight" into "spec.kpis[*].weight".
func pattern(path string) string { return bracketRE.ReplaceAllString(path, "[*]") }

// classify turns one difference into a change, with the meaning its kind
// and field give it (see meanings).
func classify(kind, key string, base, head any, l leaf) Change {
	ch := Change{Kind: kind, Name: key, Field: l.path, Change: presence(l), Before: render(l.before), After: render(l.after)}
	if mean, ok := meanings[kind]; ok {
		mean(&ch, pattern(l.path), base, head, l)
	}
	return ch
}

// meanings refine a change by kind, from its field pattern p: which way a
// target or threshold moved, dates and quantities in words, values that
// must not be shown.
var meanings = map[string]func(ch *Change, p string, base, head any, l leaf){
	model.KindKPI: func(ch *Change, p string, base, head any, l leaf) {
		bk, hk := base.(*v1.KPI), head.(*v1.KPI)
		unit := hk.Spec.Unit
		switch p {
		case "spec.target.value", "spec.target.min", "spec.target.max":
			quantityChange(ch, l, unit)
			if bk.Spec.Direction == hk.Spec.Direction && ch.Change == Changed {
				ch.Change = boundMove(hk.Spec.Direction, strings.TrimPrefix(p, "spec.target."), l)
			}
			if p == "spec.target.value" {
				contractNote(ch, hk)
			}
		case "spec.tolerance":
			quantityChange(ch, l, unit)
			ch.Change = move(cmpQuantity(l.before, l.after, "0"), Loosened, Tightened)
		case "spec.baseline.value", "spec.reported[*].value":
			quantityChange(ch, l, unit)
		case "spec.target.date", "spec.baseline.date", "spec.reported[*].periodStart":
			dateChange(ch, l)
		case "spec.reported[*].numerator", "spec.reported[*].denominator":
			// A pull-request comment is a report: counts from 1 to 10 read
			// "fewer than 11" (evaluate.FormatCount).
			ch.Before, ch.After = countChange(l.before), countChange(l.after)
		case "spec.reported[*]":
			ch.Field = "spec.reported"
			ch.Before, ch.After = reportedValue(l.before, unit), reportedValue(l.after, unit)
		}
	},
	model.KindObjective: func(ch *Change, p string, _, _ any, l leaf) {
		switch p {
		case "spec.deadline", "spec.startDate":
			dateChange(ch, l)
		case "spec.atRiskBelow":
			d := defaultAtRiskBelow()
			ch.Change = move(cmpQuantity(l.before, l.after, d), Tightened, Loosened)
			ch.Before, ch.After = orDefault(ch.Before, d), orDefault(ch.After, d)
		case "spec.kpis[*]":
			ch.Field = "spec.kpis"
			ch.Before, ch.After = kpiRef(l.before), kpiRef(l.after)
		}
	},
	model.KindPartnership: func(ch *Change, p string, _, head any, l leaf) {
		switch p {
		case "spec.agreement.effectiveDate", "spec.agreement.expiryDate":
			dateChange(ch, l)
		case "spec.agreement.financial.annualValue":
			quantityChange(ch, l, head.(*v1.Partnership).Spec.Agreement.Financial.Currency)
		}
	},
	model.KindReview: func(ch *Change, p string, _, _ any, _ leaf) {
		if p == "spec.notes" {
			ch.Before, ch.After = hide(ch.Before), hide(ch.After)
		}
	},
	model.KindMetricSource: func(ch *Change, p string, _, _ any, l leaf) {
		switch p {
		case "spec.headers[*].value":
			ch.Before, ch.After = hide(ch.Before), hide(ch.After)
		case "spec.headers[*]":
			ch.Before, ch.After = header(l.before), header(l.after)
		}
	},
}

// presence is added, removed or changed from which sides hold a value.
func presence(l leaf) ChangeType {
	switch {
	case l.before == nil:
		return Added
	case l.after == nil:
		return Removed
	}
	return Changed
}

// boundMove says whether a target bound moved the hard way (tightened)
// or the easy way (loosened) for the KPI's direction.
func boundMove(dir v1.Direction, bound string, l leaf) ChangeType {
	c := cmpQuantity(l.before, l.after, "")
	switch {
	case bound == "value" && dir == v1.HigherIsBetter, bound == "min":
		return move(c, Tightened, Loosened) // higher is harder
	case bound == "value" && dir == v1.LowerIsBetter, bound == "max":
		return move(c, Loosened, Tightened) // lower is harder
	}
	return Changed
}

// move maps a comparison (after vs before: 1 up, -1 down, 0 unknown) to
// a change type; an unknown direction is a plain change.
func move(c int, up, down ChangeType) ChangeType {
	switch c {
	case 1:
		return up
	case -1:
		return down
	}
	return Changed
}

// cmpQuantity compares two quantities given as generic values, reading an
// absent one as def; 0 when either does not parse or they are equal.
func cmpQuantity(before, after any, def string) int {
	b, okb := parseQuantity(before, def)
	a, oka := parseQuantity(after, def)
	if !okb || !oka {
		return 0
	}
	return a.Cmp(b)
}

func parseQuantity(v any, def string) (resource.Quantity, bool) {
	s := render(v)
	if v == nil {
		s = def
	}
	q, err := resource.ParseQuantity(s)
	return q, err == nil
}

// quantityChange formats both values with the unit, e.g. "15.3%".
func quantityChange(ch *Change, l leaf, unit string) {
	ch.Before, ch.After = formatQuantity(l.before, unit), formatQuantity(l.after, unit)
}

func formatQuantity(v any, unit string) string {
	if v == nil {
		return ""
	}
	q, ok := parseQuantity(v, "")
	if !ok {
		return render(v)
	}
	return evaluate.FormatValue(q.AsApproximateFloat64(), unit)
}

// dateChange classifies a moved date as earlier or later, with the
// number of days in the note.
func dateChange(ch *Change, l leaf) {
	if l.before == nil || l.after == nil {
		return
	}
	b, errb := evaluate.ParseDate(render(l.before))
	a, erra := evaluate.ParseDate(render(l.after))
	if errb != nil || erra != nil {
		return // validate reports bad dates; here they are just changed
	}
	days := int(a.Sub(b).Hours() / 24)
	ch.Change = move(sign(days), Later, Earlier)
	ch.Note = fmt.Sprintf("%+d days", days)
}

func sign(n int) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

func orDefault(s, def string) string {
	if s == "" {
		return def + " (default)"
	}
	return s
}

// reportedValue formats a reported-value list item: "28.4% for the period
// ending 2026-09-30", with a rate's counts "(fewer than 11 of 40)".
func reportedValue(v any, unit string) string {
	m, ok := v.(map[string]any)
	if !ok {
		return render(v)
	}
	value := formatQuantity(m["value"], unit)
	if m["numerator"] != nil && m["denominator"] != nil {
		counts := "(" + countChange(m["numerator"]) + " of " + countChange(m["denominator"]) + ")"
		value = strings.TrimSpace(value + " " + counts)
	}
	return fmt.Sprintf("%s for the period ending %s", value, render(m["periodEnd"]))
}

// countChange formats a count as reports show it: "fewer than 11" from 1
// to 10.
func countChange(v any) string {
	if v == nil {
		return ""
	}
	q, ok := parseQuantity(v, "")
	if !ok {
		return hidden // not a count; it may still be one, so not repeated
	}
	return evaluate.FormatCount(q.AsApproximateFloat64())
}

// kpiRef formats an objective's KPI reference: "name (weight 3, critical)".
func kpiRef(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return render(v)
	}
	var extra []string
	if w := render(m["weight"]); w != "" {
		extra = append(extra, "weight "+w)
	}
	if c, _ := m["critical"].(bool); c {
		extra = append(extra, "critical")
	}
	s := render(m["name"])
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

func header(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return render(v)
	}
	return render(m["name"]) + ": " + hidden
}

func hide(s string) string {
	if s == "" {
		return ""
	}
	return hidden
}

// describe summarises a whole object of a kind for an added or removed
// row.
func describe(kind string, obj any) string {
	if d, ok := descriptions[kind]; ok {
		return d(obj)
	}
	return ""
}

// descriptions summarise an object, by kind.
var descriptions = map[string]func(any) string{
	model.KindPartnership: describer(func(o *v1.Partnership) string {
		a := o.Spec.Agreement
		if o.Spec.DesiredPhase == v1.PhaseProspect && a.EffectiveDate == "" {
			return fmt.Sprintf("%s; a prospect with %d candidate partners, no agreement yet", o.Spec.DisplayName, len(o.Spec.Candidates))
		}
		expiry := string(a.ExpiryDate)
		if expiry == "" {
			expiry = "open-ended"
		}
		phi := "no PHI shared"
		switch {
		case a.DataSharing.SharesPHI && a.DataSharing.BAARef == "":
			phi = "PHI shared without a BAA"
		case a.DataSharing.SharesPHI:
			phi = "PHI shared under " + a.DataSharing.BAARef
		}
		return fmt.Sprintf("%s; agreement %s to %s; %s; %s", o.Spec.DisplayName, a.EffectiveDate, expiry, a.Financial.Model, phi)
	}),
	model.KindObjective: describer(func(o *v1.Objective) string {
		names := make([]string, len(o.Spec.KPIs))
		for i, k := range o.Spec.KPIs {
			names[i] = k.Name
		}
		return fmt.Sprintf("deadline %s; KPIs %s", o.Spec.Deadline, strings.Join(names, ", "))
	}),
	model.KindKPI: describer(func(o *v1.KPI) string {
		s := o.Spec
		target := "target " + quantityText(s.Target.Value, s.Unit)
		if s.Direction == v1.InRange {
			target = fmt.Sprintf("target between %s and %s", quantityText(s.Target.Min, s.Unit), quantityText(s.Target.Max, s.Unit))
		}
		return fmt.Sprintf("%s: baseline %s, %s by %s (%s)", s.DisplayName, quantityText(&s.Baseline.Value, s.Unit), target, s.Target.Date, s.Direction)
	}),
	model.KindReview: describer(func(o *v1.Review) string {
		s := fmt.Sprintf("%s on %s", o.Spec.Decision, o.Spec.Date)
		switch {
		case o.Spec.ExitDate != "":
			s += ", exit date " + string(o.Spec.ExitDate)
		case o.Spec.Decision == v1.DecisionExit:
			s += ", no exit date"
		}
		return s
	}),
	model.KindMetricSource: describer(func(o *v1.MetricSource) string {
		return strings.TrimSpace(fmt.Sprintf("%s %s", o.Spec.Type, o.Spec.Endpoint))
	}),
	model.KindPortfolio: describer(func(o *v1.Portfolio) string { return o.Spec.DisplayName }),
}

// describer adapts a typed description to the table.
func describer[T any](f func(T) string) func(any) string {
	return func(o any) string { return f(o.(T)) }
}

func quantityText(q *resource.Quantity, unit string) string {
	if q == nil {
		return "(none)"
	}
	return evaluate.FormatValue(q.AsApproximateFloat64(), unit)
}
