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
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

// today is where every fake clock starts.
var today = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const (
	timeout = 60 * time.Second
	poll    = 25 * time.Millisecond
)

func TestMain(m *testing.M) {
	e, err := testenv.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	env = e
	code := m.Run()
	printFigures(os.Stdout)
	removeManagerBinary()
	if err := e.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// fullSuite is true under `make faults` (ACCORD_FAULTS=all); `go test`
// alone runs the short subset, so that `make test` stays quick.
func fullSuite() bool { return os.Getenv("ACCORD_FAULTS") == "all" }

// figure is one row of the table docs/reliability.md publishes.
type figure struct {
	fault     string
	shows     string
	detection string
	recovery  string
	lost      int
}

var (
	figuresMu sync.Mutex
	figures   []figure
)

func record(f figure) {
	figuresMu.Lock()
	defer figuresMu.Unlock()
	figures = append(figures, f)
}

// printFigures prints the measured rows as a Markdown table.
func printFigures(w io.Writer) {
	figuresMu.Lock()
	defer figuresMu.Unlock()
	if len(figures) == 0 {
		return
	}
	slices.SortStableFunc(figures, func(a, b figure) int { return strings.Compare(a.fault, b.fault) })
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	// tabwriter buffers; a write error shows at Flush.
	_, _ = fmt.Fprintln(tw, "\n| fault\t| conditions during the fault\t| detection\t| recovery\t| updates lost\t| reproduce\t|")
	_, _ = fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|---\t|---\t|")
	for _, f := range figures {
		_, _ = fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s\t| %d\t| `make faults FAULT=%s`\t|\n", f.fault, f.shows, f.detection, f.recovery, f.lost, f.fault)
	}
	_ = tw.Flush()
}

// fault is one entry of the suite; short ones also run in `make test`.
type fault struct {
	name  string
	short bool
	run   func(t *testing.T)
}

// TestFaults runs every fault as a subtest named after it.
func TestFaults(t *testing.T) {
	for _, f := range allFaults() {
		t.Run(f.name, func(t *testing.T) {
			if !f.short && !fullSuite() {
				t.Skip("part of the full suite: make faults FAULT=" + f.name)
			}
			f.run(t)
		})
	}
}

var nsCounter, managerCounter atomic.Int32

// namespace creates a fresh namespace for one fault.
func namespace(t *testing.T, prefix string) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d", strings.ToLower(prefix), nsCounter.Add(1))}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// running is a manager started by a test.
type running struct {
	stop func()
	// metricsURL is its /metrics endpoint (plain HTTP on 127.0.0.1).
	metricsURL string
	// dashboardURL is its dashboard (plain HTTP on 127.0.0.1), ending in /.
	dashboardURL string
	// logs returns what it logged: this process's log for an in-process
	// manager; for manager processes, the stderr of every one the fault
	// started, the killed ones included.
	logs    func() string
	fetcher *fetch.Fetcher
}

// managerSpec varies the managers faults start.
type managerSpec struct {
	// allowedHosts is the --allowed-source-hosts flag; empty is "*",
	// "none" is the flag unset.
	allowedHosts string
	// allowedCIDRs is --allowed-source-cidrs; empty is loopback, where
	// the suite's partners listen. "none" allows no CIDR.
	allowedCIDRs string
	// config replaces the admin configuration (e.g. to slow it down).
	config *rest.Config
	// reconcilers is MaxConcurrentReconciles; 0 is 2.
	reconcilers int
	// resolver replaces the system's DNS resolver of the sources' dialer.
	resolver *net.Resolver
}

// startManager runs a manager as cmd/manager builds it, on clk, with its
// metrics served on a free port of 127.0.0.1, until stop or the test's end.
func startManager(t *testing.T, clk clock.PassiveClock, spec managerSpec) *running {
	t.Helper()
	hosts, cidrs := spec.allowedHosts, spec.allowedCIDRs
	switch hosts {
	case "":
		hosts = "*"
	case "none":
		hosts = ""
	}
	switch cidrs {
	case "":
		cidrs = "127.0.0.0/8,::1/128"
	case "none":
		cidrs = ""
	}
	allowed, err := sources.ParseHostAllowList(hosts)
	if err == nil {
		allowed, err = allowed.WithCIDRs(cidrs)
	}
	if err != nil {
		t.Fatal(err)
	}
	if spec.resolver != nil {
		allowed = allowed.WithResolver(spec.resolver)
	}
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = freeAddr(t)
	opts.SecureMetrics = false
	opts.HealthProbeBindAddress = "0"
	opts.Dashboard.BindAddress = freeAddr(t)
	opts.Clock = clk
	opts.SkipControllerNameValidation = true
	opts.GracefulShutdownTimeout = 5 * time.Second
	cfg := rest.CopyConfig(env.Config)
	if spec.config != nil {
		cfg = spec.config
	}
	mgr, err := manager.New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	fetcher := manager.NewFetcher(mgr, clk, allowed)
	if spec.reconcilers == 0 {
		spec.reconcilers = 2
	}
	if err := controllers.Setup(ctx, mgr, controllers.Options{Clock: clk, MaxConcurrentReconciles: spec.reconcilers,
		NameSuffix: fmt.Sprintf("-f%d", managerCounter.Add(1)), Fetcher: fetcher}); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("manager: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return &running{stop: stop, metricsURL: "http://" + opts.MetricsBindAddress + "/metrics",
		dashboardURL: "http://" + opts.Dashboard.BindAddress + "/", logs: testenv.Logs, fetcher: fetcher}
}

// freeAddr returns a 127.0.0.1 address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// cond returns the "Status/Reason" of a condition of obj, read fresh.
func cond(ctx context.Context, obj client.Object, typ string) func() string {
	return func() string {
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			return "get: " + err.Error()
		}
		c := meta.FindStatusCondition(conditionsOf(obj), typ)
		if c == nil {
			return "absent"
		}
		return string(c.Status) + "/" + c.Reason
	}
}

