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

package gittree

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

func TestResolveNamesTheCommitOfEachKindOfRef(t *testing.T) {
	g := testgit.Init(t)
	g.Write("a.yaml", "one\n")
	first := g.Commit("first")
	g.Git("tag", "v1")
	g.Write("a.yaml", "two\n")
	second := g.Commit("second")
	g.Git("update-ref", "refs/remotes/origin/main", first)

	ctx := context.Background()
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ ref, want string }{
		{"HEAD", second}, {"main", second}, {"HEAD~1", first}, {"v1", first},
		{"origin/main", first}, {first[:10], first},
	}
	for _, tc := range cases {
		t.Run(tc.ref, func(t *testing.T) {
			got, err := r.Resolve(ctx, tc.ref)
			if err != nil || got != tc.want {
				t.Errorf("Resolve(%q) = %q, %v; want %q", tc.ref, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"nope", "--output=x", "", "HEAD~5"} {
		t.Run("unknown "+bad, func(t *testing.T) {
			_, err := r.Resolve(ctx, bad)
			if !errors.Is(err, ErrUnknownRef) || !strings.Contains(err.Error(), `"`+bad+`"`) {
				t.Errorf("Resolve(%q) error = %v, want ErrUnknownRef naming the ref", bad, err)
			}
		})
	}
}

func TestResolveOutsideGitSaysSo(t *testing.T) {
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Resolve(context.Background(), "main")
	if !errors.Is(err, ErrNotRepository) || !strings.Contains(err.Error(), dir) {
		t.Errorf("err = %v, want ErrNotRepository naming %s", err, dir)
	}
}

func TestExtractWritesTheKeptFilesOfASubtree(t *testing.T) {
	g := testgit.Init(t)
	g.Write("config/samples/a.yaml", "a: 1\n")
	g.Write("config/samples/deep/b.yml", "b: 2\n")
	g.Write("config/samples/README.md", "not kept\n")
	g.Write("config/other/c.yaml", "outside the path\n")
	if err := os.Symlink("a.yaml", filepath.Join(g.Dir, "config/samples/link.yaml")); err != nil {
		t.Fatal(err)
	}
	commit := g.Commit("tree")
	g.Write("config/samples/a.yaml", "changed in the work tree, not committed\n")

	ctx := context.Background()
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	keep := func(name string) bool { return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") }
	if err := r.Extract(ctx, commit, "./config/samples/", dst, keep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	err = filepath.WalkDir(dst, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dst, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.yaml": "a: 1\n", "deep/b.yml": "b: 2\n"}
	if !reflect.DeepEqual(got, want) {
		names := make([]string, 0, len(got))
		for n := range got {
			names = append(names, n)
		}
		slices.Sort(names)
		t.Errorf("extracted %v = %v, want %v", names, got, want)
	}
}

func TestObjectTypeTellsDirectoriesFilesAndMissingPaths(t *testing.T) {
	g := testgit.Init(t)
	g.Write("config/samples/a.yaml", "a: 1\n")
	commit := g.Commit("tree")
	ctx := context.Background()
	r, err := Open(g.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"": Tree, ".": Tree, "config/samples": Tree, "./config/samples/": Tree, "config/samples/a.yaml": Blob, "config/nope": ""} {
		got, err := r.ObjectType(ctx, commit, p)
		if err != nil || got != want {
			t.Errorf("ObjectType(%q) = %q, %v; want %q", p, got, err, want)
		}
	}
}

func TestPathsAreFromTheRepositoryRootWhateverTheDirectory(t *testing.T) {
	g := testgit.Init(t)
	g.Write("config/samples/a.yaml", "a: 1\n")
	g.Write("docs/readme.yaml", "b: 2\n")
	commit := g.Commit("tree")
	ctx := context.Background()
	r, err := Open(filepath.Join(g.Dir, "docs")) // like accordctl -C docs
	if err != nil {
		t.Fatal(err)
	}
	if typ, err := r.ObjectType(ctx, commit, "config/samples"); err != nil || typ != Tree {
		t.Errorf("ObjectType from docs/ = %q, %v; want tree", typ, err)
	}
	dst := t.TempDir()
	if err := r.Extract(ctx, commit, "config/samples", dst, func(string) bool { return true }); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dst, "a.yaml")); err != nil || string(b) != "a: 1\n" {
		t.Errorf("extracted a.yaml = %q, %v", b, err)
	}
}

func TestCommitBeforeFindsTheNewestCommitAtOrBeforeADate(t *testing.T) {
	repo := testgit.Init(t)
	repo.Write("a.yaml", "a: 1\n")
	august := repo.CommitAt("august", "2026-08-01T12:00:00Z")
	repo.Write("a.yaml", "a: 2\n")
	september := repo.CommitAt("september", "2026-09-18T09:00:00Z")
	repo.Write("a.yaml", "a: 3\n")
	repo.CommitAt("october", "2026-10-02T09:00:00Z")

	r, err := Open(repo.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, at, want string
	}{
		{"before every commit", "2026-07-01T00:00:00Z", ""},
		{"between two commits", "2026-09-01T00:00:00Z", august},
		{"at a commit's time", "2026-09-18T09:00:00Z", september},
		{"end of a review's day", "2026-09-18T23:59:59Z", september},
	} {
		t.Run(tc.name, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.at)
			got, err := r.CommitBefore(context.Background(), "HEAD", at)
			if err != nil || got != tc.want {
				t.Errorf("CommitBefore(%s) = %q, %v; want %q", tc.at, got, err, tc.want)
			}
		})
	}
	top, err := r.Top(context.Background())
	if want, _ := filepath.EvalSymlinks(repo.Dir); err != nil || top != want {
		t.Errorf("Top = %q, %v; want %q", top, err, want)
	}
}
