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
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every Accord kind.
	GroupVersion = schema.GroupVersion{Group: "portfolio.accord.dev", Version: "v1alpha1"}

	// SchemeBuilder registers the Accord kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the Accord kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
