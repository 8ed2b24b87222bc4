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
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/accord-dev/accord/internal/cli/portfoliotree"
)

const samples = "../../config/samples"

// nov25 is the moment every sample test judges at; the operator tests use
// the same fake clock.
const nov25 = "2026-11-25T09:00:00Z"

func TestEvaluateTheSamplePortfolio(t *testing.T) {
	out, errOut, code := run(t, "", "evaluate", samples, "--now", nov25)
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	golden(t, "samples-2026-11-25.txt", out)
	// What follows from the sample data (see config/samples): readmissions
	// above the glide path for three quarters, care-gap closure behind,
	// telehealth not reviewed since June on a quarterly cadence.
	for _, line := range []string{
		"Portfolio/rural-network  AtRisk  score 89  Ready=True Healthy=False AtRisk=True ReviewDue=True",
		"KPI/vicn-readmission-rate-30d (weight 3, critical)  AtRisk  score 47  Ready=True MetricsAvailable=True Healthy=False AtRisk=True",
		"30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then (target 15.3% by 2027-06-30), 3 quarters in a row",
		"Objective/mpop-close-care-gaps  AtRisk  score 65  Ready=True Healthy=False AtRisk=True",
		"Partnership/telehealth-specialty-consults  Healthy  score 100  Ready=True Healthy=True AtRisk=False ReviewDue=True",
		"review due: The last review was on 2026-06-12; a review was due by 2026-09-12 (every 3 months)",
		"KPI/vicn-care-coordinator-caseload (weight 1)  Healthy  score 100",
		"MetricSource/network-prometheus  NotQueried  Ready=True Reachable=Unknown",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("the tree lacks %q", line)
		}
	}
}

func TestEvaluateJSONHoldsTheSameJudgement(t *testing.T) {
	out, _, code := run(t, "", "evaluate", samples, "--now", "2026-11-25", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var tree struct{ Items []*portfoliotree.Node }
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	pf := tree.Items[0]
	if pf.Kind != "Portfolio" || pf.Name != "rural-network" || pf.Verdict != "AtRisk" || len(pf.Children) != 5 {
		t.Fatalf("first item: %s/%s %s with %d children, want the AtRisk portfolio with 5 partnerships (one ended, one a prospect)", pf.Kind, pf.Name, pf.Verdict, len(pf.Children))
	}
	var readmissions *portfoliotree.Node
	var walk func(n *portfoliotree.Node)
	walk = func(n *portfoliotree.Node) {
		if n.Kind == "KPI" && n.Name == "vicn-readmission-rate-30d" {
			readmissions = n
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(pf)
	if readmissions == nil {
		t.Fatal("no vicn-readmission-rate-30d under the portfolio")
	}
	got := map[string]string{}
	for _, c := range readmissions.Conditions {
		got[c.Type] = c.Status + "/" + c.Reason
	}
	want := map[string]string{"Ready": "True/Evaluated", "MetricsAvailable": "True/DataFresh", "Healthy": "False/OffTrack", "AtRisk": "True/OffTrack"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("readmission KPI conditions %v, want %v", got, want)
	}
}

func TestEvaluateJudgesAsOfNow(t *testing.T) {
	// On 2026-08-01 the telehealth partnership's quarterly review (last
	// held 2026-06-12) is not yet due; on 2026-11-25 it is.
	early, _, _ := run(t, "", "evaluate", samples, "--now", "2026-08-01")
	late, _, _ := run(t, "", "evaluate", samples, "--now", "2026-11-25")
	const due = "Partnership/telehealth-specialty-consults  Healthy  score 100  Ready=True Healthy=True AtRisk=False ReviewDue=True"
	if strings.Contains(early, due) || !strings.Contains(late, due) {
		t.Errorf("ReviewDue on telehealth: on 2026-08-01 %v, on 2026-11-25 %v; want false then true",
			strings.Contains(early, due), strings.Contains(late, due))
	}
}

func TestEvaluateReadsStandardInput(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(samples, "valley-integrated-care.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, string(raw), "evaluate", "-", "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// No portfolio among these documents: the partnership is a root.
	if !strings.HasPrefix(out, "Partnership/valley-integrated-care (in no portfolio)  AtRisk") {
		t.Errorf("stdout starts %q", strings.SplitN(out, "\n", 2)[0])
	}
}

func TestEvaluateReportsDocumentsItCannotReadAndJudgesTheRest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "portfolio.yaml")
	manifest := `apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: orphan}
spec: {partnershipRef: {name: gone}, date: "2026-10-01", decision: Continue}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: broken}
spec: {historyLimit: many}
`
	if err := os.WriteFile(file, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "evaluate", file, "--now", nov25)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	if want := file + "#1: spec.historyLimit: Invalid value: got a string, want an integer"; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	if !strings.Contains(out, "Review/orphan (partnership gone does not exist)  NotApplied") {
		t.Errorf("the readable document was not judged:\n%s", out)
	}
}

// A misspelt field is refused, as validate and the API server refuse it,
// not judged as if it were absent: "tolerence: 5" would otherwise judge
// the KPI with no tolerance at all.
func TestEvaluateRefusesUnknownFieldsThatValidateRefuses(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kpi.yaml")
	manifest := `apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: misspelt}
spec:
  displayName: Readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerence: "5"
  reported:
    - {value: "17.9", periodEnd: "2025-09-30", reportedBy: Quality office}
`
	if err := os.WriteFile(file, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "evaluate", file, "--now", nov25)
	if code != ExitFindings {
		t.Errorf("exit %d, want %d", code, ExitFindings)
	}
	if want := file + "#0: KPI misspelt: unknown field spec.tolerence"; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	if strings.Contains(out, "KPI/misspelt") {
		t.Errorf("the KPI with an unknown field was judged:\n%s", out)
	}
	_, vErr, vCode := run(t, "", "validate", file)
	if vCode == ExitOK {
		t.Errorf("validate accepts the file (exit %d): %s", vCode, vErr)
	}
}

func TestEvaluateUsageErrorsExitTwo(t *testing.T) {
	for _, c := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no path", []string{"evaluate"}, "requires at least 1 arg"},
		{"a path that does not exist", []string{"evaluate", "no/such/dir"}, "read no/such/dir: stat no/such/dir: no such file or directory"},
		{"a bad --now", []string{"evaluate", samples, "--now", "next tuesday"}, `--now "next tuesday": want a date (YYYY-MM-DD) or an RFC 3339 time`},
		{"an unknown output", []string{"evaluate", samples, "-o", "yaml"}, `invalid argument "yaml" for "-o, --output" flag: want text or json`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, errOut, code := run(t, "", c.args...)
			if code != ExitUsage || !strings.Contains(errOut, c.stderr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, ExitUsage, c.stderr)
			}
		})
	}
}

