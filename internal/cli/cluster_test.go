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
	"context"
	"encoding/json"
	"fmt"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/localeval"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testoperator"
)

func createNamespace(t *testing.T, c client.Client, name string) {
	t.Helper()
	if err := c.Create(context.Background(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}); err != nil {
		t.Fatal(err)
	}
}

// createWithStatus creates obj and then writes its status through the
// status subresource, as the operator would.
func createWithStatus(t *testing.T, c client.Client, obj client.Object) {
	t.Helper()
	ctx := context.Background()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	status, hasStatus := m["status"]
	delete(m, "status")
	if err := c.Create(ctx, u); err != nil {
		t.Fatalf("create %s/%s: %v", u.GetKind(), u.GetName(), err)
	}
	if !hasStatus {
		return
	}
	u.Object["status"] = status
	if err := c.Status().Update(ctx, u); err != nil {
		t.Fatalf("write the status of %s/%s: %v", u.GetKind(), u.GetName(), err)
	}
}

// judgedSamples are the sample objects in namespace with the statuses an
// evaluation on 2026-11-25 gives them.
func judgedSamples(t *testing.T, namespace string) *portfolio.Set {
	t.Helper()
	docs, bad, err := load.Paths([]string{samples}, nil)
	if err != nil || len(bad) > 0 {
		t.Fatalf("load samples: %v %v", err, bad)
	}
	objs, errs := portfolio.Read(docs, portfolio.Options{Namespace: namespace, AsStored: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	now, _ := time.Parse(time.RFC3339, nov25)
	localeval.Evaluate(context.Background(), objs, now, nil)
	return objs
}

// TestAgainstACluster runs every test that needs a cluster against one
// control plane, started once.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func TestAgainstACluster(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	})
	c := env.Client

	t.Run("small cells stay out of every output", func(t *testing.T) { smallCellsStayOutOfEveryOutput(t, env) })

	t.Run("status prints the live portfolio as a tree", func(t *testing.T) {
		createNamespace(t, c, "status-samples")
		objs := judgedSamples(t, "status-samples")
		for _, o := range objs.All() {
			createWithStatus(t, c, o)
		}
		kubeconfig := testenv.WriteKubeconfig(t, env.Config, "status-samples")
		out, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		// The same statuses make the same tree as evaluate prints.
		golden(t, "samples-2026-11-25.txt", out)

		js, _, code := run(t, "", "status", "--kubeconfig", kubeconfig, "-o", "json")
		var tree struct {
			Items []struct {
				Kind, Namespace, Name, Verdict string
				Children                       []json.RawMessage
			}
		}
		if err := json.Unmarshal([]byte(js), &tree); code != ExitOK || err != nil {
			t.Fatalf("exit %d, %v:\n%s", code, err, js)
		}
		first := tree.Items[0]
		if first.Kind != "Portfolio" || first.Namespace != "status-samples" || first.Verdict != "AtRisk" || len(first.Children) != 5 {
			t.Errorf("first item %s/%s/%s %s with %d children, want the AtRisk portfolio in status-samples with 5 partnerships", first.Kind, first.Namespace, first.Name, first.Verdict, len(first.Children))
		}

		// A gate for CI: the tree, then exit 1 naming what is due a review.
		out, errOut, code = run(t, "", "status", "--kubeconfig", kubeconfig, "--fail-on", "ReviewDue")
		if want := "Error: --fail-on ReviewDue: 3 finding(s): Portfolio/rural-network (ReviewDue), Partnership/telehealth-specialty-consults (ReviewDue), Partnership/valley-integrated-care (ReviewDue)\n"; code != ExitFindings || errOut != want || !strings.HasPrefix(out, "Portfolio/rural-network") {
			t.Errorf("--fail-on ReviewDue: exit %d, stderr %q, stdout starts %q; want exit %d and %q", code, errOut, strings.SplitN(out, "\n", 2)[0], ExitFindings, want)
		}
	})

	t.Run("status -A heads each namespace and shows objects not yet evaluated", func(t *testing.T) {
		createNamespace(t, c, "status-a")
		createNamespace(t, c, "status-b")
		docs, bad := load.Read("objects", strings.NewReader(`
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: reported, namespace: status-a}
spec: {type: Reported}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: first-review, namespace: status-b}
spec: {partnershipRef: {name: not-yet-committed}, date: "2026-10-01", decision: Continue}
`))
		if len(bad) > 0 {
			t.Fatal(bad)
		}
		objs, errs := portfolio.Read(docs, portfolio.Options{AsStored: true})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		localeval.Evaluate(context.Background(), objs, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), nil)
		createWithStatus(t, c, objs.MetricSources[0])
		review := objs.Reviews[0]
		review.Status = v1.ReviewStatus{} // as if the operator had not run yet
		createWithStatus(t, c, review)

		out, errOut, code := run(t, "", "status", "--kubeconfig", testenv.WriteKubeconfig(t, env.Config, "default"), "-A")
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{
			"Namespace status-a\nMetricSource/reported  Reachable  Ready=True Reachable=True\n  Values are committed in git on each KPI\n",
			"Namespace status-b\nReview/first-review (partnership not-yet-committed does not exist)  Pending\n  not yet evaluated by the operator\n",
			"Namespace status-samples\nPortfolio/rural-network  AtRisk",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("status -A lacks %q:\n%s", want, out)
			}
		}
	})

	t.Run("status of a namespace without Accord objects says so", func(t *testing.T) {
		out, errOut, code := run(t, "", "status", "--kubeconfig", testenv.WriteKubeconfig(t, env.Config, "default"), "-n", "kube-public")
		if code != ExitOK || out != "" || errOut != "No Accord objects found in namespace kube-public.\n" {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})

	t.Run("status and evaluate print the conditions the operator writes", func(t *testing.T) {
		const ns = "partnerships"
		createNamespace(t, c, ns)
		objs, err := manifests.Build(samples)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range objs {
			u.SetNamespace(ns)
			if err := c.Create(context.Background(), u); err != nil {
				t.Fatal(err)
			}
		}
		now, _ := time.Parse(time.RFC3339, nov25)
		testoperator.Start(t, env.Config, c, clocktesting.NewFakeClock(now), ns)
		testoperator.WaitConverged(t, c, ns, 60*time.Second)

		kubeconfig := testenv.WriteKubeconfig(t, env.Config, ns)
		live, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig, "-o", "json")
		if code != ExitOK {
			t.Fatalf("status: exit %d: %s", code, errOut)
		}
		offline, errOut, code := run(t, "", "evaluate", samples, "-n", ns, "--now", nov25, "-o", "json")
		if code != ExitOK {
			t.Fatalf("evaluate: exit %d: %s", code, errOut)
		}
		if live != offline {
			t.Errorf("accordctl evaluate differs from what the operator wrote:\n%s", firstDifference(live, offline))
		}

		// What a user sees: the examples in docs/cli.md and the README.
		text, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig)
		if code != ExitOK {
			t.Fatalf("status: exit %d: %s", code, errOut)
		}
		checkStatusDocs(t, text)

		// Beyond the tree: every status field the operator wrote (scores,
		// values, history, dates, condition times) is what evaluate computes.
		for _, o := range judgedSamples(t, ns).All() {
			got := o.DeepCopyObject().(client.Object)
			if err := c.Get(context.Background(), client.ObjectKeyFromObject(o), got); err != nil {
				t.Fatal(err)
			}
			if a, b := statusJSON(t, got), statusJSON(t, o); a != b {
				t.Errorf("%T %s status:\noperator: %s\nevaluate: %s", o, o.GetName(), a, b)
			}
		}
		// Among them the samples' win and lapsing BAA, so the equality
		// covers both (issue 17).
		caseload := &v1.KPI{}
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "vicn-care-coordinator-caseload"}, caseload); err != nil ||
			caseload.Status.TargetMetDate != "2026-09-30" {
			t.Errorf("the operator's caseload KPI: targetMetDate %q (%v), want the sample's win on 2026-09-30", caseload.Status.TargetMetDate, err)
		}
		valley := &v1.Partnership{}
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "valley-integrated-care"}, valley); err != nil ||
			!strings.Contains(statusJSON(t, valley), `"reason":"BAAExpiresBeforeAgreement"`) || len(valley.Status.Expiries) != 3 ||
			valley.Status.Expiries[0].State != v1.ExpiryExpiringSoon {
			t.Errorf("the operator's valley-integrated-care: %v, expiries %+v; want Compliant=False (BAAExpiresBeforeAgreement), its BAA expiring first of 3", err, valley.Status.Expiries)
		}

		// The comparison above covers the coverage and the hours given:
		// the operator wrote them (so their equality is not two empty
		// fields).
		pf := &v1.Portfolio{}
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "rural-network"}, pf); err != nil {
			t.Fatal(err)
		}
		if cv := pf.Status.Coverage; cv == nil || fmt.Sprint(cv.Gaps, cv.Overlaps) != "[behavioral-health-access] [care-coordination]" {
			t.Errorf("the operator's coverage of the samples: %+v, want gap behavioral-health-access and overlap care-coordination", cv)
		}
		vicn := &v1.Partnership{}
		if err := c.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: "valley-integrated-care"}, vicn); err != nil {
			t.Fatal(err)
		}
		if got := meta.FindStatusCondition(vicn.Status.Conditions, v1.ConditionHoursDelivered); got == nil || got.Status != metav1.ConditionFalse || got.Reason != "HoursShortfall" {
			t.Errorf("valley-integrated-care HoursDelivered = %+v, want False/HoursShortfall", got)
		}

		// The review pack from what the operator wrote is the pack from
		// the files, in both formats; an unknown partnership lists those
		// in the namespace.
		for _, format := range []string{"markdown", "html"} {
			live, errOut, code := run(t, "", "report", samplePack, "--from-cluster", "--kubeconfig", kubeconfig, "--now", nov25, "--format", format, samples)
			if code != ExitOK {
				t.Fatalf("report --from-cluster: exit %d: %s", code, errOut)
			}
			offline, errOut, code := run(t, "", "report", samplePack, samples, "-n", ns, "--now", nov25, "--format", format)
			if code != ExitOK {
				t.Fatalf("report: exit %d: %s", code, errOut)
			}
			if live != offline || !strings.Contains(live, "vicn-readmission-rate-30d") {
				t.Errorf("%s pack from the cluster differs from the pack from the files:\n%s", format, firstDifference(offline, live))
			}
		}
		// Without files, the pack says how to get the changes.
		live, errOut, code = run(t, "", "report", samplePack, "--from-cluster", "--kubeconfig", kubeconfig, "--now", nov25)
		if want := "give the portfolio's files as PATH to list them.\n"; code != ExitOK || !strings.HasSuffix(live, want) {
			t.Errorf("report --from-cluster without files: exit %d (%s), pack ends %q; want %q", code, errOut, live[max(0, len(live)-120):], want)
		}
		_, errOut, code = run(t, "", "report", "valley", "--from-cluster", "--kubeconfig", kubeconfig)
		if want := `Error: partnership "valley" not found in namespace partnerships of the cluster at ` + env.Config.Host +
			"; it has: behavioral-health-partner, medicaid-population-health, rural-transport-pilot, telehealth-specialty-consults, valley-integrated-care\n"; code != ExitUsage || errOut != want {
			t.Errorf("unknown partnership: exit %d, stderr %q; want exit %d and %q", code, errOut, ExitUsage, want)
		}
	})

	// Last: it removes the CRDs from this control plane.
	t.Run("status exits 2 when the CRDs are not installed", func(t *testing.T) {
		for _, plural := range []string{"portfolios", "partnerships", "objectives", "kpis", "reviews", "metricsources"} {
			crd := &unstructured.Unstructured{}
			crd.SetAPIVersion("apiextensions.k8s.io/v1")
			crd.SetKind("CustomResourceDefinition")
			crd.SetName(plural + ".portfolio.accord.dev")
			if err := c.Delete(context.Background(), crd); err != nil {
				t.Fatal(err)
			}
		}
		kubeconfig := testenv.WriteKubeconfig(t, env.Config, "default")
		want := "Error: the Accord CRDs are not installed in the cluster at " + env.Config.Host + ` (context "envtest"): install them with ` + "`kubectl apply -k config/crd`"
		gomega.NewWithT(t).Eventually(func() string {
			_, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig)
			return fmt.Sprintf("exit %d: %s", code, errOut)
		}).WithTimeout(30 * time.Second).WithPolling(200 * time.Millisecond).Should(gomega.HavePrefix(fmt.Sprintf("exit %d: %s", ExitUsage, want)))
	})
}

func statusJSON(t *testing.T, o client.Object) string {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(m["status"])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestStatusExitsTwoWhenTheClusterCannotBeReached(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	kubeconfig := testenv.WriteKubeconfig(t, &rest.Config{Host: "https://" + addr, BearerToken: "unused"}, "default")
	out, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig)
	want := `Error: cannot reach the cluster at https://` + addr + ` (context "envtest"): `
	if code != ExitUsage || out != "" || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, "connection refused") {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q ... connection refused", code, out, errOut, ExitUsage, want)
	}
}

func TestStatusExitsTwoWithoutAKubeconfig(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "missing"))
	t.Setenv("HOME", t.TempDir())
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	_, errOut, code := run(t, "", "status")
	if code != ExitUsage || !strings.Contains(errOut, "no cluster is configured: set KUBECONFIG or pass --kubeconfig") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
