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
	"errors"
	"io"

	"github.com/accord-dev/accord/internal/cli/portfoliotree"
	"github.com/accord-dev/accord/internal/portfolio"
)

// The values of the commands' -o and --format flags.
const (
	formatText     = "text"
	formatJSON     = "json"
	formatMarkdown = "markdown"
	formatHTML     = "html"
	formatPDF      = "pdf"
)

// treeOutput is the -o flag of the commands that print a portfolio tree.
type treeOutput string

// print writes the tree; text shows namespace headings when asked or when
// the objects span several namespaces.
func (o treeOutput) print(w io.Writer, roots []*portfoliotree.Node, namespaces bool) error {
	if o == formatJSON {
		return portfoliotree.JSON(w, roots)
	}
	for _, r := range roots {
		if r.Namespace != roots[0].Namespace {
			namespaces = true
		}
	}
	return portfoliotree.Text(w, roots, namespaces)
}

// printCoverage writes the portfolios' coverage view (accordctl status
// --coverage, evaluate --coverage) in the format.
func (o treeOutput) printCoverage(w io.Writer, objs *portfolio.Set, namespaces bool) error {
	cs := portfoliotree.Coverages(objs)
	if o == formatJSON {
		return portfoliotree.CoverageJSON(w, cs)
	}
	for _, c := range cs {
		if c.Namespace != cs[0].Namespace {
			namespaces = true
		}
	}
	return portfoliotree.CoverageText(w, cs, namespaces)
}

// String, Set and Type make treeOutput a flag value.
func (o *treeOutput) String() string { return string(*o) }

// Set validates the format as the flag is parsed.
func (o *treeOutput) Set(v string) error {
	switch v {
	case formatText, formatJSON:
		*o = treeOutput(v)
		return nil
	}
	return errors.New("want text or json")
}

// Type names the flag's value in help.
func (o *treeOutput) Type() string { return "format" }
