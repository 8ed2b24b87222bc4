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
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/accord-dev/accord/internal/cli/portfoliodiff"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/propose"
	"github.com/accord-dev/accord/internal/portfolio/record"
)

type importOptions struct {
	write   bool
	path    string
	sheet   string
	propose proposeOptions
}

func newImportCmd(s Streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import",
		Short: "Bring values from a spreadsheet (CSV or Excel) into the portfolio's YAML",
	}
	cmd.AddCommand(newImportValuesCmd(s))
	return cmd
}

// importColumns are the columns import values reads; header names are
// matched without regard to case, spaces or dashes ("Reported by" is
// reported_by).
var importColumns = []string{"kpi", "period", "period_end", "value", "numerator", "denominator", "reported_by", "document", "document_title", "sha256"} //nolint:goconst // a list of the accepted values, read as data

func newImportValuesCmd(s Streams) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "values FILE",
		Short: "Add reported KPI values from a CSV or .xlsx file, every row or none",
		Long: `Read reported values from a CSV file or an Excel workbook (.xlsx; the first
sheet unless --sheet) and add each row to its KPI's spec.reported, as
accordctl record value does.

The first row names the columns (any order; case, spaces and dashes do not
matter): kpi, period (2026-Q3, 2026-09, 2026) or period_end (YYYY-MM-DD),
value or numerator and denominator (or all three), reported_by, and
optionally document (an https:// URL), document_title and sha256. Values
are read as people write them, in each KPI's unit: 17.2%, $1,200,000,
1.2M, 1,200.

Without --write, import prints what the rows would change, as accordctl
diff does, and writes nothing. With --write (or --commit / --push) it
applies every row or none: any row that is wrong (each is named with its
row and column and what is allowed), or a result that would not
validate, writes nothing.`,
		Example: `  accordctl import values q3-2026.xlsx --path config/samples
  accordctl import values q3-2026.csv --path config/samples --write
  accordctl import values q3-2026.csv --path config/samples --push origin`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, before, err := o.change(args[0])
			if err != nil {
				return err
			}
			if o.write || o.propose.UsesGit() {
				return c.apply(cmd.Context(), s, o.propose)
			}
			return c.preview(s, before)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.write, "write", false, "write the changes (default: show them)")
	f.StringVar(&o.path, "path", ".", "the portfolio: a directory or file, read as accordctl validate reads it")
	f.StringVar(&o.sheet, "sheet", "", "the sheet of an .xlsx workbook to read (default: the first)")
	addProposeFlags(f, &o.propose)
	return cmd
}

// importRow is one row of the file, by column name.
type importRow struct {
	n      int // 1-based row number, as a spreadsheet shows it
	cells  map[string]string
	serial map[string]string // raw cell values of an .xlsx, for dates
}

func (o *importOptions) change(file string) (*portfolioChange, []load.Document, error) {
	rows, err := o.readRows(file)
	if err != nil {
		return nil, nil, err
	}
	docs, _, err := loadPortfolio(o.path)
	if err != nil {
		return nil, nil, err
	}
	c := &portfolioChange{record.New(o.path)}
	var problems []string
	var recs []*record.Value
	first := map[string]int{}
	for _, r := range rows {
		at := func(col string) string { return fmt.Sprintf("row %d, column %s", r.n, col) }
		names := record.Names{record.InValue: at("value"), record.InPeriod: at("period"), record.InPeriodEnd: at("period_end"),
			record.InReportedBy: at("reported_by"), record.InDocument: at("document"), record.InSHA256: at("sha256"),
			record.InNumerator: at("numerator"), record.InDenominator: at("denominator")}
		in := record.ValueInput{
			KPI: r.cells["kpi"], Value: r.cells["value"], Period: r.cells["period"], PeriodEnd: r.date("period_end"),
			ReportedBy: r.cells["reported_by"], Document: r.cells["document"], DocumentTitle: r.cells["document_title"], SHA256: r.cells["sha256"],
			Numerator: -1, Denominator: -1,
		}
		if in.KPI == "" {
			problems = append(problems, at("kpi")+": required: the KPI's name (metadata.name), e.g. vicn-readmission-rate-30d")
			continue
		}
		bad := false
		for _, col := range []string{"numerator", "denominator"} {
			v := strings.ReplaceAll(r.cells[col], ",", "")
			if v == "" {
				continue
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				problems = append(problems, fmt.Sprintf("%s: %q is not a count; want a whole number, 0 or more", at(col), r.cells[col]))
				bad = true
			}
			if col == "numerator" {
				in.Numerator = n
			} else {
				in.Denominator = n
			}
		}
		if bad {
			continue
		}
		rec, err := record.AddValue(c.Change, docs, in, names)
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, "row ") {
				msg = at("kpi") + ": " + msg
			}
			problems = append(problems, msg)
			continue
		}
		key := rec.KPI + "\x00" + rec.PeriodEnd
		if prev, ok := first[key]; ok {
			problems = append(problems, fmt.Sprintf("row %d: repeats row %d: KPI %s, period ending %s; one value a period", r.n, prev, rec.KPI, rec.PeriodEnd))
			continue
		}
		first[key] = r.n
		recs = append(recs, rec)
	}
	if len(problems) > 0 {
		return nil, nil, findings("%s has %s; nothing was written:\n  %s", file, plural(len(problems), "problem"), strings.Join(problems, "\n  "))
	}
	if len(recs) == 0 {
		return nil, nil, findings("%s has no rows of values below its header", file)
	}
	base := filepath.Base(file)
	periods := map[string]bool{}
	for _, r := range recs {
		periods[r.PeriodLabel] = true
	}
	what := plural(len(recs), "value")
	if len(periods) == 1 {
		what += " for " + recs[0].PeriodLabel
	} else {
		what += fmt.Sprintf(" for %d periods", len(periods))
	}
	c.Subject = fmt.Sprintf("Report %s from %s", what, base)
	for _, r := range recs {
		c.Details = append(c.Details, "- "+r.Subject())
	}
	c.Details = append(c.Details, "", fmt.Sprintf("Imported with accordctl import values %s; accordctl validate passed on the result.", base))
	c.Branch = propose.BranchName("import", strings.TrimSuffix(base, filepath.Ext(base)))
	return c, docs, nil
}

