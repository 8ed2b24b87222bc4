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

package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/testsupport/testprom"
)

// setLastReported changes the KPI's latest reported value: a spec change.
func setLastReported(t *testing.T, kpi *v1.KPI, value string) {
	t.Helper()
	if err := env.Client.Patch(ctxT, kpi.DeepCopy(), lastReportedPatch(value)); err != nil {
		t.Fatal(err)
	}
}

func lastReportedPatch(value string) client.Patch {
	return client.RawPatch("application/merge-patch+json", fmt.Appendf(nil,
		`{"spec":{"reported":[{"value":"17.3","periodEnd":"2026-03-31","reportedBy":"Quality office"},{"value":%q,"periodEnd":"2026-09-30","reportedBy":"Quality office"}]}}`, value))
}

// patchRetrying sends patch as a GitOps tool would: an API server that
// times out under a burst (1,000 concurrent PATCHes on a loaded 2-core
// machine hit its request timeout) is asked again, with client-go's
// backoff. It returns how many attempts were retried.
func patchRetrying(patch client.Patch, obj client.Object) (int, error) {
	attempts := 0
	err := retry.OnError(wait.Backoff{Steps: 5, Duration: 200 * time.Millisecond, Factor: 2, Jitter: 0.2}, retryable, func() error {
		attempts++
		return env.Client.Patch(ctxT, obj, patch)
	})
	return attempts - 1, err
}

// retryable is a timeout or an overloaded API server, not a refusal.
func retryable(err error) bool {
	var netErr net.Error
	return apierrors.IsTimeout(err) || apierrors.IsServerTimeout(err) || apierrors.IsTooManyRequests(err) ||
		apierrors.IsInternalError(err) || errors.As(err, &netErr) || errors.Is(err, context.DeadlineExceeded)
}

// reflectsSpec is true once the KPI's status was computed from its
// current spec: the generation is observed and the last value is the
// last reported one.
func reflectsSpec(kpi *v1.KPI) bool {
	if err := env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), kpi); err != nil {
		return false
	}
	return reflects(kpi)
}

// reflects is reflectsSpec on a copy already read.
func reflects(kpi *v1.KPI) bool {
	want := kpi.Spec.Reported[len(kpi.Spec.Reported)-1].Value
	got, err := resource.ParseQuantity(kpi.Status.LastValue)
	return err == nil && kpi.Status.ObservedGeneration == kpi.Generation && want != nil && got.Cmp(*want) == 0
}

func wall(d time.Duration) string { return d.Round(10*time.Millisecond).String() + " wall" }

// runAPIServerRestart stops kube-apiserver under a running manager,
// restarts it, changes a spec: the same manager must evaluate it.
func runAPIServerRestart(t *testing.T) {
	g := NewWithT(t)
	ns, r, kpi, before := evaluatedKPI(t, "APIServerRestart")

	g.Expect(env.StopAPIServer()).To(Succeed())
	g.Expect(env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), kpi)).NotTo(Succeed(), "the API server still answers")
	g.Expect(env.StartAPIServer()).To(Succeed())
	start := time.Now()
	g.Eventually(func() error { return env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), kpi) }).WithTimeout(timeout).WithPolling(poll).Should(Succeed())
	setLastReported(t, kpi, "15.8")
	ok := within(2*timeout, func() bool { return reflectsSpec(kpi) })
	recovered := time.Since(start)
	lost := 0
	if !ok {
		lost = 1
		t.Errorf("the spec change after the API server came back was not evaluated: value %q, generation %d of %d", kpi.Status.LastValue, kpi.Status.ObservedGeneration, kpi.Generation)
	}
	assertBounded(t, before, 20)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "APIServerRestart", shows: "status cannot be written while the API server is down; the manager keeps running and its watches resume",
		detection: "n/a (the API server is the channel)", recovery: wall(recovered) + " from the API server's restart to the next spec change evaluated", lost: lost})
}

