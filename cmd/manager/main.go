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

// Command manager runs the Accord controller manager: it watches
// partnerships, objectives, KPIs, metric sources, reviews and portfolios and
// keeps their status conditions up to date.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/dashboard"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
)

func main() {
	opts := manager.DefaultOptions()
	flag.StringVar(&opts.MetricsBindAddress, "metrics-bind-address", opts.MetricsBindAddress,
		`Address of the metrics endpoint, e.g. ":8443"; "0" disables it.`)
	flag.BoolVar(&opts.SecureMetrics, "metrics-secure", opts.SecureMetrics,
		"Serve metrics over HTTPS with TokenReview/SubjectAccessReview authorisation.")
	flag.StringVar(&opts.HealthProbeBindAddress, "health-probe-bind-address", opts.HealthProbeBindAddress,
		"Address of the /healthz and /readyz endpoints.")
	flag.BoolVar(&opts.LeaderElection, "leader-elect", opts.LeaderElection,
		"Elect one active manager among replicas with a Lease.")
	flag.StringVar(&opts.LeaderElectionID, "leader-election-id", opts.LeaderElectionID,
		"Name of the leader-election Lease.")
	flag.StringVar(&opts.LeaderElectionNamespace, "leader-election-namespace", opts.LeaderElectionNamespace,
		"Namespace of the leader-election Lease (default: the manager's own).")
	flag.DurationVar(
		&opts.LeaseDuration,
		"leader-elect-lease-duration",
		0,
		"How long a Lease not renewed stays valid; a replica takes over this long after "+
			"a leader died without releasing it (0: 15s).",
	)
	flag.DurationVar(
		&opts.RenewDeadline,
		"leader-elect-renew-deadline",
		0,
		"How long the leader retries renewing before it gives up leadership and exits "+
			"(0: 10s); shorter than the lease duration.",
	)
	flag.DurationVar(&opts.RetryPeriod, "leader-elect-retry-period", 0,
		"How often candidates try to acquire, and the leader to renew, the Lease (0: 2s).")
	namespaces := flag.String("watch-namespaces", "",
		"Comma-separated namespaces to watch; empty watches all.")
	flag.StringVar(
		&opts.ShardSelector,
		"shard-selector",
		"",
		`Label selector of the Accord objects this manager owns, e.g. `+
			`"portfolio.accord.dev/shard=east"; empty owns all. Managers with disjoint selectors split a portfolio; `+
			`each shard elects its own leader.`,
	)
	flag.StringVar(
		&opts.Dashboard.BindAddress,
		"dashboard-bind-address",
		opts.Dashboard.BindAddress,
		`Address of the read-only web dashboard, e.g. "127.0.0.1:8082"; "0" disables it. `+
			`Without --dashboard-auth only a loopback address is accepted.`,
	)
	flag.BoolVar(
		&opts.Dashboard.Auth,
		"dashboard-auth",
		opts.Dashboard.Auth,
		"Serve the dashboard over HTTPS to callers with a Kubernetes bearer token "+
			"(TokenReview) who may get/list partnerships in the namespace shown (SubjectAccessReview).",
	)
	flag.StringVar(&opts.Dashboard.CertDir, "dashboard-cert-dir", opts.Dashboard.CertDir,
		"Directory holding tls.crt and tls.key for the dashboard's HTTPS; required with --dashboard-auth "+
			"unless --dashboard-self-signed-certificate.")
	flag.BoolVar(&opts.Dashboard.SelfSignedCertificate, "dashboard-self-signed-certificate", false,
		"With --dashboard-auth and no --dashboard-cert-dir, serve a certificate generated at start: "+
			"readers cannot verify it, so they cannot tell the dashboard from an impostor they would send their tokens to.")
	flag.StringVar(&opts.Dashboard.TokenAudience, "dashboard-token-audience", dashboard.DefaultTokenAudience,
		"The audience readers' bearer tokens must be minted for (kubectl create token NAME --audience ...); "+
			"tokens for the API server are refused.")
	flag.StringVar(&opts.Dashboard.Forms.RepoURL, "dashboard-git-repository", "",
		"The portfolio's git repository (https://...); turns on the dashboard's forms, which propose changes "+
			"there as pull requests in the signed-in user's name. Needs --dashboard-auth.")
	flag.StringVar(&opts.Dashboard.Forms.Base, "dashboard-git-base", "main",
		"Branch the forms' changes start from and their pull requests merge into.")
	flag.StringVar(&opts.Dashboard.Forms.Path, "dashboard-git-path", "",
		"The portfolio's folder in the repository, as accordctl validate reads it (default: the root).")
	flag.StringVar(&opts.Dashboard.Forms.Forge, "dashboard-git-forge", "",
		"The repository's forge: github, gitlab or none (default: from the host).")
	flag.StringVar(&opts.Dashboard.Forms.ForgeAPI, "dashboard-git-forge-api", "",
		"Base URL of the forge's REST API (default: https://api.github.com, https://HOST/api/v3 for "+
			"GitHub Enterprise, https://HOST/api/v4 for GitLab).")
	tokenSecret := flag.String("dashboard-git-token-secret", "",
		`Secret "namespace/name" whose key "token" pushes to the repository and opens pull requests; `+
			`read once at start, never shown or logged.`)
	concurrency := flag.Int("max-concurrent-reconciles", controllers.DefaultMaxConcurrentReconciles,
		"Reconciles of each kind that may run in parallel (docs/benchmarks.md measures 2, 8 and 16).")
	allowedHosts := flag.String("allowed-source-hosts", "",
		`Comma-separated hosts MetricSources may reach, e.g. "prometheus.monitoring.svc:9090,*.partner.example"; `+
			`a port limits the entry to that port, "*." allows subdomains, "*" any host on a public address, `+
			`"team-a=host" one namespace only. Empty allows none: no source is contacted.`)
	allowedCIDRs := flag.String("allowed-source-cidrs", "",
		`Comma-separated address ranges sources may connect to although they are private, loopback or link-local, `+
			`e.g. "10.20.0.0/16" or "team-a=10.30.1.0/24". Cloud metadata addresses are always refused.`)
	var limits manager.FetchLimits
	flag.IntVar(&limits.Workers, "fetch-workers", fetch.DefaultWorkers,
		"Requests to live metric sources that may run at once, all namespaces together.")
	flag.IntVar(&limits.WorkersPerNamespace, "fetch-workers-per-namespace", fetch.DefaultWorkersPerNamespace,
		"Of those, how many one namespace may hold: a namespace whose sources never answer cannot take the rest.")
	flag.Int64Var(&limits.MaxResponseBytes, "max-response-bytes", sources.DefaultResponseCeiling,
		"The largest answer accepted from any metric source, whatever its spec.maxResponseBytes asks "+
			"(that field may say up to 64 MiB).")
	flag.Int64Var(&limits.MaxBytesInFlight, "max-bytes-in-flight", sources.DefaultBytesInFlight,
		fmt.Sprintf("Memory the answers being read and decoded may take at once, all sources together, "+
			"counting %d bytes per byte received; an answer that would need more is ResponseTooLarge, "+
			"one that needs what others hold waits for them.", sources.DecodeFactor+1))
	zapOpts := zap.Options{}
	zapOpts.BindFlags(flag.CommandLine)
	flag.Parse()
	ctrl.SetLogger(zap.New(zap.UseFlagOptions(&zapOpts)))
	log := ctrl.Log.WithName("setup")

	allowed, err := sources.ParseHostAllowList(*allowedHosts)
	if err == nil {
		allowed, err = allowed.WithCIDRs(*allowedCIDRs)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "manager: %v\n", err)
		os.Exit(2)
	}
	if *namespaces != "" {
		opts.WatchNamespaces = strings.Split(*namespaces, ",")
	}
	if err := opts.Dashboard.Validate(); err != nil {
		fmt.Fprintf(os.Stderr, "manager: %v\n", err)
		os.Exit(2)
	}
	cfg, err := ctrl.GetConfig()
	if err != nil {
		fmt.Fprintf(os.Stderr, "manager: no Kubernetes configuration: %v\n", err)
		os.Exit(1)
	}
	if *tokenSecret != "" {
		if opts.Dashboard.Forms.Token, err = dashboardToken(cfg, *tokenSecret); err != nil {
			fmt.Fprintf(os.Stderr, "manager: --dashboard-git-token-secret %q: %v\n", *tokenSecret, err)
			os.Exit(2)
		}
	}
	mgr, err := manager.New(cfg, opts)
	if err != nil {
		log.Error(err, "unable to set up the manager")
		os.Exit(1)
	}
	ctx := ctrl.SetupSignalHandler()
	if err := controllers.Setup(ctx, mgr, controllers.Options{MaxConcurrentReconciles: *concurrency,
		Fetcher: manager.NewFetcher(mgr, nil, allowed, limits)}); err != nil {
		log.Error(err, "unable to set up the reconcilers")
		os.Exit(1)
	}
	log.Info(
		"starting manager",
		"metrics",
		opts.MetricsBindAddress,
		"probes",
		opts.HealthProbeBindAddress,
		"leaderElection",
		opts.LeaderElection,
		"shardSelector",
		opts.ShardSelector,
		"dashboard",
		opts.Dashboard.BindAddress,
		"dashboardAuth",
		opts.Dashboard.Auth,
		"dashboardForms",
		opts.Dashboard.Forms.Enabled(),
		"allowedSourceHosts",
		allowed.String(),
		"allowedSourceCIDRs",
		allowed.CIDRs(),
	)
	if allowed.Empty() {
		log.Info(
			"no --allowed-source-hosts: live metric sources will not be contacted until an " +
				"administrator lists the hosts they may reach",
		)
	}
	if err := mgr.Start(ctx); err != nil {
		log.Error(err, "manager stopped with an error")
		os.Exit(1)
	}
}

// dashboardToken reads the forms' git token from the Secret
// "namespace/name", key "token", with the manager's own credentials.
func dashboardToken(cfg *rest.Config, ref string) (string, error) {
	ns, name, ok := strings.Cut(ref, "/")
	if !ok || ns == "" || name == "" {
		return "", fmt.Errorf(`want "namespace/name"`)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sec, err := cs.CoreV1().Secrets(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("read the Secret: %w", err)
	}
	tok := strings.TrimSpace(string(sec.Data["token"]))
	if tok == "" {
		return "", fmt.Errorf(`the Secret has no key "token"`)
	}
	return tok, nil
}
