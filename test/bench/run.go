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

// Package bench is the scale benchmark behind `make bench`: it generates a
// synthetic portfolio, applies it to a real control plane (envtest), serves
// its KPI values from a local partner API and a real Prometheus, runs the
// Accord manager in this process with the real fetcher, and measures
// convergence against the API server's own floor, re-convergence after a
// change, writes and upstream requests at rest, reconcile latency and
// memory. hack/bench is the command; docs/benchmarks.md has the figures.
package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client/apiutil"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/testsupport/promserver"
)

// Config is one benchmark run.
type Config struct {
	// Partnerships is the portfolio's size (x3 objectives, x9 KPIs).
	Partnerships int
	// Rest is the window after convergence in which writes, events and
	// upstream requests are counted.
	Rest time.Duration
	// Interval is the live KPIs' evaluation interval and the live sources'
	// minimum interval, in whole seconds.
	Interval time.Duration
	// MaxConcurrentReconciles is the manager's --max-concurrent-reconciles.
	MaxConcurrentReconciles int
	// Workers is how many requests the plain client keeps in flight when
	// applying the portfolio and measuring the floor.
	Workers int
	// QPS and Burst limit the plain client (not the manager, which runs
	// without a client-side limit, as cmd/manager does).
	QPS   float32
	Burst int
	// Timeout bounds each wait (convergence, re-convergence).
	Timeout time.Duration
	// Quiet is how long without any object changing counts as settled.
	Quiet time.Duration
	// ChangeFraction of the KPIs get a new value after convergence.
	ChangeFraction float64
	// Root is the repository root (for config/crd/bases); Assets holds
	// the control-plane binaries (KUBEBUILDER_ASSETS).
	Root, Assets string
	// ManagerLog receives the manager's logs (JSON, info level, as in
	// production); nil discards them.
	ManagerLog io.Writer
	// Progress receives a line per phase; nil discards them.
	Progress io.Writer
	// AtSteadyState, when set, runs at the end of the rest window while
	// the manager still runs, e.g. to write a heap profile.
	AtSteadyState func()
}

// DefaultConfig is the default size and windows of `make bench`.
func DefaultConfig() Config {
	return Config{
		Partnerships:            1000,
		Rest:                    5 * time.Minute,
		Interval:                time.Minute,
		MaxConcurrentReconciles: controllers.DefaultMaxConcurrentReconciles,
		Workers:                 16,
		QPS:                     1000,
		Burst:                   2000,
		Timeout:                 15 * time.Minute,
		Quiet:                   10 * time.Second,
		ChangeFraction:          0.1,
	}
}

// Validate reports the first unusable setting, naming its flag.
func (c Config) Validate() error {
	switch {
	case c.Partnerships < 1:
		return fmt.Errorf("-partnerships %d: want 1 or more", c.Partnerships)
	case c.Interval < time.Second || c.Interval%time.Second != 0:
		return fmt.Errorf("-interval %s: want whole seconds, at least 1s", c.Interval)
	case c.Rest < 0:
		return fmt.Errorf("-rest %s: want 0 or more", c.Rest)
	case c.MaxConcurrentReconciles < 1:
		return fmt.Errorf("-max-concurrent-reconciles %d: want 1 or more", c.MaxConcurrentReconciles)
	case c.Workers < 1:
		return fmt.Errorf("-workers %d: want 1 or more", c.Workers)
	case c.ChangeFraction <= 0 || c.ChangeFraction > 1:
		return fmt.Errorf("-change %g: want a fraction above 0 and at most 1", c.ChangeFraction)
	case c.Timeout <= 0 || c.Quiet <= 0:
		return fmt.Errorf("-timeout and -quiet must be positive")
	}
	return nil
}

// Latency is the reconcile latency of one controller in a window.
type Latency struct {
	Reconciles float64
	P50, P99   time.Duration
}