// runEtcdCompaction compacts etcd past the revisions the manager's
// watches started from, then makes the watches reconnect (API server
// restart), so they must re-list: changes before and after must land.
func runEtcdCompaction(t *testing.T) {
	g := NewWithT(t)
	ns, r, kpi, before := evaluatedKPI(t, "EtcdCompaction")
	for i := 1; i <= 20; i++ {
		setLastReported(t, kpi, fmt.Sprintf("16.%02d", i))
	}
	rev := etcdRevision(t)
	compactEtcd(t, rev)
	g.Expect(env.StopAPIServer()).To(Succeed())
	g.Expect(env.StartAPIServer()).To(Succeed())
	start := time.Now()
	g.Eventually(func() error { return env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), kpi) }).WithTimeout(timeout).WithPolling(poll).Should(Succeed())
	setLastReported(t, kpi, "15.7")
	ok := within(2*timeout, func() bool { return reflectsSpec(kpi) })
	recovered := time.Since(start)
	lost := 0
	if !ok {
		lost = 1
		t.Errorf("after compaction the KPI shows %q at generation %d of %d", kpi.Status.LastValue, kpi.Status.ObservedGeneration, kpi.Generation)
	}
	assertBounded(t, before, 20)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "EtcdCompaction", shows: fmt.Sprintf("etcd compacted at revision %d; watches re-list after reconnecting", rev),
		detection: "n/a", recovery: wall(recovered) + " from the API server's return to the next spec change evaluated", lost: lost})
}

// etcdRevision reads etcd's current revision through its JSON gateway.
func etcdRevision(t *testing.T) int64 {
	t.Helper()
	var out struct {
		Header struct {
			Revision string `json:"revision"`
		} `json:"header"`
	}
	etcdPost(t, "/v3/kv/range", `{"key":"Lw==","limit":1}`, &out)
	rev, err := strconv.ParseInt(out.Header.Revision, 10, 64)
	if err != nil || rev == 0 {
		t.Fatalf("etcd revision %q: %v", out.Header.Revision, err)
	}
	return rev
}

func compactEtcd(t *testing.T, rev int64) {
	t.Helper()
	etcdPost(t, "/v3/kv/compaction", fmt.Sprintf(`{"revision":%d,"physical":true}`, rev), &struct{}{})
	// Reading below the compacted revision must now fail.
	resp, err := http.Post(strings.TrimSuffix(env.EtcdURL(), "/")+"/v3/kv/range", "application/json",
		strings.NewReader(fmt.Sprintf(`{"key":"Lw==","limit":1,"revision":%d}`, rev-1)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode == http.StatusOK {
		t.Fatalf("etcd still serves revision %d after compacting at %d", rev-1, rev)
	}
}

func etcdPost(t *testing.T, path, body string, out any) {
	t.Helper()
	resp, err := http.Post(strings.TrimSuffix(env.EtcdURL(), "/")+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("etcd %s: %v", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("etcd %s: %d %s", path, resp.StatusCode, buf.String())
	}
	if err := json.Unmarshal(buf.Bytes(), out); err != nil {
		t.Fatalf("etcd %s: %v", path, err)
	}
}

// runConflictingWriters has another client rewrite the KPI's status (its
// own condition, with resourceVersion checks) while spec changes make the
// operator write it too: neither writer's last update may be lost.
func runConflictingWriters(t *testing.T) {
	g := NewWithT(t)
	ns, r, kpi, before := evaluatedKPI(t, "ConflictingWriters")

	const writes = 40
	var conflicts atomic.Int32
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 1; i <= writes; i++ {
			// Generous retries: the operator writes as often as this does.
			err := retry.RetryOnConflict(wait.Backoff{Steps: 50, Duration: 10 * time.Millisecond, Factor: 1.2, Jitter: 0.2}, func() error {
				k := &v1.KPI{}
				if err := env.Client.Get(ctxT, client.ObjectKeyFromObject(kpi), k); err != nil {
					return err
				}
				meta.SetStatusCondition(&k.Status.Conditions, metav1.Condition{Type: "ExternalAudit", Status: metav1.ConditionTrue,
					Reason: "Audited", Message: fmt.Sprintf("audit %d", i)})
				err := env.Client.Status().Update(ctxT, k)
				if err != nil && strings.Contains(err.Error(), "modified") {
					conflicts.Add(1)
				}
				return err
			})
			if err != nil {
				t.Errorf("audit write %d: %v", i, err)
			}
		}
	})
	for i := 1; i <= 20; i++ {
		setLastReported(t, kpi, fmt.Sprintf("16.%02d", i))
	}
	wg.Wait()
	start := time.Now()
	lost := 0
	if !within(timeout, func() bool { return reflectsSpec(kpi) }) {
		lost++
		t.Errorf("the operator's status does not reflect the last spec: %q at generation %d of %d", kpi.Status.LastValue, kpi.Status.ObservedGeneration, kpi.Generation)
	}
	settledIn := time.Since(start)
	if c := meta.FindStatusCondition(kpi.Status.Conditions, "ExternalAudit"); c == nil || c.Message != fmt.Sprintf("audit %d", writes) {
		lost++
		t.Errorf("the other writer's last condition was lost: %+v", c)
	}
	g.Expect(cond(ctxT, kpi, v1.ConditionReady)()).To(Equal("True/Evaluated"))
	t.Logf("the other writer met %d resourceVersion conflicts", conflicts.Load())
	assertBounded(t, before, 10)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "ConflictingWriters", shows: fmt.Sprintf("%d conflicts on the other writer's side; the operator retries its optimistic-lock patches quietly", conflicts.Load()),
		detection: "n/a", recovery: wall(settledIn) + " from the last write to a settled status", lost: lost})
}

