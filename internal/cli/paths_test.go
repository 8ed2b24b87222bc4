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
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// copySamplesInto copies config/samples into dir/repo and returns that path.
func copySamplesInto(t *testing.T, dir string) string {
	t.Helper()
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(samples)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(samples, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return repo
}

// tree lists every file and folder under dir.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	if err := filepath.WalkDir(dir, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out = append(out, p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// Issue 18, test 11: a KPI named ../../x in files read offline cannot make
// accordctl report write outside --output-dir: it is refused and nothing
// is written at all.
func TestReportRefusesNamesThatWouldWriteOutsideTheOutputDir(t *testing.T) {
	dir := t.TempDir()
	repo := copySamplesInto(t, dir)
	file := filepath.Join(repo, "valley-integrated-care.yaml")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "vicn-readmission-rate-30d") {
		t.Fatal("the sample KPI to rename is gone")
	}
	if err := os.WriteFile(file, []byte(strings.ReplaceAll(string(data), "vicn-readmission-rate-30d", `"../../x"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "a", "b", "out")
	before := tree(t, dir)
	stdout, errOut, code := run(t, "", "report", samplePack, repo, "--now", nov25, "-o", out)
	if code != ExitUsage || !strings.Contains(errOut, `KPI name "../../x" is not a Kubernetes object name`) {
		t.Fatalf("exit %d, stderr %q; want exit %d naming the KPI", code, errOut, ExitUsage)
	}
	if after := tree(t, dir); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Fatalf("files were written:\nbefore %v\nafter  %v\n%s", before, after, stdout)
	}
}

// Issue 18, test 11: a symbolic link in the repository to a file outside
// it is not read (evaluate says so and judges the rest; report writes
// nothing), while a link within the repository is read as before.
func TestSymlinksOutOfTheRepositoryAreNeverRead(t *testing.T) {
	dir := t.TempDir()
	repo := copySamplesInto(t, dir)
	outside := filepath.Join(dir, "runner-secrets.yaml")
	if err := os.WriteFile(outside, []byte(`apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: read-from-outside}
spec: {type: Reported}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(repo, "zz-outside.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(repo, ".shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	// A link within the repository, to a folder the walk skips (hidden), so
	// the source is read through the link only.
	inside := filepath.Join(repo, ".shared", "extra-source.yaml")
	if err := os.WriteFile(inside, []byte(`apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: linked-inside}
spec: {type: Reported}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(".shared", "extra-source.yaml"), filepath.Join(repo, "zz-inside.yaml")); err != nil {
		t.Fatal(err)
	}
	stdout, errOut, code := run(t, "", "evaluate", repo, "--now", nov25)
	if code != ExitFindings || !strings.Contains(errOut, "zz-outside.yaml: a symbolic link to a file outside "+repo+"; not read") {
		t.Fatalf("exit %d, stderr %q; want the outside link named", code, errOut)
	}
	if strings.Contains(stdout, "read-from-outside") {
		t.Fatalf("the file outside the repository was read:\n%s", stdout)
	}
	if !strings.Contains(stdout, "MetricSource/linked-inside") {
		t.Fatalf("the link within the repository was not read:\n%s", stdout)
	}
	out := filepath.Join(dir, "out")
	if _, errOut, code := run(t, "", "report", samplePack, repo, "--now", nov25, "-o", out); code != ExitUsage || !strings.Contains(errOut, "not read") {
		t.Fatalf("report: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("report wrote %s: %v", out, err)
	}
}
