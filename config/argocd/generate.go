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

// Package argocd is Accord's Argo CD integration: a health check per
// Accord kind (health/<kind>.lua), the argocd-cm patch that installs them
// (argocd-cm.yaml, generated from the scripts) and an example Application
// (application.yaml). Its tests run every script on fixture objects with
// gopher-lua, the interpreter Argo CD embeds, and check that the
// ConfigMap matches the scripts.
package argocd

//go:generate go run ../../hack/argocdcm -scripts health -out argocd-cm.yaml
