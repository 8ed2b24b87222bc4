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

package krewcheck

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
)

const manifest = "../../../plugins/accord.yaml"

// render fills the template as krew-release-bot does for tag: the
// archive's address and its sha256. There is no release archive here, so
// the sha256 is that of the address: a well-formed digest, which is what
// the structural validation can check.
func render(t *testing.T, src, tag string) string {
	t.Helper()
	tpl, err := template.New("accord.yaml").Funcs(template.FuncMap{
		"addURIAndSha": func(uri, tag string) string {
			uri = strings.ReplaceAll(uri, "{{ .TagName }}", tag)
			sum := sha256.Sum256([]byte(uri))
			return "uri: " + uri + "\n      sha256: " + hex.EncodeToString(sum[:])
		},
	}).Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	var b strings.Builder
	if err := tpl.Execute(&b, map[string]string{"TagName": tag}); err != nil {
		t.Fatalf("%s: %v", manifest, err)
	}
	return b.String()
}

// validate runs krew's own validate-krew-manifest (a go.mod tool) on the
// manifest text, without installing (there are no archives to download).
func validate(t *testing.T, text string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "accord.yaml") // krew wants <plugin name>.yaml
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("go", "tool", "validate-krew-manifest", "-manifest", p, "-skip-install").CombinedOutput()
	return string(out), err
}

// TestKrewManifestPassesKrewsValidation renders plugins/accord.yaml for a
// release and validates it with krew's validation (name, version,
// descriptions, every platform's URI, sha256, binary, selector, no two
// selectors matching one platform), and checks that a broken manifest is
// refused, so the check can fail.
func TestKrewManifestPassesKrewsValidation(t *testing.T) {
	b, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	text := render(t, string(b), "v0.1.0")
	out, err := validate(t, text)
	if err != nil {
		t.Fatalf("krew refuses plugins/accord.yaml: %v\n%s\n%s", err, out, text)
	}
	if !strings.Contains(out, "structural validation OK") || !strings.Contains(out, "no overlapping spec.platform[].selector") {
		t.Errorf("validate-krew-manifest did not report its checks:\n%s", out)
	}
	for _, broken := range []struct{ name, from, to string }{
		{"a version that is not semver", "version: v0.1.0", "version: 0.1"},
		{"two platforms for linux/amd64", "{os: linux, arch: arm64}", "{os: linux, arch: amd64}"},
		{"no binary", "bin: kubectl-accord.exe", "bin: \"\""},
	} {
		if !strings.Contains(text, broken.from) {
			t.Fatalf("%s: %q not in the manifest", broken.name, broken.from)
		}
		if out, err := validate(t, strings.Replace(text, broken.from, broken.to, 1)); err == nil {
			t.Errorf("krew accepts a manifest with %s:\n%s", broken.name, out)
		}
	}
}
