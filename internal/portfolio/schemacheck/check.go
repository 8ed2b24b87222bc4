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

package schemacheck

import (
	"context"
	"fmt"
	"slices"
	"strings"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// fieldAPIVersion is the field a problem with the group or version names.
const fieldAPIVersion = "apiVersion"

// Check names the rule family a problem comes from; they are stable and
// appear in accordctl's output.
type Check string

// The rule families, in the order the API server applies them.
const (
	// CheckKind: apiVersion or kind is not one the CRDs serve.
	CheckKind Check = "kind"
	// CheckUnknownField: a field the schema does not declare; the API
	// server rejects it under strict field validation.
	CheckUnknownField Check = "unknown-field"
	// CheckMetadata: ObjectMeta rules (name, namespace, labels, ...).
	CheckMetadata Check = "metadata"
	// CheckSchema: the OpenAPI schema (types, required, enum, pattern,
	// format, bounds).
	CheckSchema Check = "schema"
	// CheckListType: x-kubernetes-list-type map and set uniqueness.
	CheckListType Check = "list-type"
	// CheckCEL: the CEL rules (x-kubernetes-validations).
	CheckCEL Check = "cel"
)

// Problem is one reason the API server would refuse the object.
type Problem struct {
	Check Check
	// Field is the path of the offending field, e.g. "spec.target.value";
	// empty for the object as a whole.
	Field string
	// Message says what is wrong and what is allowed, in the API server's
	// words, e.g. `Unsupported value: "Up": supported values: ...`.
	Message string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Message
	}
	return p.Field + ": " + p.Message
}

// Result is the verdict on one object.
type Result struct {
	// Skipped says why the object was not checked (it is not of the
	// checker's API group); empty when it was.
	Skipped string
	// Problems are the reasons the API server would refuse the object.
	Problems []Problem
	// Incomplete is true when the CEL rules were not evaluated because
	// the object already breaks the schema in a way that blocks them; the
	// API server does the same.
	Incomplete bool
	// Object is the object as the API server would store it: unknown
	// fields pruned, defaults applied, namespace set, status dropped. Nil
	// when the object was skipped or its type or metadata is unusable.
	Object *unstructured.Unstructured
}

// Check validates obj as a create request would be validated by the API
// server with strict field validation. Objects without a namespace get
// defaultNamespace, as kubectl does. obj is not modified.
func (c *Checker) Check(obj *unstructured.Unstructured, defaultNamespace string) Result {
	ks, vs, res := c.resolve(obj)
	if vs == nil {
		return res
	}
	// A JSON round trip copies the object and turns numbers into int64 or
	// float64 exactly as the API server's decoder does.
	u, err := normalize(obj.Object)
	if err != nil {
		res.Problems = append(res.Problems, Problem{Check: CheckSchema, Message: err.Error()})
		return res
	}

	// Decoding: ObjectMeta, then pruning of unknown fields.
	meta, _, unknownMeta, err := schemaobjectmeta.GetObjectMetaWithOptions(u, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		res.Problems = append(res.Problems, Problem{Check: CheckMetadata, Field: "metadata", Message: "Invalid value: " + err.Error()})
		return res
	}
	unknown := append(unknownMeta, pruning.PruneWithOptions(u, vs.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u, vs.structural)
	coerceErr, unknownEmbedded := schemaobjectmeta.CoerceWithOptions(nil, u, vs.structural, false, schemaobjectmeta.CoerceOptions{ReturnUnknownFieldPaths: true})
	unknown = append(unknown, unknownEmbedded...)
	slices.Sort(unknown) // pruning walks maps: give a stable order
	for _, p := range unknown {
		res.Problems = append(res.Problems, Problem{Check: CheckUnknownField, Field: p, Message: unknownFieldMessage(vs.structural, p)})
	}
	if coerceErr != nil {
		res.Problems = append(res.Problems, fromFieldError(CheckMetadata, coerceErr))
	}
	if meta == nil {
		meta = &metav1.ObjectMeta{}
	}
	if ks.namespaced && meta.Namespace == "" {
		meta.Namespace = defaultNamespace
	}
	if err := schemaobjectmeta.SetObjectMeta(u, meta); err != nil {
		res.Problems = append(res.Problems, Problem{Check: CheckMetadata, Field: "metadata", Message: "Invalid value: " + err.Error()})
		return res
	}
	structuraldefaulting.Default(u, vs.structural)
	// Create ignores status when the status subresource is enabled.
	if vs.hasStatus {
		delete(u, "status")
	}
	res.Object = &unstructured.Unstructured{Object: u}

	// Validation, in the order of the API server's create strategy.
	var errs []Problem
	add := func(check Check, list field.ErrorList) {
		// kube-openapi walks maps: give a stable order.
		list = append(field.ErrorList(nil), list...)
		slices.SortStableFunc(list, func(a, b *field.Error) int { return strings.Compare(a.Field, b.Field) })
		for _, e := range list {
			errs = append(errs, fromFieldError(check, e))
		}
	}
	metaErrs := metavalidation.ValidateObjectMeta(meta, ks.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))
	add(CheckMetadata, metaErrs)
	openapiErrs := apiservervalidation.ValidateCustomResource(nil, u, vs.openapi)
	add(CheckSchema, quieter(openapiErrs))
	embeddedErrs := schemaobjectmeta.Validate(context.Background(), nil, u, vs.structural, false)
	add(CheckMetadata, embeddedErrs)
	listErrs := listtype.ValidateListSetsAndMaps(nil, vs.structural, u)
	add(CheckListType, listErrs)
	if v := vs.cel(); v != nil {
		if blocking(metaErrs, openapiErrs, embeddedErrs, listErrs) {
			res.Incomplete = true
		} else {
			celErrs, _ := v.Validate(context.Background(), nil, vs.structural, u, nil, celconfig.RuntimeCELCostBudget)
			add(CheckCEL, celErrs)
		}
	}
	res.Problems = append(res.Problems, errs...)
	return res
}

