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

// Package controllers holds the reconcilers of the Accord kinds. The RBAC
// markers here are the permissions the manager's reconcilers use; `make
// manifests` turns them into config/rbac/role.yaml. Secrets are listed
// and watched only with the label selector portfolio.accord.dev/credential=true
// (RBAC cannot say so; the manager's cache does), so no other Secret's data
// reaches the manager; ConfigMaps are read (get) when a MetricSource names
// them, never listed or cached.
//
// +kubebuilder:rbac:groups=portfolio.accord.dev,resources=partnerships;objectives;kpis;metricsources;reviews;portfolios,verbs=list;watch
// +kubebuilder:rbac:groups=portfolio.accord.dev,resources=partnerships/status;objectives/status;kpis/status;metricsources/status;reviews/status;portfolios/status,verbs=patch
// +kubebuilder:rbac:groups="",resources=secrets,verbs=list;watch
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch
package controllers
