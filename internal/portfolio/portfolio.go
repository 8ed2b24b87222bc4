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

// Package portfolio is the one in-memory model of an Accord portfolio:
// the Partnerships, Objectives, KPIs, Reviews, MetricSources and
// Portfolios read from files (Read), listed from a cluster or generated
// (New). accordctl validate, evaluate, diff, report and status, and the
// bench harness, all work on a Set.
//
// A Set holds:
//   - the typed objects of each kind, sorted by namespace and name, in
//     the fields Partnerships, Objectives, KPIs, Reviews, MetricSources and
//     Portfolios, and by Key (namespace/name) through Get and the typed
//     lookups (Partnership, KPI, ...);
//   - where each came from: the file and document index (Origin), and the
//     documents that repeat an object already read (Duplicates);
//   - the references the operator follows, indexed: the objectives and
//     reviews of a partnership, the KPIs of an objective, the objectives
//     that use a KPI, the KPIs of a metric source, and the partnerships a
//     portfolio selects;
//   - the other documents read alongside (Secrets and ConfigMaps that live
//     sources name), served by Reader.
//
// Read can apply what the API server does on create (Options.AsStored):
// the CRDs' own defaults, through package schemacheck and the API server's
// defaulting library, and generation 1. There is no other table of
// defaults.
//
// Kinds are dispatched through a table keyed by kind and built with
// generics, so adding a kind is one line, and no code here switches on
// the six types.
package portfolio

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// The six Accord kinds (the API's names, here for the model's callers).
const (
	KindPartnership  = v1.KindPartnership
	KindObjective    = v1.KindObjective
	KindKPI          = v1.KindKPI
	KindMetricSource = v1.KindMetricSource
	KindReview       = v1.KindReview
	KindPortfolio    = v1.KindPortfolio
)

// Key identifies an object within its kind: its namespace and name.
// References between Accord objects stay within a namespace, so a
// reference resolves to Key{Namespace: referrer's namespace, Name: ref}.
type Key struct {
	Namespace string
	Name      string
}

// KeyOf is the key of an object.
func KeyOf(o metav1.Object) Key { return Key{Namespace: o.GetNamespace(), Name: o.GetName()} }

// String is "namespace/name", or the name alone when the object has no
// namespace (files read without a default namespace).
func (k Key) String() string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}

// Ref names one object of a set: its kind and key.
type Ref struct {
	Kind string
	Key
}

// Set is a portfolio: the Accord objects of some files, of a cluster or of
// a generator, indexed. Build it with Read or New; the kind lists are for
// reading (the indexes are built with them). Objects' status may be
// written (localeval judges a set in place).
type Set struct {
	Partnerships  []*v1.Partnership
	Objectives    []*v1.Objective
	KPIs          []*v1.KPI
	MetricSources []*v1.MetricSource
	Reviews       []*v1.Review
	Portfolios    []*v1.Portfolio

	// entries are the first definition of each object, partial ones too.
	entries    map[Ref]entry
	duplicates []Duplicate
	// partialIn records, by kind and namespace (an empty name), where
	// some object is partial.
	partialIn map[Ref]bool
	// others are the documents of other API groups, for Reader.
	others map[Ref]other

	// Reference indexes, by the key of the object referred to.
	objectivesOf   map[Key][]*v1.Objective // by partnership
	reviewsOf      map[Key][]*v1.Review    // by partnership
	usersOf        map[Key][]*v1.Objective // by KPI
	kpisOf         map[Key][]*v1.KPI       // by metric source
	partnershipsIn map[string][]*v1.Partnership
}

// entry is one object of a set with where it came from.
type entry struct {
	obj    client.Object
	origin Origin
	// partial: only the kind and metadata could be read (Options.KeepPartial).
	partial bool
}

// other is a document of another API group.
type other struct {
	u      *unstructured.Unstructured
	origin Origin
}

// kindOps is what the set does with one kind, so that no code switches on
// the types.
type kindOps struct {
	kind      string
	newObject func() client.Object
	newList   func() client.ObjectList
	// is reports whether o is of the kind.
	is func(o client.Object) bool
	// add appends o, which is of the kind, to the kind's list.
	add  func(s *Set, o client.Object)
	list func(s *Set) []client.Object
	sort func(s *Set)
}

func ops[T, L any, P interface {
	*T
	client.Object
}, PL interface {
	*L
	client.ObjectList
}](kind string, list func(*Set) *[]P) kindOps {
	return kindOps{
		kind:      kind,
		newObject: func() client.Object { return P(new(T)) },
		newList:   func() client.ObjectList { return PL(new(L)) },
		is: func(o client.Object) bool {
			_, ok := o.(P)
			return ok
		},
		add: func(s *Set, o client.Object) { *list(s) = append(*list(s), o.(P)) },
		list: func(s *Set) []client.Object {
			l := *list(s)
			out := make([]client.Object, len(l))
			for i, o := range l {
				out[i] = o
			}
			return out
		},
		sort: func(s *Set) {
			slices.SortStableFunc(*list(s), func(a, b P) int { return compareKeys(KeyOf(a), KeyOf(b)) })
		},
	}
}

