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
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

// tarpitKPIs is how many KPIs, each with its own query, read the tarpit:
// more than the KPI reconciler's workers.
const tarpitKPIs = 12

// onTime bounds how long the other namespace's KPI may take to get its
// value while the tarpit holds its requests: well under the tarpit
// source's 60s timeout, which is what it waited for before.
const onTime = 15 * time.Second

// runTarpit (issue 18, test 5): a namespace's source accepts connections
// and never answers, with the longest timeout allowed (60s), and more
// distinct queries on it than the KPI reconciler has workers; a KPI in
// another namespace against a healthy source is still evaluated on time,
// and the tarpit's KPIs say they are waiting.
func runTarpit(t *testing.T) {
	g := NewWithT(t)
	var holding, peak atomic.Int32
	release := make(chan struct{})
	pit := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := holding.Add(1)
		defer holding.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); pit.Close() })
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{reconcilers: controllers.DefaultMaxConcurrentReconciles})

	hostile := namespace(t, "Tarpit")
	g.Expect(env.Client.Create(ctxT, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: hostile, Name: "tarpit"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: pit.URL, MinInterval: "1m", Timeout: "60s", MaxConcurrency: 50}})).To(Succeed())
	stuck := make([]*v1.KPI, 0, tarpitKPIs)
	for i := range tarpitKPIs {
		kpi := newKPI(hostile, fmt.Sprintf("stuck-%d", i))
		kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "tarpit"}, Query: fmt.Sprintf("/q%d", i), JSONPath: "{.rate}"}
		g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
		stuck = append(stuck, kpi)
	}
	// The tarpit holds as many requests as it will get before the other
	// tenant's KPI is created.
	g.Eventually(holding.Load).WithTimeout(timeout).WithPolling(poll).Should(BeNumerically(">=", 4))

	other := namespace(t, "TarpitNeighbour")
	p := newPartner(t)
	start := time.Now()
	_, kpi := sourceKPI(t, other, p.URL(), p.caPEM)
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(onTime).WithPolling(poll).Should(Equal("True/DataFresh"),
		"the other namespace's KPI was not evaluated within %s while a tarpit held %d requests", onTime, holding.Load())
	took := time.Since(start)
	g.Expect(kpi.Status.LastValue).To(Equal("16.2"))
	for _, k := range stuck {
		g.Eventually(cond(ctxT, k, v1.ConditionMetricsAvailable)).WithTimeout(onTime).WithPolling(poll).Should(Equal("False/Timeout"), "KPI %s", k.Name)
	}
	g.Expect(stuck[0].Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("has not answered within"))))
	g.Expect(peak.Load()).To(BeNumerically("<=", 8), "one namespace held more than its share of the fetch pool")
	t.Logf("the neighbour's KPI got its value %s after creation; the tarpit held at most %d requests", took, peak.Load())
	assertNothingLeaked(t, r, hostile, other)
	record(figure{fault: "Tarpit", shows: fmt.Sprintf("%d KPIs on a source that never answers (timeout 60s) MetricsAvailable=False/Timeout (waiting); at most %d of its requests at once; a KPI in another namespace True/DataFresh", tarpitKPIs, peak.Load()),
		detection: "neighbour evaluated " + wall(took) + " after creation", recovery: "n/a (the tarpit's requests end at their 60s deadline)", lost: 0})
}

// heapBound is what the 64 MiB answer may add to the operator's heap at
// its peak: the ceiling's 4 MiB read (and io.ReadAll's growth) with room
// for the collector's lag, far from the 1.8 GiB decoding it whole took.
const heapBound = 64 << 20

