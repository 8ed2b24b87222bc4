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

package localeval

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"
)

// crdDefaultsFromSchema walks a CRD schema and collects every default by
// field path, in the notation of crdDefaults.
func crdDefaultsFromSchema(t *testing.T, path string, s apiextensionsv1.JSONSchemaProps, out map[string]any) {
	t.Helper()
	if s.Default != nil {
		var v any
		if err := yaml.Unmarshal(s.Default.Raw, &v); err != nil {
			t.Fatalf("default at %s: %v", path, err)
		}
		if f, ok := v.(float64); ok && f == float64(int64(f)) {
			v = int64(f)
		}
		out[path] = v
	}
	for name, p := range s.Properties {
		child := name
		if path != "" {
			child = path + "." + name
		}
		crdDefaultsFromSchema(t, child, p, out)
	}
	if s.Items != nil && s.Items.Schema != nil {
		crdDefaultsFromSchema(t, path+"[]", *s.Items.Schema, out)
	}
}

func TestDefaultsTableEqualsTheDefaultsInTheCRDs(t *testing.T) {
	files, err := filepath.Glob("../../../config/crd/bases/*.yaml")
	if err != nil || len(files) != 6 {
		t.Fatalf("want the 6 CRDs in config/crd/bases, found %v (%v)", files, err)
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		crd := &apiextensionsv1.CustomResourceDefinition{}
		if err := yaml.Unmarshal(raw, crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		kind := crd.Spec.Names.Kind
		got := map[string]any{}
		for _, v := range crd.Spec.Versions {
			crdDefaultsFromSchema(t, "", *v.Schema.OpenAPIV3Schema, got)
		}
		want := crdDefaults[kind]
		if want == nil {
			want = map[string]any{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the CRD's defaults are\n  %v\nbut crdDefaults holds\n  %v\nupdate crdDefaults in defaults.go", kind, got, want)
		}
	}
}
