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
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/accord-dev/accord/internal/cli/propose"
	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// portfolioChange is an edit of a portfolio's files by accordctl record
// or import: validated as a whole before anything is written, then
// written, and optionally committed, pushed and proposed.
type portfolioChange struct {
	// root is PATH as given: the files validate reads.
	root string
	// files are the edited files by load's file name, in order of first
	// edit.
	files map[string]*edit.File
	order []string
	// subject is the commit's first line, what a reviewer reads first.
	subject string
	// details are the commit body's lines.
	details []string
	// branch is the default branch name for --commit and --push.
	branch string
}

func newChange(root string) *portfolioChange {
	return &portfolioChange{root: root, files: map[string]*edit.File{}}
}

// file returns the edited form of a portfolio file, opening it on first
// use.
func (c *portfolioChange) file(name string) (*edit.File, error) {
	if f, ok := c.files[name]; ok {
		return f, nil
	}
	f, err := edit.Open(name)
	if err != nil {
		return nil, usageError(err)
	}
	c.files[name] = f
	c.order = append(c.order, name)
	return f, nil
}

// changed lists the files whose content the change alters.
func (c *portfolioChange) changed() []*edit.File {
	var out []*edit.File
	for _, n := range c.order {
		if f := c.files[n]; f.Changed() {
			out = append(out, f)
		}
	}
	return out
}

// loadPortfolio reads PATH exactly as accordctl validate reads it.
func loadPortfolio(root string) ([]load.Document, []*load.Error, error) {
	docs, bad, err := load.Paths([]string{root}, nil)
	if err != nil {
		return nil, nil, usageError(err)
	}
	if len(docs) == 0 && len(bad) == 0 {
		return nil, nil, usageError(fmt.Errorf("no YAML or JSON documents found in %s", root))
	}
	return docs, bad, nil
}