func TestEvaluateLiveReadsSourcesWithSecretsFromTheFiles(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0ken" || r.URL.Path != "/api/wait" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = fmt.Fprint(w, `{"data": {"days": 9}}`)
	}))
	defer srv.Close()
	dir := t.TempDir()
	manifest := fmt.Sprintf(`apiVersion: v1
kind: Secret
metadata: {name: partner-token, labels: {portfolio.accord.dev/credential: "true"}, annotations: {portfolio.accord.dev/allowed-hosts: 127.0.0.1}}
stringData: {token: t0ken}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: partner}
spec: {type: HTTPJSON, endpoint: "%s/api", auth: {bearerToken: {name: partner-token, key: token}}}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: wait}
spec:
  displayName: Days to appointment
  unit: days
  direction: LowerIsBetter
  baseline: {value: "20", date: "2026-01-01"}
  target: {value: "10", date: "2027-01-01"}
  source: {sourceRef: {name: partner}, query: wait, jsonPath: "{.data.days}"}
`, srv.URL)
	if err := os.WriteFile(filepath.Join(dir, "live.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	offline, _, _ := run(t, "", "evaluate", dir, "--now", nov25)
	if !strings.Contains(offline, "data: MetricSource \"partner\" is a live HTTPJSON source, which accordctl evaluate reads only with --live") {
		t.Errorf("without --live:\n%s", offline)
	}
	live, errOut, code := run(t, "", "evaluate", dir, "--now", nov25, "--live", "--allowed-source-cidrs=127.0.0.0/8")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"KPI/wait (referenced by no objective)  Healthy  score 100  Ready=True MetricsAvailable=True Healthy=True AtRisk=False",
		"Days to appointment 9 days on 2026-11-25 meets the target (target 10 days by 2027-01-01)",
		"MetricSource/partner  Reachable  Ready=True Reachable=True",
	} {
		if !strings.Contains(live, want) {
			t.Errorf("with --live the tree lacks %q:\n%s", want, live)
		}
	}
	if strings.Contains(live, "t0ken") {
		t.Error("the token reached the output")
	}
}

