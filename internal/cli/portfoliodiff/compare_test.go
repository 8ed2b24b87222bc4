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
	"strings"
	"testing"

	model "github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// portfolio is a small portfolio with one KPI of each direction.
const portfolio = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
metadata: {name: vicn}
spec:
  displayName: Valley Integrated Care
  partners:
    - {name: Valley Regional Hospital, role: Convener, lead: true}
    - {name: Pine Ridge CHC, role: ClinicalProvider}
  agreement:
    effectiveDate: "2025-07-01"
    expiryDate: "2028-06-30"
    renewalNoticeDays: 180
    governance: {model: SteeringCommittee}
    dataSharing: {sharesPHI: true, baaRef: BAA-1, purposes: [care coordination]}
    financial: {model: CostSharing, currency: USD, annualValue: "420000"}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: readmissions}
spec:
  partnershipRef: {name: vicn}
  statement: Reduce 30-day readmissions by 15% by 2027-06-30.
  startDate: "2025-07-01"
  deadline: "2027-06-30"
  kpis:
    - {name: readmission-rate, weight: 3, critical: true}
    - {name: satisfaction, weight: 1}
    - {name: caseload, weight: 1}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: readmission-rate}
spec:
  displayName: 30-day readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18.0", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  reported:
    - {value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: satisfaction}
spec:
  displayName: Patient satisfaction
  unit: "%"
  direction: HigherIsBetter
  baseline: {value: "68", date: "2025-06-30"}
  target: {value: "75", date: "2027-06-30"}
  reported:
    - {value: "68.5", periodEnd: "2025-09-30", reportedBy: PX}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: caseload}
spec:
  displayName: Members per coordinator
  direction: InRange
  baseline: {value: "72", date: "2025-06-30"}
  target: {min: "40", max: "60", date: "2026-06-30"}
  reported:
    - {value: "70", periodEnd: "2025-09-30", reportedBy: CHC}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: vicn-2026-09}
spec:
  partnershipRef: {name: vicn}
  date: "2026-09-18"
  decision: Continue
`

const reviseReview = `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: vicn-2026-12}
spec:
  partnershipRef: {name: vicn}
  date: "2026-12-10"
  decision: Revise
