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
	"time"
)

// withBAATerm records the fixture's BAA term.
func withBAATerm(t *testing.T, s, term string) string {
	t.Helper()
	return edit(t, s, `baaRef: BAA-1, `, `baaRef: BAA-1, baaTerm: `+term+`, `)
}

func TestPolicyFindsWhatAReviewerMustSee(t *testing.T) {
	cases := []struct {
		name string
		base func(t *testing.T, s string) string // nil: the fixture
		head func(t *testing.T, s string) string
		want []string // "severity rule partnership Kind/name"
	}{
		{"a tightened target needs no review", nil, func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "14.5"`)
		}, nil},
		{"a loosened target without a Revise review", nil, func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "16"`)
		}, []string{"error unreviewed-loosening vicn KPI/readmission-rate"}},
		{"a loosened target with a Revise review added in the change", nil, func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "16"`) + reviseReview
		}, nil},
		{"a Revise review already in BASE does not cover a new loosening", func(_ *testing.T, s string) string {
			return s + reviseReview
		}, func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "16"`) + reviseReview
		}, []string{"error unreviewed-loosening vicn KPI/readmission-rate"}},
		{"a Continue review does not cover a loosening", nil, func(t *testing.T, s string) string {
			return edit(t, s, `value: "15.3"`, `value: "16"`) + strings.ReplaceAll(reviseReview, "Revise", "Continue")
		}, []string{"error unreviewed-loosening vicn KPI/readmission-rate"}},
		{"a deadline pushed back without a review", nil, func(t *testing.T, s string) string {
			return edit(t, s, `deadline: "2027-06-30"`, `deadline: "2027-12-31"`)
		}, []string{"error unreviewed-loosening vicn Objective/readmissions"}},
		{"a wider tolerance without a review", nil, func(t *testing.T, s string) string {
			return edit(t, s, `tolerance: "0.5"`, `tolerance: "2"`)
		}, []string{"error unreviewed-loosening vicn KPI/readmission-rate"}},
		{"a measure version change without a Revise review", func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, func(t *testing.T, s string) string {
			return withMeasure(t, s, "13.0.000")
		}, []string{"error measure-changed vicn KPI/readmission-rate"}},
		{"a measure version change with a Revise review added in the change", func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, func(t *testing.T, s string) string {
			return withMeasure(t, s, "13.0.000") + reviseReview
		}, nil},
		{"another measure id without a review", func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, func(t *testing.T, s string) string {
			return strings.Replace(withMeasure(t, s, "12.0.000"), "id: CMS165", "id: CMS166", 1)
		}, []string{"error measure-changed vicn KPI/readmission-rate"}},
		{"a new steward alone is not another measure", func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, func(t *testing.T, s string) string {
			return strings.Replace(withMeasure(t, s, "12.0.000"), "steward: NCQA", "steward: CMS", 1)
		}, nil},
		{"naming the measure for the first time needs no review", nil, func(t *testing.T, s string) string {
			return withMeasure(t, s, "12.0.000")
		}, nil},
		{"PHI shared without a BAA", nil, func(t *testing.T, s string) string {
			return edit(t, s, `baaRef: BAA-1, `, ``)
		}, []string{"error phi-without-baa vicn Partnership/vicn"}},
		{"a BAA's expiry date removed while PHI is shared", func(t *testing.T, s string) string {
			return withBAATerm(t, s, `{effectiveDate: "2025-07-01", expiryDate: "2028-06-30"}`)
		}, func(t *testing.T, s string) string {
			return withBAATerm(t, s, `{effectiveDate: "2025-07-01"}`)
		}, []string{"error baa-date-removed vicn Partnership/vicn"}},
		{"a BAA that lapsed before the day of the diff", nil, func(t *testing.T, s string) string {
			return withBAATerm(t, s, `{effectiveDate: "2025-07-01", expiryDate: "2026-10-31"}`)
		}, []string{"error baa-lapsed vicn Partnership/vicn"}},
		{"a BAA in force on its last day", nil, func(t *testing.T, s string) string {
			return withBAATerm(t, s, `{effectiveDate: "2025-07-01", expiryDate: "2026-11-25"}`)
		}, nil},
		{"agreement expires before the deadline", nil, func(t *testing.T, s string) string {
			return edit(t, s, `expiryDate: "2028-06-30"`, `expiryDate: "2027-03-31"`)
		}, []string{
			"error agreement-expires-before-deadline vicn Objective/readmissions",
			"error agreement-expires-before-deadline vicn KPI/readmission-rate",
			"error agreement-expires-before-deadline vicn KPI/satisfaction",
		}},
		{"an auto-renewing agreement that expires before the deadline is a warning", nil, func(t *testing.T, s string) string {
			return edit(t, s, `expiryDate: "2028-06-30"`, `expiryDate: "2027-03-31"
    autoRenew: true`)
		}, []string{
			"warning agreement-expires-before-deadline vicn Objective/readmissions",
			"warning agreement-expires-before-deadline vicn KPI/readmission-rate",
			"warning agreement-expires-before-deadline vicn KPI/satisfaction",
		}},
		{"an agreement expiring on the deadline is fine", nil, func(t *testing.T, s string) string {
			return edit(t, s, `expiryDate: "2028-06-30"`, `expiryDate: "2027-06-30"`)
		}, nil},
		{"a removed KPI still referenced by an objective", nil, func(t *testing.T, s string) string {
			before, _, _ := strings.Cut(s, "---\napiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata: {name: satisfaction}")
			j := strings.Index(s, "---\napiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata: {name: caseload}")
			return before + s[j:]
		}, []string{"error removed-kpi-referenced vicn Objective/readmissions"}},
		{"an exit decided without an exit date", nil, func(_ *testing.T, s string) string {
			return s + strings.ReplaceAll(reviseReview, "Revise", "Exit")
		}, []string{"error exit-without-date vicn Review/vicn-2026-12"}},
		{"an exit with its date", nil, func(_ *testing.T, s string) string {
			return s + strings.ReplaceAll(reviseReview, "decision: Revise", "decision: Exit\n  exitDate: \"2027-03-31\"")
		}, nil},
		{"a written target that differs from the contract's recorded threshold", func(t *testing.T, s string) string {
			return withContract(t, s, `value: "75"`, contractStatus)
		}, func(t *testing.T, s string) string {
			return withContract(t, s, `value: "80"`, "")
		}, []string{"warning contract-target-disagrees vicn KPI/satisfaction"}},
		{"a written target that agrees with the contract's recorded threshold", func(t *testing.T, s string) string {
			return withContract(t, s, `value: "75"`, contractStatus)
		}, func(t *testing.T, s string) string {
			return withContract(t, s, `value: "83"`, "")
		}, nil},
		{"a follow-up dropped in place", func(_ *testing.T, s string) string {
			return s + withAction("")
		}, func(_ *testing.T, s string) string {
			return s + withAction(", state: Dropped")
		}, []string{"warning follow-up-dropped vicn Review/vicn-2026-12"}},
		{"a follow-up dropped by a later review", func(_ *testing.T, s string) string {
			return s + withAction("")
		}, func(_ *testing.T, s string) string {
			return s + withAction("") + `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: vicn-2027-03}
spec:
  partnershipRef: {name: vicn}
  date: "2027-03-10"
  decision: Continue
  followUpUpdates:
    - {review: vicn-2026-12, action: Send the figures, state: Dropped}
`
		}, []string{"warning follow-up-dropped vicn Review/vicn-2027-03"}},
		{"a follow-up done is no finding", func(_ *testing.T, s string) string {
			return s + withAction("")
		}, func(_ *testing.T, s string) string {
			return s + withAction(", state: Done")
		}, nil},
		{"a follow-up deleted from a recorded review", func(_ *testing.T, s string) string {
			return s + withAction("")
		}, func(_ *testing.T, s string) string {
			return s + reviseReview
		}, []string{"error follow-up-deleted vicn Review/vicn-2026-12"}},
		{"a need removed while a partnership still addresses it", func(t *testing.T, s string) string {
			return withNeeds(t, s, "[care-coordination, transport]", "[care-coordination]")
		}, func(t *testing.T, s string) string {
			return withNeeds(t, s, "[transport]", "[care-coordination]")
		}, []string{"error removed-need-addressed vicn Partnership/vicn"}},
		{"a need losing its only partnership", func(t *testing.T, s string) string {
			return withNeeds(t, s, "[care-coordination, transport]", "[care-coordination]")
		}, func(t *testing.T, s string) string {
			return withNeeds(t, s, "[care-coordination, transport]", "[transport]")
		}, []string{"warning need-uncovered vicn Portfolio/rural"}},
		{"a need removed together with its last reference is no finding", func(t *testing.T, s string) string {
			return withNeeds(t, s, "[care-coordination, transport]", "[care-coordination, transport]")
		}, func(t *testing.T, s string) string {
			return withNeeds(t, s, "[transport]", "[transport]")
		}, nil},
		// Weights on the portfolio: Alder 30×5+15×4+20×4+15×3+10×4+10×5 =
		// 425 → 85 and Birch 30×4+15×5+20×5+15×4+10×3+10×3 = 415 → 83;
		// reach 40 and populations 30 instead: Alder 10×5+40×4+30×4+10×3+
		// 5×4+5×5 = 405 → 81, Birch 40+200+150+40+15+15 = 460 → 92.
		{"new weights that reorder a prospect's candidates", func(_ *testing.T, s string) string {
			return s + prospect(officeWeights)
		}, func(_ *testing.T, s string) string {
			return s + prospect("{missionAlignment: 10, reach: 40, populationsServed: 30, financialStability: 10, reputation: 5, culture: 5}")
		}, []string{"warning candidate-ranking-changed behavioral-health Partnership/behavioral-health"}},
		{"new weights that move the scores but keep the order are no finding", func(_ *testing.T, s string) string {
			return s + prospect(officeWeights)
		}, func(_ *testing.T, s string) string {
			return s + prospect("{missionAlignment: 35, reach: 10, populationsServed: 20, financialStability: 15, reputation: 10, culture: 10}")
		}, nil},
		{"a candidate removed reorders the ranking", func(_ *testing.T, s string) string {
			return s + prospect(officeWeights)
		}, func(t *testing.T, s string) string {
			return s + edit(t, prospect(officeWeights), birch, "")
		}, []string{"warning candidate-ranking-changed behavioral-health Partnership/behavioral-health"}},
		{"untouched partnerships are not judged", func(t *testing.T, s string) string {
			return edit(t, s, `baaRef: BAA-1, `, ``)
		}, func(t *testing.T, s string) string {
			return edit(t, s, `baaRef: BAA-1, `, ``) + `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: prom}
spec: {type: Prometheus, endpoint: "http://127.0.0.1:9090"}
`
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := portfolio
			if tc.base != nil {
				base = tc.base(t, portfolio)
			}
			r := CompareAt(snapshot(t, base), snapshot(t, tc.head(t, portfolio)), time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC))
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s %s %s %s/%s", f.Severity, f.Rule, f.Partnership, f.Kind, f.Name))
				if f.Message == "" {
					t.Errorf("finding without a message: %+v", f)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("findings:\n got %v\nwant %v", got, tc.want)
			}
			if errs := r.Summary.Errors + r.Summary.Warnings; errs != len(tc.want) {
				t.Errorf("summary counts %d findings, want %d", errs, len(tc.want))
			}
		})
	}
}

