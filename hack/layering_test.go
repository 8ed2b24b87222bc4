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

package hack_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// modulePath is the module every rule below speaks about; imports outside it
// (the standard library, Kubernetes, ...) are not the layering test's concern.
const modulePath = "github.com/accord-dev/accord"

// A layerRule pins one edge of the architecture. Paths are relative to the
// module and name a package and everything below it ("internal/sources"
// covers internal/sources/fhir too). Only non-test code counts: a _test.go
// file may reach anything (that is how envtest suites use test support).
//
// docs/architecture.md's layout table says the same in words; change both
// together.
type layerRule struct {
	// name says the rule in one line; it names the subtest.
	name string
	// why is the reason, printed with every violation.
	why string
	// from selects the importing packages the rule applies to.
	from []string
	// except takes packages back out of from.
	except []string
	// deny lists what those packages must not import.
	deny []string
	// allowOnly, when set, is the complete list of what they may import
	// (besides themselves and the packages below them).
	allowOnly []string
	// transitive checks every package reached through imports, not only
	// the direct ones: "never ends up in the binary", not just "never
	// written in an import line".
	transitive bool
}

// layerRules are the architecture, decided from the import graph
// (`go list -f '{{.ImportPath}}: {{.Imports}}' ./...`) so that each holds
// today, with the reason it should keep holding.
var layerRules = []layerRule{
	{
		name:      "internal/evaluate imports nothing of the module",
		why:       "the evaluation engine is pure (values, dates and an injected clock in, verdicts out), so the operator and the CLI judge alike and it is tested without a cluster",
		from:      []string{"internal/evaluate"},
		allowOnly: []string{"internal/evaluate"},
	},
	{
		name:       "api/ imports nothing of the module outside api/",
		why:        "the API types are what other programs (kubectl plugins, Argo CD health checks, other operators) import; they must not pull in the operator, and controller-gen reads them on their own",
		from:       []string{"api"},
		allowOnly:  []string{"api"},
		transitive: true,
	},
	{
		name:       "config/ packages import nothing of the module",
		why:        "they only embed the shipped manifests (CRDs, Argo CD health checks) for the packages that check them, so they sit below everything",
		from:       []string{"config"},
		allowOnly:  []string{"config"},
		transitive: true,
	},
	{
		name:       "operator packages never import CLI packages",
		why:        "the manager reads the cluster, not files: diff, report and the commands stay out of the operator's image; the CLI builds on the operator's engine, not the other way round",
		from:       []string{"controllers", "internal/manager", "internal/sources", "internal/assess", "internal/dashboard", "cmd/manager"},
		deny:       []string{"internal/cli", "cmd/accordctl"},
		transitive: true,
	},
	{
		name:       "the reconcilers and sources never reach the portfolio's files",
		why:        "they judge what is in the cluster; the file model comes into the manager only through the dashboard's forms, which propose changes to the repository",
		from:       []string{"controllers", "internal/sources", "internal/assess"},
		deny:       []string{"internal/portfolio"},
		transitive: true,
	},
	{
		name: "the dashboard reaches the portfolio's files only through the record library",
		why:  "its forms make the change accordctl record makes, through one code path (internal/portfolio/record and the git in propose), not a second copy of the editing rules",
		from: []string{"internal/dashboard", "internal/manager", "cmd/manager"},
		// What the operator's top packages import directly.
		allowOnly: []string{"api", "internal/evaluate", "internal/views", "internal/portfolio/record", "internal/portfolio/propose",
			"internal/dashboard", "internal/manager", "internal/sources", "internal/assess", "controllers", "config"},
	},
	{
		name:       "CLI packages never import the reconcilers or the manager",
		why:        "accordctl judges files offline with the same engine (evaluate, assess, sources) but never starts controllers or a manager",
		from:       []string{"internal/cli", "internal/portfolio", "cmd/accordctl"},
		deny:       []string{"controllers", "internal/manager", "internal/dashboard"},
		transitive: true,
	},
	{
		name:       "internal/portfolio never imports internal/cli",
		why:        "the portfolio read from files is a model the commands, the bench and the tests share; the commands sit on top of it",
		from:       []string{"internal/portfolio"},
		deny:       []string{"internal/cli", "cmd"},
		transitive: true,
	},
	{
		name: "views import only the API, the engine and assess",
		why:  "charts and snapshots are drawn once for both the dashboard and the CLI's report, so they depend on neither",
		from: []string{"internal/views"},
		// internal/sources comes in through assess (a source's failure
		// reasons are part of a KPI's status).
		allowOnly:  []string{"api", "internal/evaluate", "internal/assess", "internal/views", "internal/sources"},
		transitive: true,
	},
	{
		name:       "only internal/sources/registry imports the providers",
		why:        "a provider (Prometheus, HTTP JSON, FHIR) is registered in one place; the fetcher, reconcilers and CLI know sources only through internal/sources' interface",
		from:       []string{""},
		except:     []string{"internal/sources/registry", "internal/sources/fhir", "internal/sources/httpjson", "internal/sources/prometheus", "internal/testsupport", "test"},
		deny:       []string{"internal/sources/fhir", "internal/sources/httpjson", "internal/sources/prometheus"},
		transitive: false,
	},
	{
		name:      "providers import only the API, the engine and internal/sources",
		why:       "a provider turns one answer into observations; it never reaches the fetcher's callers (assess, controllers) or another provider",
		from:      []string{"internal/sources/fhir", "internal/sources/httpjson", "internal/sources/prometheus"},
		allowOnly: []string{"api", "internal/evaluate", "internal/sources"},
		// allowOnly covers internal/sources' sub-packages too; these are the
		// ones a provider must still not reach.
		deny: []string{"internal/sources/fhir", "internal/sources/httpjson", "internal/sources/prometheus", "internal/sources/registry", "internal/sources/sourcestest"},
	},
	{
		name:       "the reconcilers and the manager are imported only by their assembly and tests",
		why:        "controllers/ and internal/manager are the top of the operator: the libraries below them (assess, sources, evaluate, dashboard, views) must not reach up",
		from:       []string{""},
		except:     []string{"controllers", "internal/manager", "cmd/manager", "internal/testsupport", "test", "hack/bench"},
		deny:       []string{"controllers", "internal/manager"},
		transitive: false,
	},
	{
		name:       "nothing outside test support imports test support",
		why:        "test servers, fixtures and envtest start-up must never ship in the manager or accordctl; hack/bench is the benchmark harness's main and counts as test support",
		from:       []string{""},
		except:     []string{"internal/testsupport", "internal/sources/sourcestest", "test", "hack/bench"},
		deny:       []string{"internal/testsupport", "internal/sources/sourcestest", "test"},
		transitive: true,
	},
	{
		name:       "only hack/demosources imports internal/demodata",
		why:        "the made-up live sources of `make demo` must never reach the operator or the CLI",
		from:       []string{""},
		except:     []string{"internal/demodata", "hack/demosources"},
		deny:       []string{"internal/demodata"},
		transitive: true,
	},
	{
		name:       "internal/packaging is imported by tools, not by the binaries",
		why:        "it builds and checks what is shipped (kustomize trees, Argo CD and Grafana files) for tests and hack/ generators; the manager and accordctl do not read their own packaging",
		from:       []string{"cmd", "controllers", "internal"},
		except:     []string{"internal/packaging", "internal/testsupport"},
		deny:       []string{"internal/packaging"},
		transitive: true,
	},
}

