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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// MetricSourceReconciler reports whether a source is usable. Reported
// sources are always ready; live sources are probed by their providers.
type MetricSourceReconciler struct {
	Client client.Client
	Clock  clock.PassiveClock
}

// Reconcile sets a source's Ready and Reachable conditions.
func (r *MetricSourceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	src := &v1.MetricSource{}
	if err := r.Client.Get(ctx, req.NamespacedName, src); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := src.DeepCopy()
	reach := condition{v1.ConditionReachable, metav1.ConditionUnknown, "NotYetQueried", "No KPI has queried this source yet"}
	if src.Spec.Type == v1.SourceReported {
		reach = condition{v1.ConditionReachable, metav1.ConditionTrue, "ValuesInGit", "Values are committed in git on each KPI"}
	}
	src.Status.ObservedGeneration = src.Generation
	src.Status.Conditions = setConditions(src.Status.Conditions, src.Generation, metav1.NewTime(r.Clock.Now()),
		condition{v1.ConditionReady, metav1.ConditionTrue, "Configured", fmt.Sprintf("%s source configured", src.Spec.Type)}, reach)
	return ctrl.Result{}, patchStatus(ctx, r.Client, before, src, before.Status, src.Status)
}

// SetupWithManager registers the metric-source controller.
func (r *MetricSourceReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.MetricSource{}, builder.WithPredicates(specOrRequestChanged())).
		Named("metricsource").
		Complete(r)
}