func TestFailingCountsFindingsAtOrAboveTheThreshold(t *testing.T) {
	r := &Report{Findings: []Finding{{Severity: SeverityError}, {Severity: SeverityWarning}, {Severity: SeverityWarning}}}
	for threshold, want := range map[Severity]int{SeverityError: 1, SeverityWarning: 3, "none": 0} {
		if got := r.Failing(threshold); got != want {
			t.Errorf("Failing(%s) = %d, want %d", threshold, got, want)
		}
	}
}

func TestAMeasureChangeSaysFromWhichToWhich(t *testing.T) {
	r := Compare(snapshot(t, withMeasure(t, portfolio, "12.0.000")), snapshot(t, withMeasure(t, portfolio, "13.0.000")))
	want := "KPI readmission-rate: measure changed from CMS165v12 to CMS165v13, so values before and after are not comparable, but this change adds no Review of vicn that decided Revise; agree the baseline and target under the new measure and commit the Review that decided it in the same pull request"
	if len(r.Findings) != 1 || r.Findings[0].Message != want {
		t.Errorf("findings = %+v\nwant one with message %q", r.Findings, want)
	}
	var rows []Change
	for _, p := range r.Partnerships {
		rows = append(rows, p.Changes...)
	}
	if len(rows) != 1 || rows[0].Field != "spec.measure" || rows[0].Before != "CMS165v12" || rows[0].After != "CMS165v13" {
		t.Errorf("changes = %+v, want one spec.measure row from CMS165v12 to CMS165v13", rows)
	}
}

