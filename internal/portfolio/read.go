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
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

// Origin is where an object was defined.
type Origin struct {
	// File and Index are those of the load.Document.
	File  string
	Index int
	// Seq is the document's position among the documents read together,
	// which orders messages as the documents are ordered.
	Seq int
}

// String is "file#index", or "" for an object that was not read from a
// file.
func (o Origin) String() string {
	if o.File == "" {
		return ""
	}
	return fmt.Sprintf("%s#%d", o.File, o.Index)
}

// Origin returns where the object of ref was defined.
func (s *Set) Origin(ref Ref) (Origin, bool) {
	e, ok := s.entries[ref]
	return e.origin, ok
}

// Duplicate is a document that defines an object already defined: applying
// both would keep only the last.
type Duplicate struct {
	Ref
	// Origin is the repeating document; First the one the set kept.
	Origin, First Origin
}

// Duplicates lists the documents that repeat an object, in the order read.
func (s *Set) Duplicates() []Duplicate { return s.duplicates }

// Options say how Read turns documents into objects.
type Options struct {
	// Namespace is given to objects whose document names none; "" leaves
	// them without one (their keys are then their names).
	Namespace string
	// AsStored makes each object what the API server would store on
	// create: the CRDs' defaults applied (package schemacheck, with the API
	// server's defaulting library) and generation 1.
	AsStored bool
	// KeepPartial keeps an object whose spec does not decode by its kind
	// and metadata alone: it satisfies references (Has) and counts for
	// duplicates, but is in no kind's list and Get does not return it.
	KeepPartial bool
}

// Problem is why a document did not become an object of the set; Read
// returns it as the Err of a load.Error naming the file and document.
type Problem struct {
	Reason Reason
	// Kind and Name are the document's, Key as the set would hold it.
	Ref
	// First is where the object was first defined, for ReasonDuplicate.
	First Origin
	// Detail says what is wrong and what is allowed.
	Detail string
}

func (p *Problem) Error() string { return p.Detail }

// Reason classifies a Problem.
type Reason string

// Reasons.
const (
	ReasonDuplicate       Reason = "Duplicate"
	ReasonVersion         Reason = "UnservedVersion"
	ReasonNoName          Reason = "NoName"
	ReasonUnsupportedKind Reason = "UnsupportedKind"
	ReasonUndecodable     Reason = "Undecodable"
)

// ProblemOf returns the Problem behind a Read error, or nil.
func ProblemOf(err error) *Problem {
	if p, ok := errors.AsType[*Problem](err); ok {
		return p
	}
	return nil
}

// Read turns loaded documents into a set. Documents of the Accord group
// become typed objects; those of other groups are kept for Reader. A
// document that cannot become an object, or that repeats one already read,
// is an error naming its file and index (its Err is a *Problem); the rest
// are still in the set.
func Read(docs []load.Document, opts Options) (*Set, []*load.Error) {
	s := newSet()
	var bad []*load.Error
	var checker *schemacheck.Checker
	if opts.AsStored {
		c, err := schemacheck.Embedded()
		if err != nil {
			// The CRDs are compiled in: this is a build error.
			panic(fmt.Sprintf("load the embedded CRDs: %v", err))
		}
		checker = c
	}
	for i, d := range docs {
		at := Origin{File: d.File, Index: d.Index, Seq: i}
		if p := s.read(d.Object, at, opts, checker); p != nil {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: p})
		}
	}
	s.index()
	return s, bad
}

// read adds one document to the set.
func (s *Set) read(obj *unstructured.Unstructured, at Origin, opts Options, checker *schemacheck.Checker) *Problem {
	u := obj.DeepCopy()
	if u.GetNamespace() == "" && opts.Namespace != "" {
		u.SetNamespace(opts.Namespace)
	}
	ref := Ref{u.GetKind(), KeyOf(u)}
	problem := func(r Reason, format string, args ...any) *Problem {
		return &Problem{Reason: r, Ref: ref, Detail: fmt.Sprintf(format, args...)}
	}
	duplicate := func(first Origin) *Problem {
		p := problem(ReasonDuplicate, "%s %s/%s is also defined at %s; each object must be defined once", ref.Kind, ref.Namespace, ref.Name, first)
		p.First = first
		return p
	}
	gv := u.GroupVersionKind()
	if gv.Group != v1.GroupVersion.Group {
		if first, dup := s.others[ref]; dup {
			return duplicate(first.origin)
		}
		s.others[ref] = other{u, at}
		return nil
	}
	if gv.Version != v1.GroupVersion.Version {
		return problem(ReasonVersion, "apiVersion: %s is not served; want %s", u.GetAPIVersion(), v1.GroupVersion)
	}
	if ref.Name == "" {
		return problem(ReasonNoName, "metadata.name: Required value: every %s needs a name", ref.Kind)
	}
	k, ok := opsFor(ref.Kind)
	if !ok {
		return problem(ReasonUnsupportedKind, "kind: Unsupported value: %q: want one of %s", ref.Kind, strings.Join(Kinds(), ", "))
	}
	if e, dup := s.entries[ref]; dup {
		s.put(ref, entry{origin: at})
		return duplicate(e.origin)
	}
	if checker != nil {
		if err := checker.Default(u); err != nil {
			return problem(ReasonVersion, "%v", err)
		}
		if u.GetGeneration() == 0 {
			u.SetGeneration(1)
		}
	}
	o := k.newObject()
	if err := decode(u, o); err != nil {
		if opts.KeepPartial {
			// Identity only, which is what references need.
			o = k.newObject()
			o.SetName(u.GetName())
			o.SetNamespace(u.GetNamespace())
			o.SetLabels(u.GetLabels())
			s.put(ref, entry{obj: o, origin: at, partial: true})
		}
		return problem(ReasonUndecodable, "%v", err)
	}
	s.put(ref, entry{obj: o, origin: at})
	k.add(s, o)
	return nil
}

// decode fills the typed object o from u, with messages that name the
// field and the type it wants.
func decode(u *unstructured.Unstructured, o any) error {
	raw, err := json.Marshal(u.Object)
	if err != nil {
		return fmt.Errorf("encode %s/%s: %w", u.GetKind(), u.GetName(), err)
	}
	err = json.Unmarshal(raw, o)
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