func conditionsOf(obj client.Object) []metav1.Condition {
	if g, ok := obj.(v1.ConditionGetter); ok {
		return g.GetConditions()
	}
	return nil
}

// kick asks the operator to evaluate obj now, as its scheduled
// re-evaluation would: the reconcile-request annotation.
func kick(ctx context.Context, t *testing.T, obj client.Object) {
	t.Helper()
	patch := []byte(fmt.Sprintf(`{"metadata":{"annotations":{%q:%q}}}`, v1.ReconcileRequestAnnotation, time.Now().Format(time.RFC3339Nano)))
	if err := env.Client.Patch(ctx, obj, client.RawPatch("application/merge-patch+json", patch)); err != nil {
		t.Fatal(err)
	}
}

// evaluations drives scheduled evaluations on a fake clock: each step
// moves the clock by the KPI's evaluation interval and asks for one
// evaluation, until the condition reads want. It returns the clock time
// that took (how long a cluster would take) and the wall time (how long
// the machinery took).
//
//nolint:unparam // the call names the condition it waits for, as cond does
func evaluations(ctx context.Context, t *testing.T, clk *clocktesting.FakeClock, kpi *v1.KPI, typ, want string, step time.Duration, maxSteps int) (time.Duration, time.Duration) {
	t.Helper()
	start := time.Now()
	read := cond(ctx, kpi, typ)
	for i := 1; i <= maxSteps; i++ {
		clk.Step(step)
		kick(ctx, t, kpi)
		if within(3*time.Second, func() bool { return read() == want }) {
			return time.Duration(i) * step, time.Since(start)
		}
	}
	t.Fatalf("%s of KPI %s is %s after %d evaluations %s apart; want %s", typ, kpi.Name, read(), maxSteps, step, want)
	return 0, 0
}

// within polls ok until it holds or d passes, without failing the test:
// for measurements where "not yet" is an answer.
func within(d time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if ok() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(poll) // polling interval, bounded by the deadline
	}
}

// budget is what the manager's process holds: goroutines and live heap.
type budget struct {
	goroutines int
	heap       uint64
}

func measure() budget {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return budget{goroutines: runtime.NumGoroutine(), heap: ms.HeapAlloc}
}

// assertBounded fails when goroutines or heap grew past a tolerance since
// before: a fault must not leave connections, watches or timers behind.
// Goroutines get time to wind down (closing connections is asynchronous).
func assertBounded(t *testing.T, before budget, extraGoroutines int) {
	t.Helper()
	var now budget
	ok := NewWithT(t).Eventually(func() int { now = measure(); return now.goroutines }).
		WithTimeout(20 * time.Second).WithPolling(200 * time.Millisecond).Should(BeNumerically("<=", before.goroutines+extraGoroutines))
	if !ok {
		buf := make([]byte, 1<<20)
		t.Logf("goroutines now:\n%s", buf[:runtime.Stack(buf, true)])
	}
	const slack = 64 << 20
	if now.heap > before.heap*2+slack {
		t.Errorf("heap grew from %d to %d bytes during the fault", before.heap, now.heap)
	}
	t.Logf("goroutines %d -> %d, heap %d MiB -> %d MiB", before.goroutines, now.goroutines, before.heap>>20, now.heap>>20)
}

// scrape returns a page the manager serves (/metrics, the dashboard).
func scrape(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("scrape %s: %v", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("scrape %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}
