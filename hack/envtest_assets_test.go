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

// Package hack_test checks hack/envtest-assets.sh: it must only ever hand
// out binaries it built completely, and fail clearly otherwise.
package hack_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const fakeVersion = "0.0.0-test"

// run runs the script with a private cache and no KUBEBUILDER_ASSETS. The
// module proxy is switched off so that any attempt to build fails fast
// instead of compiling Kubernetes.
func run(t *testing.T, cache string, extraEnv []string, args ...string) (string, string, error) {
	t.Helper()
	cmd := exec.Command("./envtest-assets.sh", args...)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KUBEBUILDER_ASSETS=") {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "ACCORD_K8S_CACHE="+cache, "K8S_VERSION="+fakeVersion, "GOPROXY=off", "GOFLAGS=-mod=mod")
	cmd.Env = append(cmd.Env, extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return strings.TrimSpace(stdout.String()), stderr.String(), err
}

// fakeBinary writes an executable shell script that answers --version.
func fakeBinary(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho "+name+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func sum(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestCompleteCacheIsUsedWithoutBuilding(t *testing.T) {
	cache := t.TempDir()
	dir := filepath.Join(cache, fakeVersion)
	var manifest strings.Builder
	for _, n := range []string{"kube-apiserver", "etcd"} {
		fmt.Fprintf(&manifest, "%s %s\n", sum(t, fakeBinary(t, dir, n)), n)
	}
	if err := os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(manifest.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(t, cache, nil)
	if err != nil {
		t.Fatalf("want success from a complete cache, got %v: %s", err, stderr)
	}
	if out != dir {
		t.Errorf("printed %q, want %q", out, dir)
	}
	// Safe to run twice: the second run gives the same answer.
	if out2, _, err := run(t, cache, nil); err != nil || out2 != out {
		t.Errorf("second run: %q, %v", out2, err)
	}
}

func TestKubebuilderAssetsWinsWhenComplete(t *testing.T) {
	assets := t.TempDir()
	fakeBinary(t, assets, "kube-apiserver")
	fakeBinary(t, assets, "etcd")
	out, stderr, err := run(t, t.TempDir(), []string{"KUBEBUILDER_ASSETS=" + assets})
	if err != nil || out != assets {
		t.Fatalf("want %q, got %q, %v: %s", assets, out, err, stderr)
	}
}

func TestUntrustedBinariesAreNeverHandedOut(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{"binary left by an interrupted build, no manifest", func(t *testing.T, dir string) {
			fakeBinary(t, dir, "kube-apiserver")
			fakeBinary(t, dir, "etcd")
		}},
		{"binary replaced after its checksum was recorded", func(t *testing.T, dir string) {
			p := fakeBinary(t, dir, "kube-apiserver")
			good := sum(t, p)
			e := fakeBinary(t, dir, "etcd")
			manifest := fmt.Sprintf("%s kube-apiserver\n%s etcd\n", good, sum(t, e))
			if err := os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("#!/bin/sh\necho truncated\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
		{"half-written output of a killed build", func(t *testing.T, dir string) {
			fakeBinary(t, filepath.Join(dir, ".build.abc123", "out"), "kube-apiserver")
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cache := t.TempDir()
			dir := filepath.Join(cache, fakeVersion)
			tc.setup(t, dir)
			out, stderr, err := run(t, cache, nil)
			if err == nil {
				t.Fatalf("untrusted cache was used: printed %q", out)
			}
			if out != "" {
				t.Errorf("printed an assets folder %q despite failing", out)
			}
			if !strings.Contains(stderr, "envtest-assets: error:") {
				t.Errorf("want a clear error, got: %s", stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, ".build.abc123")); !os.IsNotExist(err) {
				t.Errorf("leftover build folder was not removed")
			}
			if b, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS")); err == nil && strings.Contains(string(b), "etcd") && tc.name != "binary replaced after its checksum was recorded" {
				t.Errorf("a failed build recorded checksums: %s", b)
			}
		})
	}
}

func TestUnwritableCacheFailsClearly(t *testing.T) {
	// A path below a regular file cannot be created, even by root.
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, err := run(t, filepath.Join(file, "cache"), nil)
	if err == nil || out != "" {
		t.Fatalf("want failure and no output, got %q, %v", out, err)
	}
	for _, want := range []string{"cannot create cache folder", "ACCORD_K8S_CACHE", "KUBEBUILDER_ASSETS"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message %q lacks %q", stderr, want)
		}
	}
}

func TestUnknownComponentIsRefused(t *testing.T) {
	_, stderr, err := run(t, t.TempDir(), nil, "kube-scheduler")
	if err == nil || !strings.Contains(stderr, `unknown component "kube-scheduler"; allowed: kube-apiserver, etcd, kubectl`) {
		t.Fatalf("want a refusal naming the allowed components, got %v: %s", err, stderr)
	}
}