// Default sets, in place, the CRD default of every field obj omits whose
// parent it has, with the API server's own defaulting code: a file read
// offline then holds what the API server would store. Nothing else is
// changed (unknown fields and status stay). An object of another API
// group is left alone; one of an unknown kind or unserved version is an
// error saying what is served.
func (c *Checker) Default(obj *unstructured.Unstructured) error {
	_, vs, res := c.resolve(obj)
	if vs == nil {
		if len(res.Problems) > 0 {
			return fmt.Errorf("%s", res.Problems[0])
		}
		return nil
	}
	structuraldefaulting.Default(obj.Object, vs.structural)
	return nil
}

// DefaultOf returns the default the CRD of a kind declares for the field at
// path (e.g. "spec", "atRiskBelow") in a served apiVersion, as decoded JSON
// (an integer is an int64), and whether there is one.
func (c *Checker) DefaultOf(apiVersion, kind string, path ...string) (any, bool) {
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil || gv.Group != c.group || c.kinds[kind] == nil {
		return nil, false
	}
	vs, ok := c.kinds[kind].versions[gv.Version]
	if !ok {
		return nil, false
	}
	s := vs.structural
	for _, p := range path {
		next, ok := s.Properties[p]
		if !ok {
			return nil, false
		}
		s = &next
	}
	return s.Default.Object, s.Default.Object != nil
}

// resolve finds the schema for obj's apiVersion and kind. When it returns
// a nil versionSchema, res is the final verdict: skipped or refused.
func (c *Checker) resolve(obj *unstructured.Unstructured) (*kindSchema, *versionSchema, Result) {
	apiVersion, kind := obj.GetAPIVersion(), obj.GetKind()
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, nil, Result{Problems: []Problem{{Check: CheckKind, Field: fieldAPIVersion, Message: fmt.Sprintf("Invalid value: %q: %v", apiVersion, err)}}}
	}
	if gv.Group != c.group {
		if c.mistakenGroup(gv.Group, kind) {
			want := c.group + "/<version>"
			if k, ok := c.kinds[c.aliases[strings.ToLower(kind)]]; ok {
				want = strings.Join(c.APIVersions(k.kind), ", ")
			}
			return nil, nil, Result{Problems: []Problem{{Check: CheckKind, Field: fieldAPIVersion,
				Message: fmt.Sprintf("Invalid value: %q: Accord objects use apiVersion %s", apiVersion, want)}}}
		}
		return nil, nil, Result{Skipped: fmt.Sprintf("%s %s is not in the API group %s", apiVersion, kind, c.group)}
	}
	ks, ok := c.kinds[kind]
	if !ok {
		msg := notSupported(kind, c.Kinds())
		if alias, ok := c.aliases[strings.ToLower(kind)]; ok {
			msg += fmt.Sprintf("; did you mean %q?", alias)
		}
		return nil, nil, Result{Problems: []Problem{{Check: CheckKind, Field: "kind", Message: msg}}}
	}
	vs, ok := ks.versions[gv.Version]
	if !ok {
		return nil, nil, Result{Problems: []Problem{{Check: CheckKind, Field: fieldAPIVersion,
			Message: notSupported(apiVersion, c.APIVersions(kind))}}}
	}
	return ks, vs, Result{}
}

