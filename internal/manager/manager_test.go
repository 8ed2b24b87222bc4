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

package manager_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	authenticationv1 "k8s.io/api/authentication/v1"
	coordinationv1 "k8s.io/api/coordination/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) { testenv.Main(m, &env) }

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

func get(hc *http.Client, url string, header http.Header) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	maps.Copy(req.Header, header)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// start runs a manager until the test ends.
func start(t *testing.T, opts manager.Options) {
	t.Helper()
	mgr, err := manager.New(env.Config, opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager stopped with an error: %v", err)
		}
	})
}

func TestManagerServesProbesMetricsAndTakesTheLease(t *testing.T) {
	g := NewWithT(t)
	ns := &corev1.Namespace{}
	ns.Name = "accord-system"
	g.Expect(env.Client.Create(context.Background(), ns)).To(Succeed())

	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = freeAddr(t)
	opts.SecureMetrics = false
	opts.HealthProbeBindAddress = freeAddr(t)
	opts.LeaderElection = true
	opts.LeaderElectionNamespace = ns.Name
	opts.LeaderElectionID = "accord-test-lease"
	start(t, opts)

	c := &http.Client{Timeout: 2 * time.Second}
	for _, path := range []string{"/healthz", "/readyz"} {
		g.Eventually(func() int {
			code, _ := get(c, "http://"+opts.HealthProbeBindAddress+path, nil)
			return code
		}).WithTimeout(30*time.Second).WithPolling(100*time.Millisecond).Should(Equal(http.StatusOK), path)
	}
	g.Eventually(func() string {
		_, body := get(c, "http://"+opts.MetricsBindAddress+"/metrics", nil)
		return body
	}).WithTimeout(30 * time.Second).Should(ContainSubstring("leader_election_master_status"))

	lease := &coordinationv1.Lease{}
	g.Eventually(func() error {
		return env.Client.Get(context.Background(), client.ObjectKey{Namespace: ns.Name, Name: opts.LeaderElectionID}, lease)
	}).WithTimeout(30 * time.Second).Should(Succeed())
	g.Expect(lease.Spec.HolderIdentity).NotTo(BeNil())
	g.Expect(*lease.Spec.HolderIdentity).NotTo(BeEmpty())
}

func TestSecureMetricsRefuseAnonymousScrapers(t *testing.T) {
	g := NewWithT(t)
	opts := manager.DefaultOptions()
	opts.MetricsBindAddress = freeAddr(t)
	opts.SecureMetrics = true
	opts.HealthProbeBindAddress = freeAddr(t)
	start(t, opts)

	// The serving certificate is self-signed; this test checks the
	// authorisation filter, not the certificate chain.
	c := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // self-signed test certificate
	}}
	url := "https://" + opts.MetricsBindAddress + "/metrics"
	g.Eventually(func() int {
		code, _ := get(c, url, nil)
		return code
	}).WithTimeout(30 * time.Second).Should(Equal(http.StatusUnauthorized))

	code, body := get(c, url, http.Header{"Authorization": {"Bearer not-a-real-token"}})
	g.Expect(code).NotTo(Equal(http.StatusOK), body)
	g.Expect(body).NotTo(ContainSubstring("not-a-real-token"), "the token must not be echoed")

	// Real ServiceAccount tokens are authenticated; only an account bound
	// to a role that may GET /metrics (like config/rbac's metrics-reader)
	// is let through. Two accounts, because the filter caches denials.
	ctx := context.Background()
	cs := kubernetes.NewForConfigOrDie(env.Config)
	token := func(name string) http.Header {
		_, err := cs.CoreV1().ServiceAccounts("default").Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		tok, err := cs.CoreV1().ServiceAccounts("default").CreateToken(ctx, name, &authenticationv1.TokenRequest{}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		return http.Header{"Authorization": {"Bearer " + tok.Status.Token}}
	}
	_, err := cs.RbacV1().ClusterRoles().Create(ctx, &rbacv1.ClusterRole{
		ObjectMeta: metav1.ObjectMeta{Name: "test-metrics-reader"},
		Rules:      []rbacv1.PolicyRule{{NonResourceURLs: []string{"/metrics"}, Verbs: []string{"get"}}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.RbacV1().ClusterRoleBindings().Create(ctx, &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "test-metrics-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "test-metrics-reader"},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "scraper", Namespace: "default"}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())

	code, _ = get(c, url, token("stranger"))
	g.Expect(code).To(Equal(http.StatusForbidden))
	scraper := token("scraper")
	g.Eventually(func() string {
		code, body := get(c, url, scraper)
		return fmt.Sprint(code, " ", body)
	}).WithTimeout(30 * time.Second).Should(And(HavePrefix("200 "), ContainSubstring("controller_runtime")))
}

func TestShardSelectors(t *testing.T) {
	t.Run("a selector that does not parse names the flag", func(t *testing.T) {
		opts := manager.DefaultOptions()
		opts.MetricsBindAddress, opts.HealthProbeBindAddress = "0", "0"
		opts.ShardSelector = "shard in (a"
		_, err := manager.New(env.Config, opts)
		if err == nil || !strings.Contains(err.Error(), "--shard-selector") {
			t.Fatalf("err = %v, want one naming --shard-selector", err)
		}
	})
	t.Run("each shard has its own lease and the unsharded manager keeps the base name", func(t *testing.T) {
		parse := func(s string) labels.Selector {
			sel, err := labels.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			return sel
		}
		base := manager.DefaultOptions().LeaderElectionID
		a, b := manager.ShardLeaseID(base, parse("shard=a")), manager.ShardLeaseID(base, parse("shard=b"))
		if a == b || a == base || !strings.HasPrefix(a, base+"-shard-") {
			t.Errorf("leases %q and %q, want distinct names under %q", a, b, base)
		}
		if got := manager.ShardLeaseID(base, parse("x=1,shard=a")); got != manager.ShardLeaseID(base, parse("shard=a,x=1")) {
			t.Errorf("the same selector written in another order got another lease")
		}
		if got := manager.ShardLeaseID(base, labels.Everything()); got != base {
			t.Errorf("unsharded lease = %q, want %q", got, base)
		}
	})
}
