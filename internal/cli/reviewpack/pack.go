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

package reviewpack

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/views/chart"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// Options say what the pack covers.
type Options struct {
	// Now is the moment of the report: charts mark it as today.
	Now time.Time
	// From and To bound the period: the KPI history and the reviews
	// listed are those dated within it, both days included.
	From, To time.Time
	// Changes are the changes to the agreement since the last review;
	// see Changes for the cases where none could be listed.
	Changes Changes
}

// Pack is the review pack of one partnership, ready to write.
type Pack struct {
	Namespace, Name string
	DisplayName     string
	Purpose         string
	Generated       string // the day of the report
	From, To        string // the period, YYYY-MM-DD
	Health, Review  snapshot.State
	Score           string
	Agreement       []Fact
	Documents       []v1.DocumentLink
	Partners        []Partner
	Objectives      []Objective
	KPIs            []KPI
	Conditions      []Condition
	Reviews         []Review
	// OlderReviews counts the reviews before the period that are not listed.
	OlderReviews int
	Changes      Changes
	Questions    []Question
	// Addresses are the office's needs the partnership addresses.
	Addresses []string
	// Exchange is what each partner gives and receives; StaffTime the
	// hours given against those committed, by commitment.
	Exchange  []Exchange
	StaffTime []StaffTime
	// Wins are sentences about the KPIs that met their target and the
	// objectives achieved since the last review (WinsSince says since
	// when), newest first.
	Wins      []string
	WinsSince string
	// Calendar is the partnership's compliance calendar, earliest first.
	Calendar []CalendarLine
}

// CalendarLine is one expiry: when, of what, and where it stands.
type CalendarLine struct{ When, What, State string }

// Fact is one line of the agreement summary.
type Fact struct{ Label, Value string }

// Partner is a partner and its role.
type Partner struct {
	Name, Role string
	Lead       bool
}

// Objective is an objective with its score and progress toward target.
type Objective struct {
	Name, Statement, Owner, Deadline string
	Health                           snapshot.State
	Score                            string
	// Progress is status.progressPercent in words, e.g. "62%".
	Progress string
	// Meter is the progress clamped to 0..100, for the HTML meter.
	Meter int
	KPIs  []string
}

// KPI is a KPI's value against its baseline, target and glide path.
type KPI struct {
	Name, DisplayName, Description string
	// Measure is the measure's identity as cited ("CMS165v12"),
	// MeasureDetails its system, version and steward; empty without
	// spec.measure.
	Measure, MeasureDetails     string
	Anchor                      string // element id in the HTML pack
	Direction, Source           string
	Health, Data                snapshot.State
	Latest, Expected, Projected string
	Baseline, Target, Tolerance string
	Score                       string
	// Contract is the value-based contract's terms the KPI's report gave,
	// in a sentence: thresholds and the incentive at stake; "" without.
	Contract string
	// Chart is the history within the period against the glide path;
	// ChartErr says why there is none.
	Chart    chart.Chart
	ChartErr string
	// Rows are the chart's rows with who reported each value, from which
	// document, and a rate's counts (small cells suppressed).
	Rows []Row
	// HasCounts and HasReporters say whether any row has them, so a table
	// shows those columns only when they say something.
	HasCounts, HasReporters bool
}

// Row is one value in the period as the pack's table shows it.
type Row struct {
	chart.Row
	// Counts is a rate's counts in words, e.g. "fewer than 11 of 40
	// discharges"; "" without counts.
	Counts string
	// ReportedBy is who reported a value committed in git, and Document
	// the report it was taken from; empty for a live source's value.
	ReportedBy string
	Document   *v1.DocumentLink
}

// Condition is a condition that needs the meeting's attention, with its
// cause.
type Condition struct {
	Object  string // e.g. "KPI vicn-readmission-rate-30d"
	Type    string
	Status  string
	Reason  string // in words
	Message string
	Since   string
}

// Review is a recorded review meeting.
type Review struct {
	Name, Date, Decision, ExitDate, Notes string
	Attendees                             []string
	FollowUps                             []FollowUp
}

// FollowUp is an action agreed at a review, with where it stands now
// (after later reviews' updates): Open, Done or Dropped, and "Overdue"
// when open past its due date.
type FollowUp struct{ Action, Owner, Due, State string }

