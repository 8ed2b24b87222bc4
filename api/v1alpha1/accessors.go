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

package v1alpha1

import (
	"slices"
	"sync"

	fluxmeta "github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// ConditionGetter is an object whose status carries conditions. It has the
// method set of fluxcd's meta.ObjectWithConditions and cluster-api's
// conditions.Getter, so code written against either works on Accord kinds.
// Every Accord kind implements it; code that needs an object's conditions
// asks for this interface instead of switching over the kinds.
// +kubebuilder:object:generate=false
type ConditionGetter interface {
	metav1.Object
	runtime.Object
	// GetConditions returns status.conditions (the slice itself, not a copy).
	GetConditions() []metav1.Condition
}

// ConditionSetter is a ConditionGetter whose conditions can be replaced.
// +kubebuilder:object:generate=false
type ConditionSetter interface {
	ConditionGetter
	// SetConditions replaces status.conditions.
	SetConditions([]metav1.Condition)
}

// Object is what every Accord kind offers about its status, whatever its
// kind: conditions, the generation they were computed for, and the last
// reconcile request handled (see ReconcileRequestAnnotation).
// +kubebuilder:object:generate=false
type Object interface {
	ConditionSetter
	// GetObservedGeneration returns status.observedGeneration.
	GetObservedGeneration() int64
	// SetObservedGeneration sets status.observedGeneration.
	SetObservedGeneration(int64)
	// GetLastHandledReconcileRequest returns status.lastHandledReconcileAt.
	GetLastHandledReconcileRequest() string
	// SetLastHandledReconcileRequest sets status.lastHandledReconcileAt.
	SetLastHandledReconcileRequest(string)
}

// Every kind is an Object; the compiler checks it here, and
// TestEveryKindIsAnObject checks that no registered kind is missing.
var (
	_ Object = &Partnership{}
	_ Object = &Objective{}
	_ Object = &KPI{}
	_ Object = &MetricSource{}
	_ Object = &Review{}
	_ Object = &Portfolio{}
)

// ReconcileRequestAnnotation asks the operator to re-evaluate an object now,
// for example after a source was fixed: set it to any new value, such as
// the current time. Changing it does not change the object's generation.
// It is fluxcd's annotation (what `flux reconcile` and the tools built on
// Flux set); once the object has been reconciled, its value is copied to
// status.lastHandledReconcileAt, so `kubectl wait` can wait for it.
const ReconcileRequestAnnotation = fluxmeta.ReconcileRequestAnnotation

// ReconcileRequest returns the value of obj's reconcile-request
// annotation, and whether it is set.
func ReconcileRequest(obj metav1.Object) (string, bool) {
	return fluxmeta.ReconcileAnnotationValue(obj.GetAnnotations())
}

var kindScheme = sync.OnceValue(func() *runtime.Scheme {
	s := runtime.NewScheme()
	if err := AddToScheme(s); err != nil {
		panic(err) // only a programming error in this package can cause it
	}
	return s
})

// KindOf returns the kind of an Accord object ("KPI", "Partnership", ...)
// from the scheme, whether or not its TypeMeta is filled in, and "" for an
// object of any other group.
func KindOf(obj runtime.Object) string {
	gvks, _, err := kindScheme().ObjectKinds(obj)
	if err != nil {
		return ""
	}
	for _, gvk := range gvks {
		if gvk.GroupVersion() == GroupVersion {
			return gvk.Kind
		}
	}
	return ""
}

// Kinds returns the names of the Accord kinds, sorted: every type registered
// with the scheme that is an Object.
func Kinds() []string {
	s := kindScheme()
	var out []string
	for name := range s.KnownTypes(GroupVersion) {
		o, err := s.New(GroupVersion.WithKind(name))
		if err != nil {
			continue
		}
		if _, ok := o.(Object); ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// New returns a new empty object of the named Accord kind, or nil when
// there is no such kind.
func New(kind string) Object {
	o, err := kindScheme().New(GroupVersion.WithKind(kind))
	if err != nil {
		return nil
	}
	obj, _ := o.(Object)
	return obj
}

// GetConditions returns the partnership's status conditions.
func (in *Partnership) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the partnership's status conditions.
func (in *Partnership) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *Partnership) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *Partnership) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *Partnership) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *Partnership) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// GetConditions returns the objective's status conditions.
func (in *Objective) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the objective's status conditions.
func (in *Objective) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *Objective) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *Objective) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *Objective) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *Objective) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// GetConditions returns the KPI's status conditions.
func (in *KPI) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the KPI's status conditions.
func (in *KPI) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *KPI) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *KPI) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *KPI) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *KPI) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// GetConditions returns the metric source's status conditions.
func (in *MetricSource) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the metric source's status conditions.
func (in *MetricSource) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *MetricSource) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *MetricSource) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *MetricSource) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *MetricSource) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// GetConditions returns the review's status conditions.
func (in *Review) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the review's status conditions.
func (in *Review) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *Review) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *Review) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *Review) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *Review) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// GetConditions returns the portfolio's status conditions.
func (in *Portfolio) GetConditions() []metav1.Condition { return in.Status.Conditions }

// SetConditions replaces the portfolio's status conditions.
func (in *Portfolio) SetConditions(c []metav1.Condition) { in.Status.Conditions = c }

// GetObservedGeneration returns the generation the status was computed for.
func (in *Portfolio) GetObservedGeneration() int64 { return in.Status.ObservedGeneration }

// SetObservedGeneration sets the generation the status was computed for.
func (in *Portfolio) SetObservedGeneration(g int64) { in.Status.ObservedGeneration = g }

// GetLastHandledReconcileRequest returns the last reconcile request handled.
func (in *Portfolio) GetLastHandledReconcileRequest() string {
	return in.Status.GetLastHandledReconcileRequest()
}

// SetLastHandledReconcileRequest records the last reconcile request handled.
func (in *Portfolio) SetLastHandledReconcileRequest(v string) {
	in.Status.SetLastHandledReconcileRequest(v)
}

// PartnershipReferrer is an object that belongs to one partnership, named
// in its spec: an Objective or a Review.
// +kubebuilder:object:generate=false
type PartnershipReferrer interface {
	metav1.Object
	runtime.Object
	// GetPartnershipName returns spec.partnershipRef.name.
	GetPartnershipName() string
}

// GetPartnershipName returns the name of the partnership the objective
// belongs to.
func (in *Objective) GetPartnershipName() string { return in.Spec.PartnershipRef.Name }

// GetPartnershipName returns the name of the partnership the review is
// about.
func (in *Review) GetPartnershipName() string { return in.Spec.PartnershipRef.Name }
