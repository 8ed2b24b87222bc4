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

package prometheus

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func promtool(t *testing.T, dir string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Fatal("promtool is not installed; run `make deps` (Debian package prometheus)")
	}
	cmd := exec.Command("promtool", args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPrometheusRuleIsGeneratedFromTheRules(t *testing.T) {
	want, err := PrometheusRule(Rules)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("prometheusrule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("prometheusrule.yaml differs from accord.rules.yaml; run `go generate ./config/prometheus`")
	}
}

// TestPromtoolChecksBothForms runs `promtool check rules` on the rules file
// and on the groups the PrometheusRule carries, so the generated form is
// checked by Prometheus's own parser too.
func TestPromtoolChecksBothForms(t *testing.T) {
	out := promtool(t, ".", "check", "rules", "accord.rules.yaml")
	groups, err := ParseRules(Rules)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range groups {
		n += len(g.Rules)
	}
	if !strings.Contains(out, "SUCCESS: "+strconv.Itoa(n)+" rules found") {
		t.Errorf("promtool found a different number of rules than the file's %d:\n%s", n, out)
	}

	var pr struct {
		Spec struct {
			Groups []any `json:"groups"`
		} `json:"spec"`
	}
	b, err := os.ReadFile("prometheusrule.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &pr); err != nil {
		t.Fatal(err)
	}
	spec, err := yaml.Marshal(map[string]any{"groups": pr.Spec.Groups})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "spec.rules.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	if out := promtool(t, dir, "check", "rules", "spec.rules.yaml"); !strings.Contains(out, "SUCCESS: "+strconv.Itoa(n)+" rules found") {
		t.Errorf("the PrometheusRule's groups:\n%s", out)
	}
}

// TestPromtoolUnitTests runs the promtool unit tests of every alert.
func TestPromtoolUnitTests(t *testing.T) {
	files, err := filepath.Glob("tests/*.test.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no promtool tests in tests/: %v", err)
	}
	out := promtool(t, ".", append([]string{"test", "rules"}, files...)...)
	if strings.Contains(out, "FAILED") || !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool test rules:\n%s", out)
	}
}

type unitTests struct {
	Tests []struct {
		AlertRuleTest []struct {
			Alertname string           `json:"alertname"`
			ExpAlerts []map[string]any `json:"exp_alerts"`
		} `json:"alert_rule_test"`
	} `json:"tests"`
}

// TestEveryAlertHasUnitTests fails when an alert of the rules has no
// promtool case where it fires or none where it must stay silent: promtool
// only checks the cases it is given, so an alert without a firing case
// could have an expression that never fires.
func TestEveryAlertHasUnitTests(t *testing.T) {
	groups, err := ParseRules(Rules)
	if err != nil {
		t.Fatal(err)
	}
	fires, silent := map[string]int{}, map[string]int{}
	files, _ := filepath.Glob("tests/*.test.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var u unitTests
		if err := yaml.Unmarshal(b, &u); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tc := range u.Tests {
			for _, a := range tc.AlertRuleTest {
				if len(a.ExpAlerts) > 0 {
					fires[a.Alertname]++
				} else {
					silent[a.Alertname]++
				}
			}
		}
	}
	alerts := map[string]bool{}
	for _, g := range groups {
		for _, r := range g.Rules {
			if r.Alert == "" {
				continue
			}
			alerts[r.Alert] = true
			if fires[r.Alert] == 0 {
				t.Errorf("alert %s has no promtool case where it fires", r.Alert)
			}
			if silent[r.Alert] == 0 {
				t.Errorf("alert %s has no promtool case where it must not fire", r.Alert)
			}
		}
	}
	for name := range fires {
		if !alerts[name] {
			t.Errorf("tests name alert %s, which the rules do not have", name)
		}
	}
	if len(alerts) < 8 {
		t.Errorf("%d alerts, want at least the 8 docs/alerts.md describes", len(alerts))
	}
}

