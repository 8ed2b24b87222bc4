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
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	cliDoc           = "../../docs/cli.md"
	readme           = "../../README.md"
	cliDocRegenerate = "KUBEBUILDER_ASSETS=... go test ./internal/cli -run 'TestCLIDoc|TestAgainstACluster' -update-docs"
)

// keepDocBlock rewrites block name of the document at path with content
// under -update-docs, and otherwise fails the test when the block differs
// from what the command printed.
func keepDocBlock(t *testing.T, path, name, content string) {
	t.Helper()
	doc := diffReadFile(t, path)
	if *updateDocs {
		doc = replaceDocBlock(t, doc, name, content)
		if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := docBlock(t, doc, name); got != content {
		t.Errorf("%s block %q is stale (want: what accordctl prints; got: the doc); run: %s\n%s", path, name, cliDocRegenerate, firstDifference(content, got))
	}
}

// TestCLIDocShowsRealEvaluateOutput keeps the examples of `accordctl
// evaluate` in docs/cli.md equal to what it prints for the samples.
func TestCLIDocShowsRealEvaluateOutput(t *testing.T) {
	text, _, code := run(t, "", "evaluate", samples, "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	keepDocBlock(t, cliDoc, "accordctl evaluate text", "```text\n$ accordctl evaluate config/samples --now "+nov25+"\n"+text+"```\n")

	// The coverage view, and its first lines in docs/conditions.md.
	cov, _, code := run(t, "", "evaluate", samples, "--now", nov25, "--coverage")
	if code != ExitOK {
		t.Fatalf("evaluate --coverage: exit %d", code)
	}
	keepDocBlock(t, cliDoc, "accordctl evaluate coverage", "```text\n$ accordctl evaluate config/samples --now "+nov25+" --coverage\n"+cov+"```\n")
	if head := strings.Join(strings.SplitAfter(cov, "\n")[:6], ""); !strings.Contains(diffReadFile(t, "../../docs/conditions.md"), "```\n"+head+"```\n") {
		t.Errorf("docs/conditions.md's coverage example is not the first lines of accordctl evaluate --coverage:\n%s", head)
	}

	// One KPI of the JSON, picked as the doc's jq does.
	js, _, _ := run(t, "", "evaluate", samples, "--now", nov25, "-o", "json")
	var tree struct {
		Items []struct {
			Children []struct {
				Children []struct {
					Children []json.RawMessage
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(js), &tree); err != nil {
		t.Fatal(err)
	}
	// As jq prints it: indented by two, fields in accordctl's order.
	var compact, pretty bytes.Buffer
	if err := json.Compact(&compact, tree.Items[0].Children[4].Children[1].Children[0]); err != nil {
		t.Fatal(err)
	}
	if err := json.Indent(&pretty, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(pretty.String(), `"name": "vicn-readmission-rate-30d"`) {
		t.Fatalf("the doc's jq path no longer leads to the readmission KPI:\n%s", pretty.String())
	}
	keepDocBlock(t, cliDoc, "accordctl evaluate json", "```json\n$ accordctl evaluate config/samples --now "+nov25+" -o json | jq '.items[0].children[4].children[1].children[0]'\n"+pretty.String()+"\n```\n")

	_, stderr, code := run(t, "", "evaluate", samples, "--now", nov25, "--fail-on", "AtRisk,ReviewDue")
	keepDocBlock(t, cliDoc, "accordctl evaluate fail-on", fmt.Sprintf("```text\n$ accordctl evaluate config/samples --now %s --fail-on AtRisk,ReviewDue > /dev/null; echo \"exit $?\"\n%sexit %d\n```\n", nov25, stderr, code))
}

// checkStatusDocs keeps the `kubectl accord status` examples in
// docs/cli.md and the README equal to what the command printed against
// the operator's objects in namespace partnerships.
func checkStatusDocs(t *testing.T, out string) {
	t.Helper()
	keepDocBlock(t, cliDoc, "kubectl accord status", "```text\n$ kubectl accord status -n partnerships\n"+out+"```\n")
	// The README shows the start of the tree.
	lines := strings.SplitAfter(out, "\n")
	keepDocBlock(t, readme, "kubectl accord status", "```text\n$ kubectl accord status -n partnerships\n"+strings.Join(lines[:9], "")+"...\n```\n")
}

// TestCLIDocShowsRealReportOutput keeps the examples of `accordctl
// report` in docs/cli.md equal to what it writes for the samples.
func TestCLIDocShowsRealReportOutput(t *testing.T) {
	out, errOut, code := run(t, "", "report", samplePack, samples, "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	head, _, ok := strings.Cut(out, "## Agreement\n")
	if !ok {
		t.Fatalf("the pack has no agreement section:\n%s", out)
	}
	keepDocBlock(t, cliDoc, "accordctl report", "```markdown\n$ accordctl report valley-integrated-care config/samples --now "+nov25+"\n"+head+"...\n```\n")

	// The directory example runs in an empty directory, so it prints the
	// relative path a user sees.
	abs, err := filepath.Abs(samples)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := filepath.Abs(cliDoc)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	out, errOut, code = run(t, "", "report", samplePack, abs, "--now", nov25, "-o", "review-pack")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	keepDocBlock(t, doc, "accordctl report output-dir", "```text\n$ accordctl report valley-integrated-care config/samples -o review-pack\n"+out+"```\n")

	_, errOut, code = run(t, "", "report", "valley", abs)
	keepDocBlock(t, doc, "accordctl report unknown", fmt.Sprintf("```text\n$ accordctl report valley config/samples; echo \"exit $?\"\n%sexit %d\n```\n", errOut, code))
}
