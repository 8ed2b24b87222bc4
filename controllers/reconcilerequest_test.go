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

package controllers_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

// kubectlBinary is the kubectl next to the control plane, else the one on
// PATH, else "" (the test then checks through the Go client only).
func kubectlBinary() string {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		if p := filepath.Join(dir, "kubectl"); fileExists(p) {
			return p
		}
	}
	p, _ := exec.LookPath("kubectl")
	return p
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// TestAReconcileRequestIsAcknowledgedInStatus follows docs/conditions.md:
// `kubectl annotate` the reconcile-request annotation on an object of each
// kind, then `kubectl wait` for status.lastHandledReconcileAt to carry the
// same value, which the operator writes only from a reconcile that saw it.
func TestAReconcileRequestIsAcknowledgedInStatus(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	ns := namespace(t)
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "samples"))
	g.Expect(err).NotTo(HaveOccurred())
	first := map[string]*unstructured.Unstructured{}
	for _, u := range objs {
		u.SetNamespace(ns)
		g.Expect(env.Client.Create(ctx, u)).To(Succeed())
		if first[u.GetKind()] == nil {
			first[u.GetKind()] = u
		}
	}
	startManagerStoppable(t, newClock(), []string{ns})
	kubeconfig := testenv.WriteKubeconfig(t, env.Config, ns)
	kubectl := kubectlBinary()
	if kubectl == "" {
		t.Log("no kubectl: checking through the Go client only")
	}

	for i, kind := range v1.Kinds() {
		u := first[kind]
		if u == nil {
			t.Fatalf("config/samples has no %s", kind)
		}
		t.Run(kind, func(t *testing.T) {
			g := NewWithT(t)
			obj := v1.New(kind)
			key := client.ObjectKeyFromObject(u)
			// Evaluated first, so the request is the only change.
			g.Eventually(func() bool {
				if err := env.Client.Get(ctx, key, obj); err != nil {
					return false
				}
				c := meta.FindStatusCondition(obj.GetConditions(), v1.ConditionReady)
				return c != nil && c.ObservedGeneration == obj.GetGeneration()
			}).WithTimeout(timeout).WithPolling(poll).Should(BeTrue(), "%s %s evaluated", kind, u.GetName())
			g.Expect(obj.GetLastHandledReconcileRequest()).To(BeEmpty(), "before any request")

			// As `date -Is` prints it, made unique per kind.
			requested := time.Now().Add(time.Duration(i) * time.Second).Format("2006-01-02T15:04:05-07:00")
			resource := strings.ToLower(kind) + "." + v1.GroupVersion.Group + "/" + u.GetName()
			if kubectl != "" {
				run := func(args ...string) {
					t.Helper()
					cmd := exec.Command(kubectl, append([]string{"--kubeconfig", kubeconfig}, args...)...)
					out, err := cmd.CombinedOutput()
					if err != nil {
						t.Fatalf("kubectl %s: %v: %s", strings.Join(args, " "), err, out)
					}
				}
				run("annotate", resource, "--overwrite", v1.ReconcileRequestAnnotation+"="+requested)
				run("wait", resource, "--timeout=30s", "--for=jsonpath={.status.lastHandledReconcileAt}="+requested)
			} else {
				patch := client.MergeFrom(obj.DeepCopyObject().(client.Object))
				obj.SetAnnotations(map[string]string{v1.ReconcileRequestAnnotation: requested})
				g.Expect(env.Client.Patch(ctx, obj, patch)).To(Succeed())
			}
			g.Eventually(func() string {
				if err := env.Client.Get(ctx, key, obj); err != nil {
					return err.Error()
				}
				return obj.GetLastHandledReconcileRequest()
			}).WithTimeout(timeout).WithPolling(poll).Should(Equal(requested))
			// The request re-evaluated the object and changed nothing else.
			ready := meta.FindStatusCondition(obj.GetConditions(), v1.ConditionReady)
			g.Expect(ready).NotTo(BeNil())
			g.Expect(ready.ObservedGeneration).To(Equal(obj.GetGeneration()))
		})
	}
}
