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

package manifests_test

import (
	"context"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) { testenv.Main(m, &env) }

func apply(ctx context.Context, u *unstructured.Unstructured) error {
	//nolint:staticcheck // server-side apply of unstructured objects, as kubectl apply --server-side does
	return env.Client.Patch(ctx, u, client.Apply, client.FieldOwner("manifests-test"), client.ForceOwnership)
}

func TestEverySampleIsAcceptedByTheAPIServer(t *testing.T) {
	ctx := context.Background()
	ns := &corev1.Namespace{}
	ns.Name = "samples"
	if err := env.Client.Create(ctx, ns); err != nil {
		t.Fatal(err)
	}
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "samples"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, u := range objs {
		u.SetNamespace(ns.Name)
		if err := apply(ctx, u); err != nil {
			t.Errorf("sample %s/%s rejected: %v", u.GetKind(), u.GetName(), err)
			continue
		}
		kinds[u.GetKind()]++
	}
	// Every kind of the API must be shown by the samples.
	for _, k := range []string{"Partnership", "Objective", "KPI", "MetricSource", "Review", "Portfolio"} {
		if kinds[k] == 0 {
			t.Errorf("config/samples has no %s", k)
		}
	}
	if kinds["Partnership"] < 3 {
		t.Errorf("config/samples has %d partnerships, want the three of the rural network", kinds["Partnership"])
	}
	// What was stored is what was sent: read one back through the typed API.
	for _, u := range objs {
		got := &unstructured.Unstructured{}
		got.SetGroupVersionKind(u.GroupVersionKind())
		if err := env.Client.Get(ctx, client.ObjectKeyFromObject(u), got); err != nil {
			t.Errorf("get %s/%s: %v", u.GetKind(), u.GetName(), err)
		}
	}
}

func TestProductionInstallApplies(t *testing.T) {
	ctx := context.Background()
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "default"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[schema.GroupKind]int{}
	// Namespaces first, as kubectl does.
	for _, pass := range []bool{true, false} {
		for _, u := range objs {
			if (u.GetKind() == "Namespace") != pass {
				continue
			}
			if err := apply(ctx, u); err != nil {
				t.Errorf("%s/%s rejected: %v", u.GetKind(), u.GetName(), err)
			}
			seen[u.GroupVersionKind().GroupKind()]++
		}
	}
	want := map[schema.GroupKind]int{
		{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}: 6,
		{Kind: "Namespace"}:                 1,
		{Kind: "ServiceAccount"}:            1,
		{Group: "apps", Kind: "Deployment"}: 1,
	}
	for gk, n := range want {
		if seen[gk] != n {
			t.Errorf("config/default has %d %s, want %d", seen[gk], gk, n)
		}
	}
	for _, u := range objs {
		if u.GetKind() != "Deployment" {
			continue
		}
		if u.GetNamespace() != "accord-system" {
			t.Errorf("Deployment in namespace %q, want accord-system", u.GetNamespace())
		}
		c, _, _ := unstructured.NestedSlice(u.Object, "spec", "template", "spec", "containers")
		if len(c) != 1 {
			t.Fatalf("want one container, got %d", len(c))
		}
		ctr := c[0].(map[string]any)
		if ro, _, _ := unstructured.NestedBool(ctr, "securityContext", "readOnlyRootFilesystem"); !ro {
			t.Error("manager container must have a read-only root filesystem")
		}
		if nonRoot, _, _ := unstructured.NestedBool(u.Object, "spec", "template", "spec", "securityContext", "runAsNonRoot"); !nonRoot {
			t.Error("manager pod must run as non-root")
		}
		for _, probe := range []string{"livenessProbe", "readinessProbe"} {
			if _, ok := ctr[probe]; !ok {
				t.Errorf("manager container has no %s", probe)
			}
		}
	}
}
