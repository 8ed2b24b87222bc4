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
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/client-go/rest"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/demodata"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/sources"
)

// The production install's identity, as config/default names it.
const (
	installNamespace = "accord-system"
	serviceAccount   = "system:serviceaccount:accord-system:accord-manager"
)

// permission is one verb on one resource (with its subresource).
type permission struct{ group, resource, verb string }

func (p permission) String() string { return p.group + "/" + p.resource + ":" + p.verb }

// requestLog records the permission behind every API request a client
// makes, using the API server's own request parser.
type requestLog struct {
	mu   sync.Mutex
	seen sets.Set[permission]
}

func (l *requestLog) wrap(rt http.RoundTripper) http.RoundTripper {
	parser := &request.RequestInfoFactory{APIPrefixes: sets.NewString("api", "apis"), GrouplessAPIPrefixes: sets.NewString("api")}
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		if info, err := parser.NewRequestInfo(req); err == nil && info.IsResourceRequest {
			res := info.Resource
			if info.Subresource != "" {
				res += "/" + info.Subresource
			}
			l.mu.Lock()
			l.seen.Insert(permission{info.APIGroup, res, info.Verb})
			l.mu.Unlock()
		}
		return rt.RoundTrip(req)
	})
}

func (l *requestLog) used() sets.Set[permission] {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seen.Clone()
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// granted expands RBAC rules into permissions.
func granted(rules []rbacv1.PolicyRule) sets.Set[permission] {
	out := sets.New[permission]()
	for _, r := range rules {
		for _, g := range r.APIGroups {
			for _, res := range r.Resources {
				for _, v := range r.Verbs {
					out.Insert(permission{g, res, v})
				}
			}
		}
	}
	return out
}

func sorted(s sets.Set[permission]) []string {
	out := make([]string, 0, len(s))
	for p := range s {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// TestTheManagersRBACIsExactlyWhatItUses installs config/default, runs the
// real reconcilers as the install's ServiceAccount (impersonated) on a
// portfolio that exercises every code path that talks to the API (Secrets
// for tokens, a ConfigMap CA bundle, events, leader election), records
// every request, and compares: each permission used is granted (or the
// manager would not converge) and each permission granted is used.
func TestTheManagersRBACIsExactlyWhatItUses(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	install, err := manifests.Build(filepath.Join(env.Root, "config", "default"))
	g.Expect(err).NotTo(HaveOccurred())
	var managerRules []rbacv1.PolicyRule
	for _, pass := range []bool{true, false} { // namespaces first
		for _, u := range install {
			if (u.GetKind() == "Namespace") != pass {
				continue
			}
			//nolint:staticcheck // server-side apply of unstructured objects, as kubectl apply --server-side does
			g.Expect(env.Client.Patch(ctx, u.DeepCopy(), client.Apply, client.FieldOwner("rbac-test"), client.ForceOwnership)).To(Succeed(), "%s/%s", u.GetKind(), u.GetName())
			// The manager's own roles; the metrics-auth role is exercised by
			// internal/manager's secure-metrics test, the view/edit roles are
			// for people.
			if n := u.GetName(); (u.GetKind() == "ClusterRole" && n == "accord-manager") || (u.GetKind() == "Role" && n == "accord-leader-election") {
				var role struct {
					Rules []rbacv1.PolicyRule `json:"rules"`
				}
				g.Expect(runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &role)).To(Succeed())
				managerRules = append(managerRules, role.Rules...)
			}
		}
	}
	g.Expect(managerRules).NotTo(BeEmpty(), "config/default has no accord-manager roles")

	// A portfolio with a live source behind a token (a Secret) and a
	// private CA (a ConfigMap).
	ns := namespace(t)
	const token = "rbac-test-token"
	data := httptest.NewTLSServer((&demodata.Server{Token: token, Now: time.Now}).Handler())
	t.Cleanup(data.Close)
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: data.Certificate().Raw}))
	g.Expect(env.Client.Create(ctx, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "pine-ridge-api-token"},
		StringData: map[string]string{"token": token}}, "127.0.0.1"))).To(Succeed())
	g.Expect(env.Client.Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "pine-ridge-ca"},
		Data: map[string]string{"ca.crt": ca}})).To(Succeed())
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "demo"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, u := range objs {
		u.SetNamespace(ns)
		if u.GetKind() == "MetricSource" && u.GetName() == "pine-ridge-care-api" {
			g.Expect(unstructured.SetNestedField(u.Object, data.URL+demodata.PartnerAPIPath, "spec", "endpoint")).To(Succeed())
			g.Expect(unstructured.SetNestedMap(u.Object, map[string]any{"caConfigMapRef": map[string]any{"name": "pine-ridge-ca", "key": "ca.crt"}}, "spec", "tls")).To(Succeed())
		}
		g.Expect(env.Client.Create(ctx, u)).To(Succeed(), "%s/%s", u.GetKind(), u.GetName())
	}

	log := &requestLog{seen: sets.New[permission]()}
	cfg := rest.CopyConfig(env.Config)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: serviceAccount,
		Groups: []string{"system:serviceaccounts", "system:serviceaccounts:" + installNamespace, "system:authenticated"}}
	cfg.Wrap(log.wrap)
	_, mgr := startManagerWith(t, clocktesting.NewFakeClock(time.Now()), managerSpec{config: cfg, leaderElection: true, leaderNamespace: installNamespace})
	g.Eventually(mgr.Elected()).WithTimeout(timeout).Should(BeClosed())

	// It converges with only these permissions: the live KPI read through
	// the token and the CA, and events were recorded.
	kpi := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "vicn-follow-up-7d"}}
	g.Eventually(cond(ctx, kpi, v1.ConditionMetricsAvailable)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/DataFresh"))
	pf := &v1.Portfolio{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "rural-network"}}
	g.Eventually(cond(ctx, pf, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(HavePrefix("True/"))
	g.Eventually(func() int {
		list := &corev1.EventList{}
		_ = env.Client.List(ctx, list, client.InNamespace(ns))
		return len(list.Items)
	}).WithTimeout(timeout).WithPolling(poll).ShouldNot(BeZero())

	// Granted though a healthy run may not use them: list, because
	// client-go falls back to LIST+WATCH on API servers without streaming
	// lists (this one streams, so it only watches); patch on events,
	// because recorders patch a series when the same event repeats.
	// Secrets likewise: the cache of labelled Secrets lists on such servers.
	fallbacks := sets.New[permission](
		permission{"", "events", "patch"}, permission{"events.k8s.io", "events", "patch"}, permission{"", "secrets", "list"})
	for _, r := range []string{"partnerships", "objectives", "kpis", "metricsources", "reviews", "portfolios"} {
		fallbacks.Insert(permission{v1.GroupVersion.Group, r, "list"})
	}
	want := granted(managerRules)
	g.Expect(sorted(fallbacks.Difference(want))).To(BeEmpty(), "fallback permissions missing from config/rbac")
	g.Eventually(func() []string { return sorted(want.Difference(fallbacks).Difference(log.used())) }).WithTimeout(timeout).WithPolling(poll).
		Should(BeEmpty(), "granted in config/rbac but never used by the manager")
	g.Expect(sorted(log.used().Difference(want))).To(BeEmpty(), "used by the manager but not granted")

	// And the ServiceAccount may not do what the manager never needs.
	for _, attr := range []authorizationv1.ResourceAttributes{
		{Group: v1.GroupVersion.Group, Resource: "partnerships", Verb: "update", Namespace: ns},
		{Group: v1.GroupVersion.Group, Resource: "kpis", Verb: "delete", Namespace: ns},
		{Group: v1.GroupVersion.Group, Resource: "reviews", Verb: "create", Namespace: ns},
		{Resource: "secrets", Verb: "get", Namespace: ns},
		{Resource: "secrets", Verb: "create", Namespace: ns},
		{Resource: "configmaps", Verb: "update", Namespace: ns},
		{Resource: "pods", Verb: "get", Namespace: ns},
		{Group: "rbac.authorization.k8s.io", Resource: "clusterroles", Verb: "create"},
		{Group: "coordination.k8s.io", Resource: "leases", Verb: "get", Namespace: "kube-system"},
	} {
		sar := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
			User: serviceAccount, ResourceAttributes: &attr}}
		g.Expect(env.Client.Create(ctx, sar)).To(Succeed())
		g.Expect(sar.Status.Allowed).To(BeFalse(), "the manager may %s %s/%s in %q", attr.Verb, attr.Group, attr.Resource, attr.Namespace)
	}
}
