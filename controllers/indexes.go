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

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
)

// Field indexes on references, so that a change to one object finds the
// objects that depend on it from the informer cache instead of listing and
// filtering a whole namespace.
const (
	indexObjectivePartnership = "spec.partnershipRef.name"
	indexObjectiveKPI         = "spec.kpis.name"
	indexKPISource            = "spec.source.sourceRef.name"
	indexKPIPair              = "spec.source"
	indexReviewPartnership    = "spec.partnershipRef.name"
)

// SetupIndexes registers the field indexes the reconcilers use.
func SetupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	idx := mgr.GetFieldIndexer()
	if err := idx.IndexField(ctx, &v1.Objective{}, indexObjectivePartnership, func(o client.Object) []string {
		return []string{o.(*v1.Objective).Spec.PartnershipRef.Name}
	}); err != nil {
		return fmt.Errorf("index objectives by partnership: %w", err)
	}
	if err := idx.IndexField(ctx, &v1.Objective{}, indexObjectiveKPI, func(o client.Object) []string {
		refs := o.(*v1.Objective).Spec.KPIs
		names := make([]string, 0, len(refs))
		for _, r := range refs {
			names = append(names, r.Name)
		}
		return names
	}); err != nil {
		return fmt.Errorf("index objectives by KPI: %w", err)
	}
	if err := idx.IndexField(ctx, &v1.KPI{}, indexKPISource, func(o client.Object) []string {
		if s := o.(*v1.KPI).Spec.Source; s != nil {
			return []string{s.SourceRef.Name}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("index KPIs by source: %w", err)
	}
	if err := idx.IndexField(ctx, &v1.KPI{}, indexKPIPair, func(o client.Object) []string {
		if s := o.(*v1.KPI).Spec.Source; s != nil {
			return []string{sources.PairKey(s)}
		}
		return nil
	}); err != nil {
		return fmt.Errorf("index KPIs by (source, query): %w", err)
	}
	if err := idx.IndexField(ctx, &v1.Review{}, indexReviewPartnership, func(o client.Object) []string {
		return []string{o.(*v1.Review).Spec.PartnershipRef.Name}
	}); err != nil {
		return fmt.Errorf("index reviews by partnership: %w", err)
	}
	return nil
}
