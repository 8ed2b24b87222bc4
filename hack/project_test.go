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
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// projectFile is the part of kubebuilder's PROJECT file (config version 3)
// that says something about the tree.
type projectFile struct {
	Version     string   `json:"version"`
	Domain      string   `json:"domain"`
	ProjectName string   `json:"projectName"`
	Layout      []string `json:"layout"`
	Repo        string   `json:"repo"`
	Resources   []struct {
		API *struct {
			CRDVersion string `json:"crdVersion"`
			Namespaced bool   `json:"namespaced"`
		} `json:"api"`
		Controller bool   `json:"controller"`
		Domain     string `json:"domain"`
		Group      string `json:"group"`
		Kind       string `json:"kind"`
		Path       string `json:"path"`
		Version    string `json:"version"`
	} `json:"resources"`
}

// TestProjectFileIsTrueToTheTree keeps PROJECT honest: every resource it
// lists has its Go type, its generated CRD with the same scope, and (when it
// says controller: true) its reconciler; every CRD is listed; and the
// deviations from go/v4 that PROJECT's comments describe still hold.
func TestProjectFileIsTrueToTheTree(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "PROJECT"))
	if err != nil {
		t.Fatal(err)
	}
	var project projectFile
	if err := yaml.UnmarshalStrict(raw, &project); err != nil {
		t.Fatalf("PROJECT: %v", err)
	}
	if project.Version != "3" || !slices.Equal(project.Layout, []string{"go.kubebuilder.io/v4"}) {
		t.Errorf("PROJECT: version %q layout %q; docs/architecture.md explains version 3 with layout go.kubebuilder.io/v4", project.Version, project.Layout)
	}
	if project.Repo != modulePath {
		t.Errorf("PROJECT: repo %q, go.mod's module is %q", project.Repo, modulePath)
	}

	types := apiTypes(t)
	crds := generatedCRDs(t)
	listed := map[string]bool{}
	for _, r := range project.Resources {
		listed[r.Kind] = true
		if r.Path != modulePath+"/api/"+r.Version {
			t.Errorf("PROJECT: %s path %q, want %q", r.Kind, r.Path, modulePath+"/api/"+r.Version)
		}
		if r.Domain != project.Domain {
			t.Errorf("PROJECT: %s domain %q, project domain %q", r.Kind, r.Domain, project.Domain)
		}
		if !types[r.Kind] {
			t.Errorf("PROJECT lists %s, but api/%s declares no type %s", r.Kind, r.Version, r.Kind)
		}
		if r.API != nil {
			crd, ok := crds[r.Kind]
			switch {
			case !ok:
				t.Errorf("PROJECT lists %s with an API, but config/crd/bases has no CRD for it", r.Kind)
			case crd.Spec.Group != r.Group+"."+r.Domain:
				t.Errorf("PROJECT: %s group %s.%s, its CRD's group is %s", r.Kind, r.Group, r.Domain, crd.Spec.Group)
			case (crd.Spec.Scope == apiextensionsv1.NamespaceScoped) != r.API.Namespaced:
				t.Errorf("PROJECT: %s namespaced %v, its CRD's scope is %s", r.Kind, r.API.Namespaced, crd.Spec.Scope)
			case !slices.ContainsFunc(crd.Spec.Versions, func(v apiextensionsv1.CustomResourceDefinitionVersion) bool { return v.Name == r.Version }):
				t.Errorf("PROJECT: %s version %s, its CRD serves no such version", r.Kind, r.Version)
			}
		}
		reconciler := filepath.Join("..", "controllers", strings.ToLower(r.Kind)+"_controller.go")
		if _, err := os.Stat(reconciler); r.Controller != (err == nil) {
			t.Errorf("PROJECT: %s controller: %v, but %s exists: %v", r.Kind, r.Controller, reconciler, err == nil)
		}
	}
	for kind := range crds {
		if !listed[kind] {
			t.Errorf("config/crd/bases has a CRD for %s, which PROJECT does not list", kind)
		}
	}

	// The two deviations from go/v4 that PROJECT's comments name. When the
	// tree moves to the layout's own conventions, the comments go too.
	for path, want := range map[string]bool{
		"cmd/main.go":           false,
		"internal/controller":   false,
		"cmd/manager/main.go":   true,
		"cmd/accordctl/main.go": true,
		"controllers":           true,
	} {
		_, err := os.Stat(filepath.Join("..", path))
		if (err == nil) != want {
			t.Errorf("%s exists: %v; PROJECT's comments and docs/architecture.md say %v", path, err == nil, want)
		}
	}
}

// apiTypes returns the names of the struct types declared in api/v1alpha1.
func apiTypes(t *testing.T) map[string]bool {
	t.Helper()
	fset := token.NewFileSet()
	dir := filepath.Join("..", "api", "v1alpha1")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.TYPE {
				continue
			}
			for _, s := range g.Specs {
				if ts := s.(*ast.TypeSpec); isStruct(ts) {
					types[ts.Name.Name] = true
				}
			}
		}
	}
	return types
}

func isStruct(ts *ast.TypeSpec) bool {
	_, ok := ts.Type.(*ast.StructType)
	return ok
}

// generatedCRDs returns the CRDs `make manifests` wrote, by kind.
func generatedCRDs(t *testing.T) map[string]apiextensionsv1.CustomResourceDefinition {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no CRDs in config/crd/bases: %v", err)
	}
	crds := map[string]apiextensionsv1.CustomResourceDefinition{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(raw, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		crds[crd.Spec.Names.Kind] = crd
	}
	return crds
}
