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

package argocd

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/packaging/argocdhealth"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// healthCase is the health a script must return for one fixture object.
type healthCase struct {
	name    string // metadata.name of the fixture document
	status  string
	message string
}

const (
	healthy     = argocdhealth.Healthy
	progressing = argocdhealth.Progressing
	degraded    = argocdhealth.Degraded
	suspended   = argocdhealth.Suspended
)

// handWritten are the cases in testdata/cases/<kind>.yaml, by kind.
var handWritten = map[string][]healthCase{
	"KPI": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this KPI"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 3 (the status is for generation 2)"},
		{"ready-unknown", progressing, "Waiting for the Accord operator to evaluate this KPI"},
		{"source-not-found", degraded, `MetricSource "network-prometheus" does not exist in namespace default`},
		{"off-track", degraded, "30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then (target 15.3% by 2027-06-30), 3 quarters in a row"},
		{"no-data", progressing, "Member satisfaction has no data yet"},
		{"stale-data", degraded, "Member satisfaction: the latest value (76.5% on 2026-06-30) is older than the allowed 100 days"},
		{"source-unreachable", degraded, `MetricSource "network-prometheus": cannot connect: dial (connection refused)`},
		{"on-track", healthy, "HbA1c poor control (>9%) 28.4% on 2026-09-30 is on track: 28.18% expected by then (target 25% by 2027-12-31)"},
		{"behind-plan", progressing, "Preventive care gaps closed 62% on 2026-09-30 is below the 67.27% expected by then (target 80% by 2027-12-31) (1 period; 2 in a row make it AtRisk)"},
		{"partnership-ended", healthy, "Partnership rural-transport ended on 2026-09-30; this is no longer judged (the values and score are as they stood on its last day)"},
	},
	"Objective": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this Objective"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 4 (the status is for generation 3)"},
		{"partnership-not-found", degraded, `Partnership "gone" does not exist in namespace default, so this objective counts toward nothing. Score 100: 1 of 1 KPIs on track`},
		{"critical-kpi-at-risk", degraded, `Critical KPI "vicn-readmission-rate-30d" is at risk: 30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then`},
		{"on-track", healthy, "Score 100: 2 of 2 KPIs on track"},
		{"kpi-not-found", degraded, `KPI "vicn-typo" does not exist`},
		{"no-kpis", degraded, "The objective has no KPIs"},
		{"kpis-unknown", progressing, "Not enough data: 1 of 2 KPIs have no fresh data"},
		{"partnership-ended", healthy, "Partnership rural-transport ended on 2026-09-30; this is no longer judged (the values and score are as they stood on its last day)"},
	},
	"Partnership": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this Partnership"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 4 (the status is for generation 3)"},
		{"invalid-spec", degraded, `spec.agreement.effectiveDate: invalid date "2026-13-01": want YYYY-MM-DD`},
		{"paused", suspended, "The partnership is paused. 1 of 2 objectives at risk (tele-avoid-transfers): Score 60 is below the at-risk threshold of 70"},
		{"objective-at-risk", degraded, `1 of 2 objectives at risk (vicn-reduce-readmissions): Critical KPI "vicn-readmission-rate-30d" is at risk`},
		{"healthy", healthy, "All 2 objectives are on track; the agreement is in force until 2027-03-31"},
		{"healthy-review-due", healthy, "All 2 objectives are on track; the agreement is in force until 2027-03-31. Review due: The last review was on 2026-06-12; a review was due by 2026-09-12 (every 3 months)"},
		{"not-yet-in-force", suspended, "The agreement comes into force on 2027-01-01"},
		{"expired", degraded, "The agreement expired after 2026-06-30"},
		{"no-objectives", degraded, "The partnership has no objectives"},
		{"objectives-unknown", progressing, "1 of 2 objectives not yet judged healthy: mpop-close-care-gaps"},
		{"exited", healthy, "The partnership ended on 2026-09-30, as decided at the review of 2026-06-12; it is no longer judged or reviewed"},
		{"prospect", healthy, "Not started. A prospect, before its agreement: not judged. Candidates ranked by the weights of portfolio rural-network: 1. Frontier Behavioral Health (85 of 100), 2. Basin Counseling Services (83 of 100)."},
		{"prospect-dates-passed", healthy, "Not started. A prospect, before its agreement: not judged. Candidates ranked by the weights of portfolio rural-network: 1. Frontier Behavioral Health (85 of 100), 2. Basin Counseling Services (83 of 100). Review due: The draft agreement was to come into force on 2026-10-01, which has passed while the partnership is still a prospect: sign it and set spec.desiredPhase to Active, or move the dates"},
	},
	"Portfolio": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this Portfolio"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 4 (the status is for generation 3)"},
		{"invalid-selector", degraded, `spec.selector: "in" is not a valid label selector operator`},
		{"at-risk", degraded, "2 of 3 partnerships are at risk: medicaid-population-health, valley-integrated-care"},
		{"healthy", healthy, "All 3 partnerships are healthy"},
		{"healthy-review-due", healthy, "All 3 partnerships are healthy. 1 of 3 partnerships need a review"},
		{"no-partnerships", degraded, "The selector matches no partnership"},
		{"some-unknown", progressing, "2 of 3 partnerships are healthy; the others are not yet judged"},
		{"none-under-way", healthy, "No partnership is under way yet (1 prospect not yet under way)"},
	},
	"MetricSource": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this MetricSource"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 2 (the status is for generation 1)"},
		{"no-reachable", progressing, "Waiting for the Accord operator to check this MetricSource"},
		{"answered", healthy, "The source answered on 25 November 2026 at 09:00 UTC"},
		{"values-in-git", healthy, "Values are committed in git on each KPI"},
		{"not-yet-queried", healthy, "No KPI has queried this source yet"},
		{"unauthorized", degraded, "the source answered 401 Unauthorized: check the credentials"},
	},
	"Review": {
		{"no-status", progressing, "Waiting for the Accord operator to evaluate this Review"},
		{"old-generation", progressing, "Waiting for the Accord operator to evaluate generation 4 (the status is for generation 3)"},
		{"applied", healthy, "Review of Valley Integrated Care Network on 2026-09-18 decided Continue"},
		{"partnership-not-found", degraded, `Partnership "valley" does not exist in namespace default`},
		{"no-applied", progressing, "Waiting for the Accord operator to apply this Review"},
	},
}

