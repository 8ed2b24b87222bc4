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

package assess

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

var now = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC) // as in internal/evaluate's tests

func day(s string) time.Time {
	t, err := evaluate.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// setReasons runs assess over inputs that take each path that sets a
// reason, and returns every reason it wrote, by kind.
func setReasons(t *testing.T) map[string][]string {
	t.Helper()
	got := map[string][]string{}
	record := func(o v1.ConditionGetter) {
		kind := v1.KindOf(o)
		for _, c := range o.GetConditions() {
			if c.Reason == "" {
				t.Errorf("%s %s: condition %s has no reason", kind, o.GetName(), c.Type)
			}
			if !slices.Contains(got[kind], c.Reason) {
				got[kind] = append(got[kind], c.Reason)
			}
		}
	}

	// KPI: an unreadable spec, missing or failing sources, and verdicts
	// (inputs as in internal/evaluate's tests).
	kpiSpec := evaluate.KPISpec{DisplayName: "30-day readmission rate", Unit: "%", Direction: evaluate.LowerIsBetter,
		BaselineDate: day("2025-06-30"), Baseline: 18, TargetDate: day("2027-06-30"), Target: 15.3,
		Tolerance: 0.5, MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: 2}
	higher := evaluate.KPISpec{DisplayName: "Gaps closed", Unit: "%", Direction: evaluate.HigherIsBetter,
		BaselineDate: day("2025-03-31"), Baseline: 52, TargetDate: day("2027-12-31"), Target: 80, Tolerance: 2,
		MaxAge: 100 * 24 * time.Hour, BreachesBeforeAtRisk: 2}
	quarter := func(values ...float64) []evaluate.Observation {
		ends := []string{"2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30", "2026-10-31", "2026-11-20"}
		out := make([]evaluate.Observation, len(values))
		for i, v := range values {
			out[i] = evaluate.Observation{Time: day(ends[i]), Value: v}
		}
		return out
	}
	// A rate: the series, 15.0, 17.5, 17.5, 20.0, 17.5% of 40
	// discharges a quarter, worse than plan by point but within noise.
	rateSpec := kpiSpec
	rateSpec.RatePer, rateSpec.BreachesBeforeAtRisk = 100, 3
	counted := func(den float64, nums ...float64) []evaluate.Observation {
		out := quarter(make([]float64, len(nums))...)
		for i, n := range nums {
			out[i].Value, out[i].Counts = n/den*100, &evaluate.Counts{Numerator: n, Denominator: den}
		}
		return out
	}
	tooFew := rateSpec
	tooFew.MinDenominator = 50
	_, noSource, _ := Observations(&v1.KPI{Spec: v1.KPISpec{Source: &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "gone"}}}}, nil)
	invalid := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "invalid"}}
	InvalidKPI(invalid, errors.New("spec.baseline.date: not a date"), now)
	record(invalid)
	for name, c := range map[string]struct {
		spec    evaluate.KPISpec
		obs     []evaluate.Observation
		problem *DataProblem
	}{
		"no-source":   {kpiSpec, nil, noSource},
		"unsupported": {kpiSpec, nil, UnsupportedSource(&v1.MetricSource{})},
		"unreachable": {kpiSpec, nil, FetchProblem(&v1.MetricSource{}, errors.New("connection refused"))},
		"no-data":     {kpiSpec, nil, nil},
		"stale":       {kpiSpec, []evaluate.Observation{{Time: day("2025-09-30"), Value: 17}}, nil},
		"on-track":    {kpiSpec, quarter(17.6, 17.3, 17.0, 16.6, 16.3), nil},
		"target-met":  {kpiSpec, quarter(17.6, 17.3, 15.2), nil},
		"behind":      {kpiSpec, quarter(17.9, 17.3, 17.7, 16.6, 17.2), nil},
		"off-track":   {kpiSpec, quarter(17.9, 17.8, 17.6, 17.4, 17.2), nil},
		"recovering":  {kpiSpec, quarter(17.6, 18.0, 17.9, 16.6), nil},
		"projected":   {higher, quarter(57, 59.5, 61.5, 63.5, 65.5), nil},
		"noise":       {rateSpec, counted(40, 6, 7, 7, 8, 7), nil},
		"too-few":     {tooFew, counted(40, 6, 7, 7, 8, 7), nil},
	} {
		k := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: name}}
		at := now // judged the day after the latest value, unless it is about staleness
		if len(c.obs) > 0 && name != "stale" {
			at = c.obs[len(c.obs)-1].Time.Add(24 * time.Hour)
		}
		KPI(k, c.spec, c.obs, c.problem, at)
		record(k)
	}
	// A contract target the report does not give (contract_test.go).
	noTerm := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "no-term"}, Spec: v1.KPISpec{Source: &v1.KPISource{
		SourceRef: v1.LocalObjectReference{Name: "payer"}, ContractTarget: &v1.ContractTarget{ThresholdType: "star-4"}}}}
	KPI(noTerm, higher, quarter(57), nil, now)
	record(noTerm)

	// A KPI and an objective of an ended partnership.
	ending := &Ending{LastDay: day("2026-09-30"), Partnership: "gone-by"}
	endedKPI := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "ended"}, Spec: v1.KPISpec{Reported: []v1.ReportedValue{{Value: new(resource.MustParse("17")), PeriodEnd: "2026-06-30"}}}}
	EndedKPI(endedKPI, kpiSpec, nil, ending, now)
	record(endedKPI)
	endedObjective := &v1.Objective{ObjectMeta: metav1.ObjectMeta{Name: "ended"}, Spec: v1.ObjectiveSpec{Deadline: "2027-06-30", KPIs: []v1.ObjectiveKPI{{Name: "ended"}}}}
	EndedObjective(endedObjective, map[string]*v1.KPI{"ended": endedKPI}, ending, now)
	record(endedObjective)

	// Objective: each verdict, a missing KPI and a missing partnership.
	healthyKPI := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "ok"}}
	KPI(healthyKPI, kpiSpec, quarter(17.6, 17.3, 17.0, 16.6, 16.3), nil, day("2026-10-01"))
	atRiskKPI := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "bad"}}
	KPI(atRiskKPI, kpiSpec, quarter(17.9, 17.8, 17.6, 17.4, 17.2), nil, day("2026-10-01"))
	unknownKPI := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "none"}}
	KPI(unknownKPI, kpiSpec, nil, nil, now)
	objective := func(name string, refs ...v1.ObjectiveKPI) *v1.Objective {
		return &v1.Objective{ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: v1.ObjectiveSpec{PartnershipRef: v1.LocalObjectReference{Name: "p"}, Deadline: "2027-06-30", KPIs: refs}}
	}
	kpis := map[string]*v1.KPI{"ok": healthyKPI, "bad": atRiskKPI, "none": unknownKPI}
	for _, c := range []struct {
		o     *v1.Objective
		found bool
	}{
		{objective("no-kpis"), true},
		{objective("on-track", v1.ObjectiveKPI{Name: "ok"}), true},
		{objective("critical", v1.ObjectiveKPI{Name: "ok"}, v1.ObjectiveKPI{Name: "bad", Critical: true}), true},
		{objective("below", v1.ObjectiveKPI{Name: "bad"}), true},
		{objective("missing", v1.ObjectiveKPI{Name: "ok"}, v1.ObjectiveKPI{Name: "gone"}), true},
		{objective("unknown", v1.ObjectiveKPI{Name: "none"}), true},
		{objective("orphan", v1.ObjectiveKPI{Name: "ok"}), false},
	} {
		Objective(c.o, kpis, c.found, now)
		record(c.o)
	}
	healthyObjective, atRiskObjective, unknownObjective := objective("h", v1.ObjectiveKPI{Name: "ok"}), objective("r", v1.ObjectiveKPI{Name: "bad"}), objective("u", v1.ObjectiveKPI{Name: "none"})
	for _, o := range []*v1.Objective{healthyObjective, atRiskObjective, unknownObjective} {
		Objective(o, kpis, true, now)
	}

	// Partnership: an unreadable spec, each health and each ReviewDue.
	partnership := func(name, effective, expiry string, notice int32) *v1.Partnership {
		p := &v1.Partnership{ObjectMeta: metav1.ObjectMeta{Name: name}}
		p.Spec.Agreement.EffectiveDate = v1.Date(effective)
		p.Spec.Agreement.ExpiryDate = v1.Date(expiry)
		if notice > 0 {
			p.Spec.Agreement.RenewalNoticeDays = &notice
		}
		return p
	}
	review := func(date string) v1.Review {
		return v1.Review{ObjectMeta: metav1.ObjectMeta{Name: "r-" + date}, Spec: v1.ReviewSpec{Date: v1.Date(date), Decision: v1.DecisionContinue}}
	}
	recent := []v1.Review{review("2026-11-01")}
	phi := func(name, dsaRef string, baa, dsa *v1.InstrumentTerm) *v1.Partnership {
		p := partnership(name, "2026-01-01", "2027-12-31", 0)
		p.Spec.Agreement.DataSharing = v1.DataSharing{SharesPHI: true, BAARef: "BAA-1", BAATerm: baa, DSARef: dsaRef, DSATerm: dsa}
		return p
	}
	withAction := review("2026-11-01")
	withAction.Spec.FollowUps = []v1.FollowUp{{Action: "Send the figures", Due: "2026-11-10"}}
	escalated := partnership("escalated", "2026-01-01", "", 0)
	since := metav1.NewTime(day("2026-06-01"))
	escalated.Status.AtRiskSince = &since
	prospect := partnership("prospect", "2027-01-01", "", 0)
	prospect.Spec.DesiredPhase = v1.PhaseProspect
	lateProspect := partnership("late-prospect", "2026-01-01", "", 0)
	lateProspect.Spec.DesiredPhase = v1.PhaseProspect
	for _, c := range []struct {
		p          *v1.Partnership
		objectives []*v1.Objective
		reviews    []v1.Review
	}{
		{partnership("invalid", "someday", "", 0), nil, nil},
		{partnership("healthy", "2026-01-01", "", 0), []*v1.Objective{healthyObjective}, recent},
		{partnership("at-risk", "2026-01-01", "", 0), []*v1.Objective{atRiskObjective}, recent},
		{partnership("not-yet", "2027-01-01", "", 0), []*v1.Objective{healthyObjective}, nil},
		// Expired after a review in the renewal window decided to renew.
		{partnership("expired", "2025-01-01", "2026-06-30", 30), []*v1.Objective{healthyObjective}, []v1.Review{review("2026-06-15")}},
		// Expired without renewal: ended.
		{partnership("ended", "2025-01-01", "2026-06-30", 0), []*v1.Objective{healthyObjective}, recent},
		{partnership("empty", "2026-01-01", "", 0), nil, recent},
		{partnership("unknown", "2026-01-01", "", 0), []*v1.Objective{unknownObjective}, recent},
		{partnership("overdue", "2025-01-01", "", 0), []*v1.Objective{healthyObjective}, nil},
		{partnership("renewal", "2026-01-01", "2026-12-31", 90), []*v1.Objective{healthyObjective}, []v1.Review{review("2026-09-15")}},
		{partnership("actions", "2026-01-01", "", 0), []*v1.Objective{healthyObjective}, []v1.Review{withAction}},
		{escalated, []*v1.Objective{atRiskObjective}, []v1.Review{review("2026-09-15")}},
		// The compliance calendar: a BAA covering the agreement, one not
		// recorded, lapsed, not yet in force, ending first (and in its
		// notice period), and a lapsed DSA.
		{phi("covered", "", &v1.InstrumentTerm{EffectiveDate: "2026-01-01", ExpiryDate: "2027-12-31"}, nil), nil, recent},
		{phi("unrecorded", "", nil, nil), nil, recent},
		{phi("lapsed", "", &v1.InstrumentTerm{EffectiveDate: "2025-01-01", ExpiryDate: "2026-10-31"}, nil), nil, recent},
		{phi("later", "", &v1.InstrumentTerm{EffectiveDate: "2026-12-01"}, nil), nil, recent},
		{phi("shorter", "", &v1.InstrumentTerm{EffectiveDate: "2026-01-01", ExpiryDate: "2026-12-31", NoticeDays: 60}, nil), nil, recent},
		{phi("dsa", "DSA-1", &v1.InstrumentTerm{EffectiveDate: "2026-01-01", ExpiryDate: "2027-12-31"}, &v1.InstrumentTerm{EffectiveDate: "2025-01-01", ExpiryDate: "2026-12-31", NoticeDays: 60}), nil, recent},
		{phi("dsa-lapsed", "DSA-1", &v1.InstrumentTerm{EffectiveDate: "2026-01-01", ExpiryDate: "2027-12-31"}, &v1.InstrumentTerm{EffectiveDate: "2025-01-01", ExpiryDate: "2026-10-31"}), nil, recent},
		{prospect, nil, nil},
		{lateProspect, nil, nil},
	} {
		objs := make([]v1.Objective, 0, len(c.objectives))
		for _, o := range c.objectives {
			objs = append(objs, *o)
		}
		_, _ = Partnership(c.p, objs, c.reviews, now)
		record(c.p)
	}
	// Needs and staff time: an undeclared need, hours kept, short and
	// not reported.
	office := &v1.Portfolio{ObjectMeta: metav1.ObjectMeta{Name: "office"}, Spec: v1.PortfolioSpec{Needs: []v1.OfficeNeed{{Name: "transport", Priority: 1}}}}
	for _, hours := range []int32{-1, 10, 40} {
		p := partnership("hours", "2026-01-01", "", 0)
		p.Spec.Addresses = []string{"dental"}
		p.Spec.Partners = []v1.Partner{{Name: "A", StaffCommitments: []v1.StaffCommitment{{Role: "Nurse", HoursPerMonth: 10}}}}
		if hours >= 0 {
			p.Spec.Partners[0].StaffCommitments[0].Delivered = []v1.DeliveredHours{{PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Hours: hours}}
		}
		_, _ = PartnershipIn(p, []v1.Objective{*healthyObjective}, recent, []*v1.Portfolio{office}, now)
		record(p)
	}

	// Portfolio: an invalid selector, and each roll-up.
	bad := &v1.Portfolio{ObjectMeta: metav1.ObjectMeta{Name: "bad"}, Spec: v1.PortfolioSpec{Selector: metav1.LabelSelector{
		MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "a", Operator: "Nope"}}}}}
	if _, err := PortfolioSelector(bad, now); err == nil {
		t.Error("an invalid selector was accepted")
	}
	record(bad)
	item := func(h evaluate.Health, due bool) evaluate.Item {
		return evaluate.Item{Kind: "Partnership", Name: string(h), Health: h, ReviewDue: due}
	}
	for name, members := range map[string][]evaluate.Item{
		"empty":   nil,
		"healthy": {item(evaluate.Healthy, false)},
		"at-risk": {item(evaluate.AtRisk, true)},
		"unknown": {item(evaluate.Healthy, false), item(evaluate.Unknown, false)},
	} {
		pf := &v1.Portfolio{ObjectMeta: metav1.ObjectMeta{Name: name}}
		Portfolio(pf, PortfolioMembers{Partnerships: members}, now)
		record(pf)
	}

	// Review, with and without its partnership.
	for _, p := range []*v1.Partnership{nil, partnership("p", "2026-01-01", "", 0)} {
		r := review("2026-11-01")
		Review(&r, p, nil, now)
		record(&r)
	}
	// A follow-up update naming an action no review agreed.
	unknownAction := review("2026-11-02")
	unknownAction.Spec.FollowUpUpdates = []v1.FollowUpUpdate{{Review: "r-2026-11-01", Action: "Nothing agreed", State: v1.FollowUpDone}}
	Review(&unknownAction, partnership("p", "2026-01-01", "", 0), []v1.Review{review("2026-11-01")}, now)
	record(&unknownAction)

	// MetricSource: reported, not yet asked, answered (a failure's reason
	// is the source's own, outside this list).
	for name, c := range map[string]struct {
		typ     v1.SourceType
		outcome *sources.Outcome
	}{
		"reported": {v1.SourceReported, nil},
		"unasked":  {v1.SourcePrometheus, nil},
		"answered": {v1.SourcePrometheus, &sources.Outcome{LastAttempt: now, LastSuccess: now}},
	} {
		s := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.MetricSourceSpec{Type: c.typ}}
		MetricSource(s, c.outcome, now)
		record(s)
	}
	return got
}

