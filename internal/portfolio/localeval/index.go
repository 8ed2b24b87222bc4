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

package localeval

import (
	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// indexes find objects by namespace and name, and by the references the
// operator indexes (objectives and reviews by partnership).
type indexes struct {
	kpis         map[string]*v1.KPI
	partnerships map[string]*v1.Partnership
	sources      map[string]*v1.MetricSource
	objectives   map[string][]*v1.Objective // by partnership
	reviews      map[string][]*v1.Review    // by partnership
	byNamespace  map[string][]*v1.Partnership
}

func key(namespace, name string) string { return namespace + "/" + name }

func index(o *Objects) *indexes {
	ix := &indexes{
		kpis: map[string]*v1.KPI{}, partnerships: map[string]*v1.Partnership{}, sources: map[string]*v1.MetricSource{},
		objectives: map[string][]*v1.Objective{}, reviews: map[string][]*v1.Review{}, byNamespace: map[string][]*v1.Partnership{},
	}
	for _, k := range o.KPIs {
		ix.kpis[key(k.Namespace, k.Name)] = k
	}
	for _, p := range o.Partnerships {
		ix.partnerships[key(p.Namespace, p.Name)] = p
		ix.byNamespace[p.Namespace] = append(ix.byNamespace[p.Namespace], p)
	}
	for _, s := range o.MetricSources {
		ix.sources[key(s.Namespace, s.Name)] = s
	}
	for _, obj := range o.Objectives {
		k := key(obj.Namespace, obj.Spec.PartnershipRef.Name)
		ix.objectives[k] = append(ix.objectives[k], obj)
	}
	for _, r := range o.Reviews {
		k := key(r.Namespace, r.Spec.PartnershipRef.Name)
		ix.reviews[k] = append(ix.reviews[k], r)
	}
	return ix
}

// objectivesOf returns copies of the objectives that name p, as a list
// from the cluster would.
func (ix *indexes) objectivesOf(p *v1.Partnership) []v1.Objective {
	var out []v1.Objective
	for _, o := range ix.objectives[key(p.Namespace, p.Name)] {
		out = append(out, *o)
	}
	return out
}

// reviewsOf returns copies of the reviews that name p.
func (ix *indexes) reviewsOf(p *v1.Partnership) []v1.Review {
	var out []v1.Review
	for _, r := range ix.reviews[key(p.Namespace, p.Name)] {
		out = append(out, *r)
	}
	return out
}
