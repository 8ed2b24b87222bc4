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

// Package manager assembles the Accord controller manager: the scheme, the
// metrics and probe servers, leader election and the reconcilers. The
// binary in cmd/manager and the tests share it, so what the tests start is
// what runs in a cluster.
package manager

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	utilruntime "k8s.io/apimachinery/pkg/util/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/healthz"
	"sigs.k8s.io/controller-runtime/pkg/metrics/filters"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"

	portfoliov1alpha1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/dashboard"
	"github.com/accord-dev/accord/internal/sources"
)

// Options configure a manager. The zero value is not useful; start from
// DefaultOptions.
type Options struct {
	// MetricsBindAddress is where /metrics is served; "0" disables it.
	MetricsBindAddress string
	// SecureMetrics serves /metrics over HTTPS and authorises scrapers with
	// TokenReview and SubjectAccessReview.
	SecureMetrics bool
	// HealthProbeBindAddress is where /healthz and /readyz are served.
	HealthProbeBindAddress string
	// LeaderElection makes replicas elect one active manager.
	LeaderElection bool
	// LeaderElectionID names the Lease used for leader election.
	LeaderElectionID string
	// LeaderElectionNamespace holds the Lease; empty means the namespace
	// the manager runs in.
	LeaderElectionNamespace string
	// LeaseDuration is how long a Lease not renewed stays valid: after a
	// leader dies without releasing it (SIGKILL, node loss), a new replica
	// takes over this long after it first sees the Lease. Zero means
	// controller-runtime's default (15s).
	LeaseDuration time.Duration
	// RenewDeadline is how long the leader keeps trying to renew before it
	// gives up leadership (and exits); zero means the default (10s).
	RenewDeadline time.Duration
	// RetryPeriod is how often candidates try to acquire, and the leader
	// to renew, the Lease; zero means the default (2s).
	RetryPeriod time.Duration
	// GracefulShutdownTimeout bounds how long runnables get to stop.
	GracefulShutdownTimeout time.Duration
	// WatchNamespaces limits the manager to these namespaces; empty
	// watches all.
	WatchNamespaces []string
	// SkipControllerNameValidation allows several managers in one process
	// (tests); controller-runtime otherwise refuses duplicate names.
	SkipControllerNameValidation bool
	// Dashboard configures the read-only web dashboard; a BindAddress of
	// "0" (the default) turns it off.
	Dashboard dashboard.Options
	// Clock is "now" for the dashboard's charts; nil is real time. Tests
	// pass the fake clock they give the reconcilers.
	Clock clock.PassiveClock
	// ShardSelector is a label selector (kubectl syntax, e.g.
	// "accord.dev/shard=east"): the manager sees, evaluates and writes only
	// the Accord objects it matches, so several managers with disjoint
	// selectors split one cluster's portfolio. Empty means every object.
	// With leader election, each shard elects its own leader: the Lease
	// name gets a suffix derived from the selector (see ShardLeaseID).
	ShardSelector string
}

// ShardLabel is the label the docs and samples use to assign objects to
// shards; any label works with ShardSelector.
const ShardLabel = "portfolio.accord.dev/shard"

// ShardLeaseID is the leader-election Lease name for a shard: base for the
// unsharded manager, otherwise base plus a short hash of the canonical
// selector, so replicas of one shard compete and shards do not.
func ShardLeaseID(base string, selector labels.Selector) string {
	if selector == nil || selector.Empty() {
		return base
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(selector.String()))
	return fmt.Sprintf("%s-shard-%08x", base, h.Sum32())
}

// shardCache limits the cache, and so every watch and list, to the shard's
// objects of the Accord kinds. Secrets have their own selector
// (credentialsCache); ConfigMaps are read through the API reader.
func shardCache(opts *cache.Options, selector labels.Selector) {
	opts.ByObject = map[client.Object]cache.ByObject{}
	for _, obj := range []client.Object{
		&portfoliov1alpha1.Partnership{}, &portfoliov1alpha1.Objective{}, &portfoliov1alpha1.KPI{},
		&portfoliov1alpha1.MetricSource{}, &portfoliov1alpha1.Review{}, &portfoliov1alpha1.Portfolio{},
	} {
		opts.ByObject[obj] = cache.ByObject{Label: selector}
	}
}

// credentialsCache limits the Secrets the manager caches, and so lists,
// watches and can read, to those labelled for metric sources
// (sources.CredentialLabel=true): the informer's label selector means no
// other Secret's data ever reaches the manager's memory.
func credentialsCache(opts *cache.Options) {
	if opts.ByObject == nil {
		opts.ByObject = map[client.Object]cache.ByObject{}
	}
	opts.ByObject[&corev1.Secret{}] = cache.ByObject{Label: labels.SelectorFromSet(labels.Set{sources.CredentialLabel: "true"})}
}

// DefaultOptions are the production defaults: secure metrics on :8443,
// probes on :8081, no leader election (the Deployment turns it on).
func DefaultOptions() Options {
	return Options{
		MetricsBindAddress:      ":8443",
		SecureMetrics:           true,
		HealthProbeBindAddress:  ":8081",
		LeaderElectionID:        "accord.portfolio.accord.dev",
		GracefulShutdownTimeout: 10 * time.Second,
		Dashboard:               dashboard.Options{BindAddress: "0"},
	}
}

// NewScheme returns a scheme with the Kubernetes built-in kinds and the
// Accord kinds registered.
func NewScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	utilruntime.Must(clientgoscheme.AddToScheme(s))
	utilruntime.Must(portfoliov1alpha1.AddToScheme(s))
	return s
}