func TestEveryReasonSetIsListedAndEveryListedReasonIsSet(t *testing.T) {
	got := setReasons(t)
	for _, kind := range v1.Kinds() {
		listed, ok := Reasons[kind]
		if !ok {
			t.Errorf("Reasons has no list for %s", kind)
		}
		for _, r := range got[kind] {
			if !slices.Contains(listed, r) {
				t.Errorf("%s: assess set reason %q, which Reasons[%q] does not list", kind, r, kind)
			}
		}
		for _, r := range listed {
			if !slices.Contains(got[kind], r) {
				t.Errorf("%s: Reasons lists %q, which no scenario here set (add one, or drop it)", kind, r)
			}
		}
	}
}

func TestEveryListedReasonIsDocumented(t *testing.T) {
	// The test runs in internal/assess.
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "conditions.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for kind, reasons := range Reasons {
		for _, r := range reasons {
			if !strings.Contains(doc, "`"+r+"`") {
				t.Errorf("%s reason %s is not in docs/conditions.md", kind, r)
			}
		}
	}
}

// The engine keeps its own copies of the API's phase, outcome and
// agreement-state values (it does not import the API); they must agree.
func TestTheEnginesEnumsAreTheAPIs(t *testing.T) {
	for _, c := range []struct{ engine, api string }{
		{string(evaluate.PhaseActive), string(v1.PhaseActive)},
		{string(evaluate.PhasePaused), string(v1.PhasePaused)},
		{string(evaluate.PhaseExiting), string(v1.PhaseExiting)},
		{string(evaluate.PhaseExited), string(v1.PhaseExited)},
		{evaluate.DecisionExit, string(v1.DecisionExit)},
		{evaluate.DecisionContinue, string(v1.DecisionContinue)},
		{string(evaluate.OutcomeOnTrack), string(v1.OutcomeOnTrack)},
		{string(evaluate.OutcomeAtRisk), string(v1.OutcomeAtRisk)},
		{string(evaluate.OutcomeAchieved), string(v1.OutcomeAchieved)},
		{string(evaluate.OutcomeMissed), string(v1.OutcomeMissed)},
		{string(evaluate.OutcomeUnknown), string(v1.OutcomeUnknown)},
		{string(evaluate.NotYetInForce), string(v1.AgreementNotYetInForce)},
		{string(evaluate.InForce), string(v1.AgreementInForce)},
		{string(evaluate.RenewalWindow), string(v1.AgreementRenewalWindow)},
		{string(evaluate.Expired), string(v1.AgreementExpired)},
	} {
		if c.engine != c.api {
			t.Errorf("engine value %q, API value %q", c.engine, c.api)
		}
	}
}

