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

// Package gittree reads the files of a commit through the git command:
// it resolves refs and writes a commit's subtree into a directory, so the
// same loader reads a ref and a checkout.
//
// It runs the real git rather than a Go reimplementation (go-git) because
// CI checkouts are whatever the CI made them (shallow, partial, with
// alternates, worktrees), and the user's git already understands them.
package gittree

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// Errors of Resolve.
var (
	ErrUnknownRef    = errors.New("unknown git ref")
	ErrNotRepository = errors.New("not a git repository")
)

// Repo is a git repository, addressed by a directory inside its work tree
// (or the repository itself when bare).
type Repo struct {
	dir string
	top string // top of the work tree, found on first use
}

// Open returns the repository that dir is in. It does not run git yet:
// Resolve says whether dir is a repository when a ref does not resolve.
func Open(dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git not found in PATH: %w", err)
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return &Repo{dir: dir}, nil
}

// Resolve returns the full commit id a ref (branch, tag, remote branch,
// commit id, HEAD~1...) names. It returns an error wrapping ErrUnknownRef
// when the ref names no commit, and ErrNotRepository when the directory is
// not in a git repository.
func (r *Repo) Resolve(ctx context.Context, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("%w %q: a ref cannot be empty or start with '-'", ErrUnknownRef, ref)
	}
	out, err := r.git(ctx, nil, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err == nil {
		return strings.TrimSpace(out), nil
	}
	if _, err := r.git(ctx, nil, "rev-parse", "--git-dir"); err != nil {
		// git's own words tell "not a repository" from "dubious ownership".
		return "", fmt.Errorf("%w: %s (%v)", ErrNotRepository, r.dir, err)
	}
	return "", fmt.Errorf("%w %q in %s: not a branch, tag or commit", ErrUnknownRef, ref, r.dir)
}

// CommitBefore returns the newest commit reachable from ref (following
// first parents, the history of the branch) committed at or before t, or
// "" when every commit is newer.
func (r *Repo) CommitBefore(ctx context.Context, ref string, t time.Time) (string, error) {
	commit, err := r.Resolve(ctx, ref)
	if err != nil {
		return "", err
	}
	out, err := r.git(ctx, nil, "rev-list", "-1", "--first-parent", "--before="+t.UTC().Format(time.RFC3339), commit)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// Top returns the top directory of the work tree, so that paths on disk
// can be named as paths in a commit.
func (r *Repo) Top(ctx context.Context) (string, error) {
	if r.top == "" {
		out, err := r.git(ctx, nil, "rev-parse", "--show-toplevel")
		if err != nil {
			return "", err
		}
		if strings.TrimSpace(out) == "" {
			return "", fmt.Errorf("%s: %w (a bare repository has no work tree)", r.dir, ErrNotRepository)
		}
		r.top = strings.TrimSpace(out)
	}
	return r.top, nil
}

// Object types that ObjectType returns.
const (
	Tree = "tree" // a directory
	Blob = "blob" // a file
)

// ObjectType says what p (relative to the repository root; "" or "." for
// the root) is in commit: Tree, Blob, or "" when it does not exist.
func (r *Repo) ObjectType(ctx context.Context, commit, p string) (string, error) {
	out, err := r.git(ctx, nil, "cat-file", "-t", commit+":"+clean(p))
	var exit *exec.ExitError
	switch {
	case err == nil:
		return strings.TrimSpace(out), nil
	case errors.As(err, &exit):
		return "", nil
	}
	return "", err
}

// Extract writes the regular files of the directory p (relative to the
// repository root) at commit whose names keep accepts into dst, at their
// paths relative to p. Symbolic links and submodules are skipped: a
// portfolio is plain files. The archive is streamed, so a large repository
// is not held in memory.
func (r *Repo) Extract(ctx context.Context, commit, p, dst string, keep func(name string) bool) error {
	// Archiving the tree "commit:path" reads path from the repository
	// root whatever directory git runs in, as ObjectType does.
	tree := commit + ":" + clean(p)
	// git archive run in a subdirectory archives only that subdirectory of
	// the tree, so it runs at the top of the work tree.
	if r.top == "" {
		r.top = r.dir // a bare repository has no work tree
		if out, err := r.git(ctx, nil, "rev-parse", "--show-toplevel"); err == nil && strings.TrimSpace(out) != "" {
			r.top = strings.TrimSpace(out)
		}
	}
	top := &Repo{dir: r.top}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		_, err := top.git(ctx, pw, "archive", "--format=tar", tree)
		pw.CloseWithError(err)
		done <- err
	}()
	err := untar(pr, dst, keep)
	if err == nil {
		_, err = io.Copy(io.Discard, pr) // the padding after the end of the archive
	}
	pr.CloseWithError(errors.New("extract stopped")) // lets git exit if untar failed early
	if gitErr := <-done; gitErr != nil {
		return gitErr
	}
	if err != nil {
		return fmt.Errorf("read git archive of %s: %w", tree, err)
	}
	return nil
}

func untar(r io.Reader, dst string, keep func(name string) bool) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg || !keep(h.Name) {
			continue
		}
		name := path.Clean(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("unsafe path %q", h.Name)
		}
		if err := writeFile(filepath.Join(dst, filepath.FromSlash(name)), tr); err != nil {
			return err
		}
	}
}

func writeFile(name string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	if _, err := io.Copy(f, r); err != nil {
		_ = f.Close() // the copy's error is the one to report
		return fmt.Errorf("extract %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	return nil
}

// clean normalises a repository path: "./config/samples/" is
// "config/samples", "." is "".
func clean(p string) string {
	p = path.Clean(filepath.ToSlash(p))
	if p == "." || p == "/" {
		return ""
	}
	return strings.TrimPrefix(p, "./")
}

// git runs git in the repository; stdout goes to out when given, and is
// returned otherwise. A failure carries git's own message.
func (r *Repo) git(ctx context.Context, out io.Writer, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", r.dir}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if out != nil {
		cmd.Stdout = out
	}
	// Messages in English whatever the user's locale, so errors read the
	// same in CI logs; no pager, no prompts.
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0")
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			return "", fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
		}
		return "", fmt.Errorf("git %s: %s: %w", strings.Join(args, " "), msg, err)
	}
	return stdout.String(), nil
}