`

func snapshot(t *testing.T, yaml string) *model.Set {
	t.Helper()
	docs, bad := load.Read("test.yaml", strings.NewReader(yaml))
	if len(bad) > 0 {
		t.Fatalf("fixture: %v", bad)
	}
	s, err := Read(docs)
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return s
}

// edit replaces old by new in s, failing when old is not there exactly
// once, so a fixture change cannot silently turn an edit into a no-op.
// withMeasure gives the readmission KPI spec.measure CMS165 at version.
func withMeasure(t *testing.T, s, version string) string {
	t.Helper()
	return edit(t, s, "  tolerance: \"0.5\"\n  reported:\n    - {value: \"17.9\"",
		"  tolerance: \"0.5\"\n  measure: {id: CMS165, system: CMSeCQM, version: \""+version+"\", steward: NCQA}\n  reported:\n    - {value: \"17.9\"")
}

func edit(t *testing.T, s, old, new string) string {
	t.Helper()
	if n := strings.Count(s, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times, want 1", old, n)
	}
	return strings.Replace(s, old, new, 1)
}

type wantChange struct {
	kind, name, field string
	change            ChangeType
	before, after     string
}

func (w wantChange) String() string {
	return fmt.Sprintf("%s/%s %s %s %q→%q", w.kind, w.name, w.field, w.change, w.before, w.after)
}

func changesOf(r *Report) []wantChange {
	var out []wantChange
	seen := map[wantChange]bool{}
	for _, p := range r.Partnerships {
		for _, c := range p.Changes {
			w := wantChange{c.Kind, c.Name, c.Field, c.Change, c.Before, c.After}
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

func TestCompareSaysWhatEachChangeMeans(t *testing.T) {
	cases := []struct {
		name string
		head func(t *testing.T, s string) string
		want []wantChange
	}{
		{"nothing changed gives no changes", func(_ *testing.T, s string) string { return s }, nil},
		{"counts of 1 to 10 read fewer than 11", func(t *testing.T, s string) string {
			return edit(t, s, `{value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}`, `{value: "17.5", numerator: 7, denominator: 40, periodEnd: "2025-09-30", reportedBy: VRH}`)
		}, []wantChange{
			{"KPI", "readmission-rate", "spec.reported[2025-09-30].denominator", Added, "", "40"},
			{"KPI", "readmission-rate", "spec.reported[2025-09-30].numerator", Added, "", "fewer than 11"},
			{"KPI", "readmission-rate", "spec.reported[2025-09-30].value", Changed, "17.9%", "17.5%"},
		}},
		{"a new period with small counts shows them suppressed", func(t *testing.T, s string) string {
			return edit(t, s, `{value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}`, `{value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}
    - {value: "17.5", numerator: 7, denominator: 40, periodEnd: "2025-12-31", reportedBy: VRH}`)
		}, []wantChange{{"KPI", "readmission-rate", "spec.reported", Added, "", "17.5% (fewer than 11 of 40) for the period ending 2025-12-31"}}},
		{"a measure named for the first time is one change, by its label", func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, []wantChange{{"KPI", "readmission-rate", "spec.measure", Added, "", "CMS165v12"}}},
		{"lower target of a LowerIsBetter KPI is tightened", func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "14.5"`)
		}, []wantChange{{"KPI", "readmission-rate", "spec.target.value", Tightened, "15.3%", "14.5%"}}},
		{"higher target of a LowerIsBetter KPI is loosened", func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "16"`)
		}, []wantChange{{"KPI", "readmission-rate", "spec.target.value", Loosened, "15.3%", "16%"}}},
		{"lower target of a HigherIsBetter KPI is loosened", func(t *testing.T, s string) string {
			return edit(t, s, `value: "75"`, `value: "72"`)
		}, []wantChange{{"KPI", "satisfaction", "spec.target.value", Loosened, "75%", "72%"}}},
		{"higher target of a HigherIsBetter KPI is tightened", func(t *testing.T, s string) string {
			return edit(t, s, `value: "75"`, `value: "80"`)
		}, []wantChange{{"KPI", "satisfaction", "spec.target.value", Tightened, "75%", "80%"}}},
		{"narrower range is tightened on each bound", func(t *testing.T, s string) string {
			return edit(t, s, `{min: "40", max: "60"`, `{min: "45", max: "55"`)
		}, []wantChange{
			{"KPI", "caseload", "spec.target.max", Tightened, "60", "55"},
			{"KPI", "caseload", "spec.target.min", Tightened, "40", "45"},
		}},
		{"wider range is loosened on each bound", func(t *testing.T, s string) string {
			return edit(t, s, `{min: "40", max: "60"`, `{min: "35", max: "65"`)
		}, []wantChange{
			{"KPI", "caseload", "spec.target.max", Loosened, "60", "65"},
			{"KPI", "caseload", "spec.target.min", Loosened, "40", "35"},
		}},
		{"the same quantity written differently is no change", func(t *testing.T, s string) string {
			return edit(t, s, `annualValue: "420000"`, `annualValue: "420k"`)
		}, nil},
		{"larger tolerance is loosened", func(t *testing.T, s string) string {
			return edit(t, s, `tolerance: "0.5"`, `tolerance: "1"`)
		}, []wantChange{{"KPI", "readmission-rate", "spec.tolerance", Loosened, "0.5%", "1%"}}},
		{"a tolerance where there was none is loosened", func(t *testing.T, s string) string {
			return edit(t, s, `  target: {value: "75", date: "2027-06-30"}`, `  target: {value: "75", date: "2027-06-30"}
  tolerance: "2"`)
		}, []wantChange{{"KPI", "satisfaction", "spec.tolerance", Loosened, "", "2%"}}},
		{"a lower at-risk threshold than the default is loosened", func(t *testing.T, s string) string {
			return edit(t, s, `  deadline: "2027-06-30"`, `  deadline: "2027-06-30"
  atRiskBelow: 60`)
		}, []wantChange{{"Objective", "readmissions", "spec.atRiskBelow", Loosened, "70 (default)", "60"}}},
		{"a later deadline and target date are later", func(t *testing.T, s string) string {
			s = edit(t, s, `deadline: "2027-06-30"`, `deadline: "2027-12-31"`)
			return edit(t, s, `{value: "15.3", date: "2027-06-30"}`, `{value: "15.3", date: "2027-12-31"}`)
		}, []wantChange{
			{"Objective", "readmissions", "spec.deadline", Later, "2027-06-30", "2027-12-31"},
			{"KPI", "readmission-rate", "spec.target.date", Later, "2027-06-30", "2027-12-31"},
		}},
		{"an earlier deadline is earlier", func(t *testing.T, s string) string {
			return edit(t, s, `deadline: "2027-06-30"`, `deadline: "2027-03-31"`)
		}, []wantChange{{"Objective", "readmissions", "spec.deadline", Earlier, "2027-06-30", "2027-03-31"}}},
		{"agreement terms: expiry, financial model, value, PHI and renewal", func(t *testing.T, s string) string {
			s = edit(t, s, `expiryDate: "2028-06-30"`, `expiryDate: "2029-06-30"`)
			s = edit(t, s, `renewalNoticeDays: 180`, `renewalNoticeDays: 90`)
			s = edit(t, s, `{sharesPHI: true, baaRef: BAA-1, purposes: [care coordination]}`, `{sharesPHI: true, baaRef: BAA-2, purposes: [care coordination, research]}`)
			return edit(t, s, `{model: CostSharing, currency: USD, annualValue: "420000"}`, `{model: SharedSavings, currency: USD, annualValue: "1.2M", sharedSavingsPercent: 50}`)
		}, []wantChange{
			{"Partnership", "vicn", "spec.agreement.dataSharing.baaRef", Changed, "BAA-1", "BAA-2"},
			{"Partnership", "vicn", "spec.agreement.dataSharing.purposes", Added, "", "research"},
			{"Partnership", "vicn", "spec.agreement.expiryDate", Later, "2028-06-30", "2029-06-30"},
			{"Partnership", "vicn", "spec.agreement.financial.annualValue", Changed, "USD 420,000", "USD 1,200,000"},
			{"Partnership", "vicn", "spec.agreement.financial.model", Changed, "CostSharing", "SharedSavings"},
			{"Partnership", "vicn", "spec.agreement.financial.sharedSavingsPercent", Added, "", "50"},
			{"Partnership", "vicn", "spec.agreement.renewalNoticeDays", Changed, "180", "90"},
		}},
		{"a partner added is one change keyed by name", func(t *testing.T, s string) string {
			return edit(t, s, `    - {name: Pine Ridge CHC, role: ClinicalProvider}`, `    - {name: Cedar County Public Health, role: PublicHealth}
    - {name: Pine Ridge CHC, role: ClinicalProvider}`)
		}, []wantChange{{"Partnership", "vicn", "spec.partners[Cedar County Public Health]", Added, "", "{name: Cedar County Public Health, role: PublicHealth}"}}},
		{"a KPI dropped from an objective and deleted", func(t *testing.T, s string) string {
			s = edit(t, s, "    - {name: satisfaction, weight: 1}\n", "")
			i := strings.Index(s, "---\napiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata: {name: satisfaction}")
			j := strings.Index(s, "---\napiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata: {name: caseload}")
			return s[:i] + s[j:]
		}, []wantChange{
			{"Objective", "readmissions", "spec.kpis", Removed, "satisfaction (weight 1)", ""},
			{"KPI", "satisfaction", "", Removed, "Patient satisfaction: baseline 68%, target 75% by 2027-06-30 (HigherIsBetter)", ""},
		}},
		{"a new reported value is one change", func(t *testing.T, s string) string {
			return edit(t, s, `    - {value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}`, `    - {value: "17.9", periodEnd: "2025-09-30", reportedBy: VRH}
    - {value: "17.6", periodEnd: "2025-12-31", reportedBy: VRH}`)
		}, []wantChange{{"KPI", "readmission-rate", "spec.reported", Added, "", "17.6% for the period ending 2025-12-31"}}},
		{"a new Review is recorded with its decision", func(_ *testing.T, s string) string {
			return s + reviseReview
		}, []wantChange{{"Review", "vicn-2026-12", "spec.decision", Recorded, "", "Revise on 2026-12-10"}}},
		{"edited review notes are not repeated", func(t *testing.T, s string) string {
			return edit(t, s, `  decision: Continue
`, `  decision: Continue
  notes: Discussed the readmission of a named patient.
`)
		}, []wantChange{{"Review", "vicn-2026-09", "spec.notes", Added, "", hidden}}},
		{"a partnership removed with its objectives, KPIs and review", func(t *testing.T, s string) string {
			return ""
		}, []wantChange{
			{"Partnership", "vicn", "", Removed, "Valley Integrated Care; agreement 2025-07-01 to 2028-06-30; CostSharing; PHI shared under BAA-1", ""},
			{"Objective", "readmissions", "", Removed, "deadline 2027-06-30; KPIs readmission-rate, satisfaction, caseload", ""},
			{"KPI", "caseload", "", Removed, "Members per coordinator: baseline 72, target between 40 and 60 by 2026-06-30 (InRange)", ""},
			{"KPI", "readmission-rate", "", Removed, "30-day readmission rate: baseline 18%, target 15.3% by 2027-06-30 (LowerIsBetter)", ""},
			{"KPI", "satisfaction", "", Removed, "Patient satisfaction: baseline 68%, target 75% by 2027-06-30 (HigherIsBetter)", ""},
			{"Review", "vicn-2026-09", "", Removed, "Continue on 2026-09-18", ""},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Compare(snapshot(t, portfolio), snapshot(t, tc.head(t, portfolio)))
			got := changesOf(r)
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("changes:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestCompareGroupsChangesByPartnership(t *testing.T) {
	second := `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: satisfaction-too}
spec:
  partnershipRef: {name: tele}
  statement: Keep patients satisfied by 2027-06-30.
  startDate: "2025-07-01"
  deadline: "2027-06-30"
  kpis: [{name: satisfaction}]
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: prom}
spec: {type: Prometheus, endpoint: "http://127.0.0.1:9090", headers: [{name: X-Token, value: s3cret}]}
`
	base := snapshot(t, portfolio+second)
	head := snapshot(t, edit(t, edit(t, portfolio+second, `value: "75"`, `value: "80"`), `value: s3cret`, `value: other`))
	r := Compare(base, head)
	names := make([]string, 0, len(r.Partnerships))
	for _, p := range r.Partnerships {
		names = append(names, fmt.Sprintf("%s:%s:%d", p.Name, p.Status, len(p.Changes)))
	}
	// The shared KPI's change is listed under both partnerships (tele has
	// no Partnership object in this portfolio); the metric source under "".
	if got, want := strings.Join(names, " "), "tele:changed:1 vicn:changed:1 :changed:1"; got != want {
		t.Errorf("groups = %q, want %q", got, want)
	}
	if r.Summary.Changes != 2 || r.Summary.TargetsTightened != 1 || r.Summary.PartnershipsChanged != 2 {
		t.Errorf("summary = %+v, want 2 changes, 1 tightened, 2 partnerships changed", r.Summary)
	}
	src := r.Partnerships[2].Changes[0]
	if src.Before != hidden || src.After != hidden || strings.Contains(fmt.Sprint(r), "s3cret") {
		t.Errorf("header value not hidden: %+v", src)
	}
}

func TestReadNamesTheDocumentOfEachProblem(t *testing.T) {
	cases := []struct {
		name, yaml, want string
	}{
		{"duplicate object", portfolio + reviseReview + reviseReview, `test.yaml#7 Review/vicn-2026-12: duplicate Review "vicn-2026-12", already defined in test.yaml#6`},
		{"wrong type", "apiVersion: portfolio.accord.dev/v1alpha1\nkind: Objective\nmetadata: {name: o}\nspec: {kpis: 3}\n", "test.yaml#0 Objective/o:"},
		{"missing name", "apiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nspec: {}\n", "test.yaml#0 KPI/: metadata.name: Required value"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			docs, bad := load.Read("test.yaml", strings.NewReader(tc.yaml))
			if len(bad) > 0 {
				t.Fatal(bad)
			}
			_, err := Read(docs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestReadIgnoresOtherAPIGroups(t *testing.T) {
	s := snapshot(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n")
	if len(s.All()) != 0 {
		t.Errorf("objects of other groups kept: %v", s.All())
	}
}
