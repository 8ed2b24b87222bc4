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

// Package snapshot reads a partnership and everything that hangs off it
// (objectives, KPIs, reviews) through a client.Reader, for the pages and
// reports that show it. The dashboard passes the manager's informer cache,
// accordctl report a live API client; neither reads a metric source, a
// Secret or a ConfigMap, so nothing here can carry a credential.
package snapshot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Partnership is a partnership with its objectives, KPIs and reviews as
// the operator last evaluated them.
type Partnership struct {
	Object *v1.Partnership
	// Objectives that reference the partnership, by name.
	Objectives []Objective
	// KPIs of those objectives, each once, in the order the objectives
	// list them.
	KPIs []*KPI
	// Reviews of the partnership, newest first.
	Reviews []v1.Review
}

// Objective is an objective with its weighted KPI references resolved.
type Objective struct {
	Object *v1.Objective
	KPIs   []KPIRef
}

// KPIRef is an objective's reference to a KPI; KPI is nil when the
// referenced KPI does not exist.
type KPIRef struct {
	Name     string
	Weight   int32
	Critical bool
	KPI      *KPI
}

// KPI is a KPI with its glide path and history in the evaluate package's
// terms, for charts.
type KPI struct {
	Object *v1.KPI
	// Spec is the converted spec; SpecErr says why it could not be.
	Spec    evaluate.KPISpec
	SpecErr error
	// History is status.history, oldest first.
	History []evaluate.Observation
}

// Load reads the partnership namespace/name and what references it. The
// error is the reader's (test it with apierrors.IsNotFound) when the
// partnership itself cannot be read.
func Load(ctx context.Context, r client.Reader, namespace, name string) (*Partnership, error) {
	p := &v1.Partnership{}
	if err := r.Get(ctx, client.ObjectKey{Namespace: namespace, Name: name}, p); err != nil {
		return nil, err
	}
	// Listing the namespace and filtering works the same on the informer
	// cache and on the API server, which has no field selectors for
	// custom resources.
	objectives := &v1.ObjectiveList{}
	if err := r.List(ctx, objectives, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("list objectives in %s: %w", namespace, err)
	}
	kpis := &v1.KPIList{}
	if err := r.List(ctx, kpis, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("list KPIs in %s: %w", namespace, err)
	}
	reviews := &v1.ReviewList{}
	if err := r.List(ctx, reviews, client.InNamespace(namespace)); err != nil {
		return nil, fmt.Errorf("list reviews in %s: %w", namespace, err)
	}
	return Build(p, objectives.Items, kpis.Items, reviews.Items), nil
}

// Build assembles the partnership p from the objectives, KPIs and reviews
// of its namespace (those of other partnerships are skipped), as Load
// does from a reader; accordctl report builds from files with it.
func Build(p *v1.Partnership, objectives []v1.Objective, kpis []v1.KPI, reviews []v1.Review) *Partnership {
	name := p.Name
	s := &Partnership{Object: p}
	byName := map[string]*v1.KPI{}
	for i := range kpis {
		byName[kpis[i].Name] = &kpis[i]
	}
	seen := map[string]*KPI{}
	for i := range objectives {
		o := &objectives[i]
		if o.Spec.PartnershipRef.Name != name {
			continue
		}
		obj := Objective{Object: o}
		for _, ref := range o.Spec.KPIs {
			kr := KPIRef{Name: ref.Name, Weight: ref.Weight, Critical: ref.Critical}
			if k, ok := seen[ref.Name]; ok {
				kr.KPI = k
			} else if k, ok := byName[ref.Name]; ok {
				kr.KPI = newKPI(k)
				seen[ref.Name] = kr.KPI
			}
			obj.KPIs = append(obj.KPIs, kr)
		}
		s.Objectives = append(s.Objectives, obj)
	}
	slices.SortFunc(s.Objectives, func(a, b Objective) int { return strings.Compare(a.Object.Name, b.Object.Name) })
	added := map[string]bool{}
	for _, o := range s.Objectives {
		for _, kr := range o.KPIs {
			if kr.KPI != nil && !added[kr.Name] {
				added[kr.Name] = true
				s.KPIs = append(s.KPIs, kr.KPI)
			}
		}
	}

	for _, rv := range reviews {
		if rv.Spec.PartnershipRef.Name == name {
			s.Reviews = append(s.Reviews, rv)
		}
	}
	slices.SortStableFunc(s.Reviews, func(a, b v1.Review) int {
		return cmp.Or(cmp.Compare(b.Spec.Date, a.Spec.Date), strings.Compare(b.Name, a.Name))
	})
	return s
}

func newKPI(k *v1.KPI) *KPI {
	spec, err := assess.KPISpec(k)
	return &KPI{Object: k, Spec: spec, SpecErr: err, History: assess.HistoryObservations(k.Status.History)}
}
