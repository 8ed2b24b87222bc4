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

// Package testoperator runs the Accord operator (the manager with every
// reconciler and the live-source fetcher) against a test control plane on
// a clock the test controls, and waits until it has converged. Tests that
// need what the operator really writes use it.
package testoperator

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/rest"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/controllers"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/onsi/gomega"
)

var managers atomic.Int32

// Start runs the operator on clk, watching namespace, until the test ends.
// Each edit adjusts the manager's options (metrics are off unless one
// sets MetricsBindAddress).
func Start(t testing.TB, cfg *rest.Config, c client.Client, clk clock.PassiveClock, namespace string, edits ...func(*manager.Options)) {
	t.Helper()
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = "0"
	opts.HealthProbeBindAddress = "0"
	opts.SkipControllerNameValidation = true
	opts.WatchNamespaces = []string{namespace}
	for _, edit := range edits {
		edit(&opts)
	}
	mgr, err := manager.New(cfg, opts)
	if err != nil {
		t.Fatalf("create manager: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := controllers.Setup(ctx, mgr, controllers.Options{Clock: clk, NameSuffix: fmt.Sprintf("-testoperator-%d", managers.Add(1)),
		Fetcher: manager.NewFetcher(mgr, clk, sources.AllowLoopbackForTests())}); err != nil {
		cancel()
		t.Fatalf("set up controllers: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
}

// quietPolls is how many polls in a row must see no change before the
// operator counts as converged: a status write can trigger another
// object's reconcile a moment later.
const poll = 50 * time.Millisecond

// quietPolls spans twice the roll-up batching delay: a parent rolls up its
// children's changes that long after them, so a shorter quiet window can
// end between a child's write and its parent's.
var quietPolls = int(2*controllers.DefaultRollupDelay/poll) + 1

// WaitConverged polls until every Accord object in namespace has a Ready
// condition for its current generation and no object has changed for
// quietPolls polls in a row (two roll-up delays), or fails the test after timeout.
func WaitConverged(t testing.TB, c client.Client, namespace string, timeout time.Duration) {
	t.Helper()
	var last map[string]string
	quiet := 0
	gomega.NewWithT(t).Eventually(func() []string {
		versions, pending, err := snapshot(c, namespace)
		switch {
		case err != nil:
			quiet = 0
			return []string{err.Error()}
		case len(pending) > 0:
			quiet = 0
			return pending
		case fmt.Sprint(versions) != fmt.Sprint(last):
			quiet, last = 0, versions
			return []string{"objects still changing"}
		}
		if quiet++; quiet < quietPolls {
			return []string{"waiting for quiet"}
		}
		return nil
	}).WithTimeout(timeout).WithPolling(poll).Should(gomega.BeEmpty(), "the operator did not converge")
}

// snapshot returns every object's resourceVersion and the objects not yet
// evaluated for their generation.
func snapshot(c client.Client, namespace string) (map[string]string, []string, error) {
	ctx := context.Background()
	versions := map[string]string{}
	var pending []string
	for _, list := range []client.ObjectList{&v1.PortfolioList{}, &v1.PartnershipList{}, &v1.ObjectiveList{}, &v1.KPIList{}, &v1.ReviewList{}, &v1.MetricSourceList{}} {
		if err := c.List(ctx, list, client.InNamespace(namespace)); err != nil {
			return nil, nil, err
		}
		items, err := meta.ExtractList(list)
		if err != nil {
			return nil, nil, err
		}
		for _, it := range items {
			o := it.(client.Object)
			id := fmt.Sprintf("%T/%s", o, o.GetName())
			versions[id] = o.GetResourceVersion()
			ready := meta.FindStatusCondition(assess.Conditions(o), v1.ConditionReady)
			if ready == nil || ready.ObservedGeneration != o.GetGeneration() {
				pending = append(pending, id)
			}
		}
	}
	return versions, pending, nil
}
