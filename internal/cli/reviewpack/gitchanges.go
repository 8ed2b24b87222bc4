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

package reviewpack

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/cli/gittree"
	"github.com/accord-dev/accord/internal/cli/portfoliodiff"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// FromGit lists what changed in partnership name's objects (the
// partnership, its objectives, their KPIs and its reviews) in the files
// at paths between the commit the last review saw and the work tree. The
// last review is reviews[0] (newest first, as snapshot orders them); the
// commit compared with is the newest on HEAD's first-parent history
// committed by the end of the review's day (UTC). An error is returned
// only when git or the files fail; a missing review, files outside git
// and a history younger than the review are states of Changes.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func FromGit(ctx context.Context, paths []string, name string, reviews []v1.Review) (Changes, error) {
	if len(reviews) == 0 {
		return Changes{State: ChangesNoReview, Note: "The partnership has no review yet, so there is no earlier agreement to compare with."}, nil
	}
	last := reviews[0]
	ch := Changes{Review: last.Name, ReviewDate: string(last.Spec.Date)}
	reviewDay, err := time.Parse(time.DateOnly, string(last.Spec.Date))
	if err != nil {
		return ch, fmt.Errorf("review %s: spec.date %q is not a date (YYYY-MM-DD)", last.Name, last.Spec.Date)
	}
	var files []string
	for _, p := range paths {
		if p != "-" {
			files = append(files, p)
		}
	}
	if len(files) == 0 {
		ch.State, ch.Note = ChangesNotInGit, "No files in git were given (the objects came from the cluster or standard input), so changes since the last review cannot be listed; give the portfolio's files as PATH to list them."
		return ch, nil
	}
	first, err := filepath.Abs(files[0])
	if err != nil {
		return ch, fmt.Errorf("path %s: %w", files[0], err)
	}
	dir := first
	if fi, err := os.Stat(first); err == nil && !fi.IsDir() {
		dir = filepath.Dir(first)
	}
	repo, err := gittree.Open(dir)
	if err != nil {
		return ch, err
	}
	top, err := repo.Top(ctx)
	if err != nil {
		ch.State, ch.Note = ChangesNotInGit, fmt.Sprintf("%s is not in a git repository, so changes since the last review cannot be listed.", files[0])
		return ch, nil //nolint:nilerr // outside git is a state of the report, not a failure
	}
	var rels []string
	for _, f := range files {
		rel, err := repoPath(top, f)
		if err != nil {
			return ch, err
		}
		rels = append(rels, rel)
	}

	endOfDay := reviewDay.Add(24*time.Hour - time.Second)
	commit, err := repo.CommitBefore(ctx, "HEAD", endOfDay)
	if err != nil {
		return ch, fmt.Errorf("find the commit of the review of %s: %w", last.Spec.Date, err)
	}
	if commit == "" {
		ch.State, ch.Note = ChangesNoCommit, fmt.Sprintf("The repository has no commit from before the end of %s, the day of review %s, to compare with.", last.Spec.Date, last.Name)
		return ch, nil
	}
	ch.Commit, ch.Head = commit, "the work tree"

	tmp, err := os.MkdirTemp("", "accordctl-report-")
	if err != nil {
		return ch, fmt.Errorf("temporary directory: %w", err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // a leftover temporary directory is no reason to fail the report
	var baseDocs []load.Document
	for i, rel := range rels {
		dst := filepath.Join(tmp, fmt.Sprint(i))
		typ, err := repo.ObjectType(ctx, commit, rel)
		if err != nil {
			return ch, err
		}
		switch typ {
		case "":
			continue // added since the review
		case gittree.Tree:
			err = repo.Extract(ctx, commit, rel, dst, load.IsYAML)
		default:
			base := filepath.Base(rel)
			err = repo.Extract(ctx, commit, filepath.Dir(rel), dst, func(n string) bool { return n == base })
		}
		if err != nil {
			return ch, err
		}
		if _, err := os.Stat(dst); errors.Is(err, os.ErrNotExist) {
			continue
		}
		docs, bad, err := load.Paths([]string{dst}, nil)
		if err != nil {
			return ch, err
		}
		if len(bad) > 0 {
			return ch, fmt.Errorf("%s at %s: %w", rel, commit[:7], bad[0])
		}
		baseDocs = append(baseDocs, docs...)
	}
	headDocs, bad, err := load.Paths(files, nil)
	if err != nil {
		return ch, err
	}
	if len(bad) > 0 {
		return ch, bad[0]
	}
	before, err := portfoliodiff.Read(baseDocs)
	if err != nil {
		return ch, fmt.Errorf("the files at %s: %w", commit[:7], err)
	}
	after, err := portfoliodiff.Read(headDocs)
	if err != nil {
		return ch, fmt.Errorf("the files in the work tree: %w", err)
	}
	for _, g := range portfoliodiff.Compare(before, after).Partnerships {
		if g.Name == name || strings.HasSuffix(g.Name, "/"+name) {
			ch.Items = append(ch.Items, g.Changes...)
		}
	}
	ch.State = ChangesListed
	ch.Note = fmt.Sprintf("Compared %s with commit %s, the last commit by the end of %s, the day of review %s.",
		strings.Join(rels, ", "), commit[:12], last.Spec.Date, last.Name)
	return ch, nil
}

// repoPath names a file on disk as a path in the repository whose work
// tree is top.
func repoPath(top, p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("path %s: %w", p, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return "", fmt.Errorf("path %s is outside the git repository at %s; give paths in one repository", p, top)
	}
	return filepath.ToSlash(rel), nil
}
