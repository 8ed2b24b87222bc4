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
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestDockerfileCopiesEverythingTheManagerImports keeps the Dockerfile's
// COPY lines in step with the code: the image cannot be built on these
// machines, so a new top-level package the manager imports would otherwise
// break the first real image build.
func TestDockerfileCopiesEverythingTheManagerImports(t *testing.T) {
	df, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	copied := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^COPY ([a-z]+)/ [a-z]+/$`).FindAllStringSubmatch(string(df), -1) {
		copied[m[1]] = true
	}
	const module = "github.com/accord-dev/accord/"
	out, err := exec.Command("go", "list", "-deps", "../cmd/manager").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for pkg := range strings.FieldsSeq(string(out)) {
		rest, ok := strings.CutPrefix(pkg, module)
		if !ok {
			continue
		}
		if top, _, _ := strings.Cut(rest, "/"); !copied[top] {
			t.Errorf("the manager imports %s but the Dockerfile does not COPY %s/", pkg, top)
		}
	}
	for _, want := range []string{"FROM gcr.io/distroless/static", "USER 65532:65532", "CGO_ENABLED=0", "AS manager-with-git", "install -y --no-install-recommends git"} {
		if !strings.Contains(string(df), want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// The default image (the last stage) is distroless; the one with git
	// for the dashboard's forms is a named target before it.
	stages := regexp.MustCompile(`(?m)^FROM (\S+)`).FindAllStringSubmatch(string(df), -1)
	if last := stages[len(stages)-1][1]; !strings.HasPrefix(last, "gcr.io/distroless/static") {
		t.Errorf("the last stage (the default image) is FROM %s, want distroless", last)
	}
}
