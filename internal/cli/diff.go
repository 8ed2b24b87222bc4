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
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/accord-dev/accord/internal/cli/gittree"
	"github.com/accord-dev/accord/internal/cli/portfoliodiff"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// diffOptions are the flags of `accordctl diff`.
type diffOptions struct {
	repo   string
	path   string
	output string
	failOn string
	now    string
}

func newDiffCmd(s Streams) *cobra.Command {
	o := diffOptions{}
	cmd := &cobra.Command{
		Use:   "diff BASE HEAD",
		Short: "Summarise what a change does to the portfolio, with policy findings for CI",
		Long: `Compare two versions of a portfolio and report what changed for the partners:
partnerships added or removed, agreement terms, targets tightened or loosened,
deadlines moved, KPIs added or dropped, reviews recorded. Then apply the
policy a pull request must meet and exit 1 when it does not.

BASE and HEAD are each a directory (or file) or a git ref of the repository
(-C). An argument that names an existing path, relative to -C, is read from
disk; anything else is a git ref read from the commit, not the work tree.
--path restricts both sides to a subtree; a side that lacks it is empty (a
portfolio added in this change), but it must exist on one side.

Policy rules (findings only for partnerships the change touches):
  unreviewed-loosening              a target, tolerance or at-risk threshold
                                    loosened, or a deadline or KPI target date
                                    moved later, without a Review of the
                                    partnership that decided Revise added in
                                    the same change (error)
  phi-without-baa                   PHI shared without spec.agreement.
                                    dataSharing.baaRef (error)
  agreement-expires-before-deadline an objective deadline or KPI target date
                                    after the agreement's expiry (error; a
                                    warning when the agreement auto-renews)
  removed-kpi-referenced            a removed KPI that an objective still
                                    lists (error)
  exit-without-date                 a Review that decided Exit without
                                    spec.exitDate (error)
  measure-changed                   a KPI's spec.measure id, system or
                                    version changed without a Revise Review
                                    added in the same change (error)
  candidate-ranking-changed         the change reorders the ranked candidates
                                    of a Prospect: new portfolio weights, new
                                    scores, a candidate added or removed
                                    (warning; judged for every prospect)

Exit codes: 0 no findings at or above --fail-on, 1 such findings or
documents that cannot be read as Accord objects, 2 usage or I/O errors
(an unknown ref, a missing directory).`,
		Example: `  # In CI, for the pull-request comment:
  accordctl diff origin/main HEAD --path config/samples > diff.md

  # Two checkouts, as JSON:
  accordctl diff ../portfolio-main ./portfolio -o json

  # Another repository, failing on warnings too:
  accordctl diff -C ~/src/portfolio v1.4.0 main --fail-on warning`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd.Context(), s, o, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.repo, "repo", "C", ".", "run as if started in this directory (like git -C): the repository for refs, the base of relative paths")
	f.StringVar(&o.path, "path", "", "compare only this subtree, relative to the repository root or to each directory, e.g. config/samples")
	f.StringVarP(&o.output, "output", "o", formatMarkdown, "output format: markdown (for a pull-request comment) or json")
	f.StringVar(&o.failOn, "fail-on", "error", "exit 1 on findings of this severity or worse: error, warning or none")
	f.StringVar(&o.now, "now", "", "judge the rules that depend on the date (a lapsed BAA) as of this date (YYYY-MM-DD) or RFC 3339 time; default now")
	return cmd
}

func runDiff(ctx context.Context, s Streams, o diffOptions, baseArg, headArg string) error {
	write := map[string]func(*portfoliodiff.Report) error{
		formatMarkdown: func(r *portfoliodiff.Report) error { return portfoliodiff.WriteMarkdown(s.Out, r) },
		formatJSON:     func(r *portfoliodiff.Report) error { return portfoliodiff.WriteJSON(s.Out, r) },
	}[o.output]
	if write == nil {
		return usageError(fmt.Errorf("--output %q: want markdown or json", o.output))
	}
	threshold := portfoliodiff.Severity(o.failOn)
	if o.failOn != "none" && threshold.Rank() == 0 {
		return usageError(fmt.Errorf("--fail-on %q: want error, warning or none", o.failOn))
	}
	if o.path != "" && !filepath.IsLocal(o.path) && filepath.Clean(o.path) != "." {
		return usageError(fmt.Errorf("--path %q: want a path inside the repository, such as config/samples", o.path))
	}

	now, err := parseNow(o.now)
	if err != nil {
		return err
	}

	l := &sideLoader{opts: o}
	defer l.cleanup()
	base, err := l.load(ctx, "BASE", baseArg)
	if err != nil {
		return err
	}
	head, err := l.load(ctx, "HEAD", headArg)
	if err != nil {
		return err
	}
	if base.missing && head.missing {
		return usageError(fmt.Errorf("--path %q exists in neither BASE %q nor HEAD %q", o.path, baseArg, headArg))
	}
	r := portfoliodiff.CompareAt(base.objects, head.objects, now)
	r.Base, r.Head = base.source, head.source
	if err := write(r); err != nil {
		return usageError(err)
	}
	if n := r.Failing(threshold); n > 0 {
		return findings("%d policy finding(s) at or above severity %s; see the report", n, threshold)
	}
	return nil
}