// Build makes the pack of snap as opts say.
func Build(snap *snapshot.Partnership, opts Options) *Pack {
	p := snap.Object
	pk := &Pack{
		Namespace: p.Namespace, Name: p.Name, DisplayName: p.Spec.DisplayName, Purpose: p.Spec.Purpose,
		Generated: day(opts.Now), From: day(opts.From), To: day(opts.To),
		Health: snapshot.Health(p.Status.Conditions), Review: snapshot.Review(p.Status.Conditions),
		Score: score(p.Status.Score), Agreement: agreementFacts(p), Documents: p.Spec.Agreement.Documents,
		Changes: opts.Changes,
	}
	if pk.DisplayName == "" {
		pk.DisplayName = p.Name
	}
	for _, pt := range p.Spec.Partners {
		pk.Partners = append(pk.Partners, Partner{Name: pt.Name, Role: string(pt.Role), Lead: pt.Lead})
	}
	pk.Conditions = append(pk.Conditions, conditions("Partnership "+p.Name, p.Status.Conditions, true)...)
	addExchange(pk, p)

	// Charts end at today; whole days keep the pack the same all day.
	today := opts.Now.UTC().Truncate(24 * time.Hour)
	for _, k := range snap.KPIs {
		pk.KPIs = append(pk.KPIs, kpi(k, opts, today))
	}
	for _, o := range snap.Objectives {
		ov := Objective{Name: o.Object.Name, Statement: o.Object.Spec.Statement, Owner: o.Object.Spec.Owner,
			Deadline: string(o.Object.Spec.Deadline), Health: snapshot.Health(o.Object.Status.Conditions),
			Score: score(o.Object.Status.Score), Progress: "not evaluated"}
		if pp := o.Object.Status.ProgressPercent; pp != nil {
			ov.Progress = fmt.Sprintf("%d%%", *pp)
			ov.Meter = int(max(0, min(100, *pp)))
		}
		for _, kr := range o.KPIs {
			ov.KPIs = append(ov.KPIs, kr.Name)
		}
		pk.Objectives = append(pk.Objectives, ov)
		pk.Conditions = append(pk.Conditions, conditions("Objective "+o.Object.Name, o.Object.Status.Conditions, false)...)
	}
	for _, k := range snap.KPIs {
		pk.Conditions = append(pk.Conditions, conditions("KPI "+k.Object.Name, k.Object.Status.Conditions, false)...)
	}

	states := assess.FollowUpStates(snap.Reviews, opts.Now)
	overdue := map[evaluate.FollowUpKey]bool{}
	for _, o := range p.Status.OverdueFollowUps {
		overdue[evaluate.FollowUpKey{Review: o.Review, Action: o.Action}] = true
	}
	for i, r := range snap.Reviews {
		d, err := time.Parse(time.DateOnly, string(r.Spec.Date))
		// Newest first: the latest review is listed even before the
		// period, so the meeting sees what it last decided.
		if i > 0 && (err != nil || d.Before(opts.From.UTC().Truncate(24*time.Hour))) {
			pk.OlderReviews++
			continue
		}
		pk.Reviews = append(pk.Reviews, review(r, states, overdue))
	}
	pk.Questions = questions(snap)
	for _, w := range snap.Wins() {
		pk.Wins = append(pk.Wins, w.Sentence)
	}
	pk.WinsSince = snap.WinsHeading()
	for _, e := range snapshot.Calendar([]v1.Partnership{*p}, opts.Now) {
		pk.Calendar = append(pk.Calendar, CalendarLine{When: e.When, What: e.What, State: e.State})
	}
	return pk
}

func kpi(k *snapshot.KPI, opts Options, today time.Time) KPI {
	o := k.Object
	v := KPI{Name: o.Name, DisplayName: o.Spec.DisplayName, Description: o.Spec.Description, Anchor: "kpi-" + o.Name,
		Direction: k.Direction(), Source: k.Source(), Health: snapshot.Health(o.Status.Conditions),
		Latest: k.Latest(), Expected: k.Value(o.Status.ExpectedValue), Projected: k.Value(o.Status.ProjectedValue),
		Baseline: k.Baseline(), Target: k.Target(), Tolerance: k.Tolerance(), Score: score(o.Status.Score),
		Measure: o.Spec.Measure.Label(), MeasureDetails: o.Spec.Measure.Details()}
	v.Contract = contractTerms(o)
	if c := meta.FindStatusCondition(o.Status.Conditions, v1.ConditionMetricsAvailable); c != nil {
		v.Data = snapshot.State{Word: string(c.Status), Reason: c.Reason, Message: c.Message}
	}
	if k.SpecErr != nil {
		v.ChartErr = "No chart: " + k.SpecErr.Error()
		return v
	}
	var inPeriod []evaluate.Observation
	for _, ob := range k.History {
		if !ob.Time.Before(opts.From) && !ob.Time.After(opts.To) {
			inPeriod = append(inPeriod, ob)
		}
	}
	c, err := chart.Render(chart.Input{ID: v.Anchor, Spec: k.Spec, History: inPeriod, Now: today})
	if err != nil {
		v.ChartErr = "The chart could not be drawn: " + err.Error()
		return v
	}
	v.Chart = c
	v.Rows, v.HasCounts, v.HasReporters = rows(c.Rows, inPeriod, o, k.Spec)
	return v
}

