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
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
)

// ObjectiveReconciler scores objectives from their weighted KPIs.
type ObjectiveReconciler struct {
	Client                  client.Client
	Clock                   clock.PassiveClock
	Recorder                EventRecorder
	MaxConcurrentReconciles int
	// RollupDelay batches the roll-up of child changes (see enqueueRollup).
	RollupDelay time.Duration
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string

	wait *childWait
}

// Reconcile evaluates one objective and writes its status when it changed.
func (r *ObjectiveReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	obj := &v1.Objective{}
	if found, err := getOrForget(ctx, r.Client, req, obj); !found {
		if r.wait != nil {
			r.wait.forget(req)
		}
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := obj.DeepCopy()

	// Children are only read, so they come from the cache uncopied (a
	// KPI's status carries its history; copying it on every roll-up was
	// measurable at scale).
	kpis := make(map[string]*v1.KPI, len(obj.Spec.KPIs))
	for _, ref := range obj.Spec.KPIs {
		kpi := &v1.KPI{}
		err := r.Client.Get(
			ctx,
			types.NamespacedName{Namespace: obj.Namespace, Name: ref.Name},
			kpi,
			client.UnsafeDisableDeepCopy,
		)
		switch {
		case apierrors.IsNotFound(err):
		case err != nil:
			return ctrl.Result{}, err
		default:
			kpis[ref.Name] = kpi
		}
	}
	if r.wait != nil {
		pending := 0
		for _, k := range kpis {
			if !evaluatedFor(k.Generation, k.Status.Conditions) {
				pending++
			}
		}
		if after, hold := r.wait.hold(req, evaluatedFor(obj.Generation, obj.Status.Conditions), pending); hold {
			return ctrl.Result{RequeueAfter: after}, nil
		}
	}
	partnershipFound := true
	p := &v1.Partnership{}
	pkey := types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.PartnershipRef.Name}
	if err := r.Client.Get(ctx, pkey, p, client.UnsafeDisableDeepCopy); err != nil {
		if !apierrors.IsNotFound(err) {
			return ctrl.Result{}, err
		}
		partnershipFound = false
	}
	var res evaluate.ObjectiveResult
	ended := (*assess.Ending)(nil)
	if partnershipFound {
		ended = assess.EndingOf(p)
	}
	if ended != nil {
		res = assess.EndedObjective(obj, kpis, ended, now)
	} else {
		res = assess.Objective(obj, kpis, partnershipFound, now)
	}
	if err := patchStatus(ctx, r.Client, before, obj, before.Status, obj.Status); err != nil {
		return ctrl.Result{}, err
	}
	transitionEvents(r.Recorder, obj, before.Status.Conditions, obj.Status.Conditions)
	if ended == nil {
		outcomeEvent(r.Recorder, obj, before.Status.ProjectedOutcome, res)
	}
	if res.Score != nil {
		objectiveScore.WithLabelValues(obj.Namespace, obj.Name, obj.Spec.PartnershipRef.Name).Set(float64(*res.Score))
	}
	recordConditions(obj.Namespace, v1.KindObjective, obj.Name, conditionMap(obj.Status.Conditions))
	if ended != nil {
		return ctrl.Result{}, nil // judged as of the end: nothing more changes
	}
	// Outcome turns Missed at the deadline without any input changing.
	deadline := assess.ObjectiveSpec(obj).Deadline
	if d := deadline.AddDate(0, 0, 1).Sub(now); d > 0 {
		return ctrl.Result{RequeueAfter: d}, nil
	}
	return ctrl.Result{}, nil
}

// SetupWithManager registers the objective controller: it watches
// objectives, their KPIs and their partnership.
func (r *ObjectiveReconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.wait = newChildWait(nil)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Objective{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.KPI{}, enqueueRollup(fixedDelay(r.RollupDelay), r.objectivesOfKPI)).
		Watches(&v1.Partnership{}, handler.EnqueueRequestsFromMapFunc(r.objectivesOfPartnership),
			builder.WithPredicates(predicate.Or(createdOrDeleted(), endedOrResumed()))).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("objective" + r.NameSuffix).
		Complete(quietConflicts{r})
}

func (r *ObjectiveReconciler) objectivesOfKPI(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1.ObjectiveList{}, o.GetNamespace(), indexObjectiveKPI, o.GetName())
}

func (r *ObjectiveReconciler) objectivesOfPartnership(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1.ObjectiveList{}, o.GetNamespace(), indexObjectivePartnership, o.GetName())
}

// outcomeEvent announces an objective that has just become Achieved or
// Missed (see winEvent).
func outcomeEvent(rec EventRecorder, obj *v1.Objective, was v1.ProjectedOutcome, res evaluate.ObjectiveResult) {
	on, err := evaluate.ParseDate(string(obj.Status.OutcomeDate))
	if err != nil {
		return
	}
	msg := evaluate.OutcomeSentence(obj.Name, res.Outcome, on)
	switch res.Outcome {
	case evaluate.OutcomeAchieved:
		winEvent(rec, obj, was == v1.OutcomeAchieved, true, corev1.EventTypeNormal, EventAchieved, msg)
	case evaluate.OutcomeMissed:
		winEvent(rec, obj, was == v1.OutcomeMissed, true, corev1.EventTypeWarning, EventMissed, msg)
	}
}