// date reads a date column: YYYY-MM-DD as written, or an Excel date cell
// (a serial day number under a date format).
func (r importRow) date(col string) string {
	v := r.cells[col]
	if v == "" || record.CheckDate(v) == nil {
		return v
	}
	if raw := r.serial[col]; raw != "" {
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			if t, err := excelize.ExcelDateToTime(f, false); err == nil {
				return t.Format(time.DateOnly)
			}
		}
	}
	return v
}

// readRows reads the header and rows of a CSV or .xlsx file.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func (o *importOptions) readRows(file string) ([]importRow, error) {
	var table, raw [][]string
	switch strings.ToLower(filepath.Ext(file)) {
	case ".csv":
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, usageError(err)
		}
		data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Excel's CSV starts with a byte-order mark
		cr := csv.NewReader(bytes.NewReader(data))
		cr.FieldsPerRecord = -1
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, findings("%s: %v", file, err)
			}
			table = append(table, rec)
		}
		raw = table
	case ".xlsx", ".xlsm":
		wb, err := excelize.OpenFile(file)
		if err != nil {
			return nil, usageError(fmt.Errorf("%s: %w", file, err))
		}
		defer func() { _ = wb.Close() }() // opened to read only
		sheet := o.sheet
		if sheet == "" {
			sheet = wb.GetSheetName(0)
		}
		if idx, err := wb.GetSheetIndex(sheet); err != nil || idx < 0 {
			return nil, usageError(fmt.Errorf("--sheet %q: %s has the sheets %s", sheet, file, strings.Join(wb.GetSheetList(), ", ")))
		}
		if table, err = wb.GetRows(sheet); err != nil {
			return nil, usageError(fmt.Errorf("%s: %w", file, err))
		}
		if raw, err = wb.GetRows(sheet, excelize.Options{RawCellValue: true}); err != nil {
			return nil, usageError(fmt.Errorf("%s: %w", file, err))
		}
	default:
		return nil, usageError(fmt.Errorf("%s: want a .csv or .xlsx file", file))
	}
	if len(table) == 0 {
		return nil, findings("%s is empty; the first row names the columns: %s", file, strings.Join(importColumns, ", "))
	}
	cols := make([]string, len(table[0]))
	seen := map[string]bool{}
	for i, h := range table[0] {
		name := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		if name == "" {
			continue
		}
		if !contains(importColumns, name) {
			return nil, findings("%s: row 1, column %s: unknown column %q; the columns are %s", file, columnLetter(i), h, strings.Join(importColumns, ", "))
		}
		if seen[name] {
			return nil, findings("%s: row 1, column %s: %q appears twice", file, columnLetter(i), h)
		}
		seen[name] = true
		cols[i] = name
	}
	var missing []string
	for _, req := range []string{"kpi", "reported_by"} {
		if !seen[req] {
			missing = append(missing, req)
		}
	}
	if !seen["period"] && !seen["period_end"] {
		missing = append(missing, "period or period_end")
	}
	if !seen["value"] && (!seen["numerator"] || !seen["denominator"]) {
		missing = append(missing, "value (or numerator and denominator)")
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, findings("%s: row 1 lacks the columns %s", file, strings.Join(missing, ", "))
	}
	var rows []importRow
	for i, rec := range table[1:] {
		r := importRow{n: i + 2, cells: map[string]string{}, serial: map[string]string{}}
		empty := true
		for j, v := range rec {
			if j < len(cols) && cols[j] != "" {
				r.cells[cols[j]] = strings.TrimSpace(v)
				if i+1 < len(raw) && j < len(raw[i+1]) {
					r.serial[cols[j]] = strings.TrimSpace(raw[i+1][j])
				}
				if strings.TrimSpace(v) != "" {
					empty = false
				}
			}
		}
		if !empty {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func contains(l []string, s string) bool {
	return slices.Contains(l, s)
}

// columnLetter is a spreadsheet's name for a 0-based column: A, B, ... AA.
func columnLetter(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return name
}

// preview prints what the change would do, as accordctl diff reports it,
// after checking that the result validates.
func (c portfolioChange) preview(s Streams, before []load.Document) error {
	if err := c.validated(s); err != nil {
		return err
	}
	edited := map[string]bool{}
	var after []load.Document
	for _, f := range c.Changed() {
		edited[f.Path] = true
		d, _ := load.Read(f.Path, bytes.NewReader(f.Bytes()))
		after = append(after, d...)
	}
	for _, d := range before {
		if !edited[d.File] {
			after = append(after, d)
		}
	}
	base, err := portfoliodiff.Read(before)
	if err != nil {
		return usageError(err)
	}
	head, err := portfoliodiff.Read(after)
	if err != nil {
		return usageError(err)
	}
	r := portfoliodiff.Compare(base, head)
	r.Base = portfoliodiff.Source{Name: c.Root}
	r.Head = portfoliodiff.Source{Name: c.Root + " with the import"}
	if err := portfoliodiff.WriteMarkdown(s.Out, r); err != nil {
		return usageError(err)
	}
	say(s.Out, "\nNothing written: %s. Run again with --write to apply it.\n", c.Subject)
	return nil
}
