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

package validate

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/portfoliocheck"
)

// Severities of findings. Errors make validate exit 1; warnings too with
// --strict; notes never.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
	SeverityNote    = "note"
)

func severity(s portfoliocheck.Severity) string {
	if s == portfoliocheck.Error {
		return SeverityError
	}
	return SeverityWarning
}

// Finding is one line of the report. Its JSON form is documented in
// docs/cli.md; fields may be added, never renamed or removed.
type Finding struct {
	Severity string `json:"severity"`
	// Check names the rule family, e.g. "schema", "cel", "dangling-ref".
	Check string `json:"check"`
	File  string `json:"file"`
	// Index is the document's position in its file, from 0; -1 when the
	// whole file failed to parse.
	Index      int    `json:"index"`
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
	// Field is the offending field's path, e.g. "spec.target.value".
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// where names the document and object: "file#2 KPI/er-visits".
func (f Finding) where() string {
	s := f.File
	if f.Index >= 0 {
		s += fmt.Sprintf("#%d", f.Index)
	}
	if f.Kind != "" {
		s += " " + f.Kind + "/" + f.Name
	}
	return s
}

// String is the text form: where, severity, field, message and check.
func (f Finding) String() string {
	msg := f.Message
	if f.Field != "" {
		msg = f.Field + ": " + msg
	}
	return fmt.Sprintf("%s: %s: %s [%s]", f.where(), f.Severity, msg, f.Check)
}

// Summary counts what was read and found.
type Summary struct {
	Files     int `json:"files"`
	Documents int `json:"documents"`
	Objects   int `json:"objects"` // Accord objects checked
	Skipped   int `json:"skipped"` // documents of other API groups
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Notes     int `json:"notes"`
}

// Report is the whole result; its JSON form is validate's -o json output.
type Report struct {
	Valid    bool      `json:"valid"`
	Strict   bool      `json:"strict"`
	Summary  Summary   `json:"summary"`
	Findings []Finding `json:"findings"`

	files map[string]bool
}

func newReport(strict bool) *Report {
	return &Report{Strict: strict, Findings: []Finding{}, files: map[string]bool{}}
}

// document counts a document that parsed.
func (r *Report) document(d load.Document) {
	r.files[d.File] = true
	r.Summary.Documents++
}

func (r *Report) add(f Finding) {
	r.files[f.File] = true
	switch f.Severity {
	case SeverityError:
		r.Summary.Errors++
	case SeverityWarning:
		r.Summary.Warnings++
	default:
		r.Summary.Notes++
	}
	if f.Check == CheckParse && f.Index >= 0 {
		r.Summary.Documents++
	}
	r.Findings = append(r.Findings, f)
}

// finish orders the findings by file and document, keeping the order of
// the checks within a document, and settles the verdict.
func (r *Report) finish() {
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Index, b.Index))
	})
	r.Summary.Files = len(r.files)
	r.Valid = r.Summary.Errors == 0 && (!r.Strict || r.Summary.Warnings == 0)
}

// WriteText writes one line per finding and the verdict, as accordctl validate prints them.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	s := r.Summary
	verdict := "valid"
	if !r.Valid {
		verdict = "invalid"
	}
	fmt.Fprintf(&b, "%s: %s, %s, %s in %s (%s, %s skipped)\n", verdict,
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notes, "note"),
		plural(s.Files, "file"), plural(s.Objects, "Accord object"), fmt.Sprint(s.Skipped))
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the report as accordctl validate -o json does.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
