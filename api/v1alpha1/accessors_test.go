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

package v1alpha1_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// crdKinds reads the kind of every generated CRD: a source independent of
// the scheme that Kinds reads.
func crdKinds(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(env.Root, "config", "crd", "bases", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := make([]string, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		kinds = append(kinds, crd.Spec.Names.Kind)
	}
	slices.Sort(kinds)
	return kinds
}

func TestEveryKindIsAnObject(t *testing.T) {
	want := crdKinds(t)
	if len(want) != 6 {
		t.Fatalf("want 6 CRDs, found %v", want)
	}
	if got := v1.Kinds(); !slices.Equal(got, want) {
		t.Fatalf("Kinds() = %v, the CRDs define %v", got, want)
	}
	for _, k := range want {
		o := v1.New(k)
		if o == nil {
			t.Fatalf("New(%q) = nil", k)
		}
		if got := v1.KindOf(o); got != k {
			t.Errorf("KindOf(New(%q)) = %q", k, got)
		}
	}
	if o := v1.New("ConfigMap"); o != nil {
		t.Errorf("New(ConfigMap) = %T, want nil", o)
	}
	if got := v1.KindOf(&corev1.ConfigMap{}); got != "" {
		t.Errorf("KindOf(ConfigMap) = %q, want empty", got)
	}
}

// TestAccessorsReadAndWriteTheStatusFields checks, through the JSON the API
// server stores, that each accessor reaches the documented status field of
// every kind.
func TestAccessorsReadAndWriteTheStatusFields(t *testing.T) {
	for _, kind := range v1.Kinds() {
		t.Run(kind, func(t *testing.T) {
			o := v1.New(kind)
			conds := []metav1.Condition{{Type: v1.ConditionReady, Status: metav1.ConditionTrue, Reason: "Evaluated", Message: "m"}}
			o.SetConditions(conds)
			o.SetObservedGeneration(7)
			o.SetLastHandledReconcileRequest("2026-12-01T20:00:00Z")

			b, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Status struct {
					Conditions             []metav1.Condition `json:"conditions"`
					ObservedGeneration     int64              `json:"observedGeneration"`
					LastHandledReconcileAt string             `json:"lastHandledReconcileAt"`
				} `json:"status"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Status.Conditions) != 1 || doc.Status.Conditions[0].Reason != "Evaluated" {
				t.Errorf("status.conditions = %v, want the one set", doc.Status.Conditions)
			}
			if doc.Status.ObservedGeneration != 7 {
				t.Errorf("status.observedGeneration = %d, want 7", doc.Status.ObservedGeneration)
			}
			if doc.Status.LastHandledReconcileAt != "2026-12-01T20:00:00Z" {
				t.Errorf("status.lastHandledReconcileAt = %q", doc.Status.LastHandledReconcileAt)
			}

			// And back: the getters read what a decoded object holds.
			fresh := v1.New(kind)
			if err := json.Unmarshal(b, fresh); err != nil {
				t.Fatal(err)
			}
			if got := fresh.GetConditions(); len(got) != 1 || got[0].Type != v1.ConditionReady {
				t.Errorf("GetConditions() = %v", got)
			}
			if fresh.GetObservedGeneration() != 7 || fresh.GetLastHandledReconcileRequest() != "2026-12-01T20:00:00Z" {
				t.Errorf("GetObservedGeneration() = %d, GetLastHandledReconcileRequest() = %q",
					fresh.GetObservedGeneration(), fresh.GetLastHandledReconcileRequest())
			}
		})
	}
}

func TestReconcileRequestIsFluxsAnnotation(t *testing.T) {
	// The name `flux reconcile` and the tools built on Flux set.
	const flux = "reconcile.fluxcd.io/requestedAt"
	if v1.ReconcileRequestAnnotation != flux {
		t.Fatalf("ReconcileRequestAnnotation = %q, want %q", v1.ReconcileRequestAnnotation, flux)
	}
	p := &v1.Partnership{}
	if _, ok := v1.ReconcileRequest(p); ok {
		t.Error("ReconcileRequest of an object without annotations is set")
	}
	p.SetAnnotations(map[string]string{flux: "now"})
	if v, ok := v1.ReconcileRequest(p); !ok || v != "now" {
		t.Errorf("ReconcileRequest = %q, %v; want now, true", v, ok)
	}
}

func TestObjectivesAndReviewsNameTheirPartnership(t *testing.T) {
	for _, o := range []v1.PartnershipReferrer{
		&v1.Objective{Spec: v1.ObjectiveSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley"}}},
		&v1.Review{Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "valley"}}},
	} {
		if got := o.GetPartnershipName(); got != "valley" {
			t.Errorf("%T.GetPartnershipName() = %q, want valley", o, got)
		}
	}
}