// New builds a manager for cfg with probes, metrics and leader election set
// up as opts says. Reconcilers are added by the caller.
func New(cfg *rest.Config, opts Options) (ctrl.Manager, error) {
	if err := opts.Dashboard.Validate(); err != nil {
		return nil, err
	}
	metricsOpts := metricsserver.Options{
		BindAddress:   opts.MetricsBindAddress,
		SecureServing: opts.SecureMetrics,
	}
	if opts.SecureMetrics {
		// Without this any client that reaches the port could read the
		// metrics; with it, callers need RBAC on the /metrics URL.
		metricsOpts.FilterProvider = filters.WithAuthenticationAndAuthorization
	}
	shutdown := opts.GracefulShutdownTimeout
	lease, err := leaseTimings(opts)
	if err != nil {
		return nil, err
	}
	// Nothing reads managedFields from the cache (status is patched with a
	// merge patch computed between two cached copies), and dropping them
	// saves memory per object and the cost of deep-copying them on every
	// read: see docs/benchmarks.md.
	cacheOpts := cache.Options{DefaultTransform: cache.TransformStripManagedFields()}
	leaseID := opts.LeaderElectionID
	if opts.ShardSelector != "" {
		selector, err := labels.Parse(opts.ShardSelector)
		if err != nil {
			return nil, fmt.Errorf("--shard-selector %q is not a label selector (e.g. %s=east): %w", opts.ShardSelector, ShardLabel, err)
		}
		shardCache(&cacheOpts, selector)
		leaseID = ShardLeaseID(opts.LeaderElectionID, selector)
	}
	credentialsCache(&cacheOpts)
	if len(opts.WatchNamespaces) > 0 {
		cacheOpts.DefaultNamespaces = map[string]cache.Config{}
		for _, ns := range opts.WatchNamespaces {
			cacheOpts.DefaultNamespaces[ns] = cache.Config{}
		}
	}
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{
		Scheme:                        NewScheme(),
		Cache:                         cacheOpts,
		Metrics:                       metricsOpts,
		HealthProbeBindAddress:        opts.HealthProbeBindAddress,
		LeaderElection:                opts.LeaderElection,
		LeaderElectionID:              leaseID,
		LeaderElectionNamespace:       opts.LeaderElectionNamespace,
		LeaderElectionReleaseOnCancel: true,
		LeaseDuration:                 lease.duration,
		RenewDeadline:                 lease.renew,
		RetryPeriod:                   lease.retry,
		GracefulShutdownTimeout:       &shutdown,
		Controller:                    config.Controller{SkipNameValidation: &opts.SkipControllerNameValidation},
	})
	if err != nil {
		return nil, fmt.Errorf("create manager: %w", err)
	}
	if err := mgr.AddHealthzCheck("healthz", healthz.Ping); err != nil {
		return nil, fmt.Errorf("add health check: %w", err)
	}
	// Ready once the informer caches have synced, so a rollout does not
	// route traffic (or hand leadership) to a manager that sees nothing yet.
	if err := mgr.AddReadyzCheck("readyz", func(req *http.Request) error {
		if !mgr.GetCache().WaitForCacheSync(req.Context()) {
			return fmt.Errorf("informer caches not synced")
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("add readiness check: %w", err)
	}
	if dashboard.Enabled(opts.Dashboard.BindAddress) {
		d := opts.Dashboard
		d.Namespaces = opts.WatchNamespaces
		// The cache, not the API server: pages cost no API requests.
		srv, err := dashboard.New(mgr.GetCache(), opts.Clock, cfg, ctrl.Log.WithName("dashboard"), d)
		if err != nil {
			return nil, fmt.Errorf("set up the dashboard: %w", err)
		}
		if err := mgr.Add(srv); err != nil {
			return nil, fmt.Errorf("add the dashboard: %w", err)
		}
	}
	return mgr, nil
}

// leaseTimes are the leader-election timings handed to controller-runtime;
// nil fields keep its defaults.
type leaseTimes struct {
	duration, renew, retry *time.Duration
}

// leaseTimings checks the leader-election timings the flags set: each is
// zero (the default) or positive, and, as client-go requires, the lease
// outlasts the renew deadline, which outlasts the retry period.
func leaseTimings(opts Options) (leaseTimes, error) {
	var out leaseTimes
	set := func(flag string, d time.Duration, dst **time.Duration) error {
		if d < 0 {
			return fmt.Errorf("--%s %s: must be positive (or zero for the default)", flag, d)
		}
		if d > 0 {
			*dst = &d
		}
		return nil
	}
	if err := set("leader-elect-lease-duration", opts.LeaseDuration, &out.duration); err != nil {
		return out, err
	}
	if err := set("leader-elect-renew-deadline", opts.RenewDeadline, &out.renew); err != nil {
		return out, err
	}
	if err := set("leader-elect-retry-period", opts.RetryPeriod, &out.retry); err != nil {
		return out, err
	}
	// The defaults client-go would use, to compare a flag set against.
	duration, renew, retry := 15*time.Second, 10*time.Second, 2*time.Second
	if out.duration != nil {
		duration = *out.duration
	}
	if out.renew != nil {
		renew = *out.renew
	}
	if out.retry != nil {
		retry = *out.retry
	}
	if duration <= renew {
		return out, fmt.Errorf("--leader-elect-lease-duration (%s) must be longer than --leader-elect-renew-deadline (%s)", duration, renew)
	}
	if renew <= retry*6/5 {
		return out, fmt.Errorf("--leader-elect-renew-deadline (%s) must be longer than 1.2 x --leader-elect-retry-period (%s)", renew, retry)
	}
	return out, nil
}
