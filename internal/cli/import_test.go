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
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A quarter's values for the sample portfolio, as a quality team's
// spreadsheet holds them: every KPI reported in git, 2026-Q4 (the samples
// stop at 2026-Q3), values written as people write them.
var q4Rows = [][]string{
	{"KPI", "Period", "Value", "Numerator", "Denominator", "Reported by", "Document"},
	{"vicn-ed-visits-per-1000", "2026-Q4", "40.9", "", "", "VRH analytics", ""},
	{"vicn-readmission-rate-30d", "2026-Q4", "16.9%", "", "", "VRH quality office", "https://docs.valley-health.example/quality/2026-q4.pdf"},
	{"vicn-patient-satisfaction", "2026-Q4", "73.8%", "738", "1,000", "Patient experience team", ""},
	{"vicn-care-coordinator-caseload", "2026-Q4", "54", "", "", "Pine Ridge CHC", ""},
	{"mpop-shared-savings", "2026-Q4", "$845,000", "", "", "Heartland finance", ""},
	{"mpop-hba1c-poor-control", "2026-Q4", "27.9%", "1116", "4000", "Heartland quality analytics", ""},
	{"mpop-care-gap-closure", "2026-Q4", "63 %", "", "", "Heartland quality analytics", ""},
	{"mpop-member-satisfaction", "2026-Q4", "77", "", "", "Heartland member experience", ""},
	{"tele-transfers-avoided", "2026-Q4", "29", "", "", "UMC telehealth office", ""},
	{"tele-consult-turnaround-minutes", "2026-Q4", "52", "", "", "UMC telehealth office", ""},
	{"tele-consult-volume", "2026-Q4", "1,012", "", "", "UMC telehealth office", ""},
}

