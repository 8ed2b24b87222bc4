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

package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/accord-dev/accord/internal/sources/fetch"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Options configure the reconcilers.
type Options struct {
	// Clock is "now" for every evaluation; tests pass a fake clock.
	Clock clock.PassiveClock
	// MaxConcurrentReconciles bounds parallel reconciles per kind.
	MaxConcurrentReconciles int
	// Fetcher reads live metric sources (manager.NewFetcher builds it);
	// nil reads reported values only. Setup wires it in whole: the KPI
	// reconciler fetches through it, KPIs sharing a (source, query) pair
	// are evaluated at once when it brings a new answer, and MetricSources
	// show its outcomes as soon as they change.
	Fetcher *fetch.Fetcher
	// Recorder emits events; nil uses the manager's.
	Recorder EventRecorder
	// NameSuffix is appended to every controller name, e.g. for shards or
	// for several managers in one test process.
	NameSuffix string
	// RollupDelay batches roll-ups: a parent is reconciled this long after
	// the first of a burst of child changes. 0 means DefaultRollupDelay;
	// negative rolls up at once.
	RollupDelay time.Duration
}

// notificationBuffer is the channel capacity of the fetcher's notifiers;
// beyond it messages wait, coalesced, and are never dropped.
const notificationBuffer = 1024

// DefaultMaxConcurrentReconciles is the parallel reconciles per kind. A
// reconcile mostly waits for its status write, so more than the cores pay
// off: on the benchmark, 8 converged 18% faster than 2 (docs/benchmarks.md).
const DefaultMaxConcurrentReconciles = 8

// Setup registers the field indexes and every Accord reconciler with mgr.
func Setup(ctx context.Context, mgr ctrl.Manager, opts Options) error {
	if opts.Clock == nil {
		opts.Clock = clock.RealClock{}
	}
	if opts.MaxConcurrentReconciles < 1 {
		opts.MaxConcurrentReconciles = DefaultMaxConcurrentReconciles
	}
	if opts.RollupDelay == 0 {
		opts.RollupDelay = DefaultRollupDelay
	}
	if opts.Recorder == nil {
		opts.Recorder = mgr.GetEventRecorder("accord")
	}
	if err := SetupIndexes(ctx, mgr); err != nil {
		return err
	}
	c, n, rec := mgr.GetClient(), opts.MaxConcurrentReconciles, opts.Recorder
	kpis := &KPIReconciler{
		Client:                  c,
		Clock:                   opts.Clock,
		Recorder:                rec,
		MaxConcurrentReconciles: n,
		NameSuffix:              opts.NameSuffix,
	}
	metricSources := &MetricSourceReconciler{Client: c, Clock: opts.Clock, NameSuffix: opts.NameSuffix}
	if f := opts.Fetcher; f != nil {
		kpis.Fetcher, kpis.Answers, kpis.Woken = f, f.Answers(ctx, notificationBuffer), f.Woken(ctx, notificationBuffer)
		metricSources.Outcomes, metricSources.Changed = f, f.OutcomeChanges(ctx, notificationBuffer)
	}
	for name, s := range map[string]interface{ SetupWithManager(ctrl.Manager) error }{
		v1.KindKPI: kpis,
		v1.KindObjective: &ObjectiveReconciler{Client: c, Clock: opts.Clock, Recorder: rec,
			MaxConcurrentReconciles: n, RollupDelay: opts.RollupDelay, NameSuffix: opts.NameSuffix},
		v1.KindPartnership: &PartnershipReconciler{Client: c, Clock: opts.Clock, Recorder: rec,
			MaxConcurrentReconciles: n, RollupDelay: opts.RollupDelay, NameSuffix: opts.NameSuffix},
		v1.KindPortfolio: &PortfolioReconciler{Client: c, Clock: opts.Clock, Recorder: rec,
			MaxConcurrentReconciles: n, RollupDelay: opts.RollupDelay, NameSuffix: opts.NameSuffix},
		v1.KindReview:       &ReviewReconciler{Client: c, Clock: opts.Clock, NameSuffix: opts.NameSuffix},
		v1.KindMetricSource: metricSources,
	} {
		if err := s.SetupWithManager(mgr); err != nil {
			return fmt.Errorf("set up %s controller: %w", name, err)
		}
	}
	return nil
}
