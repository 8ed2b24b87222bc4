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

package dashboard

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apiserver/pkg/apis/apiserver"
	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/authenticatorfactory"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	authenticationv1 "k8s.io/client-go/kubernetes/typed/authentication/v1"
	authorizationv1 "k8s.io/client-go/kubernetes/typed/authorization/v1"
	"k8s.io/client-go/rest"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// kubeAuth checks callers against the cluster: TokenReview for who they
// are, SubjectAccessReview for what they may read. It is built from the
// same apiserver delegating authenticator and authorizer that
// controller-runtime's filters.WithAuthenticationAndAuthorization uses for
// the metrics endpoint; that filter authorises URL paths, while the
// dashboard asks about the partnerships a page shows, so that a user sees
// here what `kubectl get partnerships` would show them.
type kubeAuth struct {
	authn    authenticator.Request
	authz    authorizer.Authorizer
	audience string
}

// Retry backoff for the review webhooks, as the apiserver's defaults.
var reviewBackoff = wait.Backoff{Duration: 500 * time.Millisecond, Factor: 1.5, Jitter: 0.2, Steps: 5}

// newKubeAuth checks tokens minted for audience (see
// Options.TokenAudience).
func newKubeAuth(cfg *rest.Config, audience string) (*kubeAuth, error) {
	if audience == "" {
		audience = DefaultTokenAudience
	}
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("dashboard auth: HTTP client: %w", err)
	}
	authnClient, err := authenticationv1.NewForConfigAndClient(cfg, httpClient)
	if err != nil {
		return nil, fmt.Errorf("dashboard auth: TokenReview client: %w", err)
	}
	authzClient, err := authorizationv1.NewForConfigAndClient(cfg, httpClient)
	if err != nil {
		return nil, fmt.Errorf("dashboard auth: SubjectAccessReview client: %w", err)
	}
	authn, _, err := authenticatorfactory.DelegatingAuthenticatorConfig{
		Anonymous: &apiserver.AnonymousAuthConfig{Enabled: false},
		// The audiences a TokenReview answer without any is taken to
		// mean; authenticate asks for this one.
		APIAudiences:             authenticator.Audiences{audience},
		CacheTTL:                 time.Minute,
		TokenAccessReviewClient:  authnClient,
		TokenAccessReviewTimeout: 10 * time.Second,
		WebhookRetryBackoff:      &reviewBackoff,
	}.New()
	if err != nil {
		return nil, fmt.Errorf("dashboard auth: authenticator: %w", err)
	}
	authz, err := authorizerfactory.DelegatingAuthorizerConfig{
		SubjectAccessReviewClient: authzClient,
		AllowCacheTTL:             time.Minute,
		DenyCacheTTL:              10 * time.Second,
		WebhookRetryBackoff:       &reviewBackoff,
	}.New()
	if err != nil {
		return nil, fmt.Errorf("dashboard auth: authorizer: %w", err)
	}
	return &kubeAuth{authn: authn, authz: authz, audience: audience}, nil
}

type userKey struct{}

// authenticate lets only requests with a valid bearer token through and
// remembers who sent them. The token itself is never logged.
func (a *kubeAuth) authenticate(log logr.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The audience goes into the TokenReview (spec.audiences): the API
		// server then accepts only tokens minted for it.
		res, ok, err := a.authn.AuthenticateRequest(r.WithContext(authenticator.WithAudiences(r.Context(), authenticator.Audiences{a.audience})))
		if err != nil || !ok {
			if err != nil {
				log.V(1).Info("dashboard authentication failed", "reason", err.Error())
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="accord-dashboard"`)
			http.Error(w, "Unauthorized: send a Kubernetes bearer token minted for this dashboard (Authorization: Bearer ..., "+
				"from kubectl create token NAME --audience "+a.audience+"); tokens for the API server are not accepted", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, res.User)))
	})
}

// may reports whether the request's user may verb partnerships in
// namespace (name "" for a list).
func (a *kubeAuth) may(r *http.Request, verb, namespace, name string) (bool, error) {
	return a.mayResource(r, verb, "partnerships", namespace, name)
}

// mayResource reports whether the request's user may verb the Accord
// resource in namespace.
func (a *kubeAuth) mayResource(r *http.Request, verb, resource, namespace, name string) (bool, error) {
	u, ok := r.Context().Value(userKey{}).(user.Info)
	if !ok {
		return false, nil
	}
	d, _, err := a.authz.Authorize(r.Context(), authorizer.AttributesRecord{
		User: u, Verb: verb, Namespace: namespace, Name: name,
		APIGroup: v1.GroupVersion.Group, APIVersion: v1.GroupVersion.Version,
		Resource: resource, ResourceRequest: true,
	})
	if err != nil {
		return false, fmt.Errorf("authorise %s %s in %s for %s: %w", verb, resource, namespace, u.GetName(), err)
	}
	return d == authorizer.DecisionAllow, nil
}

// loopbackHost answers only requests whose Host header names a loopback
// address (localhost, 127.0.0.1, [::1]) on the dashboard's port: without
// authentication the dashboard trusts whoever reaches it on loopback, and
// a web page elsewhere could otherwise reach it through a name of its own
// that resolves to 127.0.0.1 (DNS rebinding) and read the portfolio.
func loopbackHost(bindAddress string, next http.Handler) http.Handler {
	_, port, _ := net.SplitHostPort(bindAddress)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, p, err := net.SplitHostPort(r.Host)
		if err != nil || !isLoopback(host) || (port != "0" && p != port) {
			http.Error(w, "Misdirected request: this dashboard answers only at a loopback address "+
				"(http://127.0.0.1:"+port+"/ or http://localhost:"+port+"/)", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}
