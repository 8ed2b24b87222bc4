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
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/accord-dev/accord/internal/portfolio/load"
)

// copySamples copies config/samples into a temporary directory and
// returns it with the files' content by name.
func copySamples(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob("../../config/samples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	content := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
		content[filepath.Base(f)] = string(b)
	}
	return dir, content
}

// snapshotDir reads every file of dir by name.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// insertedLines returns the lines inserted into before to make after,
// failing unless after is before with one run of whole lines added.
func insertedLines(t *testing.T, name, before, after string) []string {
	t.Helper()
	b, a := strings.SplitAfter(before, "\n"), strings.SplitAfter(after, "\n")
	i := 0
	for i < len(b) && i < len(a) && b[i] == a[i] {
		i++
	}
	j := 0
	for j < len(b)-i && j < len(a)-i && b[len(b)-1-j] == a[len(a)-1-j] {
		j++
	}
	if i+j != len(b) {
		t.Fatalf("%s: not a pure insertion: lines changed or removed from line %d:\n%s", name, i+1, firstDifference(before, after))
	}
	return a[i : len(a)-j]
}

// changedLine returns the one line that differs, before and after.
func changedLine(t *testing.T, name, before, after string) (string, string) {
	t.Helper()
	b, a := strings.Split(before, "\n"), strings.Split(after, "\n")
	if len(b) != len(a) {
		t.Fatalf("%s: %d lines became %d; want one line changed in place", name, len(b), len(a))
	}
	var diffs []int
	for i := range b {
		if b[i] != a[i] {
			diffs = append(diffs, i)
		}
	}
	if len(diffs) != 1 {
		t.Fatalf("%s: %d lines changed, want 1", name, len(diffs))
	}
	return b[diffs[0]], a[diffs[0]]
}

func mustValidate(t *testing.T, dir string) {
	t.Helper()
	if out, errOut, code := run(t, "", "validate", dir); code != 0 {
		t.Fatalf("validate exit %d after the record:\n%s%s", code, out, errOut)
	}
}

