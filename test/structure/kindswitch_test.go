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

package structure

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

const apiPath = "github.com/accord-dev/accord/api/v1alpha1"

// kindSwitches reports the type switches in a file whose cases name two or
// more Accord kinds: code that does the same thing per kind belongs behind
// an interface of api/v1alpha1 (v1.Object, v1.ConditionGetter, ...), where
// a new kind cannot be forgotten.
func kindSwitches(fset *token.FileSet, f *ast.File, kinds []string) []string {
	var names []string // the names the API package is imported under
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p != apiPath {
			continue
		}
		if imp.Name != nil {
			names = append(names, imp.Name.Name)
		} else {
			names = append(names, "v1alpha1")
		}
	}
	if len(names) == 0 {
		return nil
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		sw, ok := n.(*ast.TypeSwitchStmt)
		if !ok {
			return true
		}
		var named []string
		for _, stmt := range sw.Body.List {
			for _, e := range stmt.(*ast.CaseClause).List {
				if star, ok := e.(*ast.StarExpr); ok {
					e = star.X
				}
				sel, ok := e.(*ast.SelectorExpr)
				if !ok {
					continue
				}
				pkg, ok := sel.X.(*ast.Ident)
				if ok && slices.Contains(names, pkg.Name) && slices.Contains(kinds, sel.Sel.Name) && !slices.Contains(named, sel.Sel.Name) {
					named = append(named, sel.Sel.Name)
				}
			}
		}
		if len(named) >= 2 {
			out = append(out, fmt.Sprintf("%s: type switch over %s", fset.Position(sw.Pos()), strings.Join(named, ", ")))
		}
		return true
	})
	return out
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

func TestNoTypeSwitchOverTheKindsOutsideTheAPI(t *testing.T) {
	kinds := v1.Kinds()
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var found []string
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "testdata" || name == "vendor" || name == "bin" || rel == "api") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		found = append(found, kindSwitches(fset, f, kinds)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d Go files under %s; the walk is wrong", files, root)
	}
	for _, f := range found {
		t.Error(f)
	}
}

// TestKindSwitchesAreFound shows the check can fail: it finds the switches
// this test exists to keep out, under any import name, and leaves alone a
// switch that names one kind.
func TestKindSwitchesAreFound(t *testing.T) {
	kinds := v1.Kinds()
	cases := []struct {
		name, src string
		want      int
	}{
		{"two kinds by pointer", `package p
import v1 "github.com/accord-dev/accord/api/v1alpha1"
func f(o any) { switch o.(type) { case *v1.KPI: case *v1.Objective: } }`, 1},
		{"kinds in one case, default import name", `package p
import "github.com/accord-dev/accord/api/v1alpha1"
func f(o any) { switch x := o.(type) { case *v1alpha1.Review, *v1alpha1.Portfolio: _ = x } }`, 1},
		{"one kind only", `package p
import v1 "github.com/accord-dev/accord/api/v1alpha1"
func f(o any) { switch o.(type) { case *v1.KPI: default: } }`, 0},
		{"same names from another package", `package p
import v1 "example.com/other"
func f(o any) { switch o.(type) { case *v1.KPI: case *v1.Objective: } }`, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "p.go", c.src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			if got := kindSwitches(fset, f, kinds); len(got) != c.want {
				t.Errorf("found %v, want %d", got, c.want)
			}
		})
	}
}
