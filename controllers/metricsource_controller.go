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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
)

// SourceOutcomes reports the latest request to each metric source.
type SourceOutcomes interface {
	Outcome(source string) (sources.Outcome, bool)
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
	Changed <-chan event.GenericEvent
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// Reconcile sets a source's Ready and Reachable conditions.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	src := &v1.MetricSource{}
	if err := r.Client.Get(ctx, req.NamespacedName, src); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := src.DeepCopy()
	reach := condition{v1.ConditionReachable, metav1.ConditionUnknown, "NotYetQueried", "No KPI has queried this source yet"}
	var outcome sources.Outcome
	var seen bool
	if r.Outcomes != nil {
		outcome, seen = r.Outcomes.Outcome(req.Namespace + "/" + req.Name)
	}
	src.Status.LastError = ""
	switch {
	case src.Spec.Type == v1.SourceReported:
		reach = condition{v1.ConditionReachable, metav1.ConditionTrue, "ValuesInGit", "Values are committed in git on each KPI"}
	case seen && outcome.Reason == "":
		reach = condition{v1.ConditionReachable, metav1.ConditionTrue, "Answered", fmt.Sprintf("The source answered at %s", outcome.LastAttempt.UTC().Format(time.RFC3339))}
	case seen:
		reach = condition{v1.ConditionReachable, metav1.ConditionFalse, outcome.Reason, outcome.Error}
		src.Status.LastError = truncate(outcome.Error, 1024)
	}
	if seen && !outcome.LastSuccess.IsZero() {
		t := metav1.NewTime(outcome.LastSuccess)
		if src.Status.LastSuccessTime == nil || !src.Status.LastSuccessTime.Equal(&t) {
			src.Status.LastSuccessTime = &t
		}
	}
	src.Status.ObservedGeneration = src.Generation
	src.Status.Conditions = setConditions(src.Status.Conditions, src.Generation, metav1.NewTime(r.Clock.Now()),
		condition{v1.ConditionReady, metav1.ConditionTrue, "Configured", fmt.Sprintf("%s source configured", src.Spec.Type)}, reach)
	return ctrl.Result{}, patchStatus(ctx, r.Client, before, src, before.Status, src.Status)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// SetupWithManager registers the metric-source controller.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	b := ctrl.NewControllerManagedBy(mgr).
		For(&v1.MetricSource{}, builder.WithPredicates(specOrRequestChanged())).
		Named("metricsource" + r.NameSuffix)
	if r.Changed != nil {
		b = b.WatchesRawSource(source.Channel(r.Changed, &handler.EnqueueRequestForObject{}))
	}
	return b.Complete(quietConflicts{r})
}
