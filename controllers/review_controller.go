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

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
)

// ReviewReconciler confirms that a review applies to an existing
// partnership. The partnership controller does the rest: a new review
// clears ReviewDue, and an Exit decision moves the phase to Exiting.
type ReviewReconciler struct {
	Client client.Client
	Clock  clock.PassiveClock
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// Reconcile sets a review's Applied condition.
func (r *ReviewReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	rev := &v1.Review{}
	if err := r.Client.Get(ctx, req.NamespacedName, rev); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := rev.DeepCopy()
	p := &v1.Partnership{}
	if err := r.Client.Get(
		ctx,
		types.NamespacedName{Namespace: rev.Namespace, Name: rev.Spec.PartnershipRef.Name},
		p,
	); err != nil {
		if !apierrors.IsNotFound(err) {
			return ctrl.Result{}, err
		}
		p = nil
	}
	reviews := &v1.ReviewList{}
	if p != nil {
		if err := r.Client.List(ctx, reviews, client.InNamespace(rev.Namespace),
			client.MatchingFields{indexReviewPartnership: p.Name}); err != nil {
			return ctrl.Result{}, err
		}
	}
	assess.Review(rev, p, reviews.Items, r.Clock.Now())
	return ctrl.Result{}, patchStatus(ctx, r.Client, before, rev, before.Status, rev.Status)
}

// SetupWithManager registers the review controller.
func (r *ReviewReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.Review{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.Partnership{}, handler.EnqueueRequestsFromMapFunc(r.reviewsOfPartnership),
			builder.WithPredicates(createdOrDeleted())).

		// A review's followUpUpdates name other reviews of its partnership.
		Watches(&v1.Review{}, handler.EnqueueRequestsFromMapFunc(r.siblings), builder.WithPredicates(createdOrDeleted())).
		Named("review" + r.NameSuffix).
		Complete(quietConflicts{r})
}

func (r *ReviewReconciler) reviewsOfPartnership(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor(ctx, r.Client, &v1.ReviewList{}, o.GetNamespace(), indexReviewPartnership, o.GetName())
}

// siblings maps a review created or deleted to the other reviews of its
// partnership, whose followUpUpdates may name it.
func (r *ReviewReconciler) siblings(ctx context.Context, o client.Object) []reconcile.Request {
	rev, ok := o.(*v1.Review)
	if !ok {
		return nil
	}
	name := rev.Spec.PartnershipRef.Name
	return requestsFor(ctx, r.Client, &v1.ReviewList{}, o.GetNamespace(), indexReviewPartnership, name)
}
