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

package dashboard_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/dashboard"
	"github.com/accord-dev/accord/internal/manager"
)

func minimalPartnership(ns, name, display string) *v1.Partnership {
	return &v1.Partnership{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1.PartnershipSpec{DisplayName: display, Partners: []v1.Partner{{Name: "A", Role: "Convener"}, {Name: "B", Role: "Payer"}},
			Agreement: v1.Agreement{EffectiveDate: "2025-01-01", Governance: v1.Governance{Model: "LeadPartner"},
				Financial: v1.FinancialArrangement{Model: "InKind"}}},
	}
}

// With --dashboard-auth, callers are who their bearer token says
// (TokenReview) and see only the partnerships Kubernetes RBAC lets them
// read (SubjectAccessReview), against the real API server.
func TestAuthLetsInOnlyTokensAllowedToReadPartnerships(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	open, closed := namespace(t), namespace(t)
	cs := kubernetes.NewForConfigOrDie(env.Config)
	g.Expect(env.Client.Create(ctx, minimalPartnership(open, "shared", "Shared programme"))).To(Succeed())
	g.Expect(env.Client.Create(ctx, minimalPartnership(closed, "private", "Private programme"))).To(Succeed())

	// reader may get and list partnerships in open only; stranger has no
	// role at all. Each is its own account, because denials are cached.
	_, err := cs.RbacV1().Roles(open).Create(ctx, &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: "partnership-reader"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"partnerships"}, Verbs: []string{"get", "list"}}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.RbacV1().RoleBindings(open).Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "partnership-reader"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "partnership-reader"},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "reader", Namespace: open}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	token := func(name string) http.Header {
		_, err := cs.CoreV1().ServiceAccounts(open).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		tok, err := cs.CoreV1().ServiceAccounts(open).CreateToken(ctx, name, dashboardTokenRequest(), metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		return http.Header{"Authorization": {"Bearer " + tok.Status.Token}}
	}
	reader, stranger := token("reader"), token("stranger")

	base := serve(t, setup{auth: true, namespaces: []string{open, closed}})
	g.Expect(base).To(HavePrefix("https://"))
	sharedPage, privatePage := base+"/partnerships/"+open+"/shared", base+"/partnerships/"+closed+"/private"
	cases := []struct {
		name       string
		url        string
		header     http.Header
		want       int
		has, lacks string
	}{
		{"no token", base + "/", nil, http.StatusUnauthorized, "send a Kubernetes bearer token", "Shared programme"},
		{"a token the cluster did not issue", base + "/", http.Header{"Authorization": {"Bearer not-a-real-token"}}, http.StatusUnauthorized, "", "not-a-real-token"},
		{"a valid token without a role sees an empty overview", base + "/", stranger, http.StatusOK, "0 of 0 partnerships", "Shared programme"},
		{"a valid token without a role gets no page", sharedPage, stranger, http.StatusForbidden, "may not get partnerships in namespace " + open, "Shared programme"},
		{"the reader sees the namespace it may read", base + "/", reader, http.StatusOK, "Shared programme", "Private programme"},
		{"the reader opens a page it may read", sharedPage, reader, http.StatusOK, "<h1>Shared programme</h1>", ""},
		{"the reader gets no page in another namespace", privatePage, reader, http.StatusForbidden, "Not allowed", "Private programme"},
		{"a forbidden page does not reveal whether it exists", base + "/partnerships/" + closed + "/no-such", reader, http.StatusForbidden, "Not allowed", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := get(t, http.MethodGet, tc.url, tc.header)
			if code != tc.want {
				t.Fatalf("GET %s = %d, want %d\n%s", tc.url, code, tc.want, body)
			}
			if !strings.Contains(body, tc.has) {
				t.Errorf("body lacks %q\n%s", tc.has, body)
			}
			if tc.lacks != "" && strings.Contains(body, tc.lacks) {
				t.Errorf("body shows %q\n%s", tc.lacks, body)
			}
			if code == http.StatusUnauthorized && !strings.HasPrefix(h.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("401 without a Bearer challenge: %q", h.Get("WWW-Authenticate"))
			}
		})
	}
}

