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
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/cli/portfoliodiff"
	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

const (
	diffSamplesDir     = "../../config/samples"
	diffValleyFile     = "config/samples/valley-integrated-care.yaml"
	diffTelehealthFile = "config/samples/telehealth-specialty-consults.yaml"
	diffMedicaidFile   = "config/samples/medicaid-population-health.yaml"
	diffReviewsFile    = "config/samples/reviews.yaml"
)

// run executes accordctl in-process and returns its exit code and output.
func diffRun(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Execute(append([]string{"accordctl"}, args...), Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// sampleRepo is a real git repository whose main branch (also
// origin/main, as in a CI checkout) holds a copy of config/samples.
func diffSampleRepo(t *testing.T) *testgit.Repo {
	t.Helper()
	g := testgit.Init(t)
	g.CopyDir(diffSamplesDir, "config/samples")
	g.Write("README.md", "portfolio\n")
	g.Commit("Sample portfolio")
	g.Git("update-ref", "refs/remotes/origin/main", "main")
	return g
}

func diffReview(name, partnership, decision, extra string) string {
	return fmt.Sprintf(`---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata:
  name: %s
spec:
  partnershipRef: {name: %s}
  date: "2026-12-10"
  decision: %s
  attendees:
    - {name: Dana Whitfield, organization: Valley Regional Hospital}
%s`, name, partnership, decision, extra)
}

// removeDocument deletes the YAML document that defines kind/name.
func diffRemoveDocument(t *testing.T, g *testgit.Repo, file, kind, name string) {
	t.Helper()
	docs := strings.Split(g.Read(file), "\n---\n")
	var keep []string
	for _, d := range docs {
		if strings.Contains(d, "\nkind: "+kind+"\n") && strings.Contains(d, "\n  name: "+name+"\n") {
			continue
		}
		keep = append(keep, d)
	}
	if len(keep) != len(docs)-1 {
		t.Fatalf("%s: no single %s/%s to remove", file, kind, name)
	}
	g.Write(file, strings.Join(keep, "\n---\n"))
}

type diffWantFinding struct{ severity, rule, partnership, object string }

func diffFindingsOf(r portfoliodiff.Report) []diffWantFinding {
	out := make([]diffWantFinding, 0, len(r.Findings))
	for _, f := range r.Findings {
		out = append(out, diffWantFinding{string(f.Severity), f.Rule, f.Partnership, f.Kind + "/" + f.Name})
	}
	return out
}

// hasChange reports whether the report lists a change "Kind/name field change".
func diffHasChange(r portfoliodiff.Report, want string) bool {
	for _, p := range r.Partnerships {
		for _, c := range p.Changes {
			if fmt.Sprintf("%s/%s %s %s", c.Kind, c.Name, c.Field, c.Change) == want {
				return true
			}
		}
	}
	return false
}

func TestDiffOfGitRefsReportsChangesFindingsAndExitCode(t *testing.T) {
	g := diffSampleRepo(t)
	cases := []struct {
		name     string
		change   func(t *testing.T, g *testgit.Repo)
		flags    []string
		code     int
		changes  []string // "Kind/name field change" that must be listed
		markdown []string // lines (prefixes) the Markdown must hold
		findings []diffWantFinding
	}{
		{
			name: "a tightened target is a clean change",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffValleyFile, `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "14.5", date: "2027-06-30"}`)
			},
			code:    0,
			changes: []string{"KPI/vicn-readmission-rate-30d spec.target.value tightened"},
			markdown: []string{
				"### Valley Integrated Care Network (`valley-integrated-care`): changed",
				"| KPI `vicn-readmission-rate-30d` | `spec.target.value` | tightened | 15.3% | 14.5% |",
				"**Policy: no findings.**",
			},
		},
		{
			name: "a loosened target without a Revise review fails",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffValleyFile, `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "16", date: "2027-06-30"}`)
			},
			code:    1,
			changes: []string{"KPI/vicn-readmission-rate-30d spec.target.value loosened"},
			markdown: []string{
				"| KPI `vicn-readmission-rate-30d` | `spec.target.value` | loosened | 15.3% | 16% |",
				"**Policy: 1 error, 0 warnings.**",
				"| error | `unreviewed-loosening` | `valley-integrated-care` | KPI vicn-readmission-rate-30d: spec.target.value loosened from 15.3% to 16%, but this change adds no Review of valley-integrated-care that decided Revise",
			},
			findings: []diffWantFinding{{"error", "unreviewed-loosening", "valley-integrated-care", "KPI/vicn-readmission-rate-30d"}},
		},
		{
			name: "a loosened target with the Revise review in the same change passes",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffValleyFile, `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "16", date: "2027-06-30"}`)
				g.Write("config/samples/vicn-2026-12-review.yaml", diffReview("vicn-2026-12-review", "valley-integrated-care", "Revise", "  notes: Readmission target eased to 16% after the home-health pilot was delayed.\n"))
			},
			code:    0,
			changes: []string{"KPI/vicn-readmission-rate-30d spec.target.value loosened", "Review/vicn-2026-12-review spec.decision recorded"},
			markdown: []string{
				"| Review `vicn-2026-12-review` | `spec.decision` | recorded |  | Revise on 2026-12-10 |",
				"**Policy: no findings.**",
			},
		},
		{
			name: "a deadline pushed back without a review fails",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffValleyFile, "deadline: \"2027-06-30\"\n  atRiskBelow: 70", "deadline: \"2027-12-31\"\n  atRiskBelow: 70")
			},
			code:    1,
			changes: []string{"Objective/vicn-reduce-ed-visits spec.deadline later"},
			markdown: []string{
				"| Objective `vicn-reduce-ed-visits` | `spec.deadline` | later (+184 days) | 2027-06-30 | 2027-12-31 |",
				"| error | `unreviewed-loosening` | `valley-integrated-care` | Objective vicn-reduce-ed-visits: spec.deadline moved later from 2027-06-30 to 2027-12-31 (+184 days)",
			},
			findings: []diffWantFinding{{"error", "unreviewed-loosening", "valley-integrated-care", "Objective/vicn-reduce-ed-visits"}},
		},
		{
			name: "PHI shared without a BAA fails",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffMedicaidFile, "      baaRef: BAA-2024-077\n", "")
			},
			code:    1,
			changes: []string{"Partnership/medicaid-population-health spec.agreement.dataSharing.baaRef removed"},
			markdown: []string{
				"| Partnership `medicaid-population-health` | `spec.agreement.dataSharing.baaRef` | removed | BAA-2024-077 |  |",
				"| error | `phi-without-baa` | `medicaid-population-health` | Partnership medicaid-population-health shares PHI (spec.agreement.dataSharing.sharesPHI: true) but names no business associate agreement",
			},
			findings: []diffWantFinding{{"error", "phi-without-baa", "medicaid-population-health", "Partnership/medicaid-population-health"}},
		},
		{
			name: "an agreement that expires before the deadlines fails",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Replace(diffValleyFile, `expiryDate: "2028-06-30"`, `expiryDate: "2027-03-31"`)
			},
			code:    1,
			changes: []string{"Partnership/valley-integrated-care spec.agreement.expiryDate earlier"},
			markdown: []string{
				"| Partnership `valley-integrated-care` | `spec.agreement.expiryDate` | earlier (-457 days) | 2028-06-30 | 2027-03-31 |",
				"**Policy: 5 errors, 0 warnings.**",
				"| error | `agreement-expires-before-deadline` | `valley-integrated-care` | Objective vicn-reduce-ed-visits: spec.deadline 2027-06-30 is after the agreement of valley-integrated-care expires on 2027-03-31",
			},
			findings: []diffWantFinding{
				{"error", "agreement-expires-before-deadline", "valley-integrated-care", "Objective/vicn-reduce-ed-visits"},
				{"error", "agreement-expires-before-deadline", "valley-integrated-care", "Objective/vicn-reduce-readmissions"},
				{"error", "agreement-expires-before-deadline", "valley-integrated-care", "KPI/vicn-ed-visits-per-1000"},
				{"error", "agreement-expires-before-deadline", "valley-integrated-care", "KPI/vicn-patient-satisfaction"},
				{"error", "agreement-expires-before-deadline", "valley-integrated-care", "KPI/vicn-readmission-rate-30d"},
			},
		},
		{
			name:   "an auto-renewing agreement that expires before the deadlines warns and passes",
			change: diffShortenTelehealth,
			code:   0,
			markdown: []string{
				"**Policy: 0 errors, 5 warnings.**",
				"| warning | `agreement-expires-before-deadline` | `telehealth-specialty-consults` | Objective tele-avoid-transfers: spec.deadline 2026-12-31 is after the agreement of telehealth-specialty-consults expires on 2026-11-30; extend spec.agreement.expiryDate or move the date (a warning because the agreement renews automatically) |",
			},
			findings: []diffWantFinding{
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "Objective/tele-avoid-transfers"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "Objective/tele-consult-turnaround"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-consult-turnaround-minutes"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-consult-volume"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-transfers-avoided"},
			},
		},
		{
			name:   "warnings fail with --fail-on warning",
			change: diffShortenTelehealth,
			flags:  []string{"--fail-on", "warning"},
			code:   1,
			findings: []diffWantFinding{
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "Objective/tele-avoid-transfers"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "Objective/tele-consult-turnaround"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-consult-turnaround-minutes"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-consult-volume"},
				{"warning", "agreement-expires-before-deadline", "telehealth-specialty-consults", "KPI/tele-transfers-avoided"},
			},
		},
		{
			name: "a removed KPI still referenced by objectives fails",
			change: func(t *testing.T, g *testgit.Repo) {
				diffRemoveDocument(t, g, diffValleyFile, "KPI", "vicn-patient-satisfaction")
			},
			code:    1,
			changes: []string{"KPI/vicn-patient-satisfaction  removed"},
			markdown: []string{
				"| KPI `vicn-patient-satisfaction` |  | removed | Patient satisfaction (top-box): baseline 68%, target 75% by 2027-06-30 (HigherIsBetter) |  |",
				"| error | `removed-kpi-referenced` | `valley-integrated-care` | Objective vicn-reduce-ed-visits still lists KPI vicn-patient-satisfaction in spec.kpis, but this change removes that KPI",
			},
			findings: []diffWantFinding{
				{"error", "removed-kpi-referenced", "valley-integrated-care", "Objective/vicn-reduce-ed-visits"},
				{"error", "removed-kpi-referenced", "valley-integrated-care", "Objective/vicn-reduce-readmissions"},
			},
		},
		{
			name: "an exit decided without an exit date fails",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Write(diffReviewsFile, g.Read(diffReviewsFile)+diffReview("tele-2026-12-review", "telehealth-specialty-consults", "Exit", ""))
			},
			code:    1,
			changes: []string{"Review/tele-2026-12-review spec.decision recorded"},
			markdown: []string{
				"| Review `tele-2026-12-review` | `spec.decision` | recorded |  | Exit on 2026-12-10, no exit date |",
				"| error | `exit-without-date` | `telehealth-specialty-consults` | Review tele-2026-12-review decided Exit but sets no spec.exitDate: say when the partnership ends |",
			},
			findings: []diffWantFinding{{"error", "exit-without-date", "telehealth-specialty-consults", "Review/tele-2026-12-review"}},
		},
		{
			// Clean of errors; the removed partnership was the only one
			// addressing a need, which the office should see.
			name: "an exit with its date, a partnership removed and a new KPI value: only the new gap in coverage",
			change: func(t *testing.T, g *testgit.Repo) {
				g.Write(diffReviewsFile, g.Read(diffReviewsFile)+diffReview("tele-2026-12-review", "telehealth-specialty-consults", "Exit", "  exitDate: \"2027-03-31\"\n"))
				g.Git("rm", "--quiet", filepath.FromSlash(diffMedicaidFile))
				g.Replace(diffValleyFile, `    - {value: "42.0", periodStart: "2026-07-01", periodEnd: "2026-09-30", reportedBy: VRH analytics}`,
					`    - {value: "42.0", periodStart: "2026-07-01", periodEnd: "2026-09-30", reportedBy: VRH analytics}
    - {value: "41.1", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: VRH analytics}`)
			},
			code: 0,
			changes: []string{
				"Partnership/medicaid-population-health  removed",
				"Objective/mpop-diabetes-control  removed",
				"KPI/mpop-shared-savings  removed",
				"KPI/vicn-ed-visits-per-1000 spec.reported added",
			},
			markdown: []string{
				"1 partnership removed, 2 partnerships changed, 3 objectives removed, 4 KPIs removed, 1 review recorded; 10 changes in all.",
				"### Heartland Medicaid Population Health Programme (`medicaid-population-health`): removed",
				"| Review `tele-2026-12-review` | `spec.decision` | recorded |  | Exit on 2026-12-10, exit date 2027-03-31 |",
				"| KPI `vicn-ed-visits-per-1000` | `spec.reported` | added |  | 41.1 visits/1k for the period ending 2026-12-31 |",
				"| warning | `need-uncovered` | `medicaid-population-health` | Portfolio rural-network: need \"chronic-disease-control\" (priority 2) was addressed by medicaid-population-health and after this change by no running partnership: a new gap in coverage |",
			},
			findings: []diffWantFinding{{"warning", "need-uncovered", "medicaid-population-health", "Portfolio/rural-network"}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g.Git("checkout", "--quiet", "--force", "-B", "change", "main")
			tc.change(t, g)
			g.Commit(tc.name)

			args := append([]string{"diff", "-C", g.Dir, "origin/main", "HEAD", "--path", "config/samples"}, tc.flags...)
			code, md, stderr := diffRun(args...)
			if code != tc.code {
				t.Errorf("markdown run: exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			for _, line := range tc.markdown {
				if !diffHasLine(md, line) {
					t.Errorf("Markdown lacks a line starting %q:\n%s", line, md)
				}
			}
			if tc.code == 1 && !strings.Contains(stderr, "policy finding(s) at or above severity") {
				t.Errorf("stderr = %q, want the reason for exit 1", stderr)
			}

			code, js, stderr := diffRun(append(args, "-o", "json")...)
			if code != tc.code {
				t.Errorf("JSON run: exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			var r portfoliodiff.Report
			if err := json.Unmarshal([]byte(js), &r); err != nil {
				t.Fatalf("JSON: %v\n%s", err, js)
			}
			// Compared by length first: no findings is nil in a table row
			// and an empty slice from diffFindingsOf.
			if got := diffFindingsOf(r); len(got)+len(tc.findings) > 0 && !reflect.DeepEqual(got, tc.findings) {
				t.Errorf("findings:\n got %v\nwant %v", got, tc.findings)
			}
			for _, c := range tc.changes {
				if !diffHasChange(r, c) {
					t.Errorf("JSON lacks change %q:\n%s", c, js)
				}
			}
			if r.Base.Name != "origin/main" || r.Head.Name != "HEAD" || len(r.Base.Commit) != 40 || r.Base.Commit == r.Head.Commit {
				t.Errorf("sources = %+v, %+v; want origin/main and HEAD with distinct commits", r.Base, r.Head)
			}
		})
	}
}

func diffShortenTelehealth(t *testing.T, g *testgit.Repo) {
	g.Replace(diffTelehealthFile, `expiryDate: "2027-03-31"`, `expiryDate: "2026-11-30"`)
}

func diffHasLine(text, prefix string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func TestDiffReadsCommitsNotTheWorkTree(t *testing.T) {
	g := diffSampleRepo(t)
	g.Replace(diffValleyFile, `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "16", date: "2027-06-30"}`) // not committed
	code, out, stderr := diffRun("diff", "-C", g.Dir, "main", "HEAD", "--path", "config/samples")
	if code != 0 || !diffHasLine(out, "No changes to the portfolio.") {
		t.Errorf("exit %d, stderr %q, out:\n%s\nwant no changes: the edit is not committed", code, stderr, out)
	}
}

func TestDiffOfAPortfolioAddedInTheChange(t *testing.T) {
	g := testgit.Init(t)
	g.Write("README.md", "empty so far\n")
	g.Commit("Empty repository")
	g.Git("branch", "before")
	g.CopyDir(diffSamplesDir, "config/samples")
	g.Commit("Add the portfolio")
	code, out, stderr := diffRun("diff", "-C", g.Dir, "before", "main", "--path", "config/samples", "-o", "json")
	var r portfoliodiff.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("exit %d, stderr %q, err %v", code, stderr, err)
	}
	if s := r.Summary; s.PartnershipsAdded != 5 || s.ObjectivesAdded != 8 || s.KPIsAdded != 12 || s.ReviewsRecorded != 4 || s.Errors+s.Warnings != 0 {
		t.Errorf("summary = %+v, want 5 partnerships (one a prospect), 8 objectives, 12 KPIs and 4 reviews added, no findings", s)
	}
}

// TestDiffOfDirectoriesAgreesWithGit compares two plain directories (no
// git at all) and checks the report equals the one from refs.
func TestDiffOfDirectoriesAgreesWithGit(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"base", "head"} {
		dst := testgit.Init(t) // a handy copier; the copies below are not in git
		dst.CopyDir(diffSamplesDir, "x")
		if err := os.Rename(filepath.Join(dst.Dir, "x"), filepath.Join(root, d)); err != nil {
			t.Fatal(err)
		}
	}
	headFile := filepath.Join(root, "head", "valley-integrated-care.yaml")
	b, err := os.ReadFile(headFile)
	if err != nil {
		t.Fatal(err)
	}
	loosened := strings.Replace(string(b), `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "16", date: "2027-06-30"}`, 1)
	if err := os.WriteFile(headFile, []byte(loosened), 0o644); err != nil {
		t.Fatal(err)
	}

	code, dirJSON, stderr := diffRun("diff", "-C", root, "base", "head", "-o", "json")
	if code != 1 {
		t.Fatalf("directories: exit %d, want 1 (unreviewed loosening); stderr %s", code, stderr)
	}
	code, absMD, _ := diffRun("diff", filepath.Join(root, "base"), filepath.Join(root, "head"))
	if code != 1 || !diffHasLine(absMD, "| KPI `vicn-readmission-rate-30d` | `spec.target.value` | loosened | 15.3% | 16% |") {
		t.Errorf("absolute directories: exit %d, Markdown:\n%s", code, absMD)
	}

	g := diffSampleRepo(t)
	g.Git("checkout", "--quiet", "-b", "change")
	g.Write(diffValleyFile, loosened)
	g.Commit("Loosen")
	_, gitJSON, _ := diffRun("diff", "-C", g.Dir, "main", "HEAD", "--path", "config/samples", "-o", "json")

	var fromDirs, fromGit portfoliodiff.Report
	if err := json.Unmarshal([]byte(dirJSON), &fromDirs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(gitJSON), &fromGit); err != nil {
		t.Fatal(err)
	}
	if fromDirs.Base.Name != "base" || fromDirs.Base.Commit != "" {
		t.Errorf("directory source = %+v, want name base and no commit", fromDirs.Base)
	}
	fromDirs.Base, fromDirs.Head, fromGit.Base, fromGit.Head = portfoliodiff.Source{}, portfoliodiff.Source{}, portfoliodiff.Source{}, portfoliodiff.Source{}
	if !reflect.DeepEqual(fromDirs, fromGit) || len(fromGit.Findings) != 1 {
		t.Errorf("directory and git reports differ or have no finding:\ndirs %+v\ngit  %+v", fromDirs, fromGit)
	}
}

