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

// Package portfoliodiff compares two versions of an Accord portfolio and
// says what changed in the partners' terms: partnerships added or removed,
// agreement terms, targets tightened or loosened, deadlines moved, KPIs added
// or dropped, reviews recorded. It also applies the policy a pull request
// must meet (see Policy) and renders the result as Markdown or JSON.
// It is pure: callers load the two versions, from directories or git.
package portfoliodiff

import (
	"errors"
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/runtime"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// Kinds compared, in the order their changes are listed.
const (
	KindPartnership  = "Partnership"
	KindObjective    = "Objective"
	KindKPI          = "KPI"
	KindReview       = "Review"
	KindMetricSource = "MetricSource"
	KindPortfolio    = "Portfolio"
)

var kindOrder = []string{KindPartnership, KindObjective, KindKPI, KindReview, KindMetricSource, KindPortfolio}

// Snapshot is one version of a portfolio: the Accord objects of a
// directory or a commit, by kind and key. A key is the object's name, or
// "namespace/name" when the manifest sets a namespace.
type Snapshot struct {
	Partnerships  map[string]*v1.Partnership
	Objectives    map[string]*v1.Objective
	KPIs          map[string]*v1.KPI
	Reviews       map[string]*v1.Review
	MetricSources map[string]*v1.MetricSource
	Portfolios    map[string]*v1.Portfolio

	// where records the document each object came from, for messages.
	where map[objectID]string
}

// objectID names one object of a snapshot.
type objectID struct{ kind, key string }

// Key is how a snapshot indexes an object: its name, prefixed with its
// namespace when it has one. References between Accord objects stay in one
// namespace, so a reference resolves with Key(namespace, ref.Name).
func Key(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// NewSnapshot builds a snapshot from loaded documents. Documents of other
// API groups (a ConfigMap, an ArgoCD Application) are ignored: they are not
// part of the portfolio. A document that does not decode into its Accord
// kind, or a second object with the same kind and key, is an error naming
// the file and document; all such errors are returned together.
func NewSnapshot(docs []load.Document) (*Snapshot, error) {
	s := &Snapshot{
		Partnerships:  map[string]*v1.Partnership{},
		Objectives:    map[string]*v1.Objective{},
		KPIs:          map[string]*v1.KPI{},
		Reviews:       map[string]*v1.Review{},
		MetricSources: map[string]*v1.MetricSource{},
		Portfolios:    map[string]*v1.Portfolio{},
		where:         map[objectID]string{},
	}
	var errs []error
	for _, d := range docs {
		if d.Object.GetAPIVersion() != v1.GroupVersion.String() {
			continue
		}
		if err := s.add(d); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errors.Join(errs...)
}

func (s *Snapshot) add(d load.Document) error {
	u := d.Object
	id := objectID{u.GetKind(), Key(u.GetNamespace(), u.GetName())}
	if u.GetName() == "" {
		return fmt.Errorf("%s: metadata.name: Required value", d.Where())
	}
	var target any
	switch id.kind {
	case KindPartnership:
		target = &v1.Partnership{}
	case KindObjective:
		target = &v1.Objective{}
	case KindKPI:
		target = &v1.KPI{}
	case KindReview:
		target = &v1.Review{}
	case KindMetricSource:
		target = &v1.MetricSource{}
	case KindPortfolio:
		target = &v1.Portfolio{}
	default:
		return nil // an unknown kind is for validate to report
	}
	if prev, dup := s.where[id]; dup {
		return fmt.Errorf("%s: duplicate %s %q, already defined in %s", d.Where(), id.kind, id.key, prev)
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, target); err != nil {
		return fmt.Errorf("%s: %w (run accordctl validate for details)", d.Where(), err)
	}
	s.where[id] = d.Where()
	switch o := target.(type) {
	case *v1.Partnership:
		s.Partnerships[id.key] = o
	case *v1.Objective:
		s.Objectives[id.key] = o
	case *v1.KPI:
		s.KPIs[id.key] = o
	case *v1.Review:
		s.Reviews[id.key] = o
	case *v1.MetricSource:
		s.MetricSources[id.key] = o
	case *v1.Portfolio:
		s.Portfolios[id.key] = o
	}
	return nil
}

// object returns the object of a kind and key, or nil.
func (s *Snapshot) object(kind, key string) any {
	var o any
	var ok bool
	switch kind {
	case KindPartnership:
		o, ok = s.Partnerships[key]
	case KindObjective:
		o, ok = s.Objectives[key]
	case KindKPI:
		o, ok = s.KPIs[key]
	case KindReview:
		o, ok = s.Reviews[key]
	case KindMetricSource:
		o, ok = s.MetricSources[key]
	case KindPortfolio:
		o, ok = s.Portfolios[key]
	}
	if !ok {
		return nil
	}
	return o
}

// keys lists the keys of a kind, sorted.
func (s *Snapshot) keys(kind string) []string {
	var out []string
	for id := range s.where {
		if id.kind == kind {
			out = append(out, id.key)
		}
	}
	sort.Strings(out)
	return out
}
