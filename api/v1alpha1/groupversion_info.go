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

// Package v1alpha1 holds the Accord portfolio API: partnerships, their SMART
// objectives, the KPIs that measure them, the metric sources those KPIs read,
// the reviews that decide their future, and portfolios that roll them up.
//
// +kubebuilder:object:generate=true
// +groupName=portfolio.accord.dev
package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

var (
	// GroupVersion is the group and version of every Accord kind.
	GroupVersion = schema.GroupVersion{Group: "portfolio.accord.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the Accord kinds with a runtime.Scheme.
	SchemeBuilder = &objectSchemeBuilder{}

	// AddToScheme adds the Accord kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)

// objectSchemeBuilder is controller-runtime's scheme.Builder, which is
// deprecated because an API package should depend on apimachinery alone:
// each kind's file registers its types in init.
type objectSchemeBuilder struct{ runtime.SchemeBuilder }

// Register adds the types to the scheme under GroupVersion.
func (b *objectSchemeBuilder) Register(objs ...runtime.Object) {
	b.SchemeBuilder.Register(func(s *runtime.Scheme) error {
		s.AddKnownTypes(GroupVersion, objs...)
		metav1.AddToGroupVersion(s, GroupVersion)
		return nil
	})
}