// runHugeArray (issue 18, test 6): a source answers a 64 MiB JSON array
// of zeros, with spec.maxResponseBytes at its 64 MiB maximum; decoded
// whole, an 8 MiB one took 245 MiB. The operator's ceiling
// (--max-response-bytes, 4 MiB) refuses it as ResponseTooLarge, and the
// heap stays under heapBound above where it was, sampled every
// millisecond while the KPI is evaluated.
func runHugeArray(t *testing.T) {
	g := NewWithT(t)
	const size = 64 << 20
	chunk := []byte(strings.Repeat("0,", 32<<10))
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"rate":1,"pad":[`)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			served.Add(int64(len(chunk)))
		}
		_, _ = fmt.Fprint(w, `0]}`)
	}))
	t.Cleanup(srv.Close)
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{})
	ns := namespace(t, "HugeArray")

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var s runtime.MemStats
			runtime.ReadMemStats(&s)
			if s.HeapInuse > base && s.HeapInuse-base > peak.Load() {
				peak.Store(s.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	start := time.Now()
	g.Expect(env.Client.Create(ctxT, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "huge"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: srv.URL, MinInterval: "1m", Timeout: "30s", MaxResponseBytes: 64 << 20}})).To(Succeed())
	kpi := newKPI(ns, "huge")
	kpi.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "huge"}, Query: "/", JSONPath: "{.rate}"}
	g.Expect(env.Client.Create(ctxT, kpi)).To(Succeed())
	g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/ResponseTooLarge"))
	took := time.Since(start)
	close(stop)
	wg.Wait()
	g.Expect(kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring("--max-response-bytes"))))
	t.Logf("a 64 MiB array (%d MiB of it sent before the operator hung up): peak heap %d MiB above the start (bound %d MiB)",
		served.Load()>>20, peak.Load()>>20, heapBound>>20)
	g.Expect(peak.Load()).To(BeNumerically("<", uint64(heapBound)), "the operator's heap grew by %d MiB reading a 64 MiB answer", peak.Load()>>20)
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "HugeArray", shows: fmt.Sprintf("a 64 MiB JSON array (maxResponseBytes 64 MiB): KPI MetricsAvailable=False/ResponseTooLarge naming --max-response-bytes (4 MiB); peak heap +%d MiB (bound %d MiB)", peak.Load()>>20, heapBound>>20),
		detection: "first evaluation + " + wall(took), recovery: "n/a (a smaller answer, or a larger ceiling within the budget)", lost: 0})
}

// runDNSRebinding (issue 18, test 2, with the operator): the allow-list
// names *.partner.example; the partner's DNS (a server the test runs)
// answers two of its names with 127.0.0.1 and 169.254.169.254. The
// manager's dialer checks the address each name resolves to when it
// connects: both KPIs are SourceNotAllowed saying where the name points,
// and the listener on 127.0.0.1 receives no connection.
func runDNSRebinding(t *testing.T) {
	g := NewWithT(t)
	target := listen(t, "tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(target.addr)
	resolver := sourcestest.DNSServer(t, map[string]netip.Addr{
		"rebind.partner.example": netip.MustParseAddr("127.0.0.1"),
		"meta.partner.example":   netip.MustParseAddr("169.254.169.254"),
	})
	clk := clocktesting.NewFakeClock(today)
	r := startManager(t, clk, managerSpec{allowedHosts: "*.partner.example", allowedCIDRs: "none", resolver: resolver})
	ns := namespace(t, "DNSRebinding")
	start := time.Now()
	for _, c := range []struct{ name, host, says string }{
		{"rebind", "rebind.partner.example", "resolves to 127.0.0.1, a loopback address"},
		{"metadata", "meta.partner.example", "resolves to 169.254.169.254, a cloud metadata address"},
	} {
		kpi := liveKPI(t, ns, c.name, "HTTPJSON", "http://"+c.host+":"+port, "/rates")
		g.Eventually(cond(ctxT, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/SourceNotAllowed"), "KPI %s", c.name)
		g.Expect(kpi.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring(c.says))))
	}
	took := time.Since(start)
	g.Expect(target.conns.Load()).To(BeZero(), "the internal address received a connection")
	assertNothingLeaked(t, r, ns)
	record(figure{fault: "DNSRebinding", shows: "allowed names resolving to 127.0.0.1 and 169.254.169.254: KPIs MetricsAvailable=False/SourceNotAllowed naming the address; zero connections",
		detection: "first evaluation + " + wall(took), recovery: "n/a (an administrator's allowance)", lost: 0})
}