// Result holds the figures of one run.
type Result struct {
	Config  Config            `json:"-"`
	Objects int               // Accord objects in the portfolio
	Kinds   map[string]int    // objects by kind
	KPIs    map[string]int    // KPIs by source type
	Pairs   map[string]int    // distinct live (source, query) pairs by source type
	Latency map[string]Window // by controller: convergence and rest windows

	Apply      time.Duration // creating the portfolio with the plain client
	Floor      time.Duration // one status write per object, plain client
	FloorBytes int           // mean floor patch size
	StatusSize int           // mean size of a manager-written status

	Converged      time.Duration // manager start to every object evaluated
	Settled        time.Duration // manager start to the last object change
	ConvergeWrites float64       // accord_status_writes_total while converging
	ConvergeEvents float64       // accord_events_total while converging

	ChangedReported, ChangedLive int
	ReconvergedReported          time.Duration // spec change to lastValue
	ReconvergedLive              time.Duration // upstream change to lastValue
	ReconvergeSettled            time.Duration // change to the last object change

	RestWindow        time.Duration
	RestWrites        float64 // accord_status_writes_total
	RestEvents        float64 // accord_events_total
	RestEventObjects  int     // Event objects created (from the API)
	RestObjectChanges int     // changes to Accord objects seen by watch
	RestReconciles    float64
	RestCPU           time.Duration // this process (manager + harness)
	Intervals         float64       // rest window / interval
	RestHTTPRequests  int           // partner API requests
	RestPromQueries   float64       // Prometheus /api/v1/query requests
	RestFetches       map[string]int
	BusiestHTTPQuery  int // requests for the most requested query, whole run

	HeapBefore, HeapAfter Memory // before the manager starts; at the end of the rest window
}

// Window is one controller's reconciles in the two measured windows.
type Window struct {
	Converge, Rest Latency
	// ConvergeWrites are the kind's status writes while converging.
	ConvergeWrites float64
}

// controllerKinds maps controller names to the kinds they reconcile.
var controllerKinds = []struct{ Controller, Kind string }{
	{"kpi", v1.KindKPI}, {"objective", v1.KindObjective}, {"partnership", v1.KindPartnership},
	{"portfolio", v1.KindPortfolio}, {"review", v1.KindReview}, {"metricsource", v1.KindMetricSource},
}

type runner struct {
	cfg     Config
	log     io.Writer
	client  client.Client
	envCfg  *rest.Config
	ns      string
	tracker *Tracker
	api     *PartnerAPI
	prom    *promserver.Server
	infos   []KPIInfo
	values  map[string]Reading
	res     *Result
}

// deleteAll deletes every object of o's kind in ns. One delete-collection
// of 10,000 KPIs can outlast the API server's request timeout on a busy
// machine (the stream is reset); each attempt deletes part of it, so it
// is repeated a few times.
func (r *runner) deleteAll(ctx context.Context, o client.Object, ns string) error {
	var err error
	for attempt := 1; attempt <= 5; attempt++ {
		if err = r.client.DeleteAllOf(ctx, o, client.InNamespace(ns)); err == nil || ctx.Err() != nil {
			return err
		}
		r.progress("floor: deleting the copy's %T again (attempt %d): %v", o, attempt, err)
	}
	return err
}

// progressEvery is how often a long wait reports how far it has come.
const progressEvery = 30 * time.Second

func (r *runner) progress(format string, args ...any) {
	_, _ = fmt.Fprintf(r.log, "bench: "+format+"\n", args...) // progress only; the figures are the result
}

