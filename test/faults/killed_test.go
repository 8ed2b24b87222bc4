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
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

// killedKPIs is how many reported KPIs the burst changes, half before and
// half after the slow fetch starts.
const killedKPIs = 40

// runManagerKilled runs the manager binary as its own process with leader
// election, lets it evaluate a portfolio, then changes half of 40 KPIs,
// sends a live KPI to a partner that answers slowly (its reconcile holds
// the only KPI worker), changes the other half, and SIGKILLs the process
// while some but not all KPIs reflect their last spec and the fetch is in
// flight. While no manager runs, the partner heals and publishes a new
// value and one KPI changes again. A new process must wait for the dead
// leader's Lease to expire, take it over, and bring every object to its
// last spec, with valid status, and without repeating an event.
func runManagerKilled(t *testing.T) {
	g := NewWithT(t)
	ns := namespace(t, "ManagerKilled")
	p := newPartner(t)
	// The binary runs on the real clock: the partner's data is an hour old.
	p.publish("16.2", time.Now().Add(-time.Hour))
	kubeconfig := testenv.WriteKubeconfig(t, env.Config, ns)
	logs := &processLogs{}
	first := startProcess(t, ns, kubeconfig, logs)
	g.Eventually(leaseHolder(ns)).WithTimeout(timeout).WithPolling(poll).ShouldNot(BeEmpty(), "the first manager never took the Lease")
	firstHolder := leaseHolder(ns)()

	src, live := sourceKPI(t, ns, p.URL(), p.caPEM)
	// A timeout longer than the partner's slow answer (5s): the killed
	// reconcile is waiting on the partner, not failing.
	g.Expect(env.Client.Patch(ctxT, src, client.RawPatch("application/merge-patch+json", []byte(`{"spec":{"timeout":"10s"}}`)))).To(Succeed())
	kpis := make([]*v1.KPI, 0, killedKPIs)
	for i := range killedKPIs {
		k := reportedKPI(ns, fmt.Sprintf("kpi-%03d", i), "16.2")
		g.Expect(env.Client.Create(ctxT, k)).To(Succeed())
		kpis = append(kpis, k)
	}
	g.Eventually(func() int { return len(reflecting(t, ns, kpis)) }).WithTimeout(2 * timeout).WithPolling(100 * time.Millisecond).Should(Equal(killedKPIs))
	g.Eventually(func() bool { return settled(live)() && live.Status.LastValue == "16.2" }).WithTimeout(timeout).WithPolling(poll).Should(BeTrue())
	// Events so far (on the real clock the partnership is due a review);
	// every event after this must be a transition the burst caused. The
	// partnership writes its first verdict only once its objective is
	// evaluated, so wait for it: its ReviewDue event belongs to the baseline.
	pship := &v1.Partnership{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "valley-care"}}
	g.Eventually(cond(ctxT, pship, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix("True/"))
	g.Eventually(func() int { return accordEvents(t, ns)["Partnership/valley-care ReviewDue"] }).WithTimeout(timeout).WithPolling(poll).Should(BeNumerically(">=", 1))
	baseline := accordEvents(t, ns)
	firstPage := scrape(t, first.metricsURL)
	beforeGoroutines, beforeHeap := gauge(t, firstPage, "go_goroutines"), gauge(t, firstPage, "go_memstats_heap_alloc_bytes")

	// The burst: odd KPIs become AtRisk (two breaches in a row), even ones
	// improve. The first half goes in; once one of it is evaluated, the
	// live KPI's query changes (a fetch from the now slow partner), then
	// the second half goes in behind it.
	p.set(slow)
	burst := func(part []*v1.KPI) {
		var wg sync.WaitGroup
		for _, k := range part {
			wg.Go(func() {
				if i := kpiIndex(k); i%2 == 1 {
					setReported(t, k, "18.5", "18.4")
				} else {
					setReported(t, k, "17.0", "15.9")
				}
			})
		}
		wg.Wait()
	}
	half := killedKPIs / 2
	burst(kpis[:half])
	g.Eventually(func() int { return len(reflecting(t, ns, kpis[:half])) }).WithTimeout(timeout).WithPolling(poll).Should(BeNumerically(">", 0))
	g.Expect(env.Client.Patch(ctxT, live.DeepCopy(), client.RawPatch("application/merge-patch+json",
		[]byte(`{"spec":{"source":{"query":"/rates?measure=readmissions&window=30d"}}}`)))).To(Succeed())
	g.Eventually(p.inflight.Load).WithTimeout(timeout).WithPolling(poll).Should(BeNumerically(">", 0), "the live KPI's reconcile never reached the partner")
	burst(kpis[half:])

	// The kill lands while the fetch is in flight and the burst half done.
	var done []string
	midWork := within(5*time.Second, func() bool {
		done = reflecting(t, ns, kpis)
		return p.inflight.Load() > 0 && len(done) > 0 && len(done) < killedKPIs
	})
	inflight := p.inflight.Load()
	first.kill(t)
	killedAt := time.Now()
	if !midWork {
		t.Fatalf("could not catch the manager mid-work: %d of %d KPIs reflect their last spec, %d requests in flight", len(done), killedKPIs, inflight)
	}
	t.Logf("SIGKILL with %d of %d KPIs reflecting their last spec and %d request(s) to the partner in flight", len(done), killedKPIs, inflight)

	// While no manager runs.
	p.set(healthy)
	p.publish("15.9", time.Now())
	setReported(t, kpis[0], "17.0", "15.8")

	second := startProcess(t, ns, kubeconfig, logs)
	g.Eventually(leaseHolder(ns)).WithTimeout(timeout).WithPolling(poll).ShouldNot(Or(BeEmpty(), Equal(firstHolder)), "the new manager never took the Lease over")
	takeover, sinceKill := time.Since(second.started), time.Since(killedAt)
	recoveredOK := within(2*timeout, func() bool {
		return len(reflecting(t, ns, kpis)) == killedKPIs && settled(live)() && live.Status.LastValue == "15.9" &&
			cond(ctxT, live, v1.ConditionMetricsAvailable)() == "True/DataFresh"
	})
	recovered := time.Since(second.started)
	lost := killedKPIs - len(reflecting(t, ns, kpis))
	if !recoveredOK {
		if live.Status.LastValue != "15.9" || live.Status.ObservedGeneration != live.Generation {
			lost++
		}
		t.Errorf("after the restart %d of %d KPIs reflect their last spec; the live KPI shows %q at generation %d of %d",
			killedKPIs-lost, killedKPIs, live.Status.LastValue, live.Status.ObservedGeneration, live.Generation)
	}
	assertValidStatus(t, ns, kpis)
	dupes, atRisk := assertEventsOnlyOnTransitions(t, ns, kpis, baseline)

	// The new process holds about what the old one did.
	var page string
	g.Eventually(func() float64 { page = scrape(t, second.metricsURL); return gauge(t, page, "go_goroutines") }).
		WithTimeout(20 * time.Second).WithPolling(200 * time.Millisecond).Should(BeNumerically("<=", beforeGoroutines+20))
	if heap := gauge(t, page, "go_memstats_heap_alloc_bytes"); heap > beforeHeap*2+64<<20 {
		t.Errorf("the new manager's heap is %.0f bytes; the killed one's was %.0f", heap, beforeHeap)
	}
	g.Expect(logs.paths).To(HaveLen(2))
	killedLog, err := os.ReadFile(logs.paths[0])
	g.Expect(err).NotTo(HaveOccurred())
	g.Expect(string(killedLog)).To(ContainSubstring("Starting workers"), "the killed manager's stderr is not what the leak check scans")
	assertNothingLeaked(t, second.running(logs), ns)
	record(figure{fault: "ManagerKilled",
		shows:     fmt.Sprintf("manager binary SIGKILLed with %d of %d KPI spec changes evaluated and a fetch in flight; nothing is written until a new process takes the Lease over (not released: leaseDuration=%s); %d of %d AtRisk transitions have their event, %d events beyond transitions", len(done), killedKPIs, leaseDuration, atRisk, killedKPIs/2, dupes),
		detection: fmt.Sprintf("Lease taken over %s after the new process started (%s after the kill)", wall(takeover), wall(sinceKill)),
		recovery:  wall(recovered) + " from the new process's start until every object reflects its last spec",
		lost:      lost})
}

