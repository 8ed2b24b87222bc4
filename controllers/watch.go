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

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// specOrRequestChanged lets through creations, deletions, spec changes
// (generation) and explicit reconcile requests (the annotation), but not
// the object's own status writes, which would only echo back, nor changes
// of other annotations or labels, which change nothing evaluated.
func specOrRequestChanged() predicate.Predicate {
	return predicate.Or(predicate.GenerationChangedPredicate{}, reconcileRequested())
}

// reconcileRequested lets through an update that sets the reconcile-request
// annotation to a new value (fluxcd's ReconcileRequestedPredicate).
func reconcileRequested() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			if e.ObjectOld == nil || e.ObjectNew == nil {
				return false
			}
			was, _ := v1.ReconcileRequest(e.ObjectOld)
			now, ok := v1.ReconcileRequest(e.ObjectNew)
			return ok && now != was
		},
	}
}

// requestsFor lists the objects in ns whose field index key holds value,
// from the cache, as reconcile requests.
// Only names are read, so the cache's objects are not copied.
func requestsFor[L client.ObjectList](
	ctx context.Context,
	c client.Client,
	list L,
	ns, index, value string,
) []reconcile.Request {
	if err := c.List(
		ctx,
		list,
		client.InNamespace(ns),
		client.MatchingFields{index: value},
		client.UnsafeDisableDeepCopy,
	); err != nil {
		log.FromContext(ctx).Error(err, "list dependants", "index", index, "value", value)
		return nil
	}
	items, err := meta.ExtractList(list)
	if err != nil {
		return nil
	}
	out := make([]reconcile.Request, 0, len(items))
	for _, it := range items {
		if o, ok := it.(client.Object); ok {
			out = append(
				out,
				reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: o.GetName()}},
			)
		}
	}
	return out
}

// createdOrDeleted lets through only creations and deletions: objectives
// care whether their partnership exists, not about its status.
func createdOrDeleted() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(event.UpdateEvent) bool { return false },
	}
}

// endedOrResumed passes the updates of a partnership that move it into or
// out of Exited (or change its end date): its objectives and KPIs then
// stop, or start again, being judged.
func endedOrResumed() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc:  func(event.CreateEvent) bool { return false },
		DeleteFunc:  func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, ok1 := e.ObjectOld.(*v1.Partnership)
			n, ok2 := e.ObjectNew.(*v1.Partnership)
			if !ok1 || !ok2 {
				return false
			}
			ended := func(p *v1.Partnership) bool { return p.Status.Phase == v1.PhaseExited }
			return ended(o) != ended(n) || o.Status.EndDate != n.Status.EndDate
		},
	}
}
