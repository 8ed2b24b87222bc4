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
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// Objects are the Accord objects to judge, by kind, each with the
// document it came from.
type Objects struct {
	Portfolios    []*v1.Portfolio
	Partnerships  []*v1.Partnership
	Objectives    []*v1.Objective
	KPIs          []*v1.KPI
	Reviews       []*v1.Review
	MetricSources []*v1.MetricSource

	// others are documents of other kinds (Secrets and ConfigMaps that
	// live sources name), by namespace/kind/name.
	others map[string]*unstructured.Unstructured
}

// All returns every Accord object, portfolios first.
func (o *Objects) All() []client.Object {
	var out []client.Object
	for _, x := range o.Portfolios {
		out = append(out, x)
	}
	for _, x := range o.Partnerships {
		out = append(out, x)
	}
	for _, x := range o.Objectives {
		out = append(out, x)
	}
	for _, x := range o.KPIs {
		out = append(out, x)
	}
	for _, x := range o.Reviews {
		out = append(out, x)
	}
	for _, x := range o.MetricSources {
		out = append(out, x)
	}
	return out
}

// Decode turns loaded documents into typed objects, the way the API server
// would store them: in namespace (when a document names none), with
// generation 1 and the CRDs' defaults. A document that cannot be decoded,
// or that repeats an object already read, is an error naming its file
// and index; the rest are still returned.
func Decode(docs []load.Document, namespace string) (*Objects, []*load.Error) {
	out := &Objects{others: map[string]*unstructured.Unstructured{}}
	var bad []*load.Error
	seen := map[string]load.Document{}
	for _, d := range docs {
		u := d.Object.DeepCopy()
		if u.GetNamespace() == "" {
			u.SetNamespace(namespace)
		}
		id := u.GetNamespace() + "/" + u.GetKind() + "/" + u.GetName()
		if first, dup := seen[id]; dup {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: fmt.Errorf("%s %s/%s is also defined at %s#%d; each object must be defined once", u.GetKind(), u.GetNamespace(), u.GetName(), first.File, first.Index)})
			continue
		}
		seen[id] = d
		gv := u.GroupVersionKind()
		if gv.Group != v1.GroupVersion.Group {
			out.others[id] = u
			continue
		}
		if gv.Version != v1.GroupVersion.Version {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: fmt.Errorf("apiVersion: %s is not served; want %s", u.GetAPIVersion(), v1.GroupVersion)})
			continue
		}
		if u.GetName() == "" {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: fmt.Errorf("metadata.name: Required value: every %s needs a name", u.GetKind())})
			continue
		}
		applyDefaults(u)
		if u.GetGeneration() == 0 {
			u.SetGeneration(1)
		}
		if err := out.add(u); err != nil {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: err})
		}
	}
	out.sort()
	return out, bad
}

// add decodes u into its typed object.
func (o *Objects) add(u *unstructured.Unstructured) error {
	raw, err := json.Marshal(u.Object)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", u.GetKind(), u.GetName(), err)
	}
	switch u.GetKind() {
	case "Portfolio":
		err = decodeInto(raw, &o.Portfolios)
	case "Partnership":
		err = decodeInto(raw, &o.Partnerships)
	case "Objective":
		err = decodeInto(raw, &o.Objectives)
	case "KPI":
		err = decodeInto(raw, &o.KPIs)
	case "Review":
		err = decodeInto(raw, &o.Reviews)
	case "MetricSource":
		err = decodeInto(raw, &o.MetricSources)
	default:
		return fmt.Errorf("kind: Unsupported value: %q: want one of Partnership, Objective, KPI, MetricSource, Review, Portfolio", u.GetKind())
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Errorf("%s: Invalid value: got a %s, want %s", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type))
	case err != nil:
		return fmt.Errorf("%s %s: %s", u.GetKind(), u.GetName(), strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// jsonKind names what a Go type reads from JSON, for messages.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	default:
		return "an object"
	}
}

// decodeInto appends the object raw holds to list.
func decodeInto[T any](raw []byte, list *[]*T) error {
	x := new(T)
	if err := json.Unmarshal(raw, x); err != nil {
		return err
	}
	*list = append(*list, x)
	return nil
}

// sort orders each kind by namespace and name, as a cluster lists them.
func (o *Objects) sort() {
	sortObjects(o.Portfolios)
	sortObjects(o.Partnerships)
	sortObjects(o.Objectives)
	sortObjects(o.KPIs)
	sortObjects(o.Reviews)
	sortObjects(o.MetricSources)
}

func sortObjects[T client.Object](s []T) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].GetNamespace() != s[j].GetNamespace() {
			return s[i].GetNamespace() < s[j].GetNamespace()
		}
		return s[i].GetName() < s[j].GetName()
	})
}
