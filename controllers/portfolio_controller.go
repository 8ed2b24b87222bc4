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
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
)

// PortfolioReconciler rolls up the partnerships a portfolio selects.
type PortfolioReconciler struct {
	Client                  client.Client
	Clock                   clock.PassiveClock
	Recorder                EventRecorder
	MaxConcurrentReconciles int
	// RollupDelay batches the roll-up of child changes (see enqueueRollup).
	RollupDelay time.Duration
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string

	pace *costPacer
}

// Reconcile rolls up one portfolio and writes its status when it changed.
func (r *PortfolioReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	pf := &v1.Portfolio{}
	if found, err := getOrForget(ctx, r.Client, req, pf); !found {
		if r.pace != nil {
			r.pace.forget(req)
		}
		return ctrl.Result{}, err
	}
	if r.pace != nil {
		start := time.Now() // wall time on purpose: it paces real work, not the injected clock
		defer func() { r.pace.observe(req, time.Since(start)) }()
	}
	now := r.Clock.Now()
	before := pf.DeepCopy()
	sel, err := assess.PortfolioSelector(pf, now)
	if err != nil {
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, pf, before.Status, pf.Status)
	}
	// The roll-up reads every member and only reads them, so it reads the
	// cache's objects without copying them: deep copies of 10,000 KPIs per
	// roll-up were most of its cost. Nothing below may modify a member.
	ps := &v1.PartnershipList{}
	if err := r.Client.List(
		ctx,
		ps,
		client.InNamespace(pf.Namespace),
		client.MatchingLabelsSelector{Selector: sel},
		client.UnsafeDisableDeepCopy,
	); err != nil {
		return ctrl.Result{}, fmt.Errorf("list partnerships of portfolio %s: %w", pf.Name, err)
	}
	kpi := func(name string) (*v1.KPI, error) {
		k := &v1.KPI{}
		if err := r.Client.Get(
			ctx,
			types.NamespacedName{Namespace: pf.Namespace, Name: name},
			k,
			client.UnsafeDisableDeepCopy,
		); err != nil {
			return nil, client.IgnoreNotFound(err)
		}
		return k, nil
	}
	var members assess.PortfolioMembers
	for i := range ps.Items {
		p := &ps.Items[i]
		objs := &v1.ObjectiveList{}
		if err := r.Client.List(
			ctx,
			objs,
			client.InNamespace(pf.Namespace),
			client.MatchingFields{indexObjectivePartnership: p.Name},
			client.UnsafeDisableDeepCopy,
		); err != nil {
			return ctrl.Result{}, fmt.Errorf("list objectives of %s: %w", p.Name, err)
		}
		if err := members.AddPartnership(p, objs.Items, kpi); err != nil {
			return ctrl.Result{}, fmt.Errorf("portfolio %s: %w", pf.Name, err)
		}
	}
	res := assess.Portfolio(pf, members, now)
	if err := patchStatus(ctx, r.Client, before, pf, before.Status, pf.Status); err != nil {
		return ctrl.Result{}, err
	}
	transitionEvents(r.Recorder, pf, before.Status.Conditions, pf.Status.Conditions)
	if res.Score != nil {
		portfolioScore.WithLabelValues(pf.Namespace, pf.Name).Set(float64(*res.Score))
	}
	recordConditions(pf.Namespace, v1.KindPortfolio, pf.Name, conditionMap(pf.Status.Conditions))
	return ctrl.Result{}, nil
}

// SetupWithManager registers the portfolio controller: it watches
// portfolios and everything that can change a roll-up.
func (r *PortfolioReconciler) SetupWithManager(mgr ctrl.Manager) error {
	r.pace = newCostPacer(r.RollupDelay)
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Portfolio{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.Partnership{}, enqueueRollup(r.pace, r.portfoliosOfPartnership)).
		Watches(&v1.Objective{}, enqueueRollup(r.pace, r.portfoliosOfObjective)).
		Watches(&v1.KPI{}, enqueueRollup(r.pace, r.portfoliosOfKPI)).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("portfolio" + r.NameSuffix).
		Complete(quietConflicts{r})
}

// portfoliosSelecting returns the portfolios in ns whose selector matches
// the labels. Portfolios are few, so listing them from the cache is cheap.
func (r *PortfolioReconciler) portfoliosSelecting(ctx context.Context, ns string, set labels.Set) []reconcile.Request {
	pfs := &v1.PortfolioList{}
	if err := r.Client.List(ctx, pfs, client.InNamespace(ns), client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "list portfolios")
		return nil
	}
	var out []reconcile.Request
	for i := range pfs.Items {
		sel, err := metav1.LabelSelectorAsSelector(&pfs.Items[i].Spec.Selector)
		if err == nil && sel.Matches(set) {
			out = append(out, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&pfs.Items[i])})
		}
	}
	return out
}

func (r *PortfolioReconciler) portfoliosOfPartnership(ctx context.Context, o client.Object) []reconcile.Request {
	return r.portfoliosSelecting(ctx, o.GetNamespace(), o.GetLabels())
}

func (r *PortfolioReconciler) portfoliosOfObjective(ctx context.Context, o client.Object) []reconcile.Request {
	obj, ok := o.(*v1.Objective)
	if !ok {
		return nil
	}
	p := &v1.Partnership{}
	if err := r.Client.Get(
		ctx,
		types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.PartnershipRef.Name},
		p,
		client.UnsafeDisableDeepCopy,
	); err != nil {
		return nil
	}
	return r.portfoliosSelecting(ctx, p.Namespace, p.Labels)
}

func (r *PortfolioReconciler) portfoliosOfKPI(ctx context.Context, o client.Object) []reconcile.Request {
	objs := &v1.ObjectiveList{}
	if err := r.Client.List(
		ctx,
		objs,
		client.InNamespace(o.GetNamespace()),
		client.MatchingFields{indexObjectiveKPI: o.GetName()},
		client.UnsafeDisableDeepCopy,
	); err != nil {
		return nil
	}
	seen := map[reconcile.Request]bool{}
	var out []reconcile.Request
	for i := range objs.Items {
		for _, req := range r.portfoliosOfObjective(ctx, &objs.Items[i]) {
			if !seen[req] {
				seen[req] = true
				out = append(out, req)
			}
		}
	}
	return out
}