// reasonTypeKind maps each reason type of the engine to the kind whose
// conditions carry it.
var reasonTypeKind = map[string]string{
	"KPIReason": "KPI", "ObjectiveReason": "Objective",
	"PartnershipReason": "Partnership", "ReviewReason": "Partnership", "PortfolioReason": "Portfolio",
	"ComplianceReason": "Partnership",
}

// TestEveryEngineReasonIsListed reads the reason constants internal/evaluate
// declares, so a reason added there cannot be missing from Reasons (and so
// from docs/conditions.md) even before a scenario here sets it.
func TestEveryEngineReasonIsListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "evaluate", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset, found := token.NewFileSet(), 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				typ, ok := vs.Type.(*ast.Ident)
				if !ok || reasonTypeKind[typ.Name] == "" {
					continue
				}
				for _, v := range vs.Values {
					lit, ok := v.(*ast.BasicLit)
					if !ok {
						continue
					}
					reason, _ := strconv.Unquote(lit.Value)
					found++
					if kind := reasonTypeKind[typ.Name]; !slices.Contains(Reasons[kind], reason) {
						t.Errorf("%s: evaluate's %s %q is not in Reasons[%q]", fset.Position(lit.Pos()), typ.Name, reason, kind)
					}
				}
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d reason constants in internal/evaluate; the parse is wrong", found)
	}
}
