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

import "github.com/accord-dev/accord/internal/cli/portfoliodiff"

// ChangesState says whether changes since the last review could be
// listed, and if not, why not.
type ChangesState string

// States of Changes.
const (
	// ChangesListed: Items are the changes (none when the agreement did
	// not change).
	ChangesListed ChangesState = "listed"
	// ChangesNoReview: the partnership has no review to compare with.
	ChangesNoReview ChangesState = "no-review"
	// ChangesNotInGit: the files are not in a git repository (or were
	// read from standard input, or from the cluster without files).
	ChangesNotInGit ChangesState = "not-in-git"
	// ChangesNoCommit: no commit is as old as the last review.
	ChangesNoCommit ChangesState = "no-commit"
)

// Changes are the changes to the partnership's objects since the last
// review, from git.
type Changes struct {
	State ChangesState
	// Note says in a sentence what was compared, or why nothing was.
	Note string
	// Review is the last review's name and date.
	Review, ReviewDate string
	// Commit is the commit compared with (the newest at or before the end
	// of the review's day); Head says what it was compared with.
	Commit, Head string
	Items        []portfoliodiff.Change
}
