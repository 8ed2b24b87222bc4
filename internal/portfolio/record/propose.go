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
package record

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/propose"
)

// ProposeOptions turn a change into a pull request.
type ProposeOptions struct {
	// Branch is the new branch (default: the change's Branch).
	Branch string
	// Commit commits the change on the branch.
	Commit bool
	// Push is the remote to push the branch to (implies Commit).
	Push string
	// Base is the branch the pull request merges into (default: the
	// branch checked out).
	Base string
	// Forge and ForgeAPI override what ParseRemote makes of the remote.
	Forge, ForgeAPI string
	// Token returns the forge's token and where it came from, for
	// messages ("" when there is none).
	Token func(propose.Remote) (token, from string)
	// Author and Committer of the commit (nil: git's configuration).
	Author, Committer *propose.Identity
	// Client is the HTTP client for the forge's API (nil: a default).
	Client *http.Client
	// GitEnv is added to every git command's environment (a token's
	// header, see propose.TokenEnv).
	GitEnv []string
}

// UsesGit reports whether the change goes to a branch.
func (o ProposeOptions) UsesGit() bool { return o.Branch != "" || o.Commit || o.Push != "" }

// Result is what Propose did.
type Result struct {
	Branch, Base, Commit string
	// Pushed: the branch is on the remote.
	Pushed bool
	// PullRequest is the opened pull (merge) request's URL; Compare the
	// page that opens one when none was opened.
	PullRequest, Compare string
	// RequestWord is "pull request" or "merge request" (GitLab).
	RequestWord string
}

// CheckForge refuses a forge name other than github, gitlab or none.
func CheckForge(forge string) error {
	if forge != "" && forge != string(propose.GitHub) && forge != string(propose.GitLab) && forge != string(propose.None) {
		return fmt.Errorf("--forge %q: want github, gitlab or none", forge)
	}
	return nil
}

// Propose makes the branch, writes, commits, pushes and opens the pull
// request, saying what it did on out. Everything that can be refused is
// checked before the branch is made: a dirty file, a taken branch name,
// an unknown remote. The change must have been validated.
func (c *Change) Propose(ctx context.Context, out io.Writer, o ProposeOptions) (*Result, error) {
	files := c.Changed()
	if len(files) == 0 {
		return nil, refuse("nothing to change")
	}
	repo, err := propose.Open(ctx, c.Root)
	if err != nil {
		return nil, err
	}
	repo.Env = o.GitEnv
	var paths []string
	for _, f := range files {
		p, err := filepath.Abs(f.Path)
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	dirty, err := repo.Dirty(ctx, paths)
	if err != nil {
		return nil, err
	}
	if len(dirty) > 0 {
		return nil, fmt.Errorf("%s has uncommitted changes; commit or stash them first, so that the branch holds only this change", strings.Join(dirty, ", "))
	}
	base := o.Base
	if base == "" {
		if base, err = repo.CurrentBranch(ctx); err != nil {
			return nil, err
		}
	}
	branch := o.Branch
	if branch == "" {
		branch = c.Branch
	}
	if err := repo.CheckBranchName(ctx, branch); err != nil {
		return nil, err
	}
	res := &Result{Branch: branch, Base: base}
	var remote propose.Remote
	if o.Push != "" {
		u, err := repo.RemoteURL(ctx, o.Push)
		if err != nil {
			return nil, err
		}
		if remote, err = propose.ParseRemote(u, propose.Forge(o.Forge), o.ForgeAPI); err != nil {
			return nil, fmt.Errorf("--push %s: %w", o.Push, err)
		}
	}
	if err := repo.CreateBranch(ctx, branch); err != nil {
		return nil, err
	}
	if err := writeFiles(files); err != nil {
		return nil, err
	}
	say(out, "%s\n", c.Subject)
	for _, f := range files {
		say(out, "  wrote %s\n", f.Path)
	}
	if !o.Commit && o.Push == "" {
		say(out, "On the new branch %s; commit it when ready.\n", branch)
		return res, nil
	}
	id, err := repo.CommitAs(ctx, paths, c.Message(), o.Author, o.Committer)
	if err != nil {
		return nil, fmt.Errorf("the change is written on branch %s but not committed: %w", branch, err)
	}
	res.Commit = id
	say(out, "Committed %s on branch %s.\n", id[:min(12, len(id))], branch)
	if o.Push == "" {
		return res, nil
	}
	if err := repo.Push(ctx, o.Push, branch); err != nil {
		return nil, fmt.Errorf("the change is committed on branch %s but the push failed: %w", branch, err)
	}
	res.Pushed = true
	say(out, "Pushed %s to %s.\n", branch, o.Push)
	return res, c.openPullRequest(ctx, out, o, remote, res)
}

func writeFiles(files []*edit.File) error {
	for _, f := range files {
		if err := f.Write(); err != nil {
			return fmt.Errorf("write %s: %w", f.Path, err)
		}
	}
	return nil
}

// say writes a line of progress; the outcome it reports has happened,
// so a failed write must not change it.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

// openPullRequest opens the pull request through the forge's API when a
// token is set, and otherwise says where to open it.
func (c *Change) openPullRequest(ctx context.Context, out io.Writer, o ProposeOptions, remote propose.Remote, res *Result) error {
	token, from := "", ""
	if o.Token != nil {
		token, from = o.Token(remote)
	}
	res.RequestWord = pullRequestWord(remote)
	compare := remote.CompareURL(res.Base, res.Branch)
	if token == "" {
		res.Compare = compare
		switch {
		case compare != "":
			say(out, "Open the pull request: %s\n", compare)
			say(out, "(set %s to have accordctl open it)\n", strings.Join(remote.TokenEnv(), " or "))
		default:
			say(out, "Open a pull request from %s into %s on the server of remote %s.\n", res.Branch, res.Base, o.Push)
		}
		return nil
	}
	body := strings.Join(c.Details, "\n")
	u, err := remote.Open(ctx, o.Client, token, propose.PullRequest{Title: c.Subject, Body: body, Head: res.Branch, Base: res.Base})
	if err != nil {
		res.Compare = compare
		msg := fmt.Sprintf("the branch %s is pushed, but the %s was not opened (token from %s): %v", res.Branch, res.RequestWord, from, err)
		if compare != "" {
			msg += "; open it at " + compare
		}
		return errors.New(msg)
	}
	res.PullRequest = u
	say(out, "Opened %s: %s\n", res.RequestWord, u)
	return nil
}

func pullRequestWord(r propose.Remote) string {
	if r.Forge == propose.GitLab {
		return "merge request"
	}
	return "pull request"
}
