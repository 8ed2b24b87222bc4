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

package kstatuscheck

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testoperator"
)

var kinds = []string{"Partnership", "Objective", "KPI", "MetricSource", "Review", "Portfolio"}

// dangling are objects whose own spec names an object that does not
// exist: the operator cannot evaluate them until someone fixes the spec.
const dangling = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: dangling-objective}
spec:
  partnershipRef: {name: no-such-partnership}
  statement: Reduce readmissions by 15% by 2027-06-30.
  startDate: "2025-07-01"
  deadline: "2027-06-30"
  kpis:
    - {name: vicn-readmission-rate-30d, weight: 1}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: dangling-kpi}
spec:
  displayName: Readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  maxAge: 100d
  source:
    sourceRef: {name: no-such-source}
    query: readmissions
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: dangling-review}
spec:
  partnershipRef: {name: no-such-partnership}
  date: "2026-09-18"
  decision: Continue
  attendees: [{name: Dana, organization: Alpha Hospital}]
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: refused-source}
spec:
  type: Prometheus
  endpoint: http://127.0.0.1:1
  timeout: 2s
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: refused-source-kpi}
spec:
  displayName: Readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  maxAge: 100d
  source:
    sourceRef: {name: refused-source}
    query: readmission_rate
`

// condition returns the status of the condition of type typ, or "".
func condition(u *unstructured.Unstructured, typ string) string {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			return fmt.Sprint(m["status"])
		}
	}
	return ""
}

func list(t *testing.T, env *testenv.Env, kind, ns string) []unstructured.Unstructured {
	t.Helper()
	l := &unstructured.UnstructuredList{}
	l.SetAPIVersion("portfolio.accord.dev/v1alpha1")
	l.SetKind(kind + "List")
	if err := env.Client.List(context.Background(), l, client.InNamespace(ns)); err != nil {
		t.Fatalf("list %s: %v", kind, err)
	}
	return l.Items
}

func create(t *testing.T, env *testenv.Env, ns string, objs []*unstructured.Unstructured) {
	t.Helper()
	for _, u := range objs {
		u.SetNamespace(ns)
		if err := env.Client.Create(context.Background(), u); err != nil {
			t.Fatalf("create %s %s: %v", u.GetKind(), u.GetName(), err)
		}
	}
}

func parse(t *testing.T, docs string) []*unstructured.Unstructured {
	t.Helper()
	var out []*unstructured.Unstructured
	for doc := range strings.SplitSeq(docs, "\n---\n") {
		u := &unstructured.Unstructured{}
		if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	return out
}

// TestKstatusReadsTheOperatorsObjects runs kstatus over the objects the
// operator wrote in a real API server and checks what docs/gitops.md
// promises Flux and other kstatus readers:
//
//   - evaluated for the current generation: Current, whatever the verdict
//     (at risk, review due, a live source failing at run time);
//   - evaluated for an older generation: InProgress;
//   - not yet evaluated, no status at all: Current, kstatus's reading of
//     an object without status (a known gap, docs/gitops.md);
//   - a spec the operator cannot evaluate (a reference to a missing
//     object): Failed.
func TestKstatusReadsTheOperatorsObjects(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	})
	ctx := context.Background()
	const ns, idle = "kstatus", "kstatus-unwatched"
	for _, n := range []string{ns, idle} {
		if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}}); err != nil {
			t.Fatal(err)
		}
	}
	samples, err := manifests.Build("../../../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	create(t, env, ns, samples)
	create(t, env, ns, parse(t, dangling))
	// The same samples where no operator looks: never evaluated.
	again, err := manifests.Build("../../../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	create(t, env, idle, again)

	testoperator.Start(t, env.Config, env.Client, clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)), ns)
	testoperator.WaitConverged(t, env.Client, ns, 90*time.Second)

	type row struct{ state, kind, name, want, got, message string }
	var rows []row
	check := func(state, want string, u *unstructured.Unstructured) {
		res, err := status.Compute(u)
		if err != nil {
			t.Errorf("%s %s %s: kstatus: %v", state, u.GetKind(), u.GetName(), err)
			return
		}
		rows = append(rows, row{state, u.GetKind(), u.GetName(), want, res.Status.String(), res.Message})
	}
	isDangling := map[string]bool{"dangling-objective": true, "dangling-kpi": true, "dangling-review": true}
	covered := map[string]map[string]bool{}
	mark := func(state, kind string) {
		if covered[state] == nil {
			covered[state] = map[string]bool{}
		}
		covered[state][kind] = true
	}
	for _, kind := range kinds {
		items := list(t, env, kind, ns)
		for i := range items {
			u := &items[i]
			if isDangling[u.GetName()] {
				check("dangling reference", status.FailedStatus.String(), u)
				mark("dangling", kind)
				continue
			}
			state := "evaluated"
			switch {
			case kind == "MetricSource" && condition(u, "Reachable") == "False":
				state = "source failing"
			case kind == "KPI" && condition(u, "MetricsAvailable") == "False":
				state = "no fresh data"
			case condition(u, "AtRisk") == "True":
				state = "at risk"
			}
			check(state, status.CurrentStatus.String(), u)
			mark("evaluated", kind)
			mark(state, kind)
			// The same object just after a spec change (generation moves
			// on, the status is still the operator's, for the old one).
			older := u.DeepCopy()
			older.SetGeneration(u.GetGeneration() + 1)
			check("older generation", status.InProgressStatus.String(), older)
			mark("older", kind)
		}
		for _, u := range list(t, env, kind, idle) {
			// Known gap: with no status at all kstatus has nothing to read
			// and says Current (docs/gitops.md); only the Ready condition,
			// absent here, tells.
			if condition(&u, "Ready") != "" {
				t.Errorf("%s %s in an unwatched namespace has a Ready condition", kind, u.GetName())
			}
			check("not yet evaluated", status.CurrentStatus.String(), &u)
			mark("unevaluated", kind)
		}
	}
	// A source that failed at run time, named explicitly so the case
	// cannot silently disappear from the samples.
	if !covered["source failing"]["MetricSource"] {
		t.Errorf("no MetricSource was Reachable=False; the test wants a source failing at run time (refused-source)")
	}

	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(strings.Compare(a.state, b.state), strings.Compare(a.kind+a.name, b.kind+b.name))
	})
	mismatch := 0
	for _, r := range rows {
		if r.got != r.want {
			mismatch++
			t.Errorf("%s %s %s: kstatus says %s (%q), want %s", r.state, r.kind, r.name, r.got, r.message, r.want)
		}
	}
	for _, state := range []string{"evaluated", "older", "unevaluated"} {
		for _, kind := range kinds {
			if !covered[state][kind] {
				t.Errorf("no %s %s was checked", state, kind)
			}
		}
	}
	for _, kind := range []string{"Objective", "KPI", "Review"} {
		if !covered["dangling"][kind] {
			t.Errorf("no dangling %s was checked", kind)
		}
	}
	summary := map[string]int{}
	for _, r := range rows {
		summary[r.state+" -> "+r.got]++
	}
	t.Logf("kstatus over %d objects, %d not as documented: %v", len(rows), mismatch, summary)
}
