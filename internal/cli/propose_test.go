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
	"path/filepath"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/testsupport/testforge"
	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

// officeRepo is a partnership office's clone of the portfolio repository
// on a real git server over HTTP: config/samples committed on main and
// pushed as origin.
func officeRepo(t *testing.T) (*testgit.Server, *testgit.Repo, string) {
	t.Helper()
	srv := testgit.NewServer(t)
	remote := srv.Bare("acme/portfolio.git")
	repo := testgit.Init(t)
	repo.CopyDir("../../config/samples", "config/samples")
	repo.Commit("The sample portfolio")
	repo.Git("remote", "add", "origin", remote)
	repo.Git("push", "--quiet", "origin", "main")
	// accordctl runs git with the process's environment: the same isolated
	// configuration as testgit's.
	home := t.TempDir()
	for k, v := range map[string]string{
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": home,
		"GIT_AUTHOR_NAME": "Dana Whitfield", "GIT_AUTHOR_EMAIL": "dana@valley-health.example",
		"GIT_COMMITTER_NAME": "Dana Whitfield", "GIT_COMMITTER_EMAIL": "dana@valley-health.example",
		"GITHUB_TOKEN": "", "GH_TOKEN": "", "GITLAB_TOKEN": "",
	} {
		t.Setenv(k, v)
	}
	return srv, repo, filepath.Join(repo.Dir, "config", "samples")
}

// record value --push origin on a GitHub remote with a token: one branch
// on the real git server with one commit changing exactly the KPI's file
// by one line, the pull request opened through the API as recorded, its
// URL printed, and the pushed branch validates.
func TestRecordPushesABranchAndOpensTheGitHubPullRequest(t *testing.T) {
	srv, repo, samples := officeRepo(t)
	api, calls := testforge.Replay(t, filepath.Join("testdata", "forge", "github-create-pull-201.json"))
	t.Setenv("GITHUB_TOKEN", "ghp_recordedExchangeToken")
	out, errOut, code := run(t, "", "record", "value", "vicn-ed-visits-per-1000", "--value", "40.9", "--period", "2026-Q4",
		"--reported-by", "VRH analytics", "--push", "origin", "--forge", "github", "--forge-api", api.URL, samples)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	branch := "accord/report-vicn-ed-visits-per-1000-2026-q4"
	for _, want := range []string{
		"Report 2026-Q4 Avoidable ED visits per 1,000 members for Valley Integrated Care Network: 40.9 visits/1k\n",
		"Committed ", " on branch " + branch + ".\n",
		"Pushed " + branch + " to origin.\n",
		"Opened pull request: https://github.com/acme/portfolio/pull/1347\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out+errOut, "ghp_") {
		t.Error("the token was printed")
	}
	if calls.Load() != 1 {
		t.Errorf("%d API calls, want 1", calls.Load())
	}
	bare := "acme/portfolio.git"
	if n := srv.Git(bare, "rev-list", "--count", "main.."+branch); n != "1" {
		t.Errorf("%s commits on the branch, want 1", n)
	}
	if files := srv.Git(bare, "diff", "--name-only", "main", branch); files != "config/samples/valley-integrated-care.yaml" {
		t.Errorf("the commit changes %q, want the KPI's file only", files)
	}
	diff := srv.Git(bare, "diff", "--unified=0", "main", branch)
	var added, removed []string
	for l := range strings.SplitSeq(diff, "\n") {
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
		case strings.HasPrefix(l, "+"):
			added = append(added, l)
		case strings.HasPrefix(l, "-"):
			removed = append(removed, l)
		}
	}
	if len(removed) != 0 || len(added) != 1 || added[0] != `+    - {value: "40.9", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: VRH analytics}` {
		t.Errorf("diff adds %q and removes %q; want the one new line", added, removed)
	}
	msg := srv.Git(bare, "log", "-1", "--format=%B", branch)
	if !strings.HasPrefix(msg, "Report 2026-Q4 Avoidable ED visits per 1,000 members for Valley Integrated Care Network: 40.9 visits/1k\n\nKPI vicn-ed-visits-per-1000 (") {
		t.Errorf("commit message:\n%s", msg)
	}
	if author := srv.Git(bare, "log", "-1", "--format=%an <%ae>", branch); author != "Dana Whitfield <dana@valley-health.example>" {
		t.Errorf("author %q", author)
	}
	// The branch as the server holds it validates.
	clone := filepath.Join(t.TempDir(), "clone")
	srv.Git(bare, "worktree", "add", "--quiet", clone, branch)
	mustValidate(t, filepath.Join(clone, "config", "samples"))
	// The office's checkout is on the new branch, tracking the remote.
	if b := repo.Git("rev-parse", "--abbrev-ref", "@{upstream}"); b != "origin/"+branch {
		t.Errorf("upstream %q", b)
	}
}