// rows adds to the chart's rows (one per observation, by date) the counts
// of each value and who reported it, matched by the period's end day.
func rows(chartRows []chart.Row, obs []evaluate.Observation, k *v1.KPI, spec evaluate.KPISpec) (out []Row, hasCounts, hasReporters bool) {
	counts := map[string]string{}
	for _, o := range obs {
		counts[day(o.Time)] = evaluate.CountsWords(o, spec)
	}
	reported := map[string]v1.ReportedValue{}
	for _, r := range k.Spec.Reported {
		reported[string(r.PeriodEnd)] = r
	}
	out = make([]Row, 0, len(chartRows))
	for _, cr := range chartRows {
		r := Row{Row: cr, Counts: counts[cr.Date]}
		if rv, ok := reported[cr.Date]; ok {
			r.ReportedBy, r.Document = rv.ReportedBy, rv.Document
		}
		hasCounts = hasCounts || r.Counts != ""
		hasReporters = hasReporters || r.ReportedBy != ""
		out = append(out, r)
	}
	return out, hasCounts, hasReporters
}

// conditions lists an object's conditions that need attention (all of
// them for the partnership itself), each with its cause.
func conditions(object string, conds []metav1.Condition, all bool) []Condition {
	var out []Condition
	for _, typ := range []string{v1.ConditionReady, v1.ConditionMetricsAvailable, v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue, v1.ConditionHoursDelivered, v1.ConditionCompliant} {
		c := meta.FindStatusCondition(conds, typ)
		if c == nil || (!all && good(c)) {
			continue
		}
		out = append(out, Condition{Object: object, Type: c.Type, Status: string(c.Status), Reason: snapshot.Words(c.Reason),
			Message: c.Message, Since: c.LastTransitionTime.UTC().Format(time.DateOnly)})
	}
	return out
}

// good says whether a condition is good news: True for Ready, Healthy
// and MetricsAvailable, False for AtRisk and ReviewDue.
func good(c *metav1.Condition) bool {
	if c.Type == v1.ConditionAtRisk || c.Type == v1.ConditionReviewDue {
		return c.Status == metav1.ConditionFalse
	}
	return c.Status == metav1.ConditionTrue
}

func review(r v1.Review, states map[evaluate.FollowUpKey]string, overdue map[evaluate.FollowUpKey]bool) Review {
	rv := Review{Name: r.Name, Date: string(r.Spec.Date), Decision: string(r.Spec.Decision), ExitDate: string(r.Spec.ExitDate), Notes: r.Spec.Notes}
	for _, a := range r.Spec.Attendees {
		s := a.Name
		if a.Organization != "" {
			s += " (" + a.Organization + ")"
		}
		rv.Attendees = append(rv.Attendees, s)
	}
	for _, f := range r.Spec.FollowUps {
		k := evaluate.FollowUpKey{Review: r.Name, Action: f.Action}
		state := states[k]
		if overdue[k] {
			state = "Overdue"
		}
		rv.FollowUps = append(rv.FollowUps, FollowUp{Action: f.Action, Owner: f.Owner, Due: string(f.Due), State: state})
	}
	return rv
}