// sampleObjects lists the samples' Accord objects of a kind, by file.
func sampleObjects(t *testing.T, dir, kind string) []load.Document {
	t.Helper()
	docs, _, err := load.Paths([]string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var out []load.Document
	for _, d := range docs {
		if d.Object.GetKind() == kind {
			out = append(out, d)
		}
	}
	return out
}

// Every KPI of every sample file: record a value for 2027-Q1; the file
// gains exactly one item, in the style of the list's last item, and
// nothing else in any file changes; the portfolio validates.
func TestRecordValueAddsExactlyTheNewLinesInEverySampleFile(t *testing.T) {
	dir, _ := copySamples(t)
	kpis := sampleObjects(t, dir, "KPI")
	if len(kpis) < 9 {
		t.Fatalf("found %d sample KPIs; the samples changed?", len(kpis))
	}
	files := map[string]bool{}
	for _, k := range kpis {
		name := k.Object.GetName()
		file := filepath.Base(k.File)
		files[file] = true
		t.Run(name, func(t *testing.T) {
			before := snapshotDir(t, dir)
			// A rate (spec.ratePer) needs its counts: 50 of 400, 12.5 per 100.
			value, counts, countFlags := "12.5", "", []string{}
			if rp, _, _ := unstructured.NestedString(k.Object.Object, "spec", "ratePer"); rp != "" {
				f, err := strconv.ParseFloat(rp, 64)
				if err != nil {
					t.Fatalf("ratePer %q", rp)
				}
				value = strconv.FormatFloat(f*50/400, 'f', -1, 64)
				counts, countFlags = "numerator: 50, denominator: 400, ", []string{"--numerator", "50", "--denominator", "400"}
			}
			args := append([]string{"record", "value", name, "--value", value, "--period", "2027-Q1", "--reported-by", "Quarterly report team"}, countFlags...)
			out, errOut, code := run(t, "", append(args, dir)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			after := snapshotDir(t, dir)
			for f := range before {
				if f != file && before[f] != after[f] {
					t.Errorf("%s changed, but the KPI is in %s", f, file)
				}
			}
			lines := insertedLines(t, file, before[file], after[file])
			reported, _, _ := unstructured.NestedSlice(k.Object.Object, "spec", "reported")
			last := lastReportedLine(before[file], name)
			indent := last[:len(last)-len(strings.TrimLeft(last, " "))]
			if strings.Contains(last, "- {") {
				want := indent + `- {value: "` + value + `", ` + counts + `periodStart: "2027-01-01", periodEnd: "2027-03-31", reportedBy: Quarterly report team}` + "\n"
				if len(lines) != 1 || lines[0] != want {
					t.Errorf("%s: inserted %q, want the one line %q", file, lines, want)
				}
			} else if len(reported) > 0 {
				want := []string{indent + `- value: "12.5"` + "\n", indent + `  periodStart: "2027-01-01"` + "\n", indent + `  periodEnd: "2027-03-31"` + "\n", indent + "  reportedBy: Quarterly report team\n"}
				if strings.Join(lines, "") != strings.Join(want, "") {
					t.Errorf("%s: inserted\n%s\nwant\n%s", file, strings.Join(lines, ""), strings.Join(want, ""))
				}
			}
			if !strings.Contains(out, "Report 2027-Q1 ") || !strings.Contains(out, "wrote "+filepath.Join(dir, file)) {
				t.Errorf("output does not say what was recorded where:\n%s", out)
			}
			mustValidate(t, dir)
		})
	}
	if len(files) < 3 {
		t.Errorf("KPIs found in %d files, want the three partnership files", len(files))
	}
}

// lastReportedLine is the line of the last reported item of a KPI in a
// file's text: the last "- " line before the KPI's document ends.
func lastReportedLine(text, kpi string) string {
	docs := strings.SplitSeq(text, "\n---\n")
	for d := range docs {
		if !strings.Contains(d, "kind: KPI\nmetadata:\n  name: "+kpi+"\n") {
			continue
		}
		_, rest, _ := strings.Cut(d, "  reported:\n")
		var last string
		for l := range strings.SplitSeq(rest, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "- ") {
				last = l
			}
		}
		return last
	}
	return ""
}

// Every partnership: record a review; it is appended as one document to
// the file of the partnership's reviews, nothing else changes, and the
// portfolio validates. Then every follow-up of every sample review is
// marked done or dropped: one line changes, by the state alone.
func TestRecordReviewAndFollowUpChangeOnlyTheirLines(t *testing.T) {
	dir, _ := copySamples(t)
	for _, p := range sampleObjects(t, dir, "Partnership") {
		name := p.Object.GetName()
		t.Run("review "+name, func(t *testing.T) {
			before := snapshotDir(t, dir)
			out, errOut, code := run(t, "", "record", "review", name, "--date", "2026-12-10", "--decision", "Continue",
				"--attendee", "Dana Whitfield, Valley Regional Hospital", "--attendee", "Dr. Helen Park",
				"--notes", "On track.", "--follow-up", "Share the Q4 figures; Valley Regional Hospital; 2027-01-15", "--follow-up", "Plan the spring visit", dir)
			if code != 0 {
				t.Fatalf("exit %d\n%s%s", code, out, errOut)
			}
			after := snapshotDir(t, dir)
			var changed []string
			for f := range before {
				if before[f] != after[f] {
					changed = append(changed, f)
				}
			}
			if len(changed) != 1 || changed[0] != "reviews.yaml" {
				t.Fatalf("changed %v, want reviews.yaml only", changed)
			}
			lines := strings.Join(insertedLines(t, "reviews.yaml", before["reviews.yaml"], after["reviews.yaml"]), "")
			prefix := map[string]string{"valley-integrated-care": "vicn", "telehealth-specialty-consults": "tele", "medicaid-population-health": "mpop", "rural-transport-pilot": "rtp"}[name]
			if prefix == "" {
				prefix = name // no review yet to take a prefix from
			}
			want := `---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata:
  name: ` + prefix + `-2026-12-review
spec:
  partnershipRef: {name: ` + name + `}
  date: "2026-12-10"
  decision: Continue
  attendees:
    - {name: Dana Whitfield, organization: Valley Regional Hospital}
    - {name: Dr. Helen Park}
  notes: On track.
  followUps:
    - {action: Share the Q4 figures, owner: Valley Regional Hospital, due: "2027-01-15"}
    - {action: Plan the spring visit}
`
			if lines != want {
				t.Errorf("inserted:\n%s\nwant:\n%s", lines, want)
			}
			mustValidate(t, dir)
		})
	}
	reviews := sampleObjects(t, dir, "Review")
	slices.SortFunc(reviews, func(a, b load.Document) int { return strings.Compare(a.Object.GetName(), b.Object.GetName()) })
	for _, r := range reviews {
		fus, _, _ := unstructured.NestedSlice(r.Object.Object, "spec", "followUps")
		for i := range fus {
			if m, ok := fus[i].(map[string]any); ok && m["state"] != nil {
				continue // recorded already: the samples keep some actions closed
			}
			state, flag := "Done", "--done"
			if i%2 == 1 {
				state, flag = "Dropped", "--dropped"
			}
			index := []string{"1", "2", "3", "4"}[i]
			t.Run("follow-up "+r.Object.GetName()+" "+index, func(t *testing.T) {
				before := snapshotDir(t, dir)
				out, errOut, code := run(t, "", "record", "follow-up", r.Object.GetName(), index, flag, dir)
				if code != 0 {
					t.Fatalf("exit %d\n%s%s", code, out, errOut)
				}
				after := snapshotDir(t, dir)
				old, now := changedLine(t, "reviews.yaml", before["reviews.yaml"], after["reviews.yaml"])
				if want := strings.TrimSuffix(old, "}") + ", state: " + state + "}"; now != want {
					t.Errorf("line became %q, want %q", now, want)
				}
				mustValidate(t, dir)
				// Twice in a row: refused, nothing written.
				_, errOut, code = run(t, "", "record", "follow-up", r.Object.GetName(), index, flag, dir)
				if code != 1 || !strings.Contains(errOut, "is "+state+" already; nothing written") {
					t.Errorf("second record: exit %d, %s", code, errOut)
				}
				if again := snapshotDir(t, dir); again["reviews.yaml"] != after["reviews.yaml"] {
					t.Error("the second record changed the file")
				}
			})
		}
	}
}

// A block-style follow-up gains a state line under its last key; a flow
// one written across lines keeps its layout.
func TestRecordFollowUpInBlockStyle(t *testing.T) {
	dir, content := copySamples(t)
	src := content["reviews.yaml"] + `---
# A review kept in block style.
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata:
  name: r
spec:
  partnershipRef: {name: valley-integrated-care}
  date: "2026-01-10"
  decision: Continue
  followUps:
    - action: Do the thing   # agreed in the hallway
      owner: Valley Regional Hospital

    - action: Do another
      due: "2026-03-01"
# trailing comment
`
	file := filepath.Join(dir, "reviews.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := run(t, "", "record", "follow-up", "r", "1", "--done", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	b, _ := os.ReadFile(file)
	lines := insertedLines(t, "reviews.yaml", src, string(b))
	if strings.Join(lines, "") != "      state: Done\n" {
		t.Errorf("inserted %q, want the state line under owner", lines)
	}
	if !strings.Contains(string(b), "      owner: Valley Regional Hospital\n      state: Done\n\n    - action: Do another") {
		t.Errorf("state not placed after the first item's last key:\n%s", b)
	}
	if out, errOut, code := run(t, "", "record", "follow-up", "r", "2", "--dropped", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	c, _ := os.ReadFile(file)
	if !strings.HasSuffix(string(c), "      due: \"2026-03-01\"\n      state: Dropped\n# trailing comment\n") {
		t.Errorf("second state not before the trailing comment:\n%s", c)
	}
	if out, errOut, code := run(t, "", "record", "follow-up", "r", "2", "--open", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	d, _ := os.ReadFile(file)
	if before, after := changedLine(t, "reviews.yaml", string(c), string(d)); before != "      state: Dropped" || after != "      state: Open" {
		t.Errorf("reopening changed %q to %q", before, after)
	}
	mustValidate(t, dir)
}

// Invalid records are refused with exit 1, a message naming the field or
// flag, and no file changed.
func TestRecordRefusesInvalidChangesAndWritesNothing(t *testing.T) {
	dir, _ := copySamples(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"value not a number", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "high", "--period", "2027-Q1", "--reported-by", "x"}, `--value: "high" is not a number`},
		{"milli slip", []string{"record", "value", "mpop-shared-savings", "--value", "1.5m", "--period", "2027-Q1", "--reported-by", "x"}, `--value: "1.5m" is ambiguous: Kubernetes reads m as milli (0.0015)`},
		{"percent for a count", []string{"record", "value", "vicn-ed-visits-per-1000", "--value", "40%", "--period", "2027-Q1", "--reported-by", "x"}, `is a percentage, but the unit is "visits/1k"`},
		{"unknown KPI", []string{"record", "value", "vicn-readmision-rate-30d", "--value", "1", "--period", "2027-Q1", "--reported-by", "x"}, `KPI "vicn-readmision-rate-30d" not found in ` + dir + `; did you mean "vicn-readmission-rate-30d"?`},
		{"duplicate value", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "17.20", "--period", "2026-Q3", "--reported-by", "x"}, `already has 17.2 for the period ending 2026-09-30 (spec.reported[4], reported by VRH quality office): a duplicate`},
		{"second value for a period", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16", "--period-end", "2026-09-30", "--reported-by", "x"}, `already has a value for the period ending 2026-09-30: 17.2`},
		{"bad period", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16", "--period", "2027-Q5", "--reported-by", "x"}, `--period "2027-Q5": want a quarter (2026-Q3)`},
		{"no reporter", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16", "--period", "2027-Q1"}, `--reported-by is required`},
		{"document not https: the schema refuses it", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16", "--period", "2027-Q1", "--reported-by", "x", "--document", "http://docs.example/q1.pdf"}, `KPI/vicn-readmission-rate-30d: error: spec.reported[5].document.url: Invalid value: "http://docs.example/q1.pdf": url must be an absolute https:// URL`},
		{"bad checksum: the schema refuses it", []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16", "--period", "2027-Q1", "--reported-by", "x", "--document", "https://docs.example/q1.pdf", "--sha256", "abc"}, `spec.reported[5].document.sha256`},
		{"unknown partnership", []string{"record", "review", "valley-care", "--date", "2026-12-10", "--decision", "Continue"}, `Partnership "valley-care" not found`},
		{"bad decision", []string{"record", "review", "valley-integrated-care", "--date", "2026-12-10", "--decision", "Stop"}, `--decision "Stop": want Continue, Revise or Exit`},
		{"exit without date: the CEL rule refuses it", []string{"record", "review", "valley-integrated-care", "--date", "2026-12-10", "--decision", "Exit"}, `Review/vicn-2026-12-review: error: spec.exitDate: Invalid value: spec.exitDate is required when decision is Exit`},
		{"duplicate review", []string{"record", "review", "valley-integrated-care", "--date", "2026-09-18", "--decision", "Continue"}, `already records a review of valley-integrated-care on 2026-09-18`},
		{"bad follow-up date", []string{"record", "review", "valley-integrated-care", "--date", "2026-12-10", "--decision", "Continue", "--follow-up", "Do it; VRH; soon"}, `the due date "soon": want a date as YYYY-MM-DD`},
		{"follow-up index out of range", []string{"record", "follow-up", "vicn-2026-09-review", "3", "--done"}, `has 2 follow-ups; give a number from 1 to 2`},
		{"follow-up of an unknown review", []string{"record", "follow-up", "vicn-2026-10-review", "1", "--done"}, `Review "vicn-2026-10-review" not found`},
		{"hours of an unknown partner", []string{"record", "hours", "valley-integrated-care", "--partner", "Valley Regonal Hospital", "--period", "2026-Q4", "--hours", "10", "--reported-by", "x"}, `--partner "Valley Regonal Hospital": Partnership valley-integrated-care has no such partner; did you mean "Valley Regional Hospital"?`},
		{"hours without the role of two", []string{"record", "hours", "valley-integrated-care", "--partner", "Valley Regional Hospital", "--period", "2026-Q4", "--hours", "10", "--reported-by", "x"}, `--role is required: Valley Regional Hospital commits time in 2 roles (Care transitions nurse, Data analyst)`},
		{"hours not whole", []string{"record", "hours", "valley-integrated-care", "--partner", "Pine Ridge Community Health Center", "--period", "2026-Q4", "--hours", "10.5", "--reported-by", "x"}, `--hours "10.5": want whole hours from 0 to 8784`},
		{"hours for a period already reported", []string{"record", "hours", "valley-integrated-care", "--partner", "Pine Ridge Community Health Center", "--period", "2026-Q3", "--hours", "10", "--reported-by", "x"}, `Pine Ridge Community Health Center (Care coordinator) already reports 900 hours for the period ending 2026-09-30 (spec.partners[1].staffCommitments[0].delivered[0])`},
		{"hours of a partner committing none", []string{"record", "hours", "valley-integrated-care", "--partner", "Three Rivers Home Health", "--period", "2026-Q4", "--hours", "10", "--reported-by", "x"}, `commits no staff time in Partnership valley-integrated-care (spec.partners[3].staffCommitments)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshotDir(t, dir)
			_, errOut, code := run(t, "", append(tc.args, dir)...)
			if code != 1 {
				t.Errorf("exit %d, want 1; stderr:\n%s", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr does not say %q:\n%s", tc.want, errOut)
			}
			after := snapshotDir(t, dir)
			for f := range before {
				if before[f] != after[f] {
					t.Errorf("%s changed", f)
				}
			}
		})
	}
}

// Counts behind a rate are written as numerator and denominator. The
// schema learns those fields with the rate work (issue 16); until then
// validate refuses them and the test says so.
func TestRecordValueWritesTheCounts(t *testing.T) {
	dir, content := copySamples(t)
	out, errOut, code := run(t, "", "record", "value", "vicn-patient-satisfaction", "--value", "70%", "--numerator", "7", "--denominator", "10",
		"--period", "2026-Q4", "--reported-by", "Patient experience team", dir)
	if code == 1 && strings.Contains(errOut, "numerator: Unknown field") {
		t.Skip("the schema has no spec.reported[].numerator and denominator yet (issue 16, rate fields of ReportedValue); enable once they are merged")
	}
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "valley-integrated-care.yaml"))
	lines := strings.Join(insertedLines(t, "valley-integrated-care.yaml", content["valley-integrated-care.yaml"], string(b)), "")
	if want := `    - {value: "70", numerator: 7, denominator: 10, periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: Patient experience team}` + "\n"; lines != want {
		t.Errorf("inserted %q, want %q", lines, want)
	}
	if !strings.Contains(out, "70% (fewer than 11 of fewer than 11)") || strings.Contains(out, " 7 ") || strings.Contains(out, " 10") {
		t.Errorf("output shows a small count:\n%s", out)
	}
	// A rate without its counts is refused by the rate's CEL rule.
	_, errOut, code = run(t, "", "record", "value", "vicn-patient-satisfaction", "--value", "71%", "--period", "2027-Q1", "--reported-by", "Patient experience team", dir)
	if code != 1 || !strings.Contains(errOut, "spec.ratePer declares a rate: every spec.reported[] value needs its numerator and denominator") {
		t.Errorf("exit %d\n%s", code, errOut)
	}
}

func TestRecordHoursAddsOneLineAndTheShortfallClears(t *testing.T) {
	dir, before := copySamples(t)
	out, errOut, code := run(t, "", "record", "hours", "valley-integrated-care", "--partner", "Valley Regional Hospital", "--role", "Data analyst",
		"--period", "2026-Q4", "--hours", "118", "--reported-by", "Valley Regional HR", dir)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "Report 2026-Q4 staff time of Valley Regional Hospital (Data analyst) for Valley Integrated Care Network: 118 hours\n"; !strings.HasPrefix(out, want) {
		t.Errorf("stdout %q, want it to start %q", out, want)
	}
	after := snapshotDir(t, dir)
	got := insertedLines(t, "valley-integrated-care.yaml", before["valley-integrated-care.yaml"], after["valley-integrated-care.yaml"])
	want := []string{`            - {periodStart: "2026-10-01", periodEnd: "2026-12-31", hours: 118, reportedBy: Valley Regional HR}` + "\n"}
	if !slices.Equal(got, want) {
		t.Errorf("inserted %q, want %q", got, want)
	}
	// 118 of 120 in the latest quarter: no partner is short any more.
	tree, _, _ := run(t, "", "evaluate", dir, "--now", "2027-01-20")
	if !strings.Contains(tree, "Partnership/valley-integrated-care") || strings.Contains(tree, "HoursDelivered=False") {
		t.Errorf("after recording 118 of 120 hours the partnership should not be short:\n%s", tree)
	}
}