// pkg is the part of `go list -json` the rules read.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// within reports whether rel (a module-relative path) is prefix or below it;
// the empty prefix is the whole module.
func within(rel, prefix string) bool {
	return prefix == "" || rel == prefix || strings.HasPrefix(rel, prefix+"/")
}

func withinAny(rel string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return within(rel, p) })
}

// relative returns the module-relative path of an import path, and false
// for anything outside the module.
func relative(importPath string) (string, bool) {
	if importPath == modulePath {
		return "", true
	}
	rel, ok := strings.CutPrefix(importPath, modulePath+"/")
	return rel, ok
}

// violations lists every import in pkgs that breaks rule, as
// "importer imports imported" lines.
func violations(rule layerRule, pkgs []pkg) []string {
	var out []string
	for _, p := range pkgs {
		from, ok := relative(p.ImportPath)
		if !ok || !withinAny(from, rule.from) || withinAny(from, rule.except) {
			continue
		}
		imports := p.Imports
		if rule.transitive {
			imports = p.Deps
		}
		for _, imp := range imports {
			to, ok := relative(imp)
			if !ok {
				continue
			}
			bad := withinAny(to, rule.deny)
			if rule.allowOnly != nil && !withinAny(to, rule.allowOnly) {
				bad = true
			}
			if bad {
				out = append(out, fmt.Sprintf("%s imports %s", from, to))
			}
		}
	}
	return out
}

// modulePackages runs `go list -json` over the module. go list is the
// compiler's own view of the graph (build tags, _test.go files left out of
// Imports and Deps), so nothing here parses Go.
func modulePackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Deps", "./...")
	cmd.Dir = ".." // the module root; this test runs in hack/
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []pkg
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decoding go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	return pkgs
}