// --live from a CI runner must not become request forgery: an endpoint on
// loopback, or on the cloud metadata address, is refused at connect time
// as the operator refuses it, and the server hears nothing. Only
// --allowed-source-cidrs lets a private range in, never metadata.
func TestEvaluateLiveRefusesInternalAddressesLikeTheOperator(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = fmt.Fprint(w, `{"data": {"days": 9}}`)
	}))
	defer srv.Close()
	manifest := func(endpoint string) string {
		return fmt.Sprintf(`apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: partner}
spec: {type: HTTPJSON, endpoint: %q, timeout: 2s}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: wait}
spec:
  displayName: Days to appointment
  unit: days
  direction: LowerIsBetter
  baseline: {value: "20", date: "2026-01-01"}
  target: {value: "10", date: "2027-01-01"}
  source: {sourceRef: {name: partner}, query: wait, jsonPath: "{.data.days}"}
`, endpoint)
	}
	cases := []struct {
		name, endpoint string
		args           []string
		want           string
	}{
		{"loopback without an allowance", srv.URL + "/api", nil, "resolves to 127.0.0.1, a loopback address"},
		{"loopback outside the hosts allowed", srv.URL + "/api", []string{"--allowed-source-hosts=reports.partner.example", "--allowed-source-cidrs=127.0.0.0/8"}, "is not among the hosts"},
		{"cloud metadata even with its range allowed", "http://169.254.169.254/latest", []string{"--allowed-source-cidrs=169.254.0.0/16"}, "a cloud metadata address"},
		{"the unspecified address", "http://0.0.0.0" + srv.URL[strings.LastIndex(srv.URL, ":"):] + "/api", []string{"--allowed-source-cidrs=0.0.0.0/0"}, "the unspecified address"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "live.yaml")
			if err := os.WriteFile(file, []byte(manifest(c.endpoint)), 0o644); err != nil {
				t.Fatal(err)
			}
			out, errOut, _ := run(t, "", append([]string{"evaluate", file, "--now", nov25, "--live"}, c.args...)...)
			if !strings.Contains(out, "MetricsAvailable=False") || !strings.Contains(out, c.want) {
				t.Errorf("want the source refused, saying %q:\n%s%s", c.want, out, errOut)
			}
			if n := hits.Load(); n != 0 {
				t.Fatalf("the server was contacted %d times", n)
			}
		})
	}
	// The same files with loopback allowed: read, so the refusals above
	// came from the allowance and nothing else.
	file := filepath.Join(t.TempDir(), "live.yaml")
	if err := os.WriteFile(file, []byte(manifest(srv.URL+"/api")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "evaluate", file, "--now", nov25, "--live", "--allowed-source-cidrs=127.0.0.0/8")
	if code != ExitOK || hits.Load() != 1 || !strings.Contains(out, "MetricsAvailable=True") {
		t.Fatalf("with loopback allowed: exit %d after %d requests:\n%s%s", code, hits.Load(), out, errOut)
	}
}

func TestEvaluateFailOnGatesOnTheChosenConditions(t *testing.T) {
	dir := t.TempDir()
	// A KPI on a source that does not exist: Ready=False.
	if err := os.WriteFile(filepath.Join(dir, "typo.yaml"), []byte(`apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: typo}
spec:
  displayName: Typo
  direction: LowerIsBetter
  baseline: {value: "20", date: "2026-01-01"}
  target: {value: "10", date: "2027-01-01"}
  source: {sourceRef: {name: no-such-source}, query: q}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		paths  []string
		failOn string
		code   int
		stderr string
	}{
		{"without --fail-on an at-risk portfolio exits 0", []string{samples}, "", ExitOK, ""},
		{"AtRisk names every at-risk object once", []string{samples}, "AtRisk", ExitFindings,
			"Error: --fail-on AtRisk: 7 finding(s): Portfolio/rural-network (AtRisk), Partnership/medicaid-population-health (AtRisk), Objective/mpop-close-care-gaps (AtRisk), KPI/mpop-care-gap-closure (AtRisk), Partnership/valley-integrated-care (AtRisk), Objective/vicn-reduce-readmissions (AtRisk), KPI/vicn-readmission-rate-30d (AtRisk)\n"},
		{"ReviewDue names the objects due a review", []string{samples}, "ReviewDue", ExitFindings,
			"Error: --fail-on ReviewDue: 3 finding(s): Portfolio/rural-network (ReviewDue), Partnership/telehealth-specialty-consults (ReviewDue), Partnership/valley-integrated-care (ReviewDue)\n"},
		{"NotReady passes the samples", []string{samples}, "NotReady", ExitOK, ""},
		{"NotReady catches a KPI on a missing source", []string{dir}, "NotReady,ReviewDue", ExitFindings,
			"Error: --fail-on NotReady,ReviewDue: 1 finding(s): KPI/typo (NotReady)\n"},
		{"an unknown choice is a usage error", []string{samples}, "Red", ExitUsage,
			`Error: invalid argument "Red" for "--fail-on" flag: "Red" is not a choice: want one or more of AtRisk, ReviewDue, NotReady, comma-separated` + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"evaluate", "--now", nov25}, c.paths...)
			if c.failOn != "" {
				args = append(args, "--fail-on", c.failOn)
			}
			out, errOut, code := run(t, "", args...)
			if code != c.code || errOut != c.stderr {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, errOut, c.code, c.stderr)
			}
			if c.code != ExitUsage && !strings.Contains(out, "KPI/") {
				t.Errorf("the tree was not printed before the verdict:\n%s", out)
			}
		})
	}
}
