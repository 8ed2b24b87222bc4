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

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/sources"
)

// SourceOutcomes reports the latest request to each metric source, and
// forgets a deleted one.
type SourceOutcomes interface {
	Outcome(key string) (sources.Outcome, bool)
	Forget(namespace, name string)
}

// MetricSourceReconciler reports whether a source is usable. Reported
// sources are always reachable; live sources report the outcome of the
// latest request a KPI made to them.
type MetricSourceReconciler struct {
	Client client.Client
	Clock  clock.PassiveClock
	// Outcomes reads fetch outcomes; nil reports live sources as not yet queried.
	Outcomes SourceOutcomes
	// Changed announces sources whose outcome changed.
	Changed <-chan event.TypedGenericEvent[types.NamespacedName]
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// Reconcile sets a source's Ready and Reachable conditions.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	src := &v1.MetricSource{}
	if found, err := getOrForget(ctx, r.Client, req, src); !found {
		if err == nil && r.Outcomes != nil {
			// Deleted: what the fetcher keeps about it goes too.
			r.Outcomes.Forget(req.Namespace, req.Name)
		}
		return ctrl.Result{}, err
	}
	before := src.DeepCopy()
	var outcome *sources.Outcome
	if r.Outcomes != nil {
		if o, seen := r.Outcomes.Outcome(req.Namespace + "/" + req.Name); seen {
			outcome = &o
		}
	}
	assess.MetricSource(src, outcome, r.Clock.Now())
	// Reachable on /metrics is what the AccordMetricSourceUnreachable alert reads.
	recordConditions(req.Namespace, "MetricSource", req.Name, conditionMap(src.Status.Conditions))
	return ctrl.Result{}, patchStatus(ctx, r.Client, before, src, before.Status, src.Status)
}

// SetupWithManager registers the metric-source controller.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	b := ctrl.NewControllerManagedBy(mgr).
		For(&v1.MetricSource{}, builder.WithPredicates(specOrRequestChanged())).
		Named("metricsource" + r.NameSuffix)
	if r.Changed != nil {
		b = b.WatchesRawSource(source.Channel(r.Changed, handler.TypedEnqueueRequestsFromMapFunc(
			func(_ context.Context, n types.NamespacedName) []reconcile.Request {
				return []reconcile.Request{{NamespacedName: n}}
			})))
	}
	return b.Complete(quietConflicts{r})
}