// Without authentication the dashboard refuses to listen anywhere but on
// loopback, both as flags are checked and when the manager is built.
func TestWithoutAuthTheDashboardListensOnLoopbackOnly(t *testing.T) {
	cases := []struct {
		name    string
		opts    dashboard.Options
		wantErr string
	}{
		{"off", dashboard.Options{BindAddress: "0"}, ""},
		{"IPv4 loopback", dashboard.Options{BindAddress: "127.0.0.1:8082"}, ""},
		{"IPv6 loopback", dashboard.Options{BindAddress: "[::1]:8082"}, ""},
		{"localhost", dashboard.Options{BindAddress: "localhost:8082"}, ""},
		{"every interface", dashboard.Options{BindAddress: ":8082"}, `listens on every interface without authentication: bind to a loopback address such as 127.0.0.1:8082, or add --dashboard-auth`},
		{"all IPv4 interfaces", dashboard.Options{BindAddress: "0.0.0.0:8082"}, "listens on 0.0.0.0 without authentication"},
		{"a routable address", dashboard.Options{BindAddress: "10.1.2.3:8082"}, "listens on 10.1.2.3 without authentication"},
		{"every interface with auth", dashboard.Options{BindAddress: ":8082", Auth: true, SelfSignedCertificate: true}, ""},
		{"no port", dashboard.Options{BindAddress: "127.0.0.1"}, `--dashboard-bind-address "127.0.0.1": want host:port`},
		// With auth, readers send tokens: they must be able to verify
		// whom to.
		{"auth without a certificate", dashboard.Options{BindAddress: ":8082", Auth: true},
			"--dashboard-auth needs a certificate its readers can verify before they send it their tokens: --dashboard-cert-dir"},
		{"auth with a certificate directory", dashboard.Options{BindAddress: ":8082", Auth: true, CertDir: "/var/run/certs"}, ""},
		{"auth with a self-signed certificate asked for", dashboard.Options{BindAddress: ":8082", Auth: true, SelfSignedCertificate: true}, ""},
		{"a port that is not a number", dashboard.Options{BindAddress: "127.0.0.1:http-alt"}, `port "http-alt" is not a number`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Validate = %v, want an error containing %q", err, tc.wantErr)
			}
			// The manager refuses to start with it, against the real
			// API server.
			opts := manager.DefaultOptions()
			opts.MetricsBindAddress, opts.HealthProbeBindAddress = "0", "0"
			opts.Dashboard = tc.opts
			if _, err := manager.New(env.Config, opts); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("manager.New = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

// dashboardTokenRequest asks for a token minted for the dashboard, as
// `kubectl create token NAME --audience accord-dashboard` does.
func dashboardTokenRequest() *authenticationv1.TokenRequest {
	return &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{Audiences: []string{dashboard.DefaultTokenAudience}}}
}

// A token minted for the API server (the default audience), which could
// do anything its owner may, is refused: readers are asked for one minted
// for the dashboard, which is good for nothing else. Against the real
// API server's TokenReview.
func TestOnlyTokensMintedForTheDashboardAreAccepted(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	ns := namespace(t)
	cs := kubernetes.NewForConfigOrDie(env.Config)
	g.Expect(env.Client.Create(ctx, minimalPartnership(ns, "shared", "Shared programme"))).To(Succeed())
	_, err := cs.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "reader"}}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	mint := func(audiences ...string) http.Header {
		tok, err := cs.CoreV1().ServiceAccounts(ns).CreateToken(ctx, "reader",
			&authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{Audiences: audiences}}, metav1.CreateOptions{})
		g.Expect(err).NotTo(HaveOccurred())
		return http.Header{"Authorization": {"Bearer " + tok.Status.Token}}
	}
	base := serve(t, setup{auth: true, namespaces: []string{ns}})
	for _, tc := range []struct {
		name   string
		header http.Header
		want   int
	}{
		{"a token for the API server", mint(), http.StatusUnauthorized},
		{"a token for another service", mint("vault"), http.StatusUnauthorized},
		{"a token for the dashboard", mint(dashboard.DefaultTokenAudience), http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := get(t, http.MethodGet, base+"/", tc.header)
			if code != tc.want {
				t.Fatalf("GET / = %d, want %d\n%s", code, tc.want, body)
			}
			if code == http.StatusUnauthorized && !strings.Contains(body, "--audience accord-dashboard") {
				t.Errorf("the refusal does not say how to mint a token for the dashboard:\n%s", body)
			}
		})
	}
}

// Without auth the dashboard answers only requests addressed to its
// loopback address: a page elsewhere that reaches it through a name of
// its own resolving to 127.0.0.1 (DNS rebinding) is refused.
func TestWithoutAuthOnlyLoopbackHostHeadersAreAnswered(t *testing.T) {
	base := serve(t, setup{})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	for _, tc := range []struct {
		host string
		want int
	}{
		{"127.0.0.1:" + port, http.StatusOK},
		{"localhost:" + port, http.StatusOK},
		{"[::1]:" + port, http.StatusOK},
		{"rebound.attacker.example:" + port, http.StatusMisdirectedRequest},
		{"127.0.0.1.nip.io:" + port, http.StatusMisdirectedRequest},
		{"127.0.0.1:1" + port, http.StatusMisdirectedRequest},
		{"localhost", http.StatusMisdirectedRequest},
	} {
		t.Run(tc.host, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, base+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Host = tc.host
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("Host %s: %d, want %d\n%s", tc.host, resp.StatusCode, tc.want, b)
			}
			if tc.want != http.StatusOK && strings.Contains(string(b), "<h1>") {
				t.Errorf("Host %s was refused but shown a page", tc.host)
			}
		})
	}
}