func TestDiffUsageAndInputErrors(t *testing.T) {
	g := diffSampleRepo(t)
	g.Git("checkout", "--quiet", "-b", "broken")
	g.Write("config/samples/broken.yaml", "apiVersion: portfolio.accord.dev/v1alpha1\nkind: KPI\nmetadata: {name: [\n")
	g.Write("config/samples/wrong.yaml", "apiVersion: portfolio.accord.dev/v1alpha1\nkind: Objective\nmetadata: {name: o}\nspec: {kpis: 3}\n")
	g.Commit("Broken YAML")
	notRepo := t.TempDir()
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown ref", []string{"diff", "-C", g.Dir, "nope", "HEAD"}, 2, `BASE: unknown git ref "nope" in ` + g.Dir},
		{"unknown head ref", []string{"diff", "-C", g.Dir, "main", "origin/nope"}, 2, `HEAD: unknown git ref "origin/nope"`},
		{"neither a directory nor a repository", []string{"diff", "-C", notRepo, "main", "HEAD"}, 2, `BASE "main" is not a file or directory, and it cannot be read as a git ref: not a git repository: ` + notRepo},
		{"missing directory -C", []string{"diff", "-C", filepath.Join(notRepo, "nope"), "a", "b"}, 2, "not a git repository"},
		{"path in neither side", []string{"diff", "-C", g.Dir, "main", "HEAD", "--path", "config/nope"}, 2, `--path "config/nope" exists in neither BASE "main" nor HEAD "HEAD"`},
		{"path outside the repository", []string{"diff", "-C", g.Dir, "main", "HEAD", "--path", "../x"}, 2, `--path "../x": want a path inside the repository`},
		{"unknown output", []string{"diff", "-C", g.Dir, "main", "HEAD", "-o", "yaml"}, 2, `--output "yaml": want markdown or json`},
		{"unknown severity", []string{"diff", "-C", g.Dir, "main", "HEAD", "--fail-on", "info"}, 2, `--fail-on "info": want error, warning or none`},
		{"one argument", []string{"diff", "main"}, 2, "accepts 2 arg(s), received 1"},
		{"documents that cannot be read name the ref and file", []string{"diff", "-C", g.Dir, "main", "broken", "--path", "config/samples"}, 1,
			"HEAD has documents that cannot be compared:\n  broken:config/samples/broken.yaml#0: YAML syntax"},
		{"documents of the wrong shape name the ref and file", []string{"diff", "-C", g.Dir, "main", "broken", "--path", "config/samples"}, 1,
			"broken:config/samples/wrong.yaml#0 Objective/o:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := diffRun(tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and stderr containing %q", code, stderr, tc.code, tc.stderr)
			}
			if code == 2 && out != "" {
				t.Errorf("a usage error printed a report:\n%s", out)
			}
		})
	}
}
