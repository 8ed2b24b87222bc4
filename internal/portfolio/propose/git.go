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

// Package propose turns a portfolio change into a pull request: a branch,
// a commit whose message a reviewer understands, a push, and the pull
// (or merge) request opened through the forge's API when the remote is on
// GitHub or GitLab and a token is at hand; otherwise the URL that opens one.
//
// Git is the real git command, as in gittree: the user's credential
// helpers, SSH keys and configuration apply to the push.
package propose

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Repo is the git work tree a portfolio file lives in.
type Repo struct {
	// Top is the root of the work tree.
	Top string
	// Env is added to every git command's environment, e.g. the
	// GIT_CONFIG_* variables that carry a token's header, so that the
	// token is never in a command line.
	Env []string
}

// Identity is a commit's author or committer.
type Identity struct {
	Name, Email string
}

func (i Identity) String() string { return fmt.Sprintf("%s <%s>", i.Name, i.Email) }

// TokenEnv returns the environment that makes git send token as the
// HTTP authorisation of every request (GitHub's and GitLab's HTTPS
// remotes take it as the password of Basic authentication), through
// GIT_CONFIG_COUNT so that it never appears in a process list.
func TokenEnv(token string) []string {
	if token == "" {
		return nil
	}
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	return []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.extraHeader", "GIT_CONFIG_VALUE_0=Authorization: Basic " + basic}
}

// Clone clones branch of url into dir (which must not exist or be
// empty), shallow: the dashboard's forms start each change from a fresh
// copy of the base branch.
func Clone(ctx context.Context, url, branch, dir string, env []string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git not found in PATH: %w", err)
	}
	r := &Repo{Top: dir, Env: env}
	cmd := exec.CommandContext(ctx, "git", "clone", "--quiet", "--depth", "1", "--single-branch", "--branch", branch, "--", url, dir)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("git clone: %s", msg)
	}
	return r, nil
}

// Open finds the work tree that dir (a directory or file) is in.
func Open(ctx context.Context, dir string) (*Repo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, fmt.Errorf("git not found in PATH: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	r := &Repo{Top: abs}
	out, err := r.git(ctx, "rev-parse", "--show-toplevel")
	if err != nil {
		// Called on a file: ask from its directory.
		r.Top = filepath.Dir(abs)
		if out, err = r.git(ctx, "rev-parse", "--show-toplevel"); err != nil {
			return nil, fmt.Errorf("%s is not in a git work tree: %w", dir, err)
		}
	}
	r.Top = strings.TrimSpace(out)
	return r, nil
}

// git runs git in the work tree and returns its standard output; the
// error carries git's own message.
func (r *Repo) git(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", r.Top}, args...)...)
	if len(r.Env) > 0 {
		cmd.Env = append(os.Environ(), r.Env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return stdout.String(), fmt.Errorf("git %s: %s", args[0], msg)
	}
	return stdout.String(), nil
}

// CurrentBranch is the branch checked out, or an error when HEAD is
// detached.
func (r *Repo) CurrentBranch(ctx context.Context) (string, error) {
	out, err := r.git(ctx, "symbolic-ref", "--quiet", "--short", "HEAD")
	if err != nil {
		return "", errors.New("HEAD is detached: check out the branch the change should start from (or give --base)")
	}
	return strings.TrimSpace(out), nil
}

// Dirty lists the files among paths that have uncommitted changes.
func (r *Repo) Dirty(ctx context.Context, paths []string) ([]string, error) {
	out, err := r.git(ctx, append([]string{"status", "--porcelain", "--"}, paths...)...)
	if err != nil {
		return nil, err
	}
	var dirty []string
	for l := range strings.SplitSeq(strings.TrimRight(out, "\n"), "\n") {
		if len(l) > 3 {
			dirty = append(dirty, l[3:])
		}
	}
	return dirty, nil
}

// CheckBranchName refuses names git would refuse, before anything is
// written.
func (r *Repo) CheckBranchName(ctx context.Context, name string) error {
	if _, err := r.git(ctx, "check-ref-format", "--branch", name); err != nil {
		return fmt.Errorf("--branch %q is not a valid branch name", name)
	}
	if _, err := r.git(ctx, "rev-parse", "--verify", "--quiet", "refs/heads/"+name); err == nil {
		return fmt.Errorf("branch %q exists already; give another with --branch", name)
	}
	return nil
}

// CreateBranch creates name at HEAD and checks it out; the work tree's
// other changes come along, as with git switch -c.
func (r *Repo) CreateBranch(ctx context.Context, name string) error {
	_, err := r.git(ctx, "switch", "--quiet", "-c", name)
	return err
}

// Commit commits exactly the given files (absolute paths or relative to
// the work tree) with message, and returns the commit id.
func (r *Repo) Commit(ctx context.Context, paths []string, message string) (string, error) {
	return r.CommitAs(ctx, paths, message, nil, nil)
}

// CommitAs is Commit with the author and committer given (nil: git's
// configuration), as the dashboard commits for the signed-in user.
func (r *Repo) CommitAs(ctx context.Context, paths []string, message string, author, committer *Identity) (string, error) {
	if _, err := r.git(ctx, append([]string{"add", "--"}, paths...)...); err != nil {
		return "", err
	}
	c := *r
	if committer != nil {
		c.Env = append(slices.Clone(r.Env), "GIT_COMMITTER_NAME="+committer.Name, "GIT_COMMITTER_EMAIL="+committer.Email)
	}
	args := []string{"commit", "--quiet", "-m", message}
	if author != nil {
		args = append(args, "--author", author.String())
	}
	if _, err := c.git(ctx, append(append(args, "--"), paths...)...); err != nil {
		return "", err
	}
	out, err := r.git(ctx, "rev-parse", "HEAD")
	return strings.TrimSpace(out), err
}

// Push pushes branch to remote and sets it as the branch's upstream.
func (r *Repo) Push(ctx context.Context, remote, branch string) error {
	_, err := r.git(ctx, "push", "--quiet", "--set-upstream", remote, "refs/heads/"+branch+":refs/heads/"+branch)
	return err
}

// RemoteURL is the URL git pushes remote to.
func (r *Repo) RemoteURL(ctx context.Context, remote string) (string, error) {
	out, err := r.git(ctx, "remote", "get-url", "--push", remote)
	if err != nil {
		return "", fmt.Errorf("--push %q: no such remote (git remote -v lists them)", remote)
	}
	return strings.TrimSpace(out), nil
}

var unsafeBranch = regexp.MustCompile(`[^a-z0-9._/-]+`)

// BranchName makes a branch name from words: lower case, dashes, under
// "accord/", e.g. accord/report-vicn-readmission-rate-30d-2026-q3.
func BranchName(words ...string) string {
	s := strings.ToLower(strings.Join(words, "-"))
	s = unsafeBranch.ReplaceAllString(s, "-")
	s = regexp.MustCompile(`-{2,}`).ReplaceAllString(s, "-")
	s = strings.Trim(s, "-./")
	if len(s) > 80 {
		s = strings.TrimRight(s[:80], "-./")
	}
	return "accord/" + s
}
