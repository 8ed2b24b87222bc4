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

package controllers_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) { testenv.Main(m, &env) }

// today is the fake clock's starting point in every scenario.
var today = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

const (
	timeout = 30 * time.Second
	poll    = 50 * time.Millisecond
)

var nsCounter, managerCounter atomic.Int32

// lastSuffix is the controller-name suffix of the newest manager.
func lastSuffix() string { return fmt.Sprintf("-%d", managerCounter.Load()) }

// namespace creates a fresh namespace for one test.
func namespace(t *testing.T) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("scenario-%d", nsCounter.Add(1))}}
	if err := env.Client.Create(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
	return ns.Name
}

// startManager runs a manager with the Accord reconcilers on a fake clock
// until the test ends.
func startManager(t *testing.T, clk *clocktesting.FakeClock) {
	t.Helper()
	startManagerStoppable(t, clk, nil)
}

// startManagerStoppable runs a manager and returns a function that stops
// it and waits for it to finish; calling it twice is harmless.
// namespaces limits what it watches; nil watches all.
func startManagerStoppable(t *testing.T, clk *clocktesting.FakeClock, namespaces []string) func() {
	t.Helper()
	stop, _ := startManagerWith(t, clk, managerSpec{namespaces: namespaces})
	return stop
}

// managerSpec varies the managers tests start.
type managerSpec struct {
	namespaces []string
	// shard is the manager's --shard-selector.
	shard string
	// userAgent names the manager in managedFields, so a test can tell
	// which manager wrote an object.
	userAgent string
	// leaderElection makes the manager elect itself through a Lease in
	// leaderNamespace (default: "default") before it reconciles.
	leaderElection  bool
	leaderNamespace string
	// config replaces the test environment's admin configuration, e.g. to
	// impersonate the production ServiceAccount.
	config *rest.Config
}

// startManagerWith runs a manager as spec says and returns its stop
// function and the manager.
func startManagerWith(t *testing.T, clk *clocktesting.FakeClock, spec managerSpec) (func(), ctrl.Manager) {
	t.Helper()
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = "0"
	opts.HealthProbeBindAddress = "0"
	opts.SkipControllerNameValidation = true
	opts.WatchNamespaces = spec.namespaces
	opts.ShardSelector = spec.shard
	opts.LeaderElection = spec.leaderElection
	opts.LeaderElectionNamespace = "default"
	if spec.leaderNamespace != "" {
		opts.LeaderElectionNamespace = spec.leaderNamespace
	}
	cfg := rest.CopyConfig(env.Config)
	if spec.config != nil {
		cfg = spec.config
	}
	if spec.userAgent != "" {
		cfg.UserAgent = spec.userAgent
	}
	mgr, err := manager.New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// The fetcher cmd/manager runs, on the test's clock.
	suffix := fmt.Sprintf("-%d", managerCounter.Add(1))
	if err := controllers.Setup(ctx, mgr, controllers.Options{Clock: clk, MaxConcurrentReconciles: 2, NameSuffix: suffix,
		Fetcher: manager.NewFetcher(mgr, clk, sources.AllowLoopbackForTests())}); err != nil {
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
	// Also on a failed assertion, so no manager outlives its test.
	t.Cleanup(stop)
	return stop, mgr
}

// cond returns the status and reason of a condition of obj, read fresh.
func cond(ctx context.Context, obj client.Object, typ string) func() string {
	return func() string {
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(obj), obj); err != nil {
			return "get: " + err.Error()
		}
		var conds []metav1.Condition
		if g, ok := obj.(v1.ConditionGetter); ok {
			conds = g.GetConditions()
		}
		c := meta.FindStatusCondition(conds, typ)
		if c == nil {
			return "absent"
		}
		return string(c.Status) + "/" + c.Reason
	}
}

// kick asks the operator to re-evaluate obj now, as a user would after
// the clock moved: the reconcile-request annotation.
func kick(ctx context.Context, t *testing.T, obj client.Object) {
	t.Helper()
	patch := client.MergeFrom(obj.DeepCopyObject().(client.Object))
	a := obj.GetAnnotations()
	if a == nil {
		a = map[string]string{}
	}
	a[v1.ReconcileRequestAnnotation] = time.Now().Format(time.RFC3339Nano)
	obj.SetAnnotations(a)
	if err := env.Client.Patch(ctx, obj, patch); err != nil {
		t.Fatal(err)
	}
}

// events counts the events with reason about the named object.
func events(ctx context.Context, ns, name, reason string) func() int {
	return func() int {
		list := &corev1.EventList{}
		if err := env.Client.List(ctx, list, client.InNamespace(ns)); err != nil {
			return -1
		}
		n := 0
		for _, e := range list.Items {
			if e.InvolvedObject.Name == name && e.Reason == reason {
				n++
			}
		}
		return n
	}
}

type v1Object = client.Object

func key(o client.Object) client.ObjectKey { return client.ObjectKeyFromObject(o) }

func newClock() *clocktesting.FakeClock { return clocktesting.NewFakeClock(today) }
