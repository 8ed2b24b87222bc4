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
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// PartnershipReconciler rolls up objectives, reviews and the agreement into
// a partnership's Healthy, AtRisk and ReviewDue.
type PartnershipReconciler struct {
	Client                  client.Client
	Clock                   clock.PassiveClock
	Recorder                EventRecorder
	MaxConcurrentReconciles int
	// RollupDelay batches the roll-up of child changes (see enqueueRollup).
	RollupDelay time.Duration
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// Reconcile evaluates one partnership and writes its status when it changed.
func (r *PartnershipReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	p := &v1.Partnership{}
	if found, err := getOrForget(ctx, r.Client, req, p); !found {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := p.DeepCopy()
	ts := metav1.NewTime(now)

	spec, err := partnershipSpec(p)
	if err != nil {
		p.Status.ObservedGeneration = p.Generation
		p.Status.Conditions = setConditions(p.Status.Conditions, p.Generation, ts,
			condition{v1.ConditionReady, metav1.ConditionFalse, "InvalidSpec", err.Error()})
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, p, before.Status, p.Status)
	}
	objectives := &v1.ObjectiveList{}
	if err := r.Client.List(ctx, objectives, client.InNamespace(p.Namespace), client.MatchingFields{indexObjectivePartnership: p.Name}); err != nil {
		return ctrl.Result{}, fmt.Errorf("list objectives of %s: %w", p.Name, err)
	}
	views := make([]evaluate.ObjectiveView, 0, len(objectives.Items))
	for i := range objectives.Items {
		o := &objectives.Items[i]
		views = append(views, evaluate.ObjectiveView{Name: o.Name, Health: healthOf(o.Status.Conditions), Score: o.Status.Score, Message: messageOf(o.Status.Conditions)})
	}
	reviews := &v1.ReviewList{}
	if err := r.Client.List(ctx, reviews, client.InNamespace(p.Namespace), client.MatchingFields{indexReviewPartnership: p.Name}); err != nil {
		return ctrl.Result{}, fmt.Errorf("list reviews of %s: %w", p.Name, err)
	}
	rv := make([]evaluate.ReviewView, 0, len(reviews.Items))
	for i := range reviews.Items {
		if v, ok := reviewView(&reviews.Items[i]); ok {
			rv = append(rv, v)
		}
	}
	var since time.Time
	if p.Status.AtRiskSince != nil {
		since = p.Status.AtRiskSince.UTC()
	}
	res := evaluate.Partnership(spec, views, rv, since, now)

	st := &p.Status
	st.ObservedGeneration = p.Generation
	st.Phase = v1.PartnershipPhase(res.Phase)
	st.AgreementState = v1.AgreementState(res.AgreementState)
	st.DaysToExpiry = res.DaysToExpiry
	st.Score = res.Score
	st.Objectives = v1.ConditionCounts{Total: res.Total, Healthy: res.Healthy, AtRisk: res.AtRisk, Unknown: res.Unknown}
	st.LastReview, st.LastReviewDate = "", ""
	if res.LastReview != nil {
		st.LastReview, st.LastReviewDate = res.LastReview.Name, date(res.LastReview.Date)
	}
	st.NextReviewDate = date(res.NextReviewDate)
	st.AtRiskSince = nil
	if !res.AtRiskSince.IsZero() {
		t := metav1.NewTime(res.AtRiskSince)
		if p.Status.AtRiskSince != nil && p.Status.AtRiskSince.Equal(&t) {
			t = *before.Status.AtRiskSince
		}
		st.AtRiskSince = &t
	}
	due := condition{v1.ConditionReviewDue, metav1.ConditionFalse, res.ReviewReason, res.ReviewMessage}
	if res.ReviewDue {
		due.Status = metav1.ConditionTrue
	}
	conds := append([]condition{{v1.ConditionReady, metav1.ConditionTrue, "Evaluated", res.HealthMessage}},
		healthConditions(res.Health, res.HealthReason, res.HealthMessage)...)
	st.Conditions = setConditions(st.Conditions, p.Generation, ts, append(conds, due)...)

	if err := patchStatus(ctx, r.Client, before, p, before.Status, p.Status); err != nil {
		return ctrl.Result{}, err
	}
	transitionEvents(r.Recorder, p, before.Status.Conditions, p.Status.Conditions)
	if before.Status.Phase != "" && before.Status.Phase != st.Phase && r.Recorder != nil {
		r.Recorder.Eventf(p, nil, "Normal", EventPhaseChanged, eventActionEvaluate, "Phase changed from %s to %s", before.Status.Phase, st.Phase)
		eventsTotal.WithLabelValues("Partnership", EventPhaseChanged).Inc()
	}
	if res.Score != nil {
		partnershipScore.WithLabelValues(p.Namespace, p.Name).Set(float64(*res.Score))
	}
	recordConditions(p.Namespace, "Partnership", p.Name, conditionMap(st.Conditions))
	if !res.NextChange.IsZero() {
		if d := res.NextChange.Sub(now); d > 0 {
			return ctrl.Result{RequeueAfter: d}, nil
		}
	}
	return ctrl.Result{}, nil
}

// SetupWithManager registers the partnership controller: it watches
// partnerships, their objectives and their reviews.
func (r *PartnershipReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Partnership{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.Objective{}, enqueueRollup(r.RollupDelay, partnershipOf)).
		Watches(&v1.Review{}, handler.EnqueueRequestsFromMapFunc(partnershipOf)).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("partnership" + r.NameSuffix).
		Complete(quietConflicts{r})
}

// partnershipOf maps an objective or review to the partnership it names.
func partnershipOf(_ context.Context, o client.Object) []reconcile.Request {
	var name string
	switch x := o.(type) {
	case *v1.Objective:
		name = x.Spec.PartnershipRef.Name
	case *v1.Review:
		name = x.Spec.PartnershipRef.Name
	default:
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: o.GetNamespace(), Name: name}}}
}