// runClockJump moves the clock forward past a review date, a KPI's maxAge
// and one objective's deadline (not another's), changes the KPI's spec
// while the clock is there, then moves it back before all of them:
// conditions and outcomes must follow both ways, and the spec change made
// in the future must be the one evaluated after the jump back.
func runClockJump(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "ClockJump")
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	pship := newPartnership(ns)
	g.Expect(env.Client.Create(ctxT, pship)).To(Succeed())
	g.Expect(env.Client.Create(ctxT, &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "q3-review"},
		Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley-care"}, Date: "2026-10-15", Decision: v1.DecisionContinue}})).To(Succeed())
	kpi := reportedKPI(ns, "readmissions", "16.2")
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	// The jump crosses the first objective's deadline, not the second's.
	dueSoon := newObjective(ns, "due-2027-01-31", "2027-01-31", kpi.Name)
	dueLater := newObjective(ns, "due-2027-12-31", "2027-12-31", kpi.Name)
	g.Expect(env.Client.Create(ctxT, dueSoon)).To(Succeed())
	g.Expect(env.Client.Create(ctxT, dueLater)).To(Succeed())
	g.Eventually(cond(ctxT, pship, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix("False/"))
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	for _, o := range []*v1.Objective{dueSoon, dueLater} {
		g.Eventually(outcome(o)).WithTimeout(timeout).WithPolling(poll).Should(Equal("OnTrack/True/OnTrack"), "objective %s before the jump", o.Name)
	}
	before := measure()

	jump := func(to time.Time, review, data, soon, later string) time.Duration {
		start := time.Now()
		clk.SetTime(to)
		for _, o := range []client.Object{pship, kpi, dueSoon, dueLater} {
			kick(ctxT, t, o)
		}
		g.Eventually(cond(ctxT, pship, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix(review))
		g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal(data))
		g.Eventually(outcome(dueSoon)).WithTimeout(timeout).WithPolling(poll).Should(Equal(soon), "objective %s at %s", dueSoon.Name, to)
		g.Eventually(outcome(dueLater)).WithTimeout(timeout).WithPolling(poll).Should(Equal(later), "objective %s at %s", dueLater.Name, to)
		return time.Since(start)
	}
	// Forward past the next review (2027-01-15), the data's maxAge (100
	// days after 2026-09-30) and the first deadline (2027-01-31).
	forward := jump(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC), "True/", "False/StaleData",
		"Missed/Unknown/KPIsUnknown", "Unknown/Unknown/KPIsUnknown")
	// A spec change while the clock is in the future must not be lost.
	setLastReported(t, kpi, "16.1")
	g.Eventually(func() bool { return settled(kpi)() && kpi.Status.LastValue == "16.1" }).WithTimeout(timeout).WithPolling(poll).Should(BeTrue())
	back := jump(today, "False/", "True/DataFresh", "OnTrack/True/OnTrack", "OnTrack/True/OnTrack")
	lost := 0
	if !reflectsSpec(kpi) {
		lost++
		t.Errorf("after the jump back the KPI shows %q at generation %d of %d; its spec says 16.1", kpi.Status.LastValue, kpi.Status.ObservedGeneration, kpi.Generation)
	}
	for _, o := range []*v1.Objective{dueSoon, dueLater} {
		if o.Status.ObservedGeneration != o.Generation {
			lost++
			t.Errorf("objective %s observed generation %d of %d", o.Name, o.Status.ObservedGeneration, o.Generation)
		}
	}
	assertBounded(t, before, 10)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "ClockJump", shows: "forward 96 days: Partnership ReviewDue=True, KPI MetricsAvailable=False/StaleData, the objective due 2027-01-31 projectedOutcome=Missed (the one due 2027-12-31 Unknown: stale data); a spec change made there lands; back: all clear, both objectives OnTrack",
		detection: "next evaluation after the jump + " + wall(forward), recovery: "next evaluation after the jump back + " + wall(back), lost: lost})
}

