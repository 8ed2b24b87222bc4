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
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	validateDoc           = "../../docs/cli.md"
	validateDocRegenerate = "go test ./internal/cli -run TestCLIDocShowsRealOutput -update-docs"
)

// cliDocExamples are the runs docs/cli.md shows, from internal/cli/testdata.
var cliDocExamples = []struct {
	block    string
	args     []string
	wantCode int
}{
	{"accordctl validate help", []string{"validate", "--help"}, ExitOK},
	{"accordctl validate text", []string{"validate", "context/portfolio.yaml", "invalid/cel-range-min-above-max.yaml", "invalid/portfolio-dangling-kpi.yaml", "invalid/strict-unused-kpi.yaml"}, ExitFindings},
	{"accordctl validate strict", []string{"validate", "--strict", "context/portfolio.yaml", "invalid/strict-unused-kpi.yaml"}, ExitFindings},
	{"accordctl validate json", []string{"validate", "-o", "json", "invalid/enum-decision.yaml"}, ExitFindings},
	{"accordctl validate usage", []string{"validate", "-o", "yaml", "context"}, ExitUsage},
}

// TestCLIDocShowsRealOutput keeps the examples of docs/cli.md equal to
// what accordctl prints, exit code included.
func TestCLIDocShowsRealOutput(t *testing.T) {
	doc := diffReadFile(t, validateDoc)
	docPath, err := filepath.Abs(validateDoc)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("testdata") // so the paths in the output are short
	blocks := map[string]string{}
	for _, ex := range cliDocExamples {
		var out, errb strings.Builder
		code := Execute(append([]string{"accordctl"}, ex.args...), Streams{In: strings.NewReader(""), Out: &out, Err: &errb})
		if code != ex.wantCode {
			t.Fatalf("accordctl %s: exit %d, want %d\n%s%s", strings.Join(ex.args, " "), code, ex.wantCode, out.String(), errb.String())
		}
		var b strings.Builder
		fmt.Fprintf(&b, "```console\n$ accordctl %s\n%s%s", strings.Join(ex.args, " "), out.String(), errb.String())
		if code != ExitOK {
			fmt.Fprintf(&b, "$ echo $?\n%d\n", code)
		}
		b.WriteString("```\n")
		blocks[ex.block] = b.String()
	}
	if *updateDocs {
		for name, content := range blocks {
			doc = replaceDocBlock(t, doc, name, content)
		}
		if err := os.WriteFile(docPath, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range blocks {
		if got := docBlock(t, doc, name); got != content {
			t.Errorf("docs/cli.md block %q is stale; run: %s\n--- doc\n%s\n--- accordctl\n%s", name, validateDocRegenerate, got, content)
		}
	}
}

// validateInvocation finds accordctl validate commands in docs and CI
// examples, up to a comment, pipe, redirection or closing backquote.
var validateInvocation = regexp.MustCompile("(?:accordctl|kubectl accord) validate([^#|>\\n`]*)")

var docMarker = regexp.MustCompile(`<!--.*-->`)

// Every accordctl validate shown to users must run: each flag it passes
// exists.
func TestDocsInvokeValidateWithRealFlags(t *testing.T) {
	docs, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files := append([]string{"../../README.md", "../../docs/examples/accord-pr.yaml"}, docs...)
	flags := newValidateCmd(Streams{}).Flags()
	seen := 0
	for _, f := range files {
		// The block markers of generated examples name commands too.
		text := docMarker.ReplaceAllString(diffReadFile(t, f), "")
		for _, m := range validateInvocation.FindAllStringSubmatch(text, -1) {
			seen++
			for tok := range strings.FieldsSeq(m[1]) {
				name, _, _ := strings.Cut(strings.TrimLeft(tok, "-"), "=")
				switch {
				case !strings.HasPrefix(tok, "-") || tok == "-" || tok == "--" || name == "help" || name == "h":
				case strings.HasPrefix(tok, "--") && flags.Lookup(name) == nil,
					!strings.HasPrefix(tok, "--") && (len(name) != 1 || flags.ShorthandLookup(name) == nil):
					t.Errorf("%s: %q passes %s, which accordctl validate does not have", f, strings.TrimSpace(m[0]), tok)
				}
			}
		}
	}
	if seen < 3 {
		t.Errorf("found only %d accordctl validate invocations in the docs", seen)
	}
}