func TestMessagesSayWhatMovedAndWhatToDo(t *testing.T) {
	head := edit(t, portfolio, `deadline: "2027-06-30"`, `deadline: "2027-12-31"`)
	r := Compare(snapshot(t, portfolio), snapshot(t, head))
	want := "Objective readmissions: spec.deadline moved later from 2027-06-30 to 2027-12-31 (+184 days), but this change adds no Review of vicn that decided Revise; commit the Review that agreed it in the same pull request"
	if len(r.Findings) != 1 || r.Findings[0].Message != want {
		t.Errorf("findings = %+v\nwant one with message %q", r.Findings, want)
	}
}

// withContract makes the satisfaction KPI take its target from a FHIR
// contract's Star 4 threshold, with the written target value and, when
// status is set, the terms the operator recorded (as YAML exported from
// a cluster carries them).
func withContract(t *testing.T, s, target, status string) string {
	t.Helper()
	s = edit(t, s, `target: {value: "75", date: "2027-06-30"}
  reported:
    - {value: "68.5", periodEnd: "2025-09-30", reportedBy: PX}`, `target: {`+target+`, date: "2027-06-30"}
  source: {sourceRef: {name: payer}, query: MeasureReport/q32, contractTarget: {thresholdType: star-4}}`+status)
	return s + `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: payer}
spec: {type: FHIR, endpoint: "https://payer.example/r4"}
`
}