// kinds is the table of the six kinds, in the order All lists them.
var kinds = []kindOps{
	ops[v1.Partnership, v1.PartnershipList](KindPartnership, func(s *Set) *[]*v1.Partnership { return &s.Partnerships }),
	ops[v1.Objective, v1.ObjectiveList](KindObjective, func(s *Set) *[]*v1.Objective { return &s.Objectives }),
	ops[v1.KPI, v1.KPIList](KindKPI, func(s *Set) *[]*v1.KPI { return &s.KPIs }),
	ops[v1.MetricSource, v1.MetricSourceList](KindMetricSource, func(s *Set) *[]*v1.MetricSource { return &s.MetricSources }),
	ops[v1.Review, v1.ReviewList](KindReview, func(s *Set) *[]*v1.Review { return &s.Reviews }),
	ops[v1.Portfolio, v1.PortfolioList](KindPortfolio, func(s *Set) *[]*v1.Portfolio { return &s.Portfolios }),
}

func opsFor(kind string) (kindOps, bool) {
	i := slices.IndexFunc(kinds, func(k kindOps) bool { return k.kind == kind })
	if i < 0 {
		return kindOps{}, false
	}
	return kinds[i], true
}

// Kinds lists the six kinds, in the order All lists them.
func Kinds() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
}

func newSet() *Set {
	return &Set{entries: map[Ref]entry{}, others: map[Ref]other{}, partialIn: map[Ref]bool{}}
}

// New builds a set from typed Accord objects (listed from a cluster, or
// generated); objects of other types are ignored, and a later object with
// the key of an earlier one of its kind is a duplicate.
func New(objs ...client.Object) *Set {
	s := newSet()
	for _, o := range objs {
		if k, ok := opsOf(o); ok && s.put(Ref{k.kind, KeyOf(o)}, entry{obj: o}) {
			k.add(s, o)
		}
	}
	s.index()
	return s
}

// List reads every Accord object the reader lists with opts (e.g.
// client.InNamespace) into a set. The error is the reader's, for the first
// kind that could not be listed.
func List(ctx context.Context, r client.Reader, opts ...client.ListOption) (*Set, error) {
	var objs []client.Object
	for _, k := range kinds {
		list := k.newList()
		if err := r.List(ctx, list, opts...); err != nil {
			return nil, err
		}
		items, err := meta.ExtractList(list)
		if err != nil {
			return nil, fmt.Errorf("read the %s list: %w", k.kind, err)
		}
		for _, it := range items {
			if o, ok := it.(client.Object); ok {
				objs = append(objs, o)
			}
		}
	}
	return New(objs...), nil
}

// put records an object under ref, unless an object of that kind and key
// is already there: then it records a duplicate and reports false.
func (s *Set) put(ref Ref, e entry) bool {
	if first, dup := s.entries[ref]; dup {
		s.duplicates = append(s.duplicates, Duplicate{Ref: ref, Origin: e.origin, First: first.origin})
		return false
	}
	s.entries[ref] = e
	if e.partial {
		s.partialIn[Ref{ref.Kind, Key{Namespace: ref.Namespace}}] = true
	}
	return true
}

// All returns every Accord object, by kind (Partnerships, Objectives, KPIs,
// MetricSources, Reviews, Portfolios), each kind by namespace and name.
func (s *Set) All() []client.Object { return s.Objects(Kinds()...) }

// Objects returns the objects of the given kinds, in that order of kinds.
func (s *Set) Objects(kindNames ...string) []client.Object {
	var out []client.Object
	for _, name := range kindNames {
		if k, ok := opsFor(name); ok {
			out = append(out, k.list(s)...)
		}
	}
	return out
}

// Get returns the object of a kind and key, or nil when the set has none
// (or only a partial one).
func (s *Set) Get(ref Ref) client.Object {
	e, ok := s.entries[ref]
	if !ok || e.partial {
		return nil
	}
	return e.obj
}

// Has reports whether the set defines the object, partially or fully.
func (s *Set) Has(ref Ref) bool {
	_, ok := s.entries[ref]
	return ok
}

// opsOf finds the table entry of an object's type.
func opsOf(o client.Object) (kindOps, bool) {
	i := slices.IndexFunc(kinds, func(k kindOps) bool { return k.is(o) })
	if i < 0 {
		return kindOps{}, false
	}
	return kinds[i], true
}

func get[T client.Object](s *Set, kind string, k Key) T {
	o, _ := s.Get(Ref{kind, k}).(T)
	return o
}

// Partnership returns the partnership of key k, or nil.
func (s *Set) Partnership(k Key) *v1.Partnership { return get[*v1.Partnership](s, KindPartnership, k) }

// Objective returns the objective of key k, or nil.
func (s *Set) Objective(k Key) *v1.Objective { return get[*v1.Objective](s, KindObjective, k) }

// KPI returns the KPI of key k, or nil.
func (s *Set) KPI(k Key) *v1.KPI { return get[*v1.KPI](s, KindKPI, k) }

// MetricSource returns the metric source of key k, or nil.
func (s *Set) MetricSource(k Key) *v1.MetricSource {
	return get[*v1.MetricSource](s, KindMetricSource, k)
}

// Review returns the review of key k, or nil.
func (s *Set) Review(k Key) *v1.Review { return get[*v1.Review](s, KindReview, k) }

// Portfolio returns the portfolio of key k, or nil.
func (s *Set) Portfolio(k Key) *v1.Portfolio { return get[*v1.Portfolio](s, KindPortfolio, k) }

// ParseKey is the inverse of Key.String: "namespace/name" or "name".
func ParseKey(s string) Key {
	if ns, name, ok := strings.Cut(s, "/"); ok {
		return Key{Namespace: ns, Name: name}
	}
	return Key{Name: s}
}
