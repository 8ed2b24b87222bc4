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

package crd

import (
	"os"
	"path/filepath"
	"testing"
)

// The binary must carry every CRD `make manifests` writes, and nothing else.
func TestDefinitionsAreEveryGeneratedFile(t *testing.T) {
	crds, err := Definitions()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("bases", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(crds) != len(files) || len(files) == 0 {
		t.Fatalf("embedded %d CRDs, bases/ holds %d files", len(crds), len(files))
	}
	for i, c := range crds {
		want := filepath.Base(files[i])
		if got := c.Spec.Group + "_" + c.Spec.Names.Plural + ".yaml"; got != want {
			t.Errorf("CRD %d is %s, file is %s", i, got, want)
		}
		data, err := os.ReadFile(files[i])
		if err != nil || len(data) == 0 {
			t.Errorf("read %s: %v", files[i], err)
		}
		if len(c.Spec.Versions) == 0 || c.Spec.Versions[0].Schema == nil {
			t.Errorf("%s has no schema", c.Name)
		}
	}
}
