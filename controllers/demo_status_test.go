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

package controllers_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/cli"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testoperator"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the demo's `kubectl accord status` in docs/cli.md")

const demoStatusBlock = "kubectl accord status demo"

// treeNodes matches the Kind/name of each line of a status tree.
var treeNodes = regexp.MustCompile(`(?m)^[│├└─ ]*((?:Portfolio|Partnership|Objective|KPI|MetricSource|Review)/[a-z0-9-]+)`)

// checkDemoStatus runs `kubectl accord status` against the converged demo
// portfolio in ns, as a user of `make demo` would, and checks the tree
// shows the live sources and the KPIs read from them. The example in
// docs/cli.md is this output: the values follow the calendar, so the doc
// is compared by its objects, and rewritten with -update-docs.
func checkDemoStatus(t *testing.T, ns string) {
	testoperator.WaitConverged(t, env.Client, ns, timeout)
	var out, errOut bytes.Buffer
	code := cli.Execute([]string{"kubectl-accord", "status", "--kubeconfig", testenv.WriteKubeconfig(t, env.Config, ns)},
		cli.Streams{In: strings.NewReader(""), Out: &out, Err: &errOut})
	if code != cli.ExitOK {
		t.Fatalf("kubectl accord status: exit %d: %s", code, errOut.String())
	}
	tree := out.String()
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`KPI/tele-video-connect-success \(weight 1\)  Healthy  score 100  Ready=True MetricsAvailable=True Healthy=True AtRisk=False\n`),
		regexp.MustCompile(`KPI/vicn-follow-up-7d \(weight 2\)  Healthy  score 100  Ready=True MetricsAvailable=True Healthy=True AtRisk=False\n`),
		regexp.MustCompile(`KPI/mpop-controlling-bp \(weight 1\)  Healthy  score 100  Ready=True MetricsAvailable=True Healthy=True AtRisk=False\n`),
		regexp.MustCompile(`(?m)^MetricSource/network-prometheus  Reachable  Ready=True Reachable=True\n  The source answered on `),
		regexp.MustCompile(`(?m)^MetricSource/pine-ridge-care-api  Reachable  Ready=True Reachable=True\n`),
		regexp.MustCompile(`(?m)^MetricSource/heartland-quality-fhir  Reachable  Ready=True Reachable=True\n`),
		regexp.MustCompile(`(?m)^Portfolio/rural-network  AtRisk  score \d+  Ready=True `),
	} {
		if !want.MatchString(tree) {
			t.Errorf("the demo's status tree lacks %s:\n%s", want, tree)
		}
	}

	doc := filepath.Join(env.Root, "docs", "cli.md")
	raw, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- begin: "+demoStatusBlock, "<!-- end: "+demoStatusBlock
	b, e := bytes.Index(raw, []byte(begin)), bytes.Index(raw, []byte(end))
	if b < 0 || e < b {
		t.Fatalf("%s has no block %q", doc, demoStatusBlock)
	}
	start := b + bytes.IndexByte(raw[b:], '\n') + 1
	if *updateDocs {
		block := "```text\n$ kubectl accord status    # " + time.Now().UTC().Format(time.DateOnly) + ", make demo\n" + tree + "```\n"
		raw = append(append(append([]byte{}, raw[:start]...), block...), raw[e:]...)
		if err := os.WriteFile(doc, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		e = start + len(block)
	}
	nodes := func(s string) string {
		matches := treeNodes.FindAllStringSubmatch(s, -1)
		out := make([]string, 0, len(matches))
		for _, m := range matches {
			out = append(out, m[1])
		}
		return strings.Join(out, "\n")
	}
	if got, want := nodes(string(raw[start:e])), nodes(tree); got != want {
		t.Errorf("%s block %q shows other objects than the demo has; run: go test ./controllers -run TestTheDemoPortfolioReadsEverySourceType -update-docs\n--- doc\n%s\n--- demo\n%s", doc, demoStatusBlock, got, want)
	}
}