// fixtures reads the documents of a YAML file by metadata.name.
func fixtures(t *testing.T, file string) map[string]load.Document {
	t.Helper()
	docs, bad, err := load.Paths([]string{file}, nil)
	if err != nil || len(bad) > 0 {
		t.Fatalf("read %s: %v %v", file, err, bad)
	}
	out := map[string]load.Document{}
	for _, d := range docs {
		if _, dup := out[d.Object.GetName()]; dup {
			t.Fatalf("%s: two documents named %q", file, d.Object.GetName())
		}
		out[d.Object.GetName()] = d
	}
	return out
}

func scripts(t *testing.T) map[string]string {
	t.Helper()
	s, err := argocdhealth.LoadScripts("health")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHealthScriptsOnHandWrittenObjects(t *testing.T) {
	s := scripts(t)
	for _, kind := range argocdhealth.Kinds {
		file := filepath.Join("testdata", "cases", strings.ToLower(kind)+".yaml")
		docs := fixtures(t, file)
		tested := map[string]bool{}
		for _, c := range handWritten[kind] {
			t.Run(kind+"/"+c.name, func(t *testing.T) {
				d, ok := docs[c.name]
				if !ok {
					t.Fatalf("%s has no document named %q", file, c.name)
				}
				if d.Object.GetKind() != kind {
					t.Fatalf("%s: document %q is a %s, want %s", file, c.name, d.Object.GetKind(), kind)
				}
				got, err := argocdhealth.Run(s[kind], d.Object.Object)
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != c.status || got.Message != c.message {
					t.Errorf("got  %s: %s\nwant %s: %s", got.Status, got.Message, c.status, c.message)
				}
			})
			tested[c.name] = true
		}
		for name := range docs {
			if !tested[name] {
				t.Errorf("%s: document %q has no case in handWritten", file, name)
			}
		}
	}
}

// TestEveryKindReachesEveryStatusItUses pins down which Argo CD statuses
// each kind can report, so that adding or removing one is deliberate.
func TestEveryKindReachesEveryStatusItUses(t *testing.T) {
	want := map[string]string{
		"KPI":          "Degraded Healthy Progressing",
		"Objective":    "Degraded Healthy Progressing",
		"Partnership":  "Degraded Healthy Progressing Suspended",
		"Portfolio":    "Degraded Healthy Progressing",
		"MetricSource": "Degraded Healthy Progressing",
		"Review":       "Degraded Healthy Progressing",
	}
	for _, kind := range argocdhealth.Kinds {
		seen := map[string]bool{}
		for _, c := range handWritten[kind] {
			seen[c.status] = true
		}
		got := make([]string, 0, len(seen))
		for s := range seen {
			got = append(got, s)
		}
		slices.Sort(got)
		if strings.Join(got, " ") != want[kind] {
			t.Errorf("%s: cases cover %v, want %s", kind, got, want[kind])
		}
		// Not yet observed is Progressing for every kind, both ways.
		for _, name := range []string{"no-status", "old-generation"} {
			i := slices.IndexFunc(handWritten[kind], func(c healthCase) bool { return c.name == name })
			if i < 0 || handWritten[kind][i].status != progressing {
				t.Errorf("%s: no %s case that is Progressing", kind, name)
			}
		}
	}
}

func TestScriptsUseOnlyWhatArgoCDOpens(t *testing.T) {
	// Argo CD runs argocd-cm scripts without the string, os and io
	// libraries; Run mirrors that, so a script calling string.format would
	// fail the cases above. This guards the cheaper mistake of a method
	// call on a string (s:find), which needs the string library too.
	forbidden := regexp.MustCompile(`(^|[^\w.])(string|os|io)\.\w|:(find|format|sub|match|gsub|len|rep|upper|lower)\(`)
	for kind, s := range scripts(t) {
		if m := forbidden.FindString(s); m != "" {
			t.Errorf("%s: the script uses %q, which Argo CD does not provide", kind, m)
		}
	}
}

func TestTheConfigMapHoldsExactlyTheScripts(t *testing.T) {
	s := scripts(t)
	raw, err := os.ReadFile("argocd-cm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs, bad := load.Read("argocd-cm.yaml", strings.NewReader(string(raw)))
	if len(bad) > 0 || len(docs) != 1 {
		t.Fatalf("argocd-cm.yaml: want one document, got %d (%v)", len(docs), bad)
	}
	cm := docs[0].Object
	if cm.GetKind() != "ConfigMap" || cm.GetName() != "argocd-cm" || cm.GetNamespace() != "argocd" {
		t.Errorf("argocd-cm.yaml is %s %s/%s, want ConfigMap argocd/argocd-cm", cm.GetKind(), cm.GetNamespace(), cm.GetName())
	}
	data, _, err := unstructured.NestedStringMap(cm.Object, "data")
	if err != nil {
		t.Fatalf("argocd-cm.yaml data: %v", err)
	}
	for _, kind := range argocdhealth.Kinds {
		key := argocdhealth.ConfigMapKey(kind)
		if data[key] != s[kind] {
			t.Errorf("%s differs from health/%s: run `go generate ./config/argocd`", key, argocdhealth.ScriptFile(kind))
		}
		delete(data, key)
	}
	for key := range data {
		t.Errorf("argocd-cm.yaml has %s, which no script in health/ produces", key)
	}
	// And byte for byte, so formatting drift is caught too.
	want, err := argocdhealth.ConfigMap(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(raw) != string(want) {
		t.Errorf("argocd-cm.yaml is not what hack/argocdcm writes from health/: run `go generate ./config/argocd`")
	}
}

func TestTheExampleApplicationSyncsTheSamples(t *testing.T) {
	docs := fixtures(t, "application.yaml")
	app, ok := docs["accord-portfolio"]
	if !ok || app.Object.GetKind() != "Application" || app.Object.GetAPIVersion() != "argoproj.io/v1alpha1" {
		t.Fatalf("application.yaml: want Application accord-portfolio (argoproj.io/v1alpha1), got %v", docs)
	}
	u := app.Object.Object
	path, _, _ := unstructured.NestedString(u, "spec", "source", "path")
	if _, err := os.Stat(filepath.Join("..", "..", path, "kustomization.yaml")); err != nil {
		t.Errorf("spec.source.path %q is not a kustomize folder of this repository: %v", path, err)
	}
	repo, _, _ := unstructured.NestedString(u, "spec", "source", "repoURL")
	if !strings.Contains(repo, "REPLACE-ME") {
		t.Errorf("spec.source.repoURL %q: the placeholder must stay clearly marked", repo)
	}
	for _, field := range [][]string{{"prune"}, {"selfHeal"}} {
		on, _, _ := unstructured.NestedBool(u, append([]string{"spec", "syncPolicy", "automated"}, field...)...)
		if !on {
			t.Errorf("spec.syncPolicy.automated.%s is not true", field[0])
		}
	}
}
