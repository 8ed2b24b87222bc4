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
	"github.com/accord-dev/accord/internal/evaluate"
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
}

// Reconcile rolls up one portfolio and writes its status when it changed.
func (r *PortfolioReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	pf := &v1.Portfolio{}
	if found, err := getOrForget(ctx, r.Client, req, pf); !found {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := pf.DeepCopy()
	ts := metav1.NewTime(now)
	sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
	if err != nil {
		pf.Status.ObservedGeneration = pf.Generation
		pf.Status.Conditions = setConditions(pf.Status.Conditions, pf.Generation, ts,
			condition{v1.ConditionReady, metav1.ConditionFalse, "InvalidSelector", fmt.Sprintf("spec.selector: %v", err)})
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, pf, before.Status, pf.Status)
	}
	ps := &v1.PartnershipList{}
	if err := r.Client.List(ctx, ps, client.InNamespace(pf.Namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return ctrl.Result{}, fmt.Errorf("list partnerships of portfolio %s: %w", pf.Name, err)
	}
	var partnerships, items []evaluate.Item
	kpisSeen := map[string]bool{}
	for i := range ps.Items {
		p := &ps.Items[i]
		partnerships = append(partnerships, evaluate.Item{
			Kind: "Partnership", Name: p.Name, Health: healthOf(p.Status.Conditions), Score: p.Status.Score,
			Message: messageOf(p.Status.Conditions), ReviewDue: isTrue(p.Status.Conditions, v1.ConditionReviewDue),
			Objectives: p.Status.Objectives.Total,
		})
		objs := &v1.ObjectiveList{}
		if err := r.Client.List(ctx, objs, client.InNamespace(pf.Namespace), client.MatchingFields{indexObjectivePartnership: p.Name}); err != nil {
			return ctrl.Result{}, fmt.Errorf("list objectives of %s: %w", p.Name, err)
		}
		for j := range objs.Items {
			o := &objs.Items[j]
			items = append(items, evaluate.Item{Kind: "Objective", Name: o.Name, Health: healthOf(o.Status.Conditions), Score: o.Status.Score, Message: messageOf(o.Status.Conditions)})
			for _, ref := range o.Spec.KPIs {
				if kpisSeen[ref.Name] {
					continue
				}
				kpisSeen[ref.Name] = true
				k := &v1.KPI{}
				if err := r.Client.Get(ctx, types.NamespacedName{Namespace: pf.Namespace, Name: ref.Name}, k); err != nil {
					continue // a missing KPI is reported by its objective
				}
				items = append(items, evaluate.Item{Kind: "KPI", Name: k.Name, Health: healthOf(k.Status.Conditions), Score: k.Status.Score, Message: messageOf(k.Status.Conditions)})
			}
		}
	}
	worstN := int(pf.Spec.WorstItems)
	res := evaluate.Portfolio(partnerships, items, worstN)

	st := &pf.Status
	st.ObservedGeneration = pf.Generation
	st.Partnerships = v1.ConditionCounts{Total: res.Total, Healthy: res.Healthy, AtRisk: res.AtRisk, Unknown: res.Unknown}
	st.ReviewDue = res.ReviewDue
	st.Objectives = v1.ConditionCounts{Total: res.ObjectivesTotal, Healthy: res.ObjectivesHealthy, AtRisk: res.ObjectivesAtRisk, Unknown: res.ObjectivesUnknown}
	st.Score = res.Score
	st.Worst = nil
	for _, it := range res.Worst {
		st.Worst = append(st.Worst, v1.PortfolioItem{Kind: it.Kind, Name: it.Name, Score: it.Score, Message: it.Message})
	}
	due := condition{v1.ConditionReviewDue, metav1.ConditionFalse, "NoReviewsDue", "No partnership needs a review"}
	if res.ReviewDue > 0 {
		due = condition{v1.ConditionReviewDue, metav1.ConditionTrue, "ReviewsDue", fmt.Sprintf("%d of %d partnerships need a review", res.ReviewDue, res.Total)}
	}
	conds := append([]condition{{v1.ConditionReady, metav1.ConditionTrue, "Evaluated", res.Message}},
		healthConditions(res.Health, res.Reason, res.Message)...)
	st.Conditions = setConditions(st.Conditions, pf.Generation, ts, append(conds, due)...)
	if err := patchStatus(ctx, r.Client, before, pf, before.Status, pf.Status); err != nil {
		return ctrl.Result{}, err
	}
	transitionEvents(r.Recorder, pf, before.Status.Conditions, pf.Status.Conditions)
	if res.Score != nil {
		portfolioScore.WithLabelValues(pf.Namespace, pf.Name).Set(float64(*res.Score))
	}
	recordConditions(pf.Namespace, "Portfolio", pf.Name, conditionMap(st.Conditions))
	return ctrl.Result{}, nil
}

// SetupWithManager registers the portfolio controller: it watches
// portfolios and everything that can change a roll-up.
func (r *PortfolioReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Portfolio{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.Partnership{}, enqueueRollup(r.RollupDelay, r.portfoliosOfPartnership)).
		Watches(&v1.Objective{}, enqueueRollup(r.RollupDelay, r.portfoliosOfObjective)).
		Watches(&v1.KPI{}, enqueueRollup(r.RollupDelay, r.portfoliosOfKPI)).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("portfolio" + r.NameSuffix).
		Complete(quietConflicts{r})
}

// portfoliosSelecting returns the portfolios in ns whose selector matches
// the labels. Portfolios are few, so listing them from the cache is cheap.
func (r *PortfolioReconciler) portfoliosSelecting(ctx context.Context, ns string, set labels.Set) []reconcile.Request {
	pfs := &v1.PortfolioList{}
	if err := r.Client.List(ctx, pfs, client.InNamespace(ns)); err != nil {
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
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: obj.Spec.PartnershipRef.Name}, p); err != nil {
		return nil
	}
	return r.portfoliosSelecting(ctx, p.Namespace, p.Labels)
}

func (r *PortfolioReconciler) portfoliosOfKPI(ctx context.Context, o client.Object) []reconcile.Request {
	objs := &v1.ObjectiveList{}
	if err := r.Client.List(ctx, objs, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexObjectiveKPI: o.GetName()}); err != nil {
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
