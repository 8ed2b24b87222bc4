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
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

const gitopsDoc = "../../docs/gitops.md"

// commitIDs are the commit ids accordctl prints, which differ per run.
var commitIDs = regexp.MustCompile(`Committed [0-9a-f]{12} on`)

// TestGitopsDocShowsTheOfficePaths keeps the "For the partnership office"
// examples of docs/gitops.md equal to what accordctl prints and writes.
func TestGitopsDocShowsTheOfficePaths(t *testing.T) {
	samplesAbs, err := filepath.Abs("../../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := filepath.Abs(gitopsDoc) // the test runs in the office's checkout
	if err != nil {
		t.Fatal(err)
	}
	repo := testgit.Init(t)
	repo.CopyDir(samplesAbs, "config/samples")
	repo.Commit("The sample portfolio")
	for k, v := range map[string]string{
		"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "HOME": t.TempDir(),
		"GIT_AUTHOR_NAME": "Dana Whitfield", "GIT_AUTHOR_EMAIL": "dana@valley-health.example",
		"GIT_COMMITTER_NAME": "Dana Whitfield", "GIT_COMMITTER_EMAIL": "dana@valley-health.example",
	} {
		t.Setenv(k, v)
	}
	t.Chdir(repo.Dir)

	// 1. record value, with --commit.
	before := repo.Read("config/samples/valley-integrated-care.yaml")
	args := []string{"record", "value", "vicn-readmission-rate-30d", "--value", "16.9%", "--period", "2026-Q4",
		"--reported-by", "VRH quality office", "--document", "https://docs.valley-health.example/quality/2026-q4.pdf", "--commit", "config/samples"}
	out, errOut, code := run(t, "", args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out = commitIDs.ReplaceAllString(out, "Committed 3f2c9a1b7d4e on")
	cmdline := "$ accordctl record value vicn-readmission-rate-30d --value 16.9% --period 2026-Q4 \\\n    --reported-by \"VRH quality office\" \\\n    --document https://docs.valley-health.example/quality/2026-q4.pdf --commit config/samples\n"
	keepDocBlock(t, doc, "office record value", "```console\n"+cmdline+out+"```\n")
	diff := repo.Git("diff", "--unified=1", "main", "HEAD", "--", "config/samples/valley-integrated-care.yaml")
	diff = diff[strings.Index(diff, "@@"):]
	keepDocBlock(t, doc, "office record value diff", "```diff\n"+diff+"\n```\n")
	keepDocBlock(t, doc, "office commit message", "```text\n"+repo.Git("log", "-1", "--format=%B")+"\n```\n")
	if repo.Read("config/samples/valley-integrated-care.yaml") == before {
		t.Fatal("nothing recorded")
	}

	// 2. import values, preview.
	repo.Git("switch", "--quiet", "main")
	csv := "kpi,period,value,reported_by\n" +
		"vicn-ed-visits-per-1000,2026-Q4,40.9,VRH analytics\n" +
		"vicn-readmission-rate-30d,2026-Q4,16.9%,VRH quality office\n" +
		"mpop-shared-savings,2026-Q4,\"$845,000\",Heartland finance\n" +
		"tele-consult-volume,2026-Q4,\"1,012\",UMC telehealth office\n"
	if err := os.WriteFile(filepath.Join(repo.Dir, "q4-2026.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	keepDocBlock(t, doc, "office import csv", "```csv\n"+csv+"```\n")
	out, errOut, code = run(t, "", "import", "values", "q4-2026.csv", "--path", "config/samples")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	keepDocBlock(t, doc, "office import preview", "```console\n$ accordctl import values q4-2026.csv --path config/samples\n"+out+"```\n")

	// 3. A row that is wrong: all or nothing.
	bad := csv + "vicn-patient-satisfaction,2026-Q4,\"74,5\",Patient experience team\nmpop-shared-savings,2027-Q1,1.5m,Heartland finance\n"
	if err := os.WriteFile(filepath.Join(repo.Dir, "q4-2026.csv"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = run(t, "", "import", "values", "q4-2026.csv", "--path", "config/samples", "--write")
	if code != 1 || out != "" {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	keepDocBlock(t, doc, "office import errors", "```console\n$ accordctl import values q4-2026.csv --path config/samples --write\n"+errOut+"$ echo $?\n1\n```\n")
}
