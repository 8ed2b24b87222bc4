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

// Package schemacheck validates Kubernetes objects offline against the
// Accord CustomResourceDefinitions, with the libraries the API server itself
// uses for custom resources: pruning to find unknown fields, defaulting,
// ObjectMeta rules, the OpenAPI schema, list types and the CEL rules
// (x-kubernetes-validations). An object it accepts is one the API server
// accepts on create with strict field validation, and the other way round.
package schemacheck

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/accord-dev/accord/config/crd"
)

// Checker validates objects of the kinds its CRDs define. It is safe for
// concurrent use once built.
type Checker struct {
	group string
	kinds map[string]*kindSchema // by kind
	// aliases maps lower-case kinds, plurals, singulars and short names to
	// the kind, to suggest the right spelling.
	aliases map[string]string
}

// kindSchema is one CRD.
type kindSchema struct {
	kind       string
	namespaced bool
	versions   map[string]*versionSchema // served versions by name
}

// versionSchema holds the validators of one served version, built the way
// the API server builds them when it serves the CRD.
type versionSchema struct {
	structural *structuralschema.Structural
	openapi    apiservervalidation.SchemaValidator
	// cel is compiled on first use (it takes most of the time to build a
	// checker), so that defaulting alone does not pay for it; it returns
	// nil when the schema has no CEL rules.
	cel       func() *cel.Validator
	hasStatus bool
}

// Embedded returns the Checker for the CRDs compiled into the binary from
// config/crd/bases. It is built once (compiling the CEL rules takes a
// fifth of a second) and shared.
func Embedded() (*Checker, error) { return embedded() }

var embedded = sync.OnceValues(func() (*Checker, error) {
	crds, err := crd.Definitions()
	if err != nil {
		return nil, err
	}
	return New(crds)
})

// New builds a Checker for CRDs that all belong to one API group.
func New(crds []*apiextensionsv1.CustomResourceDefinition) (*Checker, error) {
	c := &Checker{kinds: map[string]*kindSchema{}, aliases: map[string]string{}}
	for _, d := range crds {
		if c.group == "" {
			c.group = d.Spec.Group
		}
		if d.Spec.Group != c.group {
			return nil, fmt.Errorf("CRD %s is in group %s, not %s: one checker serves one group", d.Name, d.Spec.Group, c.group)
		}
		k := &kindSchema{
			kind:       d.Spec.Names.Kind,
			namespaced: d.Spec.Scope == apiextensionsv1.NamespaceScoped,
			versions:   map[string]*versionSchema{},
		}
		for i := range d.Spec.Versions {
			v := &d.Spec.Versions[i]
			if !v.Served {
				continue
			}
			vs, err := newVersionSchema(v)
			if err != nil {
				return nil, fmt.Errorf("CRD %s version %s: %w", d.Name, v.Name, err)
			}
			k.versions[v.Name] = vs
		}
		c.kinds[k.kind] = k
		names := d.Spec.Names
		for _, a := range append([]string{names.Kind, names.Plural, names.Singular}, names.ShortNames...) {
			if a != "" {
				c.aliases[strings.ToLower(a)] = k.kind
			}
		}
	}
	if len(c.kinds) == 0 {
		return nil, fmt.Errorf("no CRDs to check against")
	}
	return c, nil
}

func newVersionSchema(v *apiextensionsv1.CustomResourceDefinitionVersion) (*versionSchema, error) {
	if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
		return nil, fmt.Errorf("no openAPIV3Schema")
	}
	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, internal, nil); err != nil {
		return nil, fmt.Errorf("convert schema: %w", err)
	}
	s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("structural schema: %w", err)
	}
	// As the API server does: defaults are applied from a copy whose own
	// defaults are pruned.
	s = s.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(s); err != nil {
		return nil, fmt.Errorf("prune defaults: %w", err)
	}
	openapi, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, fmt.Errorf("schema validator: %w", err)
	}
	return &versionSchema{
		structural: s,
		openapi:    openapi,
		cel:        sync.OnceValue(func() *cel.Validator { return cel.NewValidator(s, true, celconfig.PerCallLimit) }),
		hasStatus:  v.Subresources != nil && v.Subresources.Status != nil,
	}, nil
}

// Group is the API group the checker serves.
func (c *Checker) Group() string { return c.group }

// Kinds lists the kinds the checker knows, sorted.
func (c *Checker) Kinds() []string {
	out := make([]string, 0, len(c.kinds))
	for k := range c.kinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// APIVersions lists the served group/versions of a kind, sorted; nil for an
// unknown kind.
func (c *Checker) APIVersions(kind string) []string {
	k, ok := c.kinds[kind]
	if !ok {
		return nil
	}
	out := make([]string, 0, len(k.versions))
	for v := range k.versions {
		out = append(out, c.group+"/"+v)
	}
	slices.Sort(out)
	return out
}
