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
// Package record is the portfolio office's edits, shared by accordctl
// record and import and the dashboard's forms (one code path): find the
// object's file, apply the edit to the YAML text (keeping comments and
// layout), run accordctl validate's checks on the result, refuse when it
// would not validate, and make the branch, the commit, the push and the
// pull request.
package record

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
	"github.com/accord-dev/accord/internal/portfolio/validate"
)

// Refused is an edit refused for what was asked (an invalid value, a
// duplicate, an unknown object, a result that would not validate):
// nothing was written. accordctl exits 1 on it; the dashboard shows it
// next to the field named by Input.
type Refused struct {
	// Input is the key of the input at fault ("value", "period", "date",
	// ...; see Names), or "" when the edit as a whole is refused.
	Input string
	// Findings are validate's errors when the result would not validate.
	Findings []validate.Finding
	Err      error
}

func (e *Refused) Error() string { return e.Err.Error() }
func (e *Refused) Unwrap() error { return e.Err }

// IsRefused reports whether err is a Refused and returns it.
func IsRefused(err error) (*Refused, bool) {
	return errors.AsType[*Refused](err)
}

func refuse(format string, args ...any) error {
	return &Refused{Err: fmt.Errorf(format, args...)}
}

func refuseAt(input, format string, args ...any) error {
	return &Refused{Input: input, Err: fmt.Errorf(format, args...)}
}

// Names says how the inputs are called in messages, by input key: flags
// for accordctl record, columns for import, labels for the dashboard.
type Names map[string]string

// Input keys.
const (
	InValue       = "value"
	InPeriod      = "period"
	InPeriodEnd   = "periodEnd"
	InReportedBy  = "reportedBy"
	InDocument    = "document"
	InSHA256      = "sha256"
	InNumerator   = "numerator"
	InDenominator = "denominator"
	InDate        = "date"
	InDecision    = "decision"
	InExitDate    = "exitDate"
	InAttendee    = "attendee"
	InFollowUp    = "followUp"
	InIndex       = "index"
)

// FlagNames are accordctl record's flags.
var FlagNames = Names{
	InValue: "--value", InPeriod: "--period", InPeriodEnd: "--period-end", InReportedBy: "--reported-by",
	InDocument: "--document", InSHA256: "--sha256", InNumerator: "--numerator", InDenominator: "--denominator",
	InDate: "--date", InDecision: "--decision", InExitDate: "--exit-date", InAttendee: "--attendee",
	InFollowUp: "--follow-up", InIndex: "INDEX",
	InPartner: "--partner", InRole: "--role", InHours: "--hours",
}

func (n Names) of(key string) string {
	if s, ok := n[key]; ok {
		return s
	}
	return key
}

// Change is an edit of a portfolio's files: validated as a whole before
// anything is written, then written, and optionally committed, pushed and
// proposed.
type Change struct {
	// Root is PATH as given: the files validate reads.
	Root string
	// files are the edited files by load's file name, in order of first
	// edit.
	files map[string]*edit.File
	order []string
	// Subject is the commit's first line, what a reviewer reads first.
	Subject string
	// Details are the commit body's lines.
	Details []string
	// Branch is the default branch name for --commit and --push.
	Branch string
}

// New starts a change of the portfolio under root.
func New(root string) *Change {
	return &Change{Root: root, files: map[string]*edit.File{}}
}

// File returns the edited form of a portfolio file, opening it on first
// use.
func (c *Change) File(name string) (*edit.File, error) {
	if f, ok := c.files[name]; ok {
		return f, nil
	}
	f, err := edit.Open(name)
	if err != nil {
		return nil, err
	}
	c.files[name] = f
	c.order = append(c.order, name)
	return f, nil
}

// Changed lists the files whose content the change alters.
func (c *Change) Changed() []*edit.File {
	var out []*edit.File
	for _, n := range c.order {
		if f := c.files[n]; f.Changed() {
			out = append(out, f)
		}
	}
	return out
}

// Load reads PATH exactly as accordctl validate reads it.
func Load(root string) ([]load.Document, []*load.Error, error) {
	docs, bad, err := load.Paths([]string{root}, nil)
	if err != nil {
		return nil, nil, err
	}
	if len(docs) == 0 && len(bad) == 0 {
		return nil, nil, fmt.Errorf("no YAML or JSON documents found in %s", root)
	}
	return docs, bad, nil
}

// findObject finds kind/name among the documents; when it is missing the
// error names the closest name there.
func findObject(docs []load.Document, root, kind, name string) (load.Document, error) {
	var names []string
	var found []load.Document
	for _, d := range docs {
		if d.Object.GetKind() != kind || d.Object.GroupVersionKind().Group != "portfolio.accord.dev" {
			continue
		}
		names = append(names, d.Object.GetName())
		if d.Object.GetName() == name {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		hint := ""
		if c := suggest.Closest(name, names); c != "" {
			hint = fmt.Sprintf("; did you mean %q?", c)
		} else if len(names) > 0 {
			slices.Sort(names)
			hint = fmt.Sprintf("; %ss there: %s", kind, strings.Join(names, ", "))
		}
		return load.Document{}, refuse("%s %q not found in %s%s", kind, name, root, hint)
	}
	return load.Document{}, refuse("%s %q is defined %d times in %s (%s and %s); fix that first (accordctl validate)", kind, name, len(found), root, found[0].Where(), found[1].Where())
}

// Validate runs accordctl validate's checks over the portfolio with the
// edited files in place of their content on disk. When the result would
// not validate it returns a Refused carrying the errors.
func (c *Change) Validate() error {
	docs, bad, err := Load(c.Root)
	if err != nil {
		return err
	}
	edited := map[string]bool{}
	for _, f := range c.Changed() {
		edited[f.Path] = true
	}
	var all []load.Document
	var allBad []*load.Error
	added := map[string]bool{}
	addFile := func(name string) {
		if added[name] {
			return
		}
		added[name] = true
		d, b := load.Read(name, bytes.NewReader(c.files[name].Bytes()))
		all, allBad = append(all, d...), append(allBad, b...)
	}
	for _, d := range docs {
		if edited[d.File] {
			addFile(d.File)
			continue
		}
		all = append(all, d)
	}
	for _, b := range bad {
		if !edited[b.File] {
			allBad = append(allBad, b)
		}
	}
	for name := range edited {
		addFile(name)
	}
	rep, err := validate.Run(all, allBad, validate.Options{Namespace: "default"})
	if err != nil {
		return err
	}
	if rep.Summary.Errors == 0 {
		return nil
	}
	var errs []validate.Finding
	for _, f := range rep.Findings {
		if f.Severity == validate.SeverityError {
			errs = append(errs, f)
		}
	}
	return &Refused{Findings: errs, Err: fmt.Errorf("the change would not validate (%s); nothing was written", plural(rep.Summary.Errors, "error"))}
}

// Message is the commit message: subject, blank line, details.
func (c *Change) Message() string {
	m := c.Subject
	if len(c.Details) > 0 {
		m += "\n\n" + strings.Join(c.Details, "\n")
	}
	return m + "\n"
}

// Write writes the changed files.
func (c *Change) Write() error {
	return writeFiles(c.Changed())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