func agreementFacts(p *v1.Partnership) []Fact {
	a := p.Spec.Agreement
	var f []Fact
	add := func(label, value string) {
		if value != "" {
			f = append(f, Fact{label, value})
		}
	}
	term := "from " + string(a.EffectiveDate)
	if a.ExpiryDate != "" {
		term += " to " + string(a.ExpiryDate)
	} else {
		term += ", open-ended"
	}
	if a.AutoRenew {
		term += ", renews automatically"
	}
	if a.EffectiveDate == "" {
		term = "no agreement yet (a prospect, choosing its partners)" // only a Prospect may omit it
	}
	add("Term", term)
	state := string(p.Status.AgreementState)
	if state != "" {
		state = snapshot.Words(state)
		if d := p.Status.DaysToExpiry; d != nil {
			state += fmt.Sprintf(", %d days to expiry", *d)
		}
	}
	add("Agreement state", state)
	if a.RenewalNoticeDays != nil {
		add("Renewal notice", fmt.Sprintf("%d days", *a.RenewalNoticeDays))
	}
	gov := string(a.Governance.Model)
	if a.Governance.MeetingCadence != "" {
		gov += ", meets every " + snapshot.PeriodWords(a.Governance.MeetingCadence)
	}
	add("Governance", gov)
	if c := snapshot.PeriodWords(p.Spec.ReviewCadence); c != "" {
		add("Review cadence", "every "+c)
	}
	ds := "No protected health information shared"
	if a.DataSharing.SharesPHI {
		ds = "Shares protected health information"
		if a.DataSharing.BAARef != "" {
			ds += " under BAA " + a.DataSharing.BAARef
		}
	}
	if a.DataSharing.DSARef != "" {
		ds += "; data-sharing agreement " + a.DataSharing.DSARef
	}
	if len(a.DataSharing.Purposes) > 0 {
		ds += "; purposes: " + strings.Join(a.DataSharing.Purposes, ", ")
	}
	add("Data sharing", ds)
	fin := string(a.Financial.Model)
	if v := a.Financial.AnnualValue; v != nil {
		cur := a.Financial.Currency
		if cur == "" {
			cur = "USD"
		}
		fin += ", " + evaluate.FormatValue(v.AsApproximateFloat64(), cur) + " a year"
	}
	if s := a.Financial.SharedSavingsPercent; s != nil {
		fin += fmt.Sprintf(", %d%% of savings shared", *s)
	}
	add("Financial", fin)
	if cr := a.ConflictResolution; cr != nil {
		s := string(cr.Process)
		if cr.EscalationDays != nil {
			s += fmt.Sprintf(", escalated after %d days", *cr.EscalationDays)
		}
		add("Conflict resolution", s)
	}
	add("Phase", string(p.Status.Phase))
	return f
}

func score(s *int32) string {
	if s == nil {
		return "not scored"
	}
	return strconv.Itoa(int(*s))
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// contractTerms says what the contract puts on the table for a KPI:
// "Contract (report of 30 May 2023): thresholds Star 4 83%, Star 5 92%;
// star score 0; incentive at stake: Quality incentive payment (Chronic
// care management)." and, when the KPI reads the contract's Measure, its
// weight and contractual status.
func contractTerms(k *v1.KPI) string {
	c := k.Status.Contract
	if c == nil {
		return ""
	}
	var parts []string
	if len(c.Thresholds) > 0 {
		ts := make([]string, 0, len(c.Thresholds))
		for _, t := range c.Thresholds {
			name := t.Display
			if name == "" {
				name = t.Type
			}
			if t.Type == c.TargetThresholdType {
				name += " (the target)"
			}
			ts = append(ts, name+" "+t.Reported)
		}
		parts = append(parts, "thresholds "+strings.Join(ts, ", "))
	}
	if c.StarScore != "" {
		parts = append(parts, "star score "+c.StarScore)
	}
	if b := c.Baseline; b != nil {
		bl := "baseline " + b.Reported
		if b.PeriodStart != "" && b.PeriodEnd != "" {
			bl += " (" + string(b.PeriodStart) + " to " + string(b.PeriodEnd) + ")"
		}
		parts = append(parts, bl)
	}
	if len(c.PaymentStreams) > 0 {
		ps := make([]string, 0, len(c.PaymentStreams))
		for _, p := range c.PaymentStreams {
			n := p.Display
			if n == "" {
				n = p.Type
			}
			if p.Incentive != "" {
				n += " (" + p.Incentive + ")"
			}
			ps = append(ps, n)
		}
		parts = append(parts, "incentive at stake: "+strings.Join(ps, ", "))
	}
	if p := c.Component; p != nil && len(parts) == 0 && p.Weight == "" && p.Status == "" {
		return ""
	}
	head := "Contract"
	if d, err := evaluate.ParseDate(string(c.ReportDate)); err == nil && c.ReportDate != "" {
		head += " (report of " + d.Format("2 January 2006") + ")"
	}
	component := assess.ComponentSentence(c)
	if len(parts) == 0 {
		return head + ": " + component
	}
	out := head + ": " + strings.Join(parts, "; ") + "."
	if component != "" {
		out += " " + component
	}
	return out
}
