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

package portfolio

import (
	"cmp"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// index sorts each kind by namespace and name, as a cluster lists them,
// and builds the reference indexes from the full objects.
func (s *Set) index() {
	for _, k := range kinds {
		k.sort(s)
	}
	s.objectivesOf, s.reviewsOf = map[Key][]*v1.Objective{}, map[Key][]*v1.Review{}
	s.usersOf, s.kpisOf = map[Key][]*v1.Objective{}, map[Key][]*v1.KPI{}
	s.partnershipsIn = map[string][]*v1.Partnership{}
	for _, p := range s.Partnerships {
		s.partnershipsIn[p.Namespace] = append(s.partnershipsIn[p.Namespace], p)
	}
	for _, o := range s.Objectives {
		p := Key{o.Namespace, o.Spec.PartnershipRef.Name}
		s.objectivesOf[p] = append(s.objectivesOf[p], o)
		// Once per reference, as the objective lists them.
		for _, ref := range o.Spec.KPIs {
			k := Key{o.Namespace, ref.Name}
			s.usersOf[k] = append(s.usersOf[k], o)
		}
	}
	for _, r := range s.Reviews {
		p := Key{r.Namespace, r.Spec.PartnershipRef.Name}
		s.reviewsOf[p] = append(s.reviewsOf[p], r)
	}
	for _, k := range s.KPIs {
		if k.Spec.Source != nil {
			src := Key{k.Namespace, k.Spec.Source.SourceRef.Name}
			s.kpisOf[src] = append(s.kpisOf[src], k)
		}
	}
}

// ObjectivesOf lists the objectives that name the partnership of key p in
// spec.partnershipRef, by name.
func (s *Set) ObjectivesOf(p Key) []*v1.Objective { return s.objectivesOf[p] }

// ReviewsOf lists the reviews of the partnership of key p, by name.
func (s *Set) ReviewsOf(p Key) []*v1.Review { return s.reviewsOf[p] }

// KPIsOf resolves an objective's spec.kpis: the KPI each reference names,
// in the objective's order, nil where the set has none.
func (s *Set) KPIsOf(o *v1.Objective) []*v1.KPI {
	out := make([]*v1.KPI, len(o.Spec.KPIs))
	for i, ref := range o.Spec.KPIs {
		out[i] = s.KPI(Key{o.Namespace, ref.Name})
	}
	return out
}

// ObjectivesUsing lists the objectives whose spec.kpis name the KPI of key
// k, once per reference.
func (s *Set) ObjectivesUsing(k Key) []*v1.Objective { return s.usersOf[k] }

// KPIsOfSource lists the KPIs that read the metric source of key src.
func (s *Set) KPIsOfSource(src Key) []*v1.KPI { return s.kpisOf[src] }

// PartnershipsIn lists the partnerships of a namespace, by name.
func (s *Set) PartnershipsIn(namespace string) []*v1.Partnership {
	return s.partnershipsIn[namespace]
}

// Selected lists the partnerships of a namespace that sel matches.
func (s *Set) Selected(namespace string, sel labels.Selector) []*v1.Partnership {
	var out []*v1.Partnership
	for _, p := range s.partnershipsIn[namespace] {
		if sel.Matches(labels.Set(p.Labels)) {
			out = append(out, p)
		}
	}
	return out
}

// PartnershipsOf lists the partnerships a portfolio selects: those of its
// namespace that its selector matches. The error is the selector's.
func (s *Set) PartnershipsOf(pf *v1.Portfolio) ([]*v1.Partnership, error) {
	sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
	if err != nil {
		return nil, err
	}
	return s.Selected(pf.Namespace, sel), nil
}

// Namespaces lists the namespaces of the set's Accord objects, sorted.
func (s *Set) Namespaces() []string {
	out := make([]string, 0, len(s.entries))
	for ref := range s.entries {
		out = append(out, ref.Namespace)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Identities lists the objects of a kind in a namespace, partial ones
// too, by name: what references and selectors can see of them even when
// their spec could not be read.
func (s *Set) Identities(kind, namespace string) []client.Object {
	var out []client.Object
	for ref, e := range s.entries {
		if ref.Kind == kind && ref.Namespace == namespace {
			out = append(out, e.obj)
		}
	}
	slices.SortFunc(out, func(a, b client.Object) int { return cmp.Compare(a.GetName(), b.GetName()) })
	return out
}

// Names lists the names of the objects of a kind in a namespace, partial
// ones too, sorted: the candidates for a reference that resolves to
// nothing.
func (s *Set) Names(kind, namespace string) []string {
	ids := s.Identities(kind, namespace)
	out := make([]string, 0, len(ids))
	for _, o := range ids {
		out = append(out, o.GetName())
	}
	return out
}

// NamespacesOf lists the namespaces other than except that hold an object
// of a kind and name, sorted, to explain a reference across namespaces.
func (s *Set) NamespacesOf(kind, name, except string) []string {
	var out []string
	for ref := range s.entries {
		if ref.Kind == kind && ref.Name == name && ref.Namespace != except {
			out = append(out, ref.Namespace)
		}
	}
	slices.Sort(out)
	return out
}

// HasPartial reports whether some object of a kind in a namespace could
// only be read partially: rules that count references to that kind cannot
// conclude anything there.
func (s *Set) HasPartial(kind, namespace string) bool {
	return s.partialIn[Ref{kind, Key{Namespace: namespace}}]
}