// setReported sets a KPI's two reported values: a spec change.
func setReported(t *testing.T, kpi *v1.KPI, first, last string) {
	t.Helper()
	patch := fmt.Sprintf(`{"spec":{"reported":[{"value":%q,"periodEnd":"2026-03-31","reportedBy":"Quality office"},{"value":%q,"periodEnd":"2026-09-30","reportedBy":"Quality office"}]}}`, first, last)
	if err := env.Client.Patch(ctxT, kpi.DeepCopy(), client.RawPatch("application/merge-patch+json", []byte(patch))); err != nil {
		t.Fatal(err)
	}
}

func kpiIndex(k *v1.KPI) int {
	var i int
	_, _ = fmt.Sscanf(k.Name, "kpi-%d", &i)
	return i
}

// reflecting lists ns once and returns the names of the KPIs among want
// whose status was computed from their current spec.
func reflecting(t *testing.T, ns string, want []*v1.KPI) []string {
	t.Helper()
	list := &v1.KPIList{}
	if err := env.Client.List(ctxT, list, client.InNamespace(ns)); err != nil {
		return nil
	}
	names := map[string]bool{}
	for _, k := range want {
		names[k.Name] = true
	}
	var out []string
	for i := range list.Items {
		if k := &list.Items[i]; names[k.Name] && reflects(k) {
			out = append(out, k.Name)
		}
	}
	return out
}

