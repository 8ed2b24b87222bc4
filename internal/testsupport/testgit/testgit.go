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

// Package testgit builds real git repositories in temporary directories
// for tests: files written, commits made and refs set with the git
// command, isolated from the user's and the system's git configuration.
package testgit

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a git work tree in a test's temporary directory.
type Repo struct {
	t   testing.TB
	Dir string
}

// Init creates an empty repository whose first branch is main.
func Init(t testing.TB) *Repo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatalf("git is required: %v", err)
	}
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "--quiet", "--initial-branch=main")
	return r
}

// Git runs git in the repository and returns its trimmed output; a
// failure fails the test.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	return r.gitAt("2026-12-01T10:00:00Z", args...)
}

// gitAt runs git with author and committer dates set to date.
func (r *Repo) gitAt(date string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.Dir}, args...)...)
	home := filepath.Join(r.Dir, ".git", "test-home")
	cmd.Env = append(os.Environ(),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+home,
		"GIT_AUTHOR_NAME=Accord Test", "GIT_AUTHOR_EMAIL=test@accord.example",
		"GIT_COMMITTER_NAME=Accord Test", "GIT_COMMITTER_EMAIL=test@accord.example",
		"GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes a file at a path relative to the work tree.
func (r *Repo) Write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.Dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Read returns a file of the work tree.
func (r *Repo) Read(name string) string {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(name)))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(b)
}

// Replace replaces old by new in a file of the work tree, failing the test
// unless old occurs exactly once, so an edit never silently does nothing.
func (r *Repo) Replace(name, old, new string) {
	r.t.Helper()
	s := r.Read(name)
	if n := strings.Count(s, old); n != 1 {
		r.t.Fatalf("%s: %q occurs %d times, want 1", name, old, n)
	}
	r.Write(name, strings.Replace(s, old, new, 1))
}

// CopyDir copies the files of a directory (e.g. config/samples) into the
// work tree at dst.
func (r *Repo) CopyDir(src, dst string) {
	r.t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		r.Write(filepath.ToSlash(filepath.Join(dst, rel)), string(b))
		return nil
	})
	if err != nil {
		r.t.Fatalf("copy %s: %v", src, err)
	}
}

// Commit stages everything and commits it, returning the commit id.
func (r *Repo) Commit(message string) string {
	r.t.Helper()
	r.Git("add", "--all")
	r.Git("commit", "--quiet", "--allow-empty", "--no-gpg-sign", "-m", message)
	return r.Git("rev-parse", "HEAD")
}

// CommitAt is Commit with the commit dated date (RFC 3339), for tests of
// history by date; Commit dates every commit 2026-12-01T10:00:00Z.
func (r *Repo) CommitAt(message, date string) string {
	r.t.Helper()
	r.Git("add", "--all")
	r.gitAt(date, "commit", "--quiet", "--allow-empty", "--no-gpg-sign", "-m", message)
	return r.Git("rev-parse", "HEAD")
}
