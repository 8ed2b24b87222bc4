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
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
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

	wait *childWait
}

// Reconcile evaluates one partnership and writes its status when it changed.
func (r *PartnershipReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	p := &v1.Partnership{}
	if found, err := getOrForget(ctx, r.Client, req, p); !found {
		if r.wait != nil {
			r.wait.forget(req)
		}
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := p.DeepCopy()
	objectives := &v1.ObjectiveList{}
	if err := r.Client.List(
		ctx,
		objectives,
		client.InNamespace(p.Namespace),
		client.MatchingFields{indexObjectivePartnership: p.Name},
	); err != nil {
		return ctrl.Result{}, fmt.Errorf("list objectives of %s: %w", p.Name, err)
	}
	if r.wait != nil {
		pending := 0
		for i := range objectives.Items {
			if o := &objectives.Items[i]; !evaluatedFor(o.Generation, o.Status.Conditions) {
				pending++
			}
		}
		if after, hold := r.wait.hold(req, evaluatedFor(p.Generation, p.Status.Conditions), pending); hold {
			return ctrl.Result{RequeueAfter: after}, nil
		}
	}
	reviews := &v1.ReviewList{}
	if err := r.Client.List(
		ctx,
		reviews,
		client.InNamespace(p.Namespace),
		client.MatchingFields{indexReviewPartnership: p.Name},
	); err != nil {
		return ctrl.Result{}, fmt.Errorf("list reviews of %s: %w", p.Name, err)
	}
	// The needs it addresses are checked against the portfolios that
	// select it (read only: the cache's objects are not copied).
	portfolios := &v1.PortfolioList{}
	if err := r.Client.List(ctx, portfolios, client.InNamespace(p.Namespace), client.UnsafeDisableDeepCopy); err != nil {
		return ctrl.Result{}, fmt.Errorf("list portfolios for %s: %w", p.Name, err)
	}
	pfs := make([]*v1.Portfolio, 0, len(portfolios.Items))
	for i := range portfolios.Items {
		pfs = append(pfs, &portfolios.Items[i])
	}
	res, err := assess.PartnershipIn(p, objectives.Items, reviews.Items, assess.SelectingPortfolios(p, pfs), now)
	if err != nil {
		// The status says why; retrying cannot help until the spec changes.
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, p, before.Status, p.Status)
	}
	if err := patchStatus(ctx, r.Client, before, p, before.Status, p.Status); err != nil {
		return ctrl.Result{}, err
	}
	transitionEvents(r.Recorder, p, before.Status.Conditions, p.Status.Conditions)
	if before.Status.Phase != "" && before.Status.Phase != p.Status.Phase && r.Recorder != nil {
		r.Recorder.Eventf(
			p,
			nil,
			"Normal",
			EventPhaseChanged,
			eventActionEvaluate,
			"Phase changed from %s to %s",
			before.Status.Phase,
			p.Status.Phase,
		)
		eventsTotal.WithLabelValues(v1.KindPartnership, EventPhaseChanged).Inc()
	}
	if res.Score != nil {
		partnershipScore.WithLabelValues(p.Namespace, p.Name).Set(float64(*res.Score))
	}
	recordConditions(p.Namespace, v1.KindPartnership, p.Name, conditionMap(p.Status.Conditions))
	recordExpiries(p.Namespace, p.Name, p.Status.Expiries)
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
	r.wait = newChildWait(nil)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Partnership{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.Objective{}, enqueueRollup(fixedDelay(r.RollupDelay), partnershipOf)).
		Watches(&v1.Review{}, handler.EnqueueRequestsFromMapFunc(partnershipOf)).
		// A portfolio's needs, weights or selector decide whether the
		// needs a partnership addresses are declared and how a Prospect's
		// candidates rank; its status does not, so only spec changes wake
		// them.
		Watches(&v1.Portfolio{}, handler.EnqueueRequestsFromMapFunc(r.partnershipsOfPortfolio),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("partnership" + r.NameSuffix).
		Complete(quietConflicts{r})
}

// partnershipsOfPortfolio maps a portfolio to the partnerships in its
// namespace its spec may change the verdict of: those that address a need
// (whether its needs declare them) and the Prospects (whose ranking its
// candidateWeights and assessmentMaxAge decide). All of them, not only
// those it selects now: a selector change can take one out, and another
// portfolio's needs or weights then apply.
func (r *PartnershipReconciler) partnershipsOfPortfolio(ctx context.Context, o client.Object) []reconcile.Request {
	ps := &v1.PartnershipList{}
	if err := r.Client.List(ctx, ps, client.InNamespace(o.GetNamespace()), client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "list partnerships of portfolio", "portfolio", o.GetName())
		return nil
	}
	var out []reconcile.Request
	for i := range ps.Items {
		if p := &ps.Items[i]; len(p.Spec.Addresses) > 0 || p.Spec.DesiredPhase == v1.PhaseProspect {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(p)})
		}
	}
	return out
}

// partnershipOf maps an objective or review to the partnership it names.
func partnershipOf(_ context.Context, o client.Object) []reconcile.Request {
	r, ok := o.(v1.PartnershipReferrer)
	if !ok {
		return nil
	}
	return []reconcile.Request{
		{NamespacedName: client.ObjectKey{Namespace: o.GetNamespace(), Name: r.GetPartnershipName()}},
	}
}
