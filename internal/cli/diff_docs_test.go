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
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated parts of docs/gitops.md, docs/cli.md and docs/bad-input.md")

const (
	diffGitopsDoc    = "../../docs/gitops.md"
	diffWorkflowFile = "../../docs/examples/accord-pr.yaml"
	diffMDBlock      = "accordctl diff markdown"
	diffJSONBlock    = "accordctl diff json"
	diffFlowBlock    = "docs/examples/accord-pr.yaml"
	diffRegenerate   = "go test ./internal/cli -run TestGitopsDocShowsRealOutput -update-docs"
)

// diffSampleChange is the pull request docs/gitops.md describes: the Valley
// network's December review revises a target, a new quarterly figure
// arrives, and a diffTelehealthFile deadline moves without a review.
func diffSampleChange(g *testgit.Repo) {
	g.Git("checkout", "--quiet", "-b", "q4-2026-valley-review")
	g.Replace(diffValleyFile, `target: {value: "15.3", date: "2027-06-30"}`, `target: {value: "16.0", date: "2027-06-30"}`)
	g.Replace(diffValleyFile, `    - {value: "42.0", periodStart: "2026-07-01", periodEnd: "2026-09-30", reportedBy: VRH analytics}`,
		`    - {value: "42.0", periodStart: "2026-07-01", periodEnd: "2026-09-30", reportedBy: VRH analytics}
    - {value: "40.9", periodStart: "2026-10-01", periodEnd: "2026-12-31", reportedBy: VRH analytics}`)
	g.Replace(diffTelehealthFile, "  startDate: \"2026-01-01\"\n  deadline: \"2026-12-31\"\n  kpis:\n    - {name: tele-consult-turnaround-minutes",
		"  startDate: \"2026-01-01\"\n  deadline: \"2027-06-30\"\n  kpis:\n    - {name: tele-consult-turnaround-minutes")
	g.Write(diffReviewsFile, g.Read(diffReviewsFile)+`---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata:
  name: vicn-2026-12-review
spec:
  partnershipRef: {name: valley-integrated-care}
  date: "2026-12-15"
  decision: Revise
  attendees:
    - {name: Dana Whitfield, organization: Valley Regional Hospital}
    - {name: Luis Ortega, organization: Pine Ridge Community Health Center}
  notes: >-
    The home-health pilot started two months late; the partners agreed to
    ease the readmission target to 16.0% and keep the deadline.
  followUps:
    - {action: Report pilot readmissions monthly, owner: Three Rivers Home Health, due: "2027-01-31"}
`)
	g.Commit("Q4 2026 review of the Valley network; telehealth turnaround deadline moved")
}

// diffCommitIDs are masked when comparing, so that a change elsewhere in the
// diffSamplesDir (which changes every commit id) does not make the doc stale.
var diffCommitIDs = regexp.MustCompile(`\b[0-9a-f]{7}\b|\b[0-9a-f]{40}\b`)

// TestGitopsDocShowsRealOutput keeps the example in docs/gitops.md equal
// to what accordctl diff prints for the change it describes.
func TestGitopsDocShowsRealOutput(t *testing.T) {
	g := diffSampleRepo(t)
	diffSampleChange(g)
	args := []string{"diff", "-C", g.Dir, "origin/main", "HEAD", "--path", "config/samples"}
	code, md, stderr := diffRun(args...)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (the doc says so); stderr %s", code, stderr)
	}
	_, js, _ := diffRun(append(args, "-o", "json")...)

	doc := diffReadFile(t, diffGitopsDoc)
	blocks := map[string]string{diffMDBlock: "```markdown\n" + md + "```\n", diffJSONBlock: "```json\n" + js + "```\n"}
	if *updateDocs {
		for name, content := range blocks {
			doc = replaceDocBlock(t, doc, name, content)
		}
		if err := os.WriteFile(diffGitopsDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range blocks {
		got := docBlock(t, doc, name)
		if diffCommitIDs.ReplaceAllString(got, "<id>") != diffCommitIDs.ReplaceAllString(content, "<id>") {
			t.Errorf("docs/gitops.md block %q is stale; run: %s\n--- doc\n%s\n--- accordctl\n%s", name, diffRegenerate, got, content)
		}
	}
}

// TestCIExampleRunsTheDocumentedCommands pins the workflow: it is valid
// YAML, the doc shows it verbatim, and it installs, validates, diffs and
// comments.
func TestCIExampleRunsTheDocumentedCommands(t *testing.T) {
	file := diffReadFile(t, diffWorkflowFile)
	if got := docBlock(t, diffReadFile(t, diffGitopsDoc), diffFlowBlock); got != "```yaml\n"+file+"```\n" {
		t.Errorf("docs/gitops.md does not show docs/examples/accord-pr.yaml verbatim:\n%s", got)
	}
	var wf struct {
		// sigs.k8s.io/yaml reads YAML 1.1, where the key on is true;
		// GitHub reads it as "on".
		On          map[string]any `json:"true"`
		Permissions map[string]string
		Jobs        map[string]struct {
			Steps []struct {
				Uses, Run string
				With      map[string]any
			}
		}
	}
	if err := yaml.Unmarshal([]byte(file), &wf); err != nil {
		t.Fatalf("workflow is not valid YAML: %v", err)
	}
	if wf.On["pull_request"] == nil || wf.Permissions["pull-requests"] != "write" {
		t.Errorf("workflow must run on pull_request with pull-requests: write; got on=%v permissions=%v", wf.On, wf.Permissions)
	}
	var runs []string
	fetchDepth := false
	for _, j := range wf.Jobs {
		for _, s := range j.Steps {
			runs = append(runs, s.Run)
			if strings.HasPrefix(s.Uses, "actions/checkout@") && s.With["fetch-depth"] == float64(0) {
				fetchDepth = true
			}
		}
	}
	all := strings.Join(runs, "\n")
	for _, want := range []string{
		"go install github.com/accord-dev/accord/cmd/accordctl@latest",
		`accordctl validate "$PORTFOLIO"`,
		`accordctl diff "origin/$BASE_REF" HEAD --path "$PORTFOLIO" > accord-diff.md`,
		"gh pr comment \"$PR_NUMBER\" --body-file accord-diff.md",
		`startswith("<!-- accordctl-diff -->")`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("workflow steps lack %q", want)
		}
	}
	if !fetchDepth {
		t.Errorf("checkout must fetch history (fetch-depth: 0) or origin/main is unknown")
	}
}

func diffReadFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// block returns the text between "<!-- begin: NAME" and "<!-- end: NAME"
// markers (each line ends with the rest of the comment).
func docBlock(t *testing.T, doc, name string) string {
	t.Helper()
	start, end := docBlockBounds(t, doc, name)
	return doc[start:end]
}

func replaceDocBlock(t *testing.T, doc, name, content string) string {
	t.Helper()
	start, end := docBlockBounds(t, doc, name)
	return doc[:start] + content + doc[end:]
}

func docBlockBounds(t *testing.T, doc, name string) (int, int) {
	t.Helper()
	b := strings.Index(doc, "<!-- begin: "+name)
	e := strings.Index(doc, "<!-- end: "+name)
	if b < 0 || e < b {
		t.Fatalf("the doc has no block %q", name)
	}
	start := b + strings.Index(doc[b:], "\n") + 1
	return start, e
}