// findObject finds kind/name among the documents; when it is missing the
// error names the closest name there.
func findObject(docs []load.Document, root, kind, name string) (load.Document, error) {
	var names []string
	var found []load.Document
	for _, d := range docs {
		if d.Object.GetKind() != kind || d.Object.GroupVersionKind().Group != "portfolio.accord.dev" {
			continue
		}
		names = append(names, d.Object.GetName())
		if d.Object.GetName() == name {
			found = append(found, d)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		hint := ""
		if c := suggest.Closest(name, names); c != "" {
			hint = fmt.Sprintf("; did you mean %q?", c)
		} else if len(names) > 0 {
			slices.Sort(names)
			hint = fmt.Sprintf("; %ss there: %s", kind, strings.Join(names, ", "))
		}
		return load.Document{}, findings("%s %q not found in %s%s", kind, name, root, hint)
	}
	return load.Document{}, findings("%s %q is defined %d times in %s (%s and %s); fix that first (accordctl validate)", kind, name, len(found), root, found[0].Where(), found[1].Where())
}

// validated runs accordctl validate's checks over PATH with the edited
// files in place of their content on disk. It prints the errors and
// returns a findings error when the result would not validate.
func (c *portfolioChange) validated(s Streams) error {
	docs, bad, err := loadPortfolio(c.root)
	if err != nil {
		return err
	}
	edited := map[string]bool{}
	for _, f := range c.changed() {
		edited[f.Path] = true
	}
	var all []load.Document
	var allBad []*load.Error
	added := map[string]bool{}
	addFile := func(name string) {
		if added[name] {
			return
		}
		added[name] = true
		d, b := load.Read(name, bytes.NewReader(c.files[name].Bytes()))
		all, allBad = append(all, d...), append(allBad, b...)
	}
	for _, d := range docs {
		if edited[d.File] {
			addFile(d.File)
			continue
		}
		all = append(all, d)
	}
	for _, b := range bad {
		if !edited[b.File] {
			allBad = append(allBad, b)
		}
	}
	for name := range edited {
		addFile(name)
	}
	rep, err := (&validateOptions{namespace: "default", output: formatText}).validate(all, allBad)
	if err != nil {
		return usageError(err)
	}
	if rep.Summary.Errors == 0 {
		return nil
	}
	for _, f := range rep.Findings {
		if f.Severity == severityError {
			say(s.Err, "%s\n", f)
		}
	}
	return findings("the change would not validate (%s); nothing was written", plural(rep.Summary.Errors, "error"))
}

// message is the commit message: subject, blank line, details.
func (c *portfolioChange) message() string {
	m := c.subject
	if len(c.details) > 0 {
		m += "\n\n" + strings.Join(c.details, "\n")
	}
	return m + "\n"
}

// proposeOptions are the flags that turn a change into a pull request.
type proposeOptions struct {
	branch   string
	commit   bool
	push     string
	base     string
	forge    string
	forgeAPI string

	// client is the HTTP client for the forge's API; tests set it.
	client *http.Client
}

func addProposeFlags(f *pflag.FlagSet, o *proposeOptions) {
	f.StringVar(&o.branch, "branch", "", "create this branch for the change (default: a name made from the change, e.g. accord/report-<kpi>-<period>)")
	f.BoolVar(&o.commit, "commit", false, "commit the change on a new branch, with a message that says what it records")
	f.StringVar(&o.push, "push", "", "commit, push the branch to this remote (e.g. origin) and open a pull request (GitHub, GitLab with a token in GITHUB_TOKEN, GH_TOKEN or GITLAB_TOKEN) or print the URL that opens one")
	f.StringVar(&o.base, "base", "", "branch the pull request merges into (default: the branch checked out)")
	f.StringVar(&o.forge, "forge", "", "the remote's forge: github, gitlab or none (default: from the remote's host)")
	f.StringVar(&o.forgeAPI, "forge-api", "", "base URL of the forge's REST API (default: https://api.github.com, https://HOST/api/v3 for GitHub Enterprise, https://HOST/api/v4 for GitLab)")
}

// usesGit reports whether the change goes to a branch.
func (o proposeOptions) usesGit() bool { return o.branch != "" || o.commit || o.push != "" }

// apply validates the change, then writes it (on a new branch, committed,
// pushed and proposed, as the flags ask).
func (c *portfolioChange) apply(ctx context.Context, s Streams, o proposeOptions) error {
	files := c.changed()
	if len(files) == 0 {
		return findings("nothing to change")
	}
	if o.forge != "" && o.forge != string(propose.GitHub) && o.forge != string(propose.GitLab) && o.forge != string(propose.None) {
		return usageError(fmt.Errorf("--forge %q: want github, gitlab or none", o.forge))
	}
	if err := c.validated(s); err != nil {
		return err
	}
	if !o.usesGit() {
		if err := writeFiles(files); err != nil {
			return err
		}
		say(s.Out, "%s\n", c.subject)
		for _, f := range files {
			say(s.Out, "  wrote %s\n", f.Path)
		}
		return nil
	}
	return c.propose(ctx, s, o, files)
}

func writeFiles(files []*edit.File) error {
	for _, f := range files {
		if err := f.Write(); err != nil {
			return usageError(fmt.Errorf("write %s: %w", f.Path, err))
		}
	}
	return nil
}

// propose makes the branch, writes, commits, pushes and opens the pull
// request. Everything that can be refused is checked before the branch is
// made: a dirty file, a taken branch name, an unknown remote.
func (c *portfolioChange) propose(ctx context.Context, s Streams, o proposeOptions, files []*edit.File) error {
	repo, err := propose.Open(ctx, c.root)
	if err != nil {
		return usageError(err)
	}
	var paths []string
	for _, f := range files {
		p, err := filepath.Abs(f.Path)
		if err != nil {
			return usageError(err)
		}
		paths = append(paths, p)
	}
	dirty, err := repo.Dirty(ctx, paths)
	if err != nil {
		return usageError(err)
	}
	if len(dirty) > 0 {
		return usageError(fmt.Errorf("%s has uncommitted changes; commit or stash them first, so that the branch holds only this change", strings.Join(dirty, ", ")))
	}
	base := o.base
	if base == "" {
		if base, err = repo.CurrentBranch(ctx); err != nil {
			return usageError(err)
		}
	}
	branch := o.branch
	if branch == "" {
		branch = c.branch
	}
	if err := repo.CheckBranchName(ctx, branch); err != nil {
		return usageError(err)
	}
	var remote propose.Remote
	if o.push != "" {
		u, err := repo.RemoteURL(ctx, o.push)
		if err != nil {
			return usageError(err)
		}
		if remote, err = propose.ParseRemote(u, propose.Forge(o.forge), o.forgeAPI); err != nil {
			return usageError(fmt.Errorf("--push %s: %w", o.push, err))
		}
	}
	if err := repo.CreateBranch(ctx, branch); err != nil {
		return usageError(err)
	}
	if err := writeFiles(files); err != nil {
		return err
	}
	say(s.Out, "%s\n", c.subject)
	for _, f := range files {
		say(s.Out, "  wrote %s\n", f.Path)
	}
	if !o.commit && o.push == "" {
		say(s.Out, "On the new branch %s; commit it when ready.\n", branch)
		return nil
	}
	id, err := repo.Commit(ctx, paths, c.message())
	if err != nil {
		return usageError(fmt.Errorf("the change is written on branch %s but not committed: %w", branch, err))
	}
	say(s.Out, "Committed %s on branch %s.\n", id[:min(12, len(id))], branch)
	if o.push == "" {
		return nil
	}
	if err := repo.Push(ctx, o.push, branch); err != nil {
		return usageError(fmt.Errorf("the change is committed on branch %s but the push failed: %w", branch, err))
	}
	say(s.Out, "Pushed %s to %s.\n", branch, o.push)
	return c.openPullRequest(ctx, s, o, remote, base, branch)
}

// openPullRequest opens the pull request through the forge's API when a
// token is set, and otherwise prints where to open it.
func (c *portfolioChange) openPullRequest(ctx context.Context, s Streams, o proposeOptions, remote propose.Remote, base, branch string) error {
	token, tokenVar := "", ""
	for _, v := range remote.TokenEnv() {
		if t := os.Getenv(v); t != "" {
			token, tokenVar = t, v
			break
		}
	}
	compare := remote.CompareURL(base, branch)
	if token == "" {
		switch {
		case compare != "":
			say(s.Out, "Open the pull request: %s\n", compare)
			say(s.Out, "(set %s to have accordctl open it)\n", strings.Join(remote.TokenEnv(), " or "))
		default:
			say(s.Out, "Open a pull request from %s into %s on the server of remote %s.\n", branch, base, o.push)
		}
		return nil
	}
	body := strings.Join(c.details, "\n")
	u, err := remote.Open(ctx, o.client, token, propose.PullRequest{Title: c.subject, Body: body, Head: branch, Base: base})
	if err != nil {
		msg := fmt.Sprintf("the branch %s is pushed, but the %s was not opened (token from %s): %v", branch, pullRequestWord(remote), tokenVar, err)
		if compare != "" {
			msg += "; open it at " + compare
		}
		return usageError(fmt.Errorf("%s", msg))
	}
	say(s.Out, "Opened %s: %s\n", pullRequestWord(remote), u)
	return nil
}

func pullRequestWord(r propose.Remote) string {
	if r.Forge == propose.GitLab {
		return "merge request"
	}
	return "pull request"
}