// side is one version of the portfolio, read.
type side struct {
	source  portfoliodiff.Source
	objects *portfolio.Set
	missing bool // --path is absent from this side
}

// sideLoader reads each side from disk or from git, opening the
// repository once and removing its temporary extracts at the end.
type sideLoader struct {
	opts  diffOptions
	repo  *gittree.Repo
	temps []string
}

func (l *sideLoader) cleanup() {
	for _, d := range l.temps {
		_ = os.RemoveAll(d)
	}
}

func (l *sideLoader) load(ctx context.Context, role, arg string) (*side, error) {
	p := arg
	if !filepath.IsAbs(p) {
		p = filepath.Join(l.opts.repo, arg)
	}
	if _, err := os.Stat(p); err == nil {
		return l.fromDisk(role, arg, p)
	}
	return l.fromGit(ctx, role, arg)
}

// fromDisk reads a directory or file, restricted to --path.
func (l *sideLoader) fromDisk(role, arg, p string) (*side, error) {
	sd := &side{source: portfoliodiff.Source{Name: arg, Path: l.opts.path}}
	root := filepath.Join(p, l.opts.path)
	if _, err := os.Stat(root); errors.Is(err, fs.ErrNotExist) {
		sd.missing, sd.objects = true, portfolio.New()
		return sd, nil
	}
	docs, bad, err := load.Paths([]string{root}, nil)
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", role, err))
	}
	sd.objects, err = readSide(role, docs, bad)
	return sd, err
}

// fromGit reads the committed files of a ref, restricted to --path, by
// extracting them into a temporary directory and loading that like any
// directory, so both modes read exactly the same files.
func (l *sideLoader) fromGit(ctx context.Context, role, arg string) (*side, error) {
	if l.repo == nil {
		repo, err := gittree.Open(l.opts.repo)
		if err != nil {
			return nil, usageError(fmt.Errorf("%s %q is not a file or directory, and it cannot be read as a git ref: %w", role, arg, err))
		}
		l.repo = repo
	}
	commit, err := l.repo.Resolve(ctx, arg)
	switch {
	case errors.Is(err, gittree.ErrNotRepository):
		return nil, usageError(fmt.Errorf("%s %q is not a file or directory, and it cannot be read as a git ref: %w", role, arg, err))
	case err != nil:
		return nil, usageError(fmt.Errorf("%s: %w (and no such file or directory)", role, err))
	}
	sd := &side{source: portfoliodiff.Source{Name: arg, Commit: commit, Path: l.opts.path}}
	typ, err := l.repo.ObjectType(ctx, commit, l.opts.path)
	switch {
	case err != nil:
		return nil, usageError(fmt.Errorf("%s: %w", role, err))
	case typ == "":
		sd.missing, sd.objects = true, portfolio.New()
		return sd, nil
	case typ != gittree.Tree:
		return nil, usageError(fmt.Errorf("--path %q is a %s at %s %q; want a directory", l.opts.path, typ, role, arg))
	}
	tmp, err := os.MkdirTemp("", "accordctl-diff-")
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: temporary directory: %w", role, err))
	}
	l.temps = append(l.temps, tmp)
	if err := l.repo.Extract(ctx, commit, l.opts.path, tmp, load.IsYAML); err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", role, err))
	}
	docs, bad, err := load.Paths([]string{tmp}, nil)
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", role, err))
	}
	// Name files as git does, "ref:path/file.yaml", not by the temporary
	// directory.
	rename := func(f string) string {
		rel, err := filepath.Rel(tmp, f)
		if err != nil {
			return f
		}
		return arg + ":" + path.Join(filepath.ToSlash(l.opts.path), filepath.ToSlash(rel))
	}
	for i := range docs {
		docs[i].File = rename(docs[i].File)
	}
	for _, b := range bad {
		b.File = rename(b.File)
	}
	sd.objects, err = readSide(role, docs, bad)
	return sd, err
}

// readSide reads a side's objects. Documents that do not parse make the
// comparison meaningless (an unreadable partnership would read as
// removed), so they fail the command with every problem listed.
func readSide(role string, docs []load.Document, bad []*load.Error) (*portfolio.Set, error) {
	var problems []string
	for _, b := range bad {
		problems = append(problems, b.Error())
	}
	objs, err := portfoliodiff.Read(docs)
	if err != nil {
		problems = append(problems, strings.Split(err.Error(), "\n")...)
	}
	if len(problems) > 0 {
		return nil, findings("%s has documents that cannot be compared:\n  %s", role, strings.Join(problems, "\n  "))
	}
	return objs, nil
}