// mistakenGroup reports whether an object outside the checker's group was
// most likely meant to be in it: a group under the same domain (e.g.
// accord.dev for portfolio.accord.dev), or one of the checker's kinds in
// the core group, where no custom resource can live.
func (c *Checker) mistakenGroup(group, kind string) bool {
	domain := c.group
	if i := strings.Index(domain, "."); i >= 0 {
		domain = domain[i+1:]
	}
	if group == domain || strings.HasSuffix(group, "."+domain) {
		return true
	}
	_, ours := c.kinds[c.aliases[strings.ToLower(kind)]]
	return group == "" && ours
}

func notSupported(value string, supported []string) string {
	q := make([]string, len(supported))
	for i, s := range supported {
		q[i] = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("Unsupported value: %q: supported values: %s", value, strings.Join(q, ", "))
}

// blocking reports whether errors stop the CEL rules from running, by the
// API server's rule: CEL runs only on objects whose types and required
// fields are right, since its rules assume them.
func blocking(lists ...field.ErrorList) bool {
	for _, list := range lists {
		for _, e := range list {
			switch e.Type {
			case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
				return true
			}
		}
	}
	return false
}

func fromFieldError(check Check, e *field.Error) Problem {
	p := Problem{Check: check, Field: e.Field, Message: e.ErrorBody()}
	if p.Field == "<nil>" { // the error is about the object as a whole
		p.Field = ""
	}
	// resource.Quantity fields are int-or-string: YAML reads 18.5 as a
	// float, which the schema refuses. Say how to write it.
	if e.Type == field.ErrorTypeTypeInvalid && strings.Contains(e.Detail, "must be of type integer,string") {
		p.Message += `; write decimal quantities as quoted strings, e.g. "18.5"`
	}
	return p
}

// quieter drops the follow-on errors kube-openapi adds when an
// int-or-string field (a quantity) holds another type, keeping the one
// that names the field and the types allowed: one mistake, one message.
func quieter(errs field.ErrorList) field.ErrorList {
	var quantities []string
	for _, e := range errs {
		if e.Type == field.ErrorTypeTypeInvalid && strings.Contains(e.Detail, "must be of type integer,string") {
			quantities = append(quantities, e.Field)
		}
	}
	if len(quantities) == 0 {
		return errs
	}
	out := make(field.ErrorList, 0, len(errs))
next:
	for _, e := range errs {
		for _, f := range quantities {
			if strings.Contains(e.Detail, fmt.Sprintf("%q must validate at least one schema (anyOf)", f)) ||
				strings.Contains(e.Detail, "Checked value must be of type integer (default format) in "+f) ||
				(e.Field == f && strings.Contains(e.Detail, "must be of type integer:")) {
				continue next
			}
		}
		out = append(out, e)
	}
	return out
}

// normalize deep-copies an object through JSON.
func normalize(in map[string]any) (map[string]any, error) {
	data, err := utiljson.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode object: %w", err)
	}
	out := map[string]any{}
	if err := utiljson.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("decode object: %w", err)
	}
	return out, nil
}

// UnknownFields lists the paths of the fields obj has that its kind's
// schema does not declare (what Check reports as unknown-field), without
// the CEL and schema checks: cheap enough for every file accordctl
// evaluate reads, so that it refuses what validate refuses instead of
// silently ignoring a misspelt field. Objects of other groups have none.
func (c *Checker) UnknownFields(obj *unstructured.Unstructured) []string {
	_, vs, _ := c.resolve(obj)
	if vs == nil {
		return nil
	}
	u, err := normalize(obj.Object)
	if err != nil {
		return nil
	}
	_, _, unknown, err := schemaobjectmeta.GetObjectMetaWithOptions(u, schemaobjectmeta.ObjectMetaOptions{ReturnUnknownFieldPaths: true})
	if err != nil {
		return nil
	}
	unknown = append(unknown, pruning.PruneWithOptions(u, vs.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})...)
	slices.Sort(unknown)
	return unknown
}