// Run runs the benchmark once and returns its figures.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, log: cfg.Progress, ns: "bench", res: &Result{Config: cfg, Latency: map[string]Window{}}}
	if r.log == nil {
		r.log = io.Discard
	}
	logOut := cfg.ManagerLog
	if logOut == nil {
		logOut = io.Discard
	}
	ctrl.SetLogger(zap.New(zap.WriteTo(logOut)))

	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(cfg.Root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: cfg.Assets,
	}
	envCfg, err := env.Start()
	if err != nil {
		return nil, fmt.Errorf("start envtest control plane from %s: %w", cfg.Assets, err)
	}
	defer func() { _ = env.Stop() }()
	r.envCfg = envCfg
	ccfg := rest.CopyConfig(envCfg)
	ccfg.QPS, ccfg.Burst = cfg.QPS, cfg.Burst
	if r.client, err = client.New(ccfg, client.Options{Scheme: manager.NewScheme()}); err != nil {
		return nil, fmt.Errorf("create client: %w", err)
	}
	dir, err := os.MkdirTemp("", "accord-bench-")
	if err != nil {
		return nil, fmt.Errorf("temporary folder: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	return r.run(ctx, dir)
}

func (r *runner) run(ctx context.Context, dir string) (*Result, error) {
	cfg := r.cfg
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	interval := fmt.Sprintf("%ds", int(cfg.Interval.Seconds()))
	p, err := Generate(Spec{Partnerships: cfg.Partnerships, Namespace: r.ns, Now: time.Now(), Interval: interval})
	if err != nil {
		return nil, err
	}
	r.api = StartPartnerAPI(token, p.HTTPValues)
	defer r.api.Close()
	if r.prom, err = promserver.Start(dir, p.PromHistory, PrometheusArgs...); err != nil {
		return nil, err
	}
	defer r.prom.Stop()
	p.SetEndpoints(r.api.URL, r.prom.URL)
	r.infos, r.values = p.KPIInfos(), p.HTTPValues
	r.describe(p)

	for _, ns := range []string{r.ns, r.ns + "-floor"} {
		if err := r.client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return nil, fmt.Errorf("create namespace %s: %w", ns, err)
		}
	}
	if err := r.client.Create(ctx, TokenSecretFor(r.ns, token)); err != nil {
		return nil, fmt.Errorf("create token Secret: %w", err)
	}
	objs := p.Objects()
	if err := r.floor(ctx, objs); err != nil {
		return nil, err
	}
	r.progress("applying %d objects with %d workers", len(objs), cfg.Workers)
	if r.res.Apply, err = Apply(ctx, r.client, objs, cfg.Workers); err != nil {
		return nil, err
	}
	r.progress("applied in %s", r.res.Apply.Round(time.Millisecond))
	keys := make([]string, 0, len(objs))
	for _, o := range objs {
		keys = append(keys, Key(kindOf(o), o.GetName()))
	}
	p = nil // the manager's memory is measured next; drop ours (objs is dead already)

	tctx, stopTracker := context.WithCancel(ctx)
	defer stopTracker()
	if r.tracker, err = StartTracker(tctx, r.envCfg, r.ns); err != nil {
		return nil, err
	}
	if r.res.HeapBefore, err = ReadMemory(); err != nil {
		return nil, err
	}
	stop, err := r.startManager(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := r.converge(ctx, keys); err != nil {
		return nil, err
	}
	if err := r.change(ctx, keys); err != nil {
		return nil, err
	}
	if err := r.rest(ctx); err != nil {
		return nil, err
	}
	return r.res, nil
}

func randomToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func (r *runner) describe(p *Portfolio) {
	res := r.res
	res.Kinds = map[string]int{}
	for _, o := range p.Objects() {
		res.Kinds[kindOf(o)]++
		res.Objects++
	}
	res.KPIs, res.Pairs = map[string]int{}, map[string]int{}
	for _, k := range r.infos {
		res.KPIs[string(k.Source)]++
	}
	for t, n := range p.Pairs() {
		res.Pairs[string(t)] = n
	}
	r.progress(
		"portfolio: %d objects (%v); KPIs by source %v; distinct live pairs %v",
		res.Objects,
		res.Kinds,
		res.KPIs,
		res.Pairs,
	)
}

// kindOf names an object's kind from the manager's scheme (typed objects
// carry no TypeMeta).
func kindOf(o client.Object) string {
	gvk, err := apiutil.GVKForObject(o, benchScheme)
	if err != nil {
		return fmt.Sprintf("%T", o)
	}
	return gvk.Kind
}

var benchScheme = manager.NewScheme()

// floor measures the API server's floor on a copy of the portfolio in its
// own namespace, before the manager starts, and deletes the copy: the
// manager then starts from objects that never had a status, as after a
// fresh apply, and nothing else loads the API server while the floor is
// measured.
func (r *runner) floor(ctx context.Context, objs []client.Object) error {
	ns := r.ns + "-floor"
	copies := make([]client.Object, 0, len(objs))
	for _, o := range objs {
		c := o.DeepCopyObject().(client.Object)
		c.SetNamespace(ns)
		copies = append(copies, c)
	}
	r.progress("floor: creating a copy in namespace %s", ns)
	if _, err := Apply(ctx, r.client, copies, r.cfg.Workers); err != nil {
		return err
	}
	took, size, err := Floor(ctx, r.client, copies, r.cfg.Workers, time.Now())
	if err != nil {
		return err
	}
	r.res.Floor, r.res.FloorBytes = took, size
	r.progress("floor: %d status writes in %s (%.0f/s), %d bytes each", len(copies), took.Round(time.Millisecond),
		float64(len(copies))/took.Seconds(), size)
	for _, o := range []client.Object{
		&v1.KPI{}, &v1.Objective{}, &v1.Partnership{}, &v1.Review{}, &v1.Portfolio{}, &v1.MetricSource{},
	} {
		if err := r.deleteAll(ctx, o, ns); err != nil {
			return fmt.Errorf("floor: delete the copy's %T: %w", o, err)
		}
	}
	return nil
}

// startManager runs the manager as cmd/manager assembles it: the real
// clock, the real fetcher and providers, no client-side rate limit (as
// ctrl.GetConfig gives), watching all namespaces.
func (r *runner) startManager(ctx context.Context) (func(), error) {
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress, opts.HealthProbeBindAddress = "0", "0"
	opts.SkipControllerNameValidation = true // several runs may share a test process
	mcfg := rest.CopyConfig(r.envCfg)
	mcfg.QPS = -1
	mgr, err := manager.New(mcfg, opts)
	if err != nil {
		return nil, err
	}
	mctx, cancel := context.WithCancel(ctx)
	if err := controllers.Setup(mctx, mgr, controllers.Options{MaxConcurrentReconciles: r.cfg.MaxConcurrentReconciles,
		Fetcher: manager.NewFetcher(mgr, nil, sources.AllowLoopbackForTests())}); err != nil {
		cancel()
		return nil, err
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(mctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			r.progress("manager stopped with an error: %v", err)
		}
	}, nil
}

// waitUntil polls cond until it holds, ctx ends or timeout passes.
func waitUntil(ctx context.Context, timeout time.Duration, what func() string, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s waiting for %s", timeout, what())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// settle waits until no object has changed for the quiet period and
// returns when the last change arrived.
func (r *runner) settle(ctx context.Context) (time.Time, error) {
	var last time.Time
	err := waitUntil(ctx, r.cfg.Timeout, func() string { return "objects to stop changing" }, func() bool {
		last, _ = r.tracker.LastUpdate()
		return time.Since(last) >= r.cfg.Quiet
	})
	return last, err
}

func (r *runner) counter(name string) float64 {
	v, err := Sum(crmetrics.Registry, name, nil)
	if err != nil {
		r.progress("%v", err)
	}
	return v
}

// writesByKind reads accord_status_writes_total by controller.
func (r *runner) writesByKind() map[string]float64 {
	out := map[string]float64{}
	for _, ck := range controllerKinds {
		v, err := Sum(crmetrics.Registry, "accord_status_writes_total", map[string]string{"kind": ck.Kind})
		if err != nil {
			r.progress("%v", err)
		}
		out[ck.Controller] = v
	}
	return out
}

func (r *runner) histograms() map[string]Histogram {
	out := map[string]Histogram{}
	for _, ck := range controllerKinds {
		h, err := ReadHistogram(
			crmetrics.Registry,
			"controller_runtime_reconcile_time_seconds",
			map[string]string{"controller": ck.Controller},
		)
		if err != nil {
			r.progress("%v", err)
		}
		out[ck.Controller] = h
	}
	return out
}

func latency(h Histogram) Latency {
	l := Latency{Reconciles: h.Count}
	if h.Count > 0 {
		l.P50 = time.Duration(h.Quantile(0.5) * float64(time.Second))
		l.P99 = time.Duration(h.Quantile(0.99) * float64(time.Second))
	}
	return l
}

func (r *runner) converge(ctx context.Context, keys []string) error {
	start := time.Now()
	writes, events := r.counter("accord_status_writes_total"), r.counter("accord_events_total")
	kindWrites := r.writesByKind()
	hist := r.histograms()
	goals := make(map[string]Goal, len(keys))
	for _, k := range keys {
		goals[k] = Evaluated
	}
	r.tracker.Expect(goals)
	r.progress("manager started; waiting for %d objects to be evaluated", len(keys))
	next := start.Add(progressEvery)
	err := waitUntil(ctx, r.cfg.Timeout, func() string {
		_, n := r.tracker.Reached()
		return fmt.Sprintf("%d objects to be evaluated, e.g. %v", n, r.tracker.Pending(5))
	}, func() bool {
		at, n := r.tracker.Reached()
		if now := time.Now(); at.IsZero() && now.After(next) {
			// A large portfolio takes minutes; a line now and then tells a
			// slow run from a stuck one.
			next = now.Add(progressEvery)
			r.progress("%s: %d objects still to be evaluated, %.0f status writes so far",
				now.Sub(start).Round(time.Second), n, r.counter("accord_status_writes_total")-writes)
		}
		return !at.IsZero()
	})
	if err != nil {
		return err
	}
	at, _ := r.tracker.Reached()
	r.res.Converged = at.Sub(start)
	r.progress(
		"every object evaluated after %s; waiting for %s without changes",
		r.res.Converged.Round(time.Millisecond),
		r.cfg.Quiet,
	)
	last, err := r.settle(ctx)
	if err != nil {
		return err
	}
	r.res.Settled = max(last.Sub(start), r.res.Converged)
	r.res.ConvergeWrites = r.counter("accord_status_writes_total") - writes
	r.res.ConvergeEvents = r.counter("accord_events_total") - events
	after := r.writesByKind()
	for c, h := range r.histograms() {
		w := r.res.Latency[c]
		w.Converge = latency(h.Sub(hist[c]))
		w.ConvergeWrites = after[c] - kindWrites[c]
		r.res.Latency[c] = w
	}
	r.res.StatusSize = r.statusSize(ctx)
	r.progress(
		"settled after %s: %.0f status writes, %.0f events",
		r.res.Settled.Round(time.Millisecond),
		r.res.ConvergeWrites,
		r.res.ConvergeEvents,
	)
	return nil
}

// statusSize is the mean size of the statuses the manager wrote, to set
// against the floor's patches.
func (r *runner) statusSize(ctx context.Context) int {
	total, n := 0, 0
	for _, list := range []client.ObjectList{&v1.KPIList{}, &v1.ObjectiveList{}, &v1.PartnershipList{}, &v1.ReviewList{}} {
		if err := r.client.List(ctx, list, client.InNamespace(r.ns), client.Limit(200)); err != nil {
			continue
		}
		switch l := list.(type) {
		case *v1.KPIList:
			for i := range l.Items {
				total, n = total+jsonSize(l.Items[i].Status), n+1
			}
		case *v1.ObjectiveList:
			for i := range l.Items {
				total, n = total+jsonSize(l.Items[i].Status), n+1
			}
		case *v1.PartnershipList:
			for i := range l.Items {
				total, n = total+jsonSize(l.Items[i].Status), n+1
			}
		case *v1.ReviewList:
			for i := range l.Items {
				total, n = total+jsonSize(l.Items[i].Status), n+1
			}
		}
	}
	return total / max(1, n)
}

// change gives a fraction of the KPIs a new value: half of them reported
// KPIs, whose spec changes (as a merged pull request would), half live
// KPIs, whose partner API answers change (a new value with a new asOf).
func (r *runner) change(ctx context.Context, keys []string) error {
	want := int(math.Ceil(r.cfg.ChangeFraction * float64(len(r.infos))))
	var reported []KPIInfo
	byQuery := map[string][]KPIInfo{}
	var queries []string
	for _, k := range r.infos {
		switch k.Source {
		case v1.SourceReported:
			reported = append(reported, k)
		case v1.SourceHTTPJSON:
			if byQuery[k.Query] == nil {
				queries = append(queries, k.Query)
			}
			byQuery[k.Query] = append(byQuery[k.Query], k)
		}
	}
	slices.Sort(queries)
	pickReported := spaced(reported, min(len(reported), (want+1)/2))
	var pickQueries []string
	live := 0
	for _, q := range spaced(queries, len(queries)) {
		if live >= want-len(pickReported) {
			break
		}
		pickQueries = append(pickQueries, q)
		live += len(byQuery[q])
	}

	goals := make(map[string]Goal, len(keys))
	for _, k := range keys {
		goals[k] = Evaluated
	}
	var reportedKeys, liveKeys []string
	newReported := map[string]string{}
	var fetched []*v1.KPI
	for _, k := range pickReported {
		kpi := &v1.KPI{}
		if err := r.client.Get(ctx, client.ObjectKey{Namespace: r.ns, Name: k.Name}, kpi); err != nil {
			return fmt.Errorf("get KPI %s: %w", k.Name, err)
		}
		last := &kpi.Spec.Reported[len(kpi.Spec.Reported)-1]
		v := last.Value.AsApproximateFloat64() + 1
		newReported[k.Name] = num(v)
		fetched = append(fetched, kpi)
		want := evaluate.FormatNumber(v)
		key := Key(v1.KindKPI, k.Name)
		goals[key] = func(s State) bool { return s.Evaluated && s.LastValue == want }
		reportedKeys = append(reportedKeys, key)
	}
	newLive := map[string]Reading{}
	asOf := time.Now().UTC().Truncate(time.Second)
	for _, q := range pickQueries {
		v := roundTo2(r.values[q].Value + 1.5)
		newLive[q] = Reading{Value: v, AsOf: asOf}
		want := evaluate.FormatNumber(v)
		for _, k := range byQuery[q] {
			key := Key(v1.KindKPI, k.Name)
			goals[key] = func(s State) bool { return s.Evaluated && s.LastValue == want }
			liveKeys = append(liveKeys, key)
		}
	}
	r.res.ChangedReported, r.res.ChangedLive = len(reportedKeys), len(liveKeys)
	r.tracker.Expect(goals)

	start := time.Now()
	for q, v := range newLive {
		r.api.Set(q, v)
		r.values[q] = v
	}
	if err := PatchReported(ctx, r.client, fetched, newReported, r.cfg.Workers); err != nil {
		return err
	}
	r.progress(
		"changed %d reported and %d live KPI values (%d partner API queries); waiting",
		len(reportedKeys),
		len(liveKeys),
		len(pickQueries),
	)
	err := waitUntil(ctx, r.cfg.Timeout, func() string {
		_, n := r.tracker.Reached()
		return fmt.Sprintf("%d objects to show the new values, e.g. %v", n, r.tracker.Pending(5))
	}, func() bool { at, _ := r.tracker.Reached(); return !at.IsZero() })
	if err != nil {
		return err
	}
	if at, ok := r.tracker.ReachedAt(reportedKeys); ok && len(reportedKeys) > 0 {
		r.res.ReconvergedReported = at.Sub(start)
	}
	if at, ok := r.tracker.ReachedAt(liveKeys); ok && len(liveKeys) > 0 {
		r.res.ReconvergedLive = at.Sub(start)
	}
	last, err := r.settle(ctx)
	if err != nil {
		return err
	}
	r.res.ReconvergeSettled = last.Sub(start)
	r.progress(
		"re-converged: reported after %s, live after %s, settled after %s",
		r.res.ReconvergedReported.Round(time.Millisecond),
		r.res.ReconvergedLive.Round(time.Millisecond),
		r.res.ReconvergeSettled.Round(time.Millisecond),
	)
	return nil
}

// spaced picks n items spread evenly over items.
func spaced[T any](items []T, n int) []T {
	if n <= 0 || len(items) == 0 {
		return nil
	}
	out := make([]T, 0, n)
	step := float64(len(items)) / float64(n)
	for i := range n {
		out = append(out, items[int(float64(i)*step)])
	}
	return out
}

// rest counts what the manager does while nothing changes.
func (r *runner) rest(ctx context.Context) error {
	if r.cfg.Rest == 0 {
		mem, err := ReadMemory()
		r.res.HeapAfter = mem
		if r.cfg.AtSteadyState != nil {
			r.cfg.AtSteadyState()
		}
		return err
	}
	writes, events := r.counter("accord_status_writes_total"), r.counter("accord_events_total")
	reconciles := r.counter("controller_runtime_reconcile_total")
	hist := r.histograms()
	eventObjs, err := r.eventCount(ctx)
	if err != nil {
		return err
	}
	_, changes := r.tracker.LastUpdate()
	httpReqs, _ := r.api.Requests()
	prom, err := r.prom.Requests("/api/v1/query")
	if err != nil {
		return err
	}
	fetches := r.fetches()
	cpu := CPUTime()
	start := time.Now()
	r.progress("rest window of %s", r.cfg.Rest)
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(r.cfg.Rest):
	}
	res := r.res
	res.RestWindow = time.Since(start)
	res.RestCPU = CPUTime() - cpu
	res.Intervals = res.RestWindow.Seconds() / r.cfg.Interval.Seconds()
	res.RestWrites = r.counter("accord_status_writes_total") - writes
	res.RestEvents = r.counter("accord_events_total") - events
	res.RestReconciles = r.counter("controller_runtime_reconcile_total") - reconciles
	n, err := r.eventCount(ctx)
	if err != nil {
		return err
	}
	res.RestEventObjects = n - eventObjs
	_, c := r.tracker.LastUpdate()
	res.RestObjectChanges = c - changes
	h, busiest := r.api.Requests()
	res.RestHTTPRequests, res.BusiestHTTPQuery = h-httpReqs, busiest
	p, err := r.prom.Requests("/api/v1/query")
	if err != nil {
		return err
	}
	res.RestPromQueries = p - prom
	res.RestFetches = map[string]int{}
	for s, n := range r.fetches() {
		res.RestFetches[s] = n - fetches[s]
	}
	for c, h := range r.histograms() {
		w := res.Latency[c]
		w.Rest = latency(h.Sub(hist[c]))
		res.Latency[c] = w
	}
	if res.HeapAfter, err = ReadMemory(); err != nil {
		return err
	}
	if r.cfg.AtSteadyState != nil {
		r.cfg.AtSteadyState()
	}
	r.progress(
		"rest: %.0f status writes, %.0f events, %d object changes, %.0f reconciles",
		res.RestWrites,
		res.RestEvents,
		res.RestObjectChanges,
		res.RestReconciles,
	)
	if res.RestObjectChanges > 0 {
		r.progress("rest: the latest changes: %v", r.tracker.Recent())
	}
	return nil
}

func (r *runner) fetches() map[string]int {
	return map[string]int{
		string(v1.SourceHTTPJSON):   r.requests(SourceHTTP),
		string(v1.SourcePrometheus): r.requests(SourcePrometheus),
	}
}

// requests reads accord_source_requests_total for one of the run's
// sources, every result summed.
func (r *runner) requests(source string) int {
	v, err := Sum(
		crmetrics.Registry,
		"accord_source_requests_total",
		map[string]string{"namespace": r.ns, "source": source},
	)
	if err != nil {
		r.progress("%v", err)
	}
	return int(v)
}

func (r *runner) eventCount(ctx context.Context) (int, error) {
	list := &corev1.EventList{}
	if err := r.client.List(ctx, list, client.InNamespace(r.ns)); err != nil {
		return 0, fmt.Errorf("list events: %w", err)
	}
	return len(list.Items), nil
}