// TestLayering fails when an import crosses a line the architecture draws.
func TestLayering(t *testing.T) {
	pkgs := modulePackages(t)
	for _, rule := range layerRules {
		t.Run(rule.name, func(t *testing.T) {
			for _, v := range violations(rule, pkgs) {
				t.Errorf("%s: %s", v, rule.why)
			}
		})
	}
}

// TestLayeringRulesCatchViolations checks the checker on a made-up graph, so
// TestLayering passing means the tree is clean, not that the rules are
// blind.
func TestLayeringRulesCatchViolations(t *testing.T) {
	m := func(rel string) string { return modulePath + "/" + rel }
	rule := func(name string) layerRule {
		i := slices.IndexFunc(layerRules, func(r layerRule) bool { return r.name == name })
		if i < 0 {
			t.Fatalf("no rule named %q", name)
		}
		return layerRules[i]
	}
	tests := []struct {
		name string
		rule layerRule
		pkgs []pkg
		want []string
	}{
		{
			name: "the engine importing the API is reported",
			rule: rule("internal/evaluate imports nothing of the module"),
			pkgs: []pkg{{ImportPath: m("internal/evaluate"), Imports: []string{"time", m("api/v1alpha1")}}},
			want: []string{"internal/evaluate imports api/v1alpha1"},
		},
		{
			name: "the engine importing the standard library is fine",
			rule: rule("internal/evaluate imports nothing of the module"),
			pkgs: []pkg{{ImportPath: m("internal/evaluate"), Imports: []string{"time", "math"}}},
		},
		{
			name: "an operator package reaching the CLI through another package is reported",
			rule: rule("operator packages never import CLI packages"),
			pkgs: []pkg{{
				ImportPath: m("internal/dashboard"),
				Imports:    []string{m("internal/views/snapshot")},
				Deps:       []string{m("internal/views/snapshot"), m("internal/cli/reviewpack")},
			}},
			want: []string{"internal/dashboard imports internal/cli/reviewpack"},
		},
		{
			name: "a prefix is a folder, not a string prefix",
			rule: rule("operator packages never import CLI packages"),
			pkgs: []pkg{{ImportPath: m("internal/sourcesx"), Deps: []string{m("internal/cli")}}},
		},
		{
			name: "test support imported by production code is reported, by test support it is not",
			rule: rule("nothing outside test support imports test support"),
			pkgs: []pkg{
				{ImportPath: m("internal/manager"), Deps: []string{m("internal/testsupport/testenv")}},
				{ImportPath: m("internal/testsupport/testoperator"), Deps: []string{m("internal/testsupport/testenv")}},
				{ImportPath: m("hack/bench"), Deps: []string{m("test/bench")}},
			},
			want: []string{"internal/manager imports internal/testsupport/testenv"},
		},
		{
			name: "a provider imported outside the registry is reported",
			rule: rule("only internal/sources/registry imports the providers"),
			pkgs: []pkg{
				{ImportPath: m("internal/sources/registry"), Imports: []string{m("internal/sources/fhir")}},
				{ImportPath: m("controllers"), Imports: []string{m("internal/sources/httpjson")}},
			},
			want: []string{"controllers imports internal/sources/httpjson"},
		},
		{
			name: "a provider importing another provider is reported, importing internal/sources is not",
			rule: rule("providers import only the API, the engine and internal/sources"),
			pkgs: []pkg{{ImportPath: m("internal/sources/fhir"), Imports: []string{m("internal/sources"), m("internal/sources/httpjson")}}},
			want: []string{"internal/sources/fhir imports internal/sources/httpjson"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := violations(tt.rule, tt.pkgs)
			if !slices.Equal(got, tt.want) {
				t.Errorf("violations = %q, want %q", got, tt.want)
			}
		})
	}
}

// layoutRow matches a row of docs/architecture.md's layout table: its first
// cell is a folder in backticks.
var layoutRow = regexp.MustCompile("^\\| `([^`]+)` \\|")

// TestArchitectureDocListsEveryPackage keeps the layout table in
// docs/architecture.md complete: every Go package of the module has a row
// of its own (a folder such as `internal/sources/fhir`, or a row for a
// whole tree written `hack/...`).
func TestArchitectureDocListsEveryPackage(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var rows, trees []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if m := layoutRow.FindStringSubmatch(sc.Text()); m != nil {
			row := strings.TrimSuffix(m[1], "/")
			if tree, ok := strings.CutSuffix(row, "/..."); ok {
				trees = append(trees, tree)
				continue
			}
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for _, p := range modulePackages(t) {
		rel, _ := relative(p.ImportPath)
		if !slices.Contains(rows, rel) && !withinAny(rel, trees) {
			t.Errorf("docs/architecture.md's layout table has no row for %s; add one saying what lives there and what it may import", rel)
		}
	}
}