// assertValidStatus checks every Accord object in ns: Ready=True for its
// current generation, every condition with a reason and a transition
// time and no newer generation than the object's, and each KPI's AtRisk
// as its last reported values make it.
func assertValidStatus(t *testing.T, ns string, kpis []*v1.KPI) {
	t.Helper()
	for _, list := range []client.ObjectList{&v1.KPIList{}, &v1.ObjectiveList{}, &v1.PartnershipList{}, &v1.MetricSourceList{}} {
		if err := env.Client.List(ctxT, list, client.InNamespace(ns)); err != nil {
			t.Fatal(err)
		}
		items, err := meta.ExtractList(list)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			o := it.(client.Object)
			id := fmt.Sprintf("%T %s", o, o.GetName())
			conds := assess.Conditions(o)
			ready := meta.FindStatusCondition(conds, v1.ConditionReady)
			if ready == nil || ready.Status != metav1.ConditionTrue || ready.ObservedGeneration != o.GetGeneration() {
				t.Errorf("%s: Ready is %+v at generation %d", id, ready, o.GetGeneration())
			}
			for _, c := range conds {
				if c.Reason == "" || c.LastTransitionTime.IsZero() || c.ObservedGeneration > o.GetGeneration() {
					t.Errorf("%s: invalid condition %+v at generation %d", id, c, o.GetGeneration())
				}
			}
		}
	}
	for _, k := range kpis {
		want := "False/"
		if kpiIndex(k)%2 == 1 {
			want = "True/"
		}
		if got := cond(ctxT, k, v1.ConditionAtRisk)(); !strings.HasPrefix(got, want) {
			t.Errorf("KPI %s: AtRisk is %s; its reported values make it %s", k.Name, got, want)
		}
	}
}

// accordEvents counts the events about Accord objects in ns by
// "Kind/name reason", repetitions the API server folded into one included.
func accordEvents(t *testing.T, ns string) map[string]int {
	t.Helper()
	evs := &corev1.EventList{}
	if err := env.Client.List(ctxT, evs, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range evs.Items {
		if e.InvolvedObject.APIVersion != v1.GroupVersion.String() {
			continue // leader election's events about the Lease
		}
		n := max(1, int(e.Count))
		if e.Series != nil {
			n = max(n, int(e.Series.Count))
		}
		out[e.InvolvedObject.Kind+"/"+e.InvolvedObject.Name+" "+e.Reason] += n
	}
	return out
}

// assertEventsOnlyOnTransitions: each odd KPI went AtRisk once, so it may
// have one AtRisk event (or none, if the kill dropped the event before it
// was sent); nothing else changed health, so there is no other event.
// Events in baseline (before the fault) are not counted. It returns the
// events beyond transitions and the AtRisk events seen.
func assertEventsOnlyOnTransitions(t *testing.T, ns string, kpis []*v1.KPI, baseline map[string]int) (dupes, atRisk int) {
	t.Helper()
	allowed := map[string]bool{}
	for _, k := range kpis {
		if kpiIndex(k)%2 == 1 {
			allowed["KPI/"+k.Name+" AtRisk"] = true
		}
	}
	evs := accordEvents(t, ns)
	var keys []string
	for k := range evs {
		if evs[k] -= baseline[k]; evs[k] > 0 {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		n := evs[k]
		switch {
		case !allowed[k]:
			dupes += n
			t.Errorf("event %s (%d) is not a transition the fault caused", k, n)
		case n > 1:
			dupes += n - 1
			t.Errorf("event %s was emitted %d times for one transition", k, n)
		}
		if strings.HasSuffix(k, " AtRisk") {
			atRisk += min(n, 1)
		}
	}
	t.Logf("%d of %d AtRisk transitions have their event; %d events beyond transitions", atRisk, len(allowed), dupes)
	return dupes, atRisk
}
