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
	"slices"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	model "github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// The kinds compared, in the order their changes are listed.
var kindOrder = []string{
	model.KindPartnership, model.KindObjective, model.KindKPI,
	model.KindReview, model.KindMetricSource, model.KindPortfolio,
}

// Read reads one version of a portfolio (a directory or a commit) for
// comparison: its objects as written, keyed by name, or "namespace/name"
// when the manifest sets a namespace. Documents of other API groups (a
// ConfigMap, an ArgoCD Application) and kinds Accord does not define are
// ignored: they are not part of the portfolio, and validate reports them.
// A document that does not decode into its Accord kind, or a second
// object with the same kind and key, is an error naming the file and
// document; all such errors are returned together.
func Read(docs []load.Document) (*model.Set, error) {
	var ours []load.Document
	for _, d := range docs {
		if d.Object.GetAPIVersion() == v1.GroupVersion.String() {
			ours = append(ours, d)
		}
	}
	s, bad := model.Read(ours, model.Options{})
	var errs []error
	for _, b := range bad {
		p := model.ProblemOf(b)
		if p == nil {
			errs = append(errs, b)
			continue
		}
		where := fmt.Sprintf("%s#%d %s/%s", b.File, b.Index, p.Kind, p.Name)
		switch p.Reason {
		case model.ReasonUnsupportedKind:
		case model.ReasonDuplicate:
			errs = append(errs, fmt.Errorf("%s: duplicate %s %q, already defined in %s %s/%s", where, p.Kind, p.Key, p.First, p.Kind, p.Name))
		case model.ReasonUndecodable:
			errs = append(errs, fmt.Errorf("%s: %w (run accordctl validate for details)", where, p))
		default:
			errs = append(errs, fmt.Errorf("%s: %w", where, p))
		}
	}
	return s, errors.Join(errs...)
}

// object returns the object of a kind and key, or nil.
func object(s *model.Set, kind, key string) any {
	if o := s.Get(model.Ref{Kind: kind, Key: model.ParseKey(key)}); o != nil {
		return o
	}
	return nil
}

// keys lists the keys of a kind, sorted as they print.
func keys(s *model.Set, kind string) []string {
	objs := s.Objects(kind)
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, model.KeyOf(o).String())
	}
	slices.Sort(out)
	return out
}

// partnershipKey is the key of the partnership an objective or review
// references.
func partnershipKey(namespace string, ref v1.LocalObjectReference) string {
	return model.Key{Namespace: namespace, Name: ref.Name}.String()
}
