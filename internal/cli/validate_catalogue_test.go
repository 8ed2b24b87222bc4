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
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/portfolio/load"
)

// The bad-input catalogue: every file under testdata/invalid breaks one
// rule and says, in its header comments, what accordctl validate must
// report:
//
//	# <what is wrong, first line is the title>
//	# want-check: cel            (the check, as printed in [brackets])
//	# want-field: spec.target.min
//	# want-message: must be less than spec.target.max   (a substring)
//	# want-severity: warning     (optional; error by default)
//	# args: --strict             (optional extra flags)
//
// Each file is validated together with testdata/context/portfolio.yaml, a
// small valid portfolio that its references resolve against.
const (
	catalogueDir     = "testdata/invalid"
	catalogueContext = "testdata/context/portfolio.yaml"
	// catalogueMinimum is the size the catalogue must keep.
	catalogueMinimum = 30
)

// catalogueEntry is one broken file and what validate must say about it.
type catalogueEntry struct {
	File     string // path from internal/cli
	Title    string
	Check    string
	Field    string
	Message  string
	Severity string
	Args     []string
}

// objectChecks are the checks that judge one object alone, as the API
// server does; the others judge the portfolio.
var objectChecks = map[string]bool{
	checkParse: true, "kind": true, "unknown-field": true, "metadata": true,
	"schema": true, "list-type": true, "cel": true,
}

func loadCatalogue(t *testing.T) []catalogueEntry {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(catalogueDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]catalogueEntry, 0, len(files))
	for _, f := range files {
		out = append(out, parseCatalogueHeader(t, f))
	}
	if len(out) < catalogueMinimum {
		t.Fatalf("catalogue has %d files, want at least %d", len(out), catalogueMinimum)
	}
	return out
}

func parseCatalogueHeader(t *testing.T, file string) catalogueEntry {
	t.Helper()
	fh, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = fh.Close() }()
	e := catalogueEntry{File: file, Severity: severityError}
	seen := map[string]bool{}
	titleDone := false
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") {
			break
		}
		text := strings.TrimSpace(strings.TrimPrefix(line, "#"))
		key, value, ok := strings.Cut(text, ":")
		value = strings.TrimSpace(value)
		switch {
		case ok && key == "want-check":
			e.Check = value
		case ok && key == "want-field":
			e.Field = value
		case ok && key == "want-message":
			e.Message = value
		case ok && key == "want-severity":
			e.Severity = value
		case ok && key == "args":
			e.Args = strings.Fields(value)
		case !titleDone:
			// The title is the first sentence, which may wrap.
			e.Title = strings.TrimSpace(e.Title + " " + text)
			titleDone = strings.HasSuffix(e.Title, ".")
			continue
		default:
			continue
		}
		seen[key] = true
	}
	for _, k := range []string{"want-check", "want-field", "want-message"} {
		if !seen[k] {
			t.Fatalf("%s: header lacks %q", file, k)
		}
	}
	if e.Title == "" || e.Message == "" || e.Check == "" {
		t.Fatalf("%s: header needs a title, want-check and want-message", file)
	}
	return e
}

// runCatalogue validates an entry's file with the context and returns the
// exit code and report.
func runCatalogue(t *testing.T, e catalogueEntry) (int, report, string) {
	t.Helper()
	args := append(append([]string{"-o", "json"}, e.Args...), catalogueContext, e.File)
	code, out, errOut := validateRun("", args...)
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%s: output is not JSON: %v\n%s%s", e.File, err, out, errOut)
	}
	return code, rep, errOut
}

// match returns the finding the entry expects, if validate reported it.
func (e catalogueEntry) match(rep report) (finding, bool) {
	for _, f := range rep.Findings {
		if f.File == e.File && f.Check == e.Check && f.Field == e.Field &&
			f.Severity == e.Severity && strings.Contains(f.Message, e.Message) {
			return f, true
		}
	}
	return finding{}, false
}

// The context portfolio is valid on its own, even under --strict: every
// finding in a catalogue run comes from the broken file.
func TestCatalogueContextIsValid(t *testing.T) {
	code, out, errOut := validateRun("", "--strict", catalogueContext)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
}

// Every broken file makes validate exit 1 with the expected finding,
// naming the file, the document, the field and the rule; and nothing else
// in the file is blamed on the context.
func TestCatalogueEveryBrokenFileIsRejected(t *testing.T) {
	for _, e := range loadCatalogue(t) {
		t.Run(filepath.Base(e.File), func(t *testing.T) {
			code, rep, errOut := runCatalogue(t, e)
			if code != ExitFindings || rep.Valid {
				t.Errorf("exit %d valid %v, want 1 and invalid; stderr %s", code, rep.Valid, errOut)
			}
			f, ok := e.match(rep)
			if !ok {
				t.Fatalf("no %s finding [%s] on field %q containing %q; findings:\n%s", e.Severity, e.Check, e.Field, e.Message, findingLines(rep))
			}
			if want := filepath.Base(e.File); !strings.Contains(f.String(), want) {
				t.Errorf("text line %q does not name the file", f.String())
			}
			// The context may only be blamed for its relation to the
			// broken file's objects (a KPI due after a broken
			// objective's deadline), never on its own.
			names := catalogueNames(t, e.File)
			for _, g := range rep.Findings {
				if g.File != catalogueContext || g.Severity == severityNote {
					continue
				}
				related := false
				for _, n := range names {
					related = related || strings.Contains(g.Message, strconv.Quote(n))
				}
				if objectChecks[g.Check] || !related {
					t.Errorf("finding on the context, which is valid alone: %s", g)
				}
			}
		})
	}
}

// catalogueNames lists the names of the objects a file defines.
func catalogueNames(t *testing.T, file string) []string {
	t.Helper()
	docs, _, err := load.Paths([]string{file}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.Object.GetName())
	}
	return out
}

func findingLines(rep report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}