// contractStatus is what the operator records from the guide's
// quality-measurereport32: Star 4 at 83%.
const contractStatus = `
status:
  contract: {reportDate: "2023-05-30", targetThresholdType: star-4, target: "83", thresholds: [{type: star-4, display: Star 4, value: "83", reported: "83%"}]}`

func TestAContractTargetDisagreementSaysWhichTargetIsInForce(t *testing.T) {
	r := Compare(snapshot(t, withContract(t, portfolio, `value: "75"`, contractStatus)), snapshot(t, withContract(t, portfolio, `value: "80"`, "")))
	want := "KPI satisfaction: spec.target.value says 80%, but the contract's star-4 threshold the operator recorded is 83% (report of 30 May 2023), and the operator aims at the contract's; drop spec.target.value or bring it in line"
	if len(r.Findings) != 1 || r.Findings[0].Message != want {
		t.Errorf("findings = %+v\nwant one with message %q", r.Findings, want)
	}
	var note string
	for _, p := range r.Partnerships {
		for _, c := range p.Changes {
			if c.Field == "spec.target.value" {
				note = c.Note
			}
		}
	}
	if note != "not in force: the target is the contract's star-4 threshold (spec.source.contractTarget)" {
		t.Errorf("target change note %q", note)
	}
}

// withAction is the Revise review with one follow-up; extra is appended
// inside its flow mapping (", state: Dropped").
func withAction(extra string) string {
	return reviseReview + "  followUps:\n    - {action: Send the figures, due: \"2027-01-15\"" + extra + "}\n"
}

// withNeeds adds a Portfolio declaring needs (a YAML list of names) that
// selects vicn, and makes vicn address addresses.
func withNeeds(t *testing.T, s, needs, addresses string) string {
	t.Helper()
	s = edit(t, s, "metadata: {name: vicn}\nspec:\n", "metadata: {name: vicn, labels: {portfolio: rural}}\nspec:\n  addresses: "+addresses+"\n")
	var list []string //nolint:prealloc // a handful of names
	for n := range strings.SplitSeq(strings.Trim(needs, "[]"), ",") {
		list = append(list, "{name: "+strings.TrimSpace(n)+", priority: 1}")
	}
	return s + `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Portfolio
metadata: {name: rural}
spec:
  displayName: Rural
  selector: {matchLabels: {portfolio: rural}}
  needs: [` + strings.Join(list, ", ") + `]
`
}

const officeWeights = "{missionAlignment: 30, reach: 15, populationsServed: 20, financialStability: 15, reputation: 10, culture: 10}"

const birch = `
    - {name: Birch Counseling, assessment: {missionAlignment: 4, reach: 5, populationsServed: 5, financialStability: 4, reputation: 3, culture: 3, assessedOn: "2026-06-10"}}`

// prospect is a Prospect with two candidates and a portfolio with the
// given candidateWeights selecting it.
func prospect(weights string) string {
	return `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
metadata: {name: behavioral-health, labels: {portfolio.accord.dev/portfolio: rural}}
spec:
  displayName: Behavioral health partner
  desiredPhase: Prospect
  partners:
    - {name: Valley Regional Hospital, role: Convener, lead: true}
  candidates:
    - {name: Alder Behavioral Health, assessment: {missionAlignment: 5, reach: 4, populationsServed: 4, financialStability: 3, reputation: 4, culture: 5, assessedOn: "2026-09-14"}}` + birch + `
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Portfolio
metadata: {name: rural}
spec:
  displayName: Rural network
  selector: {matchLabels: {portfolio.accord.dev/portfolio: rural}}
  candidateWeights: ` + weights + `
`
}
