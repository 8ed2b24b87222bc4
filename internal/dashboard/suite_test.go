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

package dashboard_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/dashboard"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) { testenv.Main(m, &env) }

// today is the fake clock's time in every test, as in the controllers'
// scenarios: the sample portfolio is evaluated as of this morning.
var today = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const (
	timeout = 30 * time.Second
	poll    = 50 * time.Millisecond
)

var nsCounter, managerCounter atomic.Int32

func namespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("dashboard-%d", nsCounter.Add(1))}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

// setup says what a test's manager runs besides the dashboard.
type setup struct {
	// reconcilers runs the Accord controllers on clock.
	reconcilers bool
	clock       *clocktesting.FakeClock
	auth        bool
	refresh     int
	namespaces  []string
	// forms turns on the office's forms (forms_test.go).
	forms dashboard.FormsOptions
}

// serve runs a manager with the dashboard on a loopback port until the
// test ends and returns the dashboard's base URL, once it answers.
func serve(t *testing.T, s setup) string {
	t.Helper()
	if s.clock == nil {
		s.clock = clocktesting.NewFakeClock(today)
	}
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = "0"
	opts.HealthProbeBindAddress = "0"
	opts.SkipControllerNameValidation = true
	opts.WatchNamespaces = s.namespaces
	opts.Clock = s.clock
	opts.Dashboard.BindAddress = freeAddr(t)
	opts.Dashboard.Auth = s.auth
	opts.Dashboard.SelfSignedCertificate = s.auth
	opts.Dashboard.RefreshSeconds = s.refresh
	opts.Dashboard.Forms = s.forms
	mgr, err := manager.New(env.Config, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if s.reconcilers {
		// Live sources as cmd/manager reads them: Secrets through the API
		// reader, never the cache.
		err := controllers.Setup(ctx, mgr, controllers.Options{Clock: s.clock, MaxConcurrentReconciles: 2,
			NameSuffix: fmt.Sprintf("-dashboard-%d", managerCounter.Add(1)),
			Fetcher:    manager.NewFetcher(mgr, s.clock, sources.AllowLoopbackForTests())})
		if err != nil {
			cancel()
			t.Fatal(err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
	scheme := "http"
	if s.auth {
		scheme = "https"
	}
	base := scheme + "://" + opts.Dashboard.BindAddress
	c := httpClient()
	NewWithT(t).Eventually(func() error {
		resp, err := c.Get(base + "/")
		if err != nil {
			return err
		}
		_ = resp.Body.Close()
		return nil
	}).WithTimeout(timeout).WithPolling(poll).Should(Succeed())
	return base
}

// applySamples creates config/samples in ns, as `kubectl apply -k` would.
func applySamples(ctx context.Context, t *testing.T, ns string) {
	t.Helper()
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		u.SetNamespace(ns)
		if err := env.Client.Create(ctx, u); err != nil {
			t.Fatalf("create sample %s/%s: %v", u.GetKind(), u.GetName(), err)
		}
	}
}

// settled reports whether the operator has evaluated every sample
// partnership in ns and its roll-up agrees with its objectives.
func settled(ctx context.Context, ns string) error {
	list := &v1.PartnershipList{}
	if err := env.Client.List(ctx, list, client.InNamespace(ns)); err != nil {
		return err
	}
	objectives := &v1.ObjectiveList{}
	if err := env.Client.List(ctx, objectives, client.InNamespace(ns)); err != nil {
		return err
	}
	for _, p := range list.Items {
		if !meta.IsStatusConditionTrue(p.Status.Conditions, v1.ConditionReady) {
			return fmt.Errorf("partnership %s not Ready yet", p.Name)
		}
		var healthy, atRisk int32
		for _, o := range objectives.Items {
			if o.Spec.PartnershipRef.Name != p.Name {
				continue
			}
			if o.Status.KPIs.Total == 0 || o.Status.KPIs.Unknown > 0 {
				return fmt.Errorf("objective %s has KPIs not yet evaluated", o.Name)
			}
			healthy += b2i(meta.IsStatusConditionTrue(o.Status.Conditions, v1.ConditionHealthy))
			atRisk += b2i(meta.IsStatusConditionTrue(o.Status.Conditions, v1.ConditionAtRisk))
		}
		if p.Status.Objectives.Healthy != healthy || p.Status.Objectives.AtRisk != atRisk {
			return fmt.Errorf("partnership %s counts %d healthy %d at risk, its objectives say %d and %d",
				p.Name, p.Status.Objectives.Healthy, p.Status.Objectives.AtRisk, healthy, atRisk)
		}
	}
	return nil
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// setStatus changes an object's status through the status subresource,
// as the operator does.
func setStatus(ctx context.Context, t *testing.T, obj client.Object, mutate func()) {
	t.Helper()
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		mutate()
		return env.Client.Status().Update(ctx, obj)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// httpClient accepts the dashboard's self-signed certificate: the auth
// tests check who gets in, not the certificate chain.
func httpClient() *http.Client {
	return &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // self-signed test certificate
	}}
}

// get fetches url and returns the status code, the body and the headers.
func get(t *testing.T, method, url string, header http.Header) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(req.Header, header)
	resp, err := httpClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}
