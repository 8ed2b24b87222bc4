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

package sources

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// reasonConstants reads the Reason constants declared in this package's
// files, name to value.
func reasonConstants(t *testing.T) map[string]Reason {
	t.Helper()
	out := map[string]Reason{}
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "Reason" {
					continue
				}
				for i, n := range vs.Names {
					v, err := strconv.Unquote(vs.Values[i].(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					out[n.Name] = Reason(v)
				}
			}
		}
	}
	return out
}

// returnedReasons finds every reason the code under internal/sources can
// give a failure: the first argument of each Errorf call, in classify,
// the request machinery and every provider.
func returnedReasons(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{} // constant name -> where
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.Ident:
				fn = e.Name
			case *ast.SelectorExpr:
				if x, ok := e.X.(*ast.Ident); ok && x.Name == "sources" {
					fn = e.Sel.Name
				}
			}
			if fn != "Errorf" || len(call.Args) == 0 {
				return true
			}
			where := fset.Position(call.Pos()).String()
			switch a := call.Args[0].(type) {
			case *ast.Ident:
				out[a.Name] = append(out[a.Name], where)
			case *ast.SelectorExpr:
				out[a.Sel.Name] = append(out[a.Sel.Name], where)
			default:
				t.Errorf("%s: Errorf's reason is not a named Reason constant", where)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEveryReasonTheCodeReturnsIsListed(t *testing.T) {
	consts := reasonConstants(t)
	returned := returnedReasons(t)
	if len(returned) < 8 {
		t.Fatalf("found only %d reasons in Errorf calls; the scan is broken", len(returned))
	}
	for name, where := range returned {
		r, ok := consts[name]
		if !ok {
			t.Errorf("%s: Errorf with %s, which is not a Reason constant of package sources", where[0], name)
			continue
		}
		if !KnownReason(r) {
			t.Errorf("%s: reason %s is returned but missing from Reasons", where[0], r)
		}
	}
	for name, r := range consts {
		if !KnownReason(r) {
			t.Errorf("constant %s (%s) is missing from Reasons", name, r)
		}
	}
	if len(Reasons) != len(consts) {
		t.Errorf("Reasons lists %d reasons, the package declares %d", len(Reasons), len(consts))
	}
}

func TestEveryListedReasonIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/sources.md")
	if err != nil {
		t.Fatal(err)
	}
	// The failures table: "| `Reason` | cause |".
	rows := regexp.MustCompile("(?m)^\\| `([A-Za-z]+)` \\|").FindAllStringSubmatch(string(doc), -1)
	documented := make([]Reason, 0, len(rows))
	for _, r := range rows {
		documented = append(documented, Reason(r[1]))
	}
	for _, r := range Reasons {
		if !slices.Contains(documented, r) {
			t.Errorf("reason %s is not in docs/sources.md's table of failures", r)
		}
	}
}
