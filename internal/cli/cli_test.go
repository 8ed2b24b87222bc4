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
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateTrees = flag.Bool("update-trees", false, "rewrite the expected trees in testdata from what accordctl prints")

// run runs accordctl with args and returns its output and exit code.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Execute(append([]string{"accordctl"}, args...), Streams{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return out.String(), errOut.String(), code
}

// golden compares got with testdata/name, or rewrites it with -update-trees.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateTrees {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update-trees to accept, then review the diff):\n%s", path, firstDifference(string(want), got))
	}
}

// firstDifference shows the first line where two texts differ.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n want: %s\n  got: %s", i+1, wl, gl)
		}
	}
	return "(no difference)"
}

func TestHelpNamesTheCommandAsTyped(t *testing.T) {
	for _, c := range []struct{ argv0, usage string }{
		{"/usr/local/bin/accordctl", "Usage:\n  accordctl status [flags]\n"},
		{"/home/me/bin/kubectl-accord", "Usage:\n  kubectl accord status [flags]\n"},
	} {
		t.Run(c.argv0, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Execute([]string{c.argv0, "status", "--help"}, Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
			if code != ExitOK || !strings.Contains(out.String(), c.usage) {
				t.Errorf("exit %d; help lacks %q:\n%s", code, c.usage, out.String())
			}
		})
	}
}
