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

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// EventRecorder is the part of the events API the reconcilers use.
type EventRecorder interface {
	Eventf(regarding runtime.Object, related runtime.Object, eventtype, reason, action, note string, args ...any)
}

// Event reasons, emitted only on transitions.
const (
	EventAtRisk        = "AtRisk"
	EventRecovered     = "Recovered"
	EventReviewDue     = "ReviewDue"
	EventReviewCleared = "ReviewCleared"
	EventPhaseChanged  = "PhaseChanged"
	// EventTargetMet announces a KPI's crossing of its target, once per
	// crossing (status.targetMetDate keeps it across restarts).
	EventTargetMet = "TargetMet"
	// EventAchieved and EventMissed announce an objective's outcome, once
	// (status.projectedOutcome keeps it).
	EventAchieved = "Achieved"
	EventMissed   = "Missed"
	// EventNotCompliant and EventComplianceRestored announce the
	// transitions of a partnership's Compliant condition.
	EventNotCompliant       = "NotCompliant"
	EventComplianceRestored = "ComplianceRestored"
	eventActionEvaluate     = "Evaluate"
)

// winEvent emits one event when the status just written records a
// win the status before did not. It runs after the write, so a reconcile
// that fails to write (and is retried) announces nothing, and a restarted
// manager reads the win from status and announces nothing either.
func winEvent(rec EventRecorder, obj runtime.Object, was, is bool, typ, reason, msg string) {
	if was || !is || msg == "" {
		return
	}
	if rec != nil {
		rec.Eventf(obj, nil, typ, reason, eventActionEvaluate, "%s", msg)
	}
	eventsTotal.WithLabelValues(kindOf(obj), reason).Inc()
}

func isTrue(conds []metav1.Condition, t string) bool {
	return meta.IsStatusConditionTrue(conds, t)
}

// transitionEvents emits one event per transition of AtRisk or ReviewDue
// between the old and new conditions, and none in steady state. The end
// of a partnership is not a recovery nor a review: conditions turned
// False for the reason PartnershipEnded announce nothing (the
// partnership's PhaseChanged does).
func transitionEvents(rec EventRecorder, obj runtime.Object, old, cur []metav1.Condition) int {
	n := 0
	emit := func(typ, reason string, c *metav1.Condition) {
		if c != nil && c.Reason == string(evaluate.ReasonPartnershipEnded) {
			return
		}
		if rec != nil {
			rec.Eventf(obj, nil, typ, reason, eventActionEvaluate, "%s", c.Message)
		}
		eventsTotal.WithLabelValues(kindOf(obj), reason).Inc()
		n++
	}
	if c := meta.FindStatusCondition(cur, v1.ConditionAtRisk); c != nil {
		was := isTrue(old, v1.ConditionAtRisk)
		switch {
		case c.Status == metav1.ConditionTrue && !was:
			emit(corev1.EventTypeWarning, EventAtRisk, c)
		case c.Status == metav1.ConditionFalse && was:
			emit(corev1.EventTypeNormal, EventRecovered, meta.FindStatusCondition(cur, v1.ConditionHealthy))
		}
	}
	if c := meta.FindStatusCondition(cur, v1.ConditionReviewDue); c != nil {
		was := isTrue(old, v1.ConditionReviewDue)
		switch {
		case c.Status == metav1.ConditionTrue && !was:
			emit(corev1.EventTypeWarning, EventReviewDue, c)
		case c.Status == metav1.ConditionFalse && was:
			emit(corev1.EventTypeNormal, EventReviewCleared, c)
		}
	}
	if c := meta.FindStatusCondition(cur, v1.ConditionCompliant); c != nil {
		was := meta.FindStatusCondition(old, v1.ConditionCompliant)
		wasFalse := was != nil && was.Status == metav1.ConditionFalse
		switch {
		case c.Status == metav1.ConditionFalse && !wasFalse:
			emit(corev1.EventTypeWarning, EventNotCompliant, c)
		case c.Status != metav1.ConditionFalse && wasFalse:
			emit(corev1.EventTypeNormal, EventComplianceRestored, c)
		}
	}
	return n
}

// patchStatus writes obj's status when it differs from before's, with a
// merge patch, and does nothing otherwise: zero writes in steady state.
// It also acknowledges the reconcile request obj carries (see
// acknowledgeRequest), so every reconcile that writes, or would write for
// a new request, goes through here.
func patchStatus(ctx context.Context, c client.Client, before, obj client.Object, oldStatus, newStatus any) error {
	if !acknowledgeRequest(before, obj) && equality.Semantic.DeepEqual(oldStatus, newStatus) {
		return nil
	}
	// The optimistic lock makes a reconcile that read a stale copy (the
	// cache lags our own last write) fail instead of writing, and emitting
	// events, a second time; it is retried from the fresh cache.
	if err := c.Status().
		Patch(ctx, obj, client.MergeFromWithOptions(before, client.MergeFromWithOptimisticLock{})); err != nil {
		if !apierrors.IsConflict(err) {
			statusWriteErrorsTotal.WithLabelValues(kindOf(obj)).Inc()
		}
		return fmt.Errorf("patch status of %s %s/%s: %w", kindOf(obj), obj.GetNamespace(), obj.GetName(), err)
	}
	statusWritesTotal.WithLabelValues(kindOf(obj)).Inc()
	return nil
}

// kindOf names obj's kind for metrics labels and errors.
func kindOf(obj runtime.Object) string {
	if k := v1.KindOf(obj); k != "" {
		return k
	}
	return fmt.Sprintf("%T", obj)
}

// acknowledgeRequest copies obj's reconcile-request annotation to its
// status.lastHandledReconcileAt (fluxcd's convention, so that `kubectl
// wait` can tell the request was handled), and reports whether that
// changed the status from before's.
func acknowledgeRequest(before, obj client.Object) bool {
	o, ok := obj.(v1.Object)
	if !ok {
		return false
	}
	req, ok := v1.ReconcileRequest(o)
	if !ok {
		return false
	}
	o.SetLastHandledReconcileRequest(req)
	b, ok := before.(v1.Object)
	return !ok || b.GetLastHandledReconcileRequest() != req
}

// getOrForget reads the object a request names into obj. When it is gone,
// its metrics series are dropped and found is false with no error: a
// deleted object needs no further work.
func getOrForget(ctx context.Context, c client.Client, req ctrl.Request, obj client.Object) (found bool, err error) {
	if err := c.Get(ctx, req.NamespacedName, obj); err != nil {
		if apierrors.IsNotFound(err) {
			forgetObject(req.Namespace, kindOf(obj), req.Name)
			return false, nil
		}
		return false, err
	}
	return true, nil
}

const conflictRetry = 250 * time.Millisecond

// quietConflicts requeues a reconcile that lost an optimistic-lock race,
// without logging it as an error: it is expected, not a fault.
type quietConflicts struct{ reconcile.Reconciler }

func (q quietConflicts) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	res, err := q.Reconciler.Reconcile(ctx, req)
	if apierrors.IsConflict(err) {
		// By then the cache has caught up with the write that won.
		return reconcile.Result{RequeueAfter: conflictRetry}, nil
	}
	return res, err
}
