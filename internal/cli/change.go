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
	"context"
	"errors"
	"os"

	"github.com/spf13/pflag"

	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/propose"
	"github.com/accord-dev/accord/internal/portfolio/record"
)

// portfolioChange is an edit of a portfolio's files by accordctl record
// or import, made by the record library the dashboard's forms share.
type portfolioChange struct{ *record.Change }

// recordError turns the library's error into the exit status: 1 when the
// edit is refused (after printing validate's errors), 2 otherwise.
func recordError(s Streams, err error) error {
	if err == nil {
		return nil
	}
	if r, ok := record.IsRefused(err); ok {
		for _, f := range r.Findings {
			say(s.Err, "%s\n", f)
		}
		return findings("%s", r.Err.Error())
	}
	if _, ok := errors.AsType[*exitError](err); ok {
		return err
	}
	return usageError(err)
}

// loadPortfolio reads PATH exactly as accordctl validate reads it.
func loadPortfolio(root string) ([]load.Document, []*load.Error, error) {
	docs, bad, err := record.Load(root)
	if err != nil {
		return nil, nil, usageError(err)
	}
	return docs, bad, nil
}

// validated runs accordctl validate's checks on the change; it prints the
// errors and returns a findings error when the result would not validate.
func (c portfolioChange) validated(s Streams) error {
	return recordError(s, c.Validate())
}

// proposeOptions are the flags that turn a change into a pull request.
type proposeOptions struct {
	record.ProposeOptions
}

func addProposeFlags(f *pflag.FlagSet, o *proposeOptions) {
	f.StringVar(&o.Branch, "branch", "", "create this branch for the change (default: a name made from the change, e.g. accord/report-<kpi>-<period>)")
	f.BoolVar(&o.Commit, "commit", false, "commit the change on a new branch, with a message that says what it records")
	f.StringVar(&o.Push, "push", "", "commit, push the branch to this remote (e.g. origin) and open a pull request (GitHub, GitLab with a token in GITHUB_TOKEN, GH_TOKEN or GITLAB_TOKEN) or print the URL that opens one")
	f.StringVar(&o.Base, "base", "", "branch the pull request merges into (default: the branch checked out)")
	f.StringVar(&o.Forge, "forge", "", "the remote's forge: github, gitlab or none (default: from the remote's host)")
	f.StringVar(&o.ForgeAPI, "forge-api", "", "base URL of the forge's REST API (default: https://api.github.com, https://HOST/api/v3 for GitHub Enterprise, https://HOST/api/v4 for GitLab)")
}

// tokenFromEnv finds the forge's token in the environment.
func tokenFromEnv(r propose.Remote) (string, string) {
	for _, v := range r.TokenEnv() {
		if t := os.Getenv(v); t != "" {
			return t, v
		}
	}
	return "", ""
}

// apply validates the change, then writes it (on a new branch, committed,
// pushed and proposed, as the flags ask).
func (c portfolioChange) apply(ctx context.Context, s Streams, o proposeOptions) error {
	files := c.Changed()
	if len(files) == 0 {
		return findings("nothing to change")
	}
	if err := record.CheckForge(o.Forge); err != nil {
		return usageError(err)
	}
	if err := c.validated(s); err != nil {
		return err
	}
	if !o.UsesGit() {
		if err := c.Write(); err != nil {
			return usageError(err)
		}
		say(s.Out, "%s\n", c.Subject)
		for _, f := range files {
			say(s.Out, "  wrote %s\n", f.Path)
		}
		return nil
	}
	if o.Token == nil {
		o.Token = tokenFromEnv
	}
	_, err := c.Propose(ctx, s.Out, o.ProposeOptions)
	return recordError(s, err)
}