// outcome reads an objective's "projectedOutcome/Healthy status/reason".
func outcome(o *v1.Objective) func() string {
	return func() string {
		if err := env.Client.Get(ctxT, client.ObjectKeyFromObject(o), o); err != nil {
			return "get: " + err.Error()
		}
		c := meta.FindStatusCondition(o.Status.Conditions, v1.ConditionHealthy)
		if c == nil {
			return string(o.Status.ProjectedOutcome) + "/no Healthy condition"
		}
		return string(o.Status.ProjectedOutcome) + "/" + string(c.Status) + "/" + c.Reason
	}
}

// runBurst fires spec changes at many KPIs at once, several per KPI:
// every KPI must end evaluated from its last spec.
func runBurst(t *testing.T) {
	g := NewWithT(t)
	kpis, perKPI := 10, 10
	if fullSuite() {
		kpis, perKPI = 50, 20
	}
	ns := namespace(t, "Burst")
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	all := make([]*v1.KPI, 0, kpis)
	for i := range kpis {
		k := reportedKPI(ns, fmt.Sprintf("kpi-%03d", i), "16.2")
		g.Expect(env.Client.Create(ctxT, k)).To(Succeed())
		all = append(all, k)
	}
	g.Eventually(func() bool {
		for _, k := range all {
			if !reflectsSpec(k) {
				return false
			}
		}
		return true
	}).WithTimeout(2 * timeout).WithPolling(200 * time.Millisecond).Should(BeTrue())
	before := measure()

	start := time.Now()
	var (
		wg      sync.WaitGroup
		retries atomic.Int64
		errs    = make(chan error, kpis*perKPI)
	)
	for _, k := range all {
		for j := 1; j <= perKPI; j++ {
			wg.Go(func() {
				n, err := patchRetrying(lastReportedPatch(fmt.Sprintf("15.%02d", j)), k.DeepCopy())
				retries.Add(int64(n))
				if err != nil {
					errs <- fmt.Errorf("%s: %w", k.Name, err)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a spec change was not accepted after retries: %v", err)
	}
	sent := time.Since(start)
	pending := func() int {
		n := 0
		for _, k := range all {
			if !reflectsSpec(k) {
				n++
			}
		}
		return n
	}
	lost := 0
	if !within(3*timeout, func() bool { return pending() == 0 }) {
		lost = pending()
		t.Errorf("%d of %d KPIs do not reflect their last spec", lost, kpis)
		for _, k := range all {
			if !reflectsSpec(k) {
				t.Logf("%s: generation %d, observed %d, spec value %s, status value %q, conditions %+v", k.Name, k.Generation,
					k.Status.ObservedGeneration, k.Spec.Reported[len(k.Spec.Reported)-1].Value.String(), k.Status.LastValue, k.Status.Conditions)
			}
		}
	}
	recovered := time.Since(start)
	assertBounded(t, before, 20)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "Burst", shows: fmt.Sprintf("%d spec changes (%d KPIs x %d) sent concurrently in %s (%d retried after an API server timeout)", kpis*perKPI, kpis, perKPI, wall(sent), retries.Load()),
		detection: "n/a", recovery: wall(recovered) + " from the first change until every KPI reflects its last spec", lost: lost})
}

// runPrometheusDown stops a real Prometheus under a KPI and restarts it.
func runPrometheusDown(t *testing.T) {
	g := NewWithT(t)
	observed := time.Now().UTC().Truncate(time.Minute).Add(-20 * time.Minute)
	prom := testprom.Start(t, "# TYPE accord_readmission_rate gauge\n"+
		testprom.Sample("accord_readmission_rate", `partner="vrh"`, 16.2, observed)+"# EOF\n")
	ns := namespace(t, "PrometheusDown")
	// Prometheus evaluates at the time Accord asks for: the clock sits
	// just after the history.
	clk := clocktesting.NewFakeClock(observed.Add(time.Minute))
	r := startManager(t, clk, managerSpec{})
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "network-prometheus"},
		Spec: v1.MetricSourceSpec{Type: v1.SourcePrometheus, Endpoint: prom.URL, MinInterval: "1m", Timeout: "2s"}}
	g.Expect(env.Client.Create(ctxT, src)).To(Succeed())
	kpi := newKPI(ns, "readmissions")
	kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: src.Name}, Query: `last_over_time(accord_readmission_rate{partner="vrh"}[1h])`}
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	before := measure()

	prom.Stop()
	dc, dw := evaluations(ctxT, t, clk, kpi, v1.ConditionMetricsAvailable, "False/SourceUnreachable", evaluation, 4)
	g.Expect(kpi.Status.LastValue).To(Equal("16.2"))
	prom.Restart(t)
	rc, rw := evaluations(ctxT, t, clk, kpi, v1.ConditionMetricsAvailable, "True/DataFresh", evaluation, 4)
	g.Eventually(cond(ctxT, src, v1.ConditionReachable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Answered"))
	lost := 0
	if kpi.Status.LastValue != "16.2" {
		lost = 1
	}
	assertBounded(t, before, 10)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "PrometheusDown", shows: "KPI MetricsAvailable=False/SourceUnreachable, last value kept; MetricSource Reachable=False/SourceUnreachable",
		detection: evaluationsTook(dc, dw), recovery: evaluationsTook(rc, rw), lost: lost})
}

// evaluatedKPI starts a manager on a fresh namespace with one reported KPI,
// waits until its status reflects the spec, and measures goroutines and heap
// before the fault.
func evaluatedKPI(t *testing.T, fault string) (string, *running, *v1.KPI, budget) {
	t.Helper()
	ns := namespace(t, fault)
	r := startManager(t, clocktesting.NewFakeClock(today), managerSpec{})
	kpi := reportedKPI(ns, "readmissions", "16.2")
	g := NewWithT(t)
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	g.Eventually(func() bool { return reflectsSpec(kpi) }).WithTimeout(timeout).WithPolling(poll).Should(BeTrue())
	return ns, r, kpi, measure()
}