// TestAlertsCarryRoutingLabelsAndAnnotations checks what routing and the
// notification rely on: every alert has an audience and a severity, a
// portfolio alert keeps its namespace (no aggregation drops it) and has a
// dashboard link, and every alert has a summary sentence and a runbook
// anchor that docs/alerts.md has.
func TestAlertsCarryRoutingLabelsAndAnnotations(t *testing.T) {
	groups, err := ParseRules(Rules)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/alerts.md")
	if err != nil {
		t.Fatal(err)
	}
	sentence := regexp.MustCompile(`^[A-Z].*\.$`)
	for _, g := range groups {
		for _, r := range g.Rules {
			switch r.Labels["audience"] {
			case "partnership-office":
				if r.Annotations["dashboard_url"] == "" || !strings.HasPrefix(r.Annotations["dashboard_url"], DefaultDashboardURL+"/") {
					t.Errorf("%s: dashboard_url %q, want a link under %s", r.Alert, r.Annotations["dashboard_url"], DefaultDashboardURL)
				}
				if strings.Contains(r.Expr.String(), "sum by") || strings.Contains(r.Expr.String(), "max by") {
					t.Errorf("%s: aggregates, and may drop the namespace label routes use", r.Alert)
				}
			case "platform":
			default:
				t.Errorf("%s: audience %q, want partnership-office or platform", r.Alert, r.Labels["audience"])
			}
			switch r.Labels["severity"] {
			case "info", "warning", "critical":
			default:
				t.Errorf("%s: severity %q", r.Alert, r.Labels["severity"])
			}
			for _, a := range []string{"summary", "description"} {
				if !sentence.MatchString(r.Annotations[a]) {
					t.Errorf("%s: %s %q is not a sentence", r.Alert, a, r.Annotations[a])
				}
			}
			anchor := "#" + strings.ToLower(r.Alert)
			if !strings.HasSuffix(r.Annotations["runbook_url"], "docs/alerts.md"+anchor) {
				t.Errorf("%s: runbook_url %q, want docs/alerts.md%s", r.Alert, r.Annotations["runbook_url"], anchor)
			}
			if !bytes.Contains(doc, []byte("### "+r.Alert+"\n")) {
				t.Errorf("docs/alerts.md has no section ### %s for the runbook link", r.Alert)
			}
		}
	}
}

// TestExampleAlertmanagerRoutes checks docs/examples/alertmanager.yaml with
// Alertmanager's own amtool: the configuration is valid and each kind of
// alert reaches the receiver docs/alerts.md says.
func TestExampleAlertmanagerRoutes(t *testing.T) {
	if _, err := exec.LookPath("amtool"); err != nil {
		t.Fatal("amtool is not installed; run `make deps` (Debian package prometheus-alertmanager)")
	}
	const file = "../../docs/examples/alertmanager.yaml"
	if out, err := exec.Command("amtool", "check-config", file).CombinedOutput(); err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}
	for _, tc := range []struct {
		labels   []string
		receiver string
	}{
		{[]string{"alertname=AccordPartnershipAtRisk", "audience=partnership-office", "namespace=north-office", "partnership=valley"}, "north-office"},
		{[]string{"alertname=AccordReviewDue", "audience=partnership-office", "namespace=north-office", "partnership=valley"}, "north-office-email"},
		{[]string{"alertname=AccordMetricSourceUnreachable", "audience=partnership-office", "namespace=south-office"}, "south-office"},
		{[]string{"alertname=AccordPartnershipAtRisk", "audience=partnership-office", "namespace=unassigned"}, "platform-team"},
		{[]string{"alertname=AccordNoLeader", "audience=platform"}, "platform-team"},
	} {
		args := append([]string{"config", "routes", "test", "--config.file=" + file}, tc.labels...)
		out, err := exec.Command("amtool", args...).Output()
		if err != nil {
			t.Fatalf("amtool %v: %v", args, err)
		}
		if got := strings.TrimSpace(string(out)); got != tc.receiver {
			t.Errorf("%v goes to %q, want %q", tc.labels, got, tc.receiver)
		}
	}
}

// TestAlertsDocShowsTheExampleRoutes keeps the routes quoted in
// docs/alerts.md identical to the example file from `route:` on.
func TestAlertsDocShowsTheExampleRoutes(t *testing.T) {
	doc, err := os.ReadFile("../../docs/alerts.md")
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("../../docs/examples/alertmanager.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- begin: docs/examples/alertmanager.yaml -->\n```yaml\n", "```\n<!-- end: docs/examples/alertmanager.yaml -->"
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	k := bytes.Index(file, []byte("\nroute:\n"))
	if i < 0 || j < i || k < 0 {
		t.Fatal("docs/alerts.md has no quoted example routes, or the example has no route:")
	}
	if got, want := string(doc[i+len(begin):j]), string(file[k+1:]); got != want {
		t.Errorf("docs/alerts.md quotes other routes than docs/examples/alertmanager.yaml; copy the file from route: on")
	}
}