func writeCSV(t *testing.T, rows [][]string) string {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	p := filepath.Join(t.TempDir(), "q4-2026.csv")
	if err := os.WriteFile(p, []byte("\xef\xbb\xbf"+b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeXLSX writes the rows as a workbook the way a quality team's would
// be: numbers as numbers (percentages formatted as such), a period end as
// a date cell.
func writeXLSX(t *testing.T, rows [][]string, typed bool) string {
	t.Helper()
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	sheet := "Q4 2026"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for j, c := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue(sheet, cell, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	if typed {
		// vicn-readmission-rate-30d's value as the number 0.169 shown as 16.90%.
		if err := f.SetCellValue(sheet, "C3", 0.169); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle(sheet, "C3", "C3", pct); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellValue(sheet, "C5", 54); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "q4-2026.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportValuesPreviewsThenAppliesEveryRow(t *testing.T) {
	for _, tc := range []struct {
		name string
		file func(t *testing.T) string
	}{
		{"csv", func(t *testing.T) string { return writeCSV(t, q4Rows) }},
		{"xlsx", func(t *testing.T) string { return writeXLSX(t, q4Rows, true) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, content := copySamples(t)
			file := tc.file(t)
			out, errOut, code := run(t, "", "import", "values", file, "--path", dir)
			if code != 0 {
				t.Fatalf("preview exit %d\n%s%s", code, out, errOut)
			}
			for _, want := range []string{
				"## Accord portfolio diff: `" + dir + "` → `" + dir + " with the import`",
				"| KPI `vicn-readmission-rate-30d` | `spec.reported` | added |  | 16.9% for the period ending 2026-12-31 |",
				"| KPI `mpop-shared-savings` | `spec.reported` | added |  | USD 845,000 for the period ending 2026-12-31 |",
				"| KPI `vicn-care-coordinator-caseload` | `spec.reported` | added |  | 54 members/FTE for the period ending 2026-12-31 |",
				"Nothing written: Report 11 values for 2026-Q4 from q4-2026." + tc.name + ". Run again with --write to apply it.",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("preview lacks %q:\n%s", want, out)
				}
			}
			if got := snapshotDir(t, dir); !sameFiles(got, content) {
				t.Fatal("the preview wrote files")
			}
			out, errOut, code = run(t, "", "import", "values", file, "--path", dir, "--write")
			if code != 0 {
				t.Fatalf("--write exit %d\n%s%s", code, out, errOut)
			}
			after := snapshotDir(t, dir)
			valley := strings.Join(insertedLinesAll(t, content["valley-integrated-care.yaml"], after["valley-integrated-care.yaml"]), "")
			for _, want := range []string{
				`    - {value: "40.9", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: VRH analytics}` + "\n",
				"    - value: \"16.9" + map[string]string{"csv": "", "xlsx": "0"}[tc.name] + "\"\n      periodStart: \"2026-10-01\"\n      periodEnd: \"2026-12-31\"\n      reportedBy: VRH quality office\n      document:\n        title: 2026-q4.pdf\n        url: https://docs.valley-health.example/quality/2026-q4.pdf\n",
				`    - {value: "54", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: Pine Ridge CHC}` + "\n",
			} {
				if !strings.Contains(valley, want) {
					t.Errorf("valley-integrated-care.yaml lacks\n%s\ninserted:\n%s", want, valley)
				}
			}
			mpop := strings.Join(insertedLinesAll(t, content["medicaid-population-health.yaml"], after["medicaid-population-health.yaml"]), "")
			if !strings.Contains(mpop, `- {value: "845000", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: Heartland finance}`) {
				t.Errorf("medicaid-population-health.yaml: inserted\n%s", mpop)
			}
			tele := strings.Join(insertedLinesAll(t, content["telehealth-specialty-consults.yaml"], after["telehealth-specialty-consults.yaml"]), "")
			if !strings.Contains(tele, `- {value: "1012", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: UMC telehealth office}`) || strings.Count(tele, "\n") != 3 {
				t.Errorf("telehealth-specialty-consults.yaml: inserted\n%s", tele)
			}
			for _, f := range []string{"reviews.yaml", "metricsources.yaml", "portfolio.yaml"} {
				if after[f] != content[f] {
					t.Errorf("%s changed", f)
				}
			}
			mustValidate(t, dir)
			// Again: every row is now a duplicate, and nothing is written.
			_, errOut, code = run(t, "", "import", "values", file, "--path", dir, "--write")
			if code != 1 || strings.Count(errOut, "a duplicate; nothing written") != 11 {
				t.Errorf("second import: exit %d\n%s", code, errOut)
			}
			if !sameFiles(snapshotDir(t, dir), after) {
				t.Error("the second import wrote files")
			}
		})
	}
}

// insertedLinesAll lists the lines of after that are not in before, in
// order, failing when a line of before is gone or changed.
func insertedLinesAll(t *testing.T, before, after string) []string {
	t.Helper()
	b, a := strings.SplitAfter(before, "\n"), strings.SplitAfter(after, "\n")
	var added []string
	i := 0
	for _, l := range a {
		if i < len(b) && l == b[i] {
			i++
			continue
		}
		added = append(added, l)
	}
	if i != len(b) {
		t.Fatalf("line %d of the original is gone or changed: %q", i+1, b[i])
	}
	return added
}

func sameFiles(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// One bad row refuses the whole file: every problem is named by row and
// column, with what is allowed, and nothing is written.
func TestImportValuesNamesEveryBadRowAndWritesNothing(t *testing.T) {
	rows := append([][]string{}, q4Rows...)
	rows = append(rows,
		[]string{"vicn-readmision-rate-30d", "2026-Q4", "17", "", "", "VRH quality office", ""},
		[]string{"vicn-ed-visits-per-1000", "2026-Q5", "40", "", "", "VRH analytics", ""},
		[]string{"mpop-shared-savings", "2027-Q1", "1.5m", "", "", "Heartland finance", ""},
		[]string{"vicn-patient-satisfaction", "2027-Q1", "74,5", "", "", "Patient experience team", ""},
		[]string{"vicn-care-coordinator-caseload", "2027-Q1", "52", "", "", "", ""},
		[]string{"vicn-ed-visits-per-1000", "2026-Q4", "40.9", "", "", "VRH analytics", ""},
		[]string{"vicn-ed-visits-per-1000", "2026-Q3", "41", "", "", "VRH analytics", ""},
		[]string{"vicn-readmission-rate-30d", "2027-Q1", "16", "", "", "VRH quality office", "http://docs.example/q1.pdf"},
	)
	wants := []string{
		`row 13, column kpi: KPI "vicn-readmision-rate-30d" not found in DIR; did you mean "vicn-readmission-rate-30d"?`,
		`row 14, column period "2026-Q5": want a quarter (2026-Q3), a half year (2026-H2), a month (2026-09) or a year (2026)`,
		`row 15, column value: "1.5m" is ambiguous: Kubernetes reads m as milli (0.0015); write 1.5M for 1.5 million`,
		`row 16, column value: "74,5": a comma separates thousands (1,200,000) and the decimal separator is a point (17.2)`,
		`row 17, column reported_by is required`,
		`row 18: repeats row 2: KPI vicn-ed-visits-per-1000, period ending 2026-12-31`,
		`row 19, column kpi: KPI vicn-ed-visits-per-1000 already has a value for the period ending 2026-09-30: 42.0`,
	}
	for _, tc := range []struct {
		name string
		file func(t *testing.T) string
	}{
		{"csv", func(t *testing.T) string { return writeCSV(t, rows) }},
		{"xlsx", func(t *testing.T) string { return writeXLSX(t, rows, false) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, content := copySamples(t)
			file := tc.file(t)
			_, errOut, code := run(t, "", "import", "values", file, "--path", dir, "--write")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(errOut, "has 7 problems; nothing was written") {
				t.Errorf("stderr does not count the problems:\n%s", errOut)
			}
			for _, w := range wants {
				if w = strings.ReplaceAll(w, "DIR", dir); !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if !sameFiles(snapshotDir(t, dir), content) {
				t.Error("files were written")
			}
			// Without the row problems, the invalid document URL is the
			// validator's to refuse: still all or nothing.
			only := append(append([][]string{}, q4Rows...), rows[len(rows)-1])
			_, errOut, code = run(t, "", "import", "values", writeCSV(t, only), "--path", dir, "--write")
			if code != 1 || !strings.Contains(errOut, "spec.reported[6].document.url: Invalid value: \"http://docs.example/q1.pdf\": url must be an absolute https:// URL") {
				t.Errorf("exit %d\n%s", code, errOut)
			}
			if !sameFiles(snapshotDir(t, dir), content) {
				t.Error("files were written")
			}
		})
	}
}

func TestImportValuesRefusesAnUnusableHeader(t *testing.T) {
	dir, _ := copySamples(t)
	for _, tc := range []struct {
		header []string
		want   string
	}{
		{[]string{"kpi", "period", "value", "reported_by", "comment"}, `row 1, column E: unknown column "comment"; the columns are kpi, period, period_end, value, numerator, denominator, reported_by, document, document_title, sha256`},
		{[]string{"kpi", "value", "reported_by"}, "row 1 lacks the columns period or period_end"},
		{[]string{"kpi", "period", "reported_by"}, "row 1 lacks the columns value (or numerator and denominator)"},
		{[]string{"kpi", "period", "value", "value", "reported_by"}, `row 1, column D: "value" appears twice`},
	} {
		_, errOut, code := run(t, "", "import", "values", writeCSV(t, [][]string{tc.header}), "--path", dir)
		if code != 1 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d\n%s", tc.header, code, errOut)
		}
	}
	_, errOut, code := run(t, "", "import", "values", filepath.Join(dir, "reviews.yaml"), "--path", dir)
	if code != 2 || !strings.Contains(errOut, "want a .csv or .xlsx file") {
		t.Errorf("a YAML file: exit %d\n%s", code, errOut)
	}
}