// Without a token, the compare URL is printed; with GitLab and a token the
// merge request is opened; a forge that refuses says why and where to
// open it by hand, without printing the token.
func TestRecordPrintsTheCompareURLOrOpensTheGitLabMergeRequest(t *testing.T) {
	srv, repo, samples := officeRepo(t)
	out, errOut, code := run(t, "", "record", "review", "valley-integrated-care", "--date", "2026-12-10", "--decision", "Continue",
		"--attendee", "Dana Whitfield, Valley Regional Hospital", "--push", "origin", "--forge", "github", samples)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	compare := srv.URL + "/acme/portfolio/compare/main...accord%2Freview-valley-integrated-care-2026-12-10?expand=1"
	if !strings.Contains(out, "Open the pull request: "+compare+"\n") || !strings.Contains(out, "(set GITHUB_TOKEN or GH_TOKEN to have accordctl open it)") {
		t.Errorf("output lacks the compare URL %s:\n%s", compare, out)
	}
	if got := srv.Git("acme/portfolio.git", "diff", "--name-only", "main", "accord/review-valley-integrated-care-2026-12-10"); got != "config/samples/reviews.yaml" {
		t.Errorf("pushed change touches %q", got)
	}

	// A GitLab remote with a token: the merge request, from main again.
	repo.Git("switch", "--quiet", "main")
	api, calls := testforge.Replay(t, filepath.Join("testdata", "forge", "gitlab-create-mr-201.json"))
	t.Setenv("GITLAB_TOKEN", "glpat-recordedExchangeToken")
	out, errOut, code = run(t, "", "record", "follow-up", "vicn-2026-09-review", "2", "--done", "--push", "origin",
		"--forge", "gitlab", "--forge-api", api.URL+"/api/v4", samples)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "Opened merge request: https://gitlab.example.com/acme/portfolio/-/merge_requests/42\n") || calls.Load() != 1 {
		t.Errorf("%d calls, output:\n%s", calls.Load(), out)
	}
	if strings.Contains(out+errOut, "glpat-") {
		t.Error("the token was printed")
	}

	// GitHub refuses (a pull request exists for the branch): exit 2, the
	// forge's reason, and the compare URL to open it by hand.
	repo.Git("switch", "--quiet", "main")
	repo.Git("branch", "--quiet", "-D", "accord/review-valley-integrated-care-2026-12-10")
	refused, _ := testforge.Replay(t, filepath.Join("testdata", "forge", "github-create-pull-422.json"))
	t.Setenv("GITHUB_TOKEN", "ghp_recordedExchangeToken")
	out, errOut, code = run(t, "", "record", "review", "valley-integrated-care", "--date", "2026-12-10", "--decision", "Continue",
		"--push", "origin", "--forge", "github", "--forge-api", refused.URL, "--branch", "accord/review-valley-integrated-care-2026-12-10-b", samples)
	if code != 2 {
		t.Errorf("exit %d, want 2\n%s%s", code, out, errOut)
	}
	for _, want := range []string{
		"the branch accord/review-valley-integrated-care-2026-12-10-b is pushed, but the pull request was not opened (token from GITHUB_TOKEN)",
		"github API refused the pull request (HTTP 422): Validation Failed; A pull request already exists for acme:accord/review-valley-integrated-care-2026-12-10.",
		"; open it at " + srv.URL + "/acme/portfolio/compare/main...accord%2Freview-valley-integrated-care-2026-12-10-b?expand=1",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out+errOut, "ghp_") {
		t.Error("the token was printed")
	}
}

// What can be refused is refused before a branch is made or a file
// written: an invalid value, a file with uncommitted edits, a taken
// branch name, an unknown remote.
func TestRecordWithGitRefusesBeforeBranching(t *testing.T) {
	srv, repo, samples := officeRepo(t)
	branches := func() string { return repo.Git("branch", "--format=%(refname:short)") }
	for _, tc := range []struct {
		name  string
		setup func()
		args  []string
		code  int
		want  string
	}{
		{"invalid value", nil, []string{"--value", "forty", "--push", "origin"}, 1, `--value: "forty" is not a number`},
		{"unknown remote", nil, []string{"--value", "40.9", "--push", "upstream"}, 2, `--push "upstream": no such remote`},
		{"taken branch", func() { repo.Git("branch", "accord/report-vicn-ed-visits-per-1000-2026-q4") }, []string{"--value", "40.9", "--commit"}, 2, `branch "accord/report-vicn-ed-visits-per-1000-2026-q4" exists already`},
		{"bad branch name", nil, []string{"--value", "40.9", "--commit", "--branch", "two words"}, 2, `--branch "two words" is not a valid branch name`},
		{"uncommitted edit", func() {
			repo.Replace("config/samples/valley-integrated-care.yaml", "reportedBy: VRH analytics}\n---", "reportedBy: VRH analytics} # checked\n---")
		}, []string{"--value", "40.9", "--commit", "--branch", "accord/x"}, 2, "config/samples/valley-integrated-care.yaml has uncommitted changes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup()
			}
			before, file := branches(), repo.Read("config/samples/valley-integrated-care.yaml")
			args := append([]string{"record", "value", "vicn-ed-visits-per-1000", "--period", "2026-Q4", "--reported-by", "VRH analytics"}, tc.args...)
			_, errOut, code := run(t, "", append(args, samples)...)
			if code != tc.code || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d (want %d), stderr:\n%s\nwant %q", code, tc.code, errOut, tc.want)
			}
			if branches() != before || repo.Read("config/samples/valley-integrated-care.yaml") != file {
				t.Error("a branch was made or the file written")
			}
		})
	}
	if refs := srv.Git("acme/portfolio.git", "for-each-ref", "--format=%(refname)"); refs != "refs/heads/main" {
		t.Errorf("the server has %q; nothing should have been pushed", refs)
	}
}
