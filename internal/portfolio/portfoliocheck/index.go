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

package portfoliocheck

import (
	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// id identifies an object within the portfolio.
type id struct{ kind, namespace, name string }

// portfolio indexes the objects for the rules. Only the first object of
// each id is indexed; later ones are duplicates.
type portfolio struct {
	objs  []Object
	byID  map[id]*Object
	first map[id]int // position of the first definition
	// objectivesOf maps a KPI's id to the (full) objectives that list it.
	objectivesOf map[id][]*v1.Objective
	// objectiveOf maps an objective to its Object, for findings.
	objectiveOf map[*v1.Objective]*Object
	// partial records the kinds, per namespace, of which some object's
	// spec is unreadable: rules that count references to a kind cannot
	// conclude anything there.
	partial map[id]bool
}

func idOf(o Object) id {
	return id{kindOf(o.Obj), o.Obj.GetNamespace(), o.Obj.GetName()}
}

func index(objs []Object) *portfolio {
	p := &portfolio{
		objs:         objs,
		byID:         map[id]*Object{},
		first:        map[id]int{},
		objectivesOf: map[id][]*v1.Objective{},
		objectiveOf:  map[*v1.Objective]*Object{},
		partial:      map[id]bool{},
	}
	for i := range objs {
		o := &objs[i]
		k := idOf(*o)
		if _, dup := p.byID[k]; dup {
			continue
		}
		p.byID[k], p.first[k] = o, i
		if o.Partial {
			p.partial[id{k.kind, k.namespace, ""}] = true
		}
		if obj, ok := o.Obj.(*v1.Objective); ok && !o.Partial {
			p.objectiveOf[obj] = o
			for _, ref := range obj.Spec.KPIs {
				kid := id{"KPI", obj.Namespace, ref.Name}
				p.objectivesOf[kid] = append(p.objectivesOf[kid], obj)
			}
		}
	}
	return p
}

// full returns the indexed object of an id when its spec is readable.
func (p *portfolio) full(k id) (*Object, bool) {
	o, ok := p.byID[k]
	if !ok || o.Partial {
		return nil, false
	}
	return o, true
}

// each calls fn for every first definition whose spec is readable.
func (p *portfolio) each(fn func(o *Object)) {
	for i := range p.objs {
		o := &p.objs[i]
		if o.Partial || p.first[idOf(*o)] != i {
			continue
		}
		fn(o)
	}
}

// names lists the names of kind in namespace, for suggestions.
func (p *portfolio) names(kind, namespace string) []string {
	var out []string
	for k := range p.byID {
		if k.kind == kind && k.namespace == namespace {
			out = append(out, k.name)
		}
	}
	return out
}

// namespacesOf lists the other namespaces holding an object of kind and
// name, to explain a reference that crosses namespaces.
func (p *portfolio) namespacesOf(kind, name, except string) []string {
	var out []string
	for k := range p.byID {
		if k.kind == kind && k.name == name && k.namespace != except {
			out = append(out, k.namespace)
		}
	}
	return out
}

// hasPartial reports whether some object of kind in namespace has an
// unreadable spec.
func (p *portfolio) hasPartial(kind, namespace string) bool {
	return p.partial[id{kind, namespace, ""}]
}
