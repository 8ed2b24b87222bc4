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

package sources

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

var errRedirect = errors.New("redirect to another host")

// Endpoint is src's endpoint, checked against allowed before any
// connection is made.
func Endpoint(src *v1.MetricSource, allowed HostAllowList) (*url.URL, error) {
	endpoint, err := url.Parse(src.Spec.Endpoint)
	if err != nil || endpoint.Host == "" {
		return nil, Errorf(ReasonInvalidQuery, "spec.endpoint is not an absolute URL")
	}
	if !allowed.Allows(endpoint) {
		return nil, allowed.notAllowed(endpoint)
	}
	return endpoint, nil
}

// NewRequest prepares one query q to src at endpoint (see Endpoint): an
// HTTP client with the source's CA bundle, timeout and redirect policy,
// and its credentials, read through r (the manager's API reader, so that
// Secrets are never cached) when the request is sent. now is the
// observation time of answers that carry none. Call Close when done.
func NewRequest(ctx context.Context, r client.Reader, src *v1.MetricSource, q *v1.KPISource, endpoint *url.URL, now time.Time) (Request, error) {
	c, err := httpClient(ctx, r, src, endpoint)
	if err != nil {
		return Request{}, err
	}
	return Request{
		Source: src, Query: q, Endpoint: endpoint, Client: c, MaxBytes: src.Spec.MaxResponseBytes, Now: now,
		authorize: func(hr *http.Request) error { return authorize(ctx, r, src, hr) },
	}, nil
}

// Close releases the request's connections. Each request has its own
// transport; without this its idle keep-alive connection, and two
// goroutines, would outlive it until the source hangs up, which some
// never do.
func (req Request) Close() { req.Client.CloseIdleConnections() }

// Read asks p for req's answer. Its error is always an *Error with a
// reason: transport errors are classified, keeping only their kind.
func Read(ctx context.Context, p Provider, req Request) (evaluate.Observation, error) {
	obs, err := p.Fetch(ctx, req)
	if err != nil {
		return evaluate.Observation{}, classify(err)
	}
	return obs, nil
}

// httpClient builds the client for a source: its CA bundle, its timeout,
// and redirects only within the declared host, so a source cannot send
// Accord (and its credentials) elsewhere.
func httpClient(ctx context.Context, r client.Reader, src *v1.MetricSource, endpoint *url.URL) (*http.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if t := src.Spec.TLS; t != nil {
		var pem []byte
		switch {
		case t.CASecretRef != nil:
			b, err := secretKey(ctx, r, src.Namespace, t.CASecretRef)
			if err != nil {
				return nil, err
			}
			pem = b
		case t.CAConfigMapRef != nil:
			cm := &corev1.ConfigMap{}
			if err := r.Get(ctx, types.NamespacedName{Namespace: src.Namespace, Name: t.CAConfigMapRef.Name}, cm); err != nil {
				return nil, Errorf(ReasonCredentialsMissing, "CA ConfigMap %q: %s", t.CAConfigMapRef.Name, notFoundOr(err))
			}
			pem = []byte(cm.Data[t.CAConfigMapRef.Key])
		}
		if len(pem) > 0 {
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, Errorf(ReasonCredentialsMissing, "the CA bundle holds no PEM certificate")
			}
			tlsConfig.RootCAs = pool
		}
		tlsConfig.ServerName = t.ServerName
	}
	timeout := Timeout(src)
	transport := &http.Transport{TLSClientConfig: tlsConfig, Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: timeout}
	return &http.Client{
		Timeout:   timeout,
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != endpoint.Host || len(via) >= 5 {
				return errRedirect
			}
			return nil
		},
	}, nil
}

// authorize adds the source's credentials and headers to a request.
func authorize(ctx context.Context, r client.Reader, src *v1.MetricSource, req *http.Request) error {
	for _, h := range src.Spec.Headers {
		switch {
		case h.Value != nil:
			req.Header.Set(h.Name, *h.Value)
		case h.ValueFrom != nil:
			b, err := secretKey(ctx, r, src.Namespace, h.ValueFrom)
			if err != nil {
				return err
			}
			req.Header.Set(h.Name, string(b))
		}
	}
	if a := src.Spec.Auth; a != nil {
		switch {
		case a.BearerToken != nil:
			b, err := secretKey(ctx, r, src.Namespace, a.BearerToken)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+string(b))
		case a.Basic != nil:
			u, err := secretKey(ctx, r, src.Namespace, &a.Basic.Username)
			if err != nil {
				return err
			}
			p, err := secretKey(ctx, r, src.Namespace, &a.Basic.Password)
			if err != nil {
				return err
			}
			req.SetBasicAuth(string(u), string(p))
		}
	}
	return nil
}

func secretKey(ctx context.Context, r client.Reader, ns string, sel *v1.SecretKeySelector) ([]byte, error) {
	s := &corev1.Secret{}
	if err := r.Get(ctx, types.NamespacedName{Namespace: ns, Name: sel.Name}, s); err != nil {
		return nil, Errorf(ReasonCredentialsMissing, "Secret %q: %s", sel.Name, notFoundOr(err))
	}
	b, ok := s.Data[sel.Key]
	if !ok {
		return nil, Errorf(ReasonCredentialsMissing, "Secret %q has no key %q", sel.Name, sel.Key)
	}
	return b, nil
}

func notFoundOr(err error) string {
	if apierrors.IsNotFound(err) {
		return "not found"
	}
	return "cannot be read"
}

// Get performs a GET of u for req's source, with its credentials, and
// returns the body, capped at req.MaxBytes. Status codes become reasons.
func (req Request) Get(ctx context.Context, u *url.URL, accept string) ([]byte, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, Errorf(ReasonInvalidQuery, "cannot build the request URL")
	}
	hr.Header.Set("Accept", accept)
	if req.authorize != nil {
		if err := req.authorize(hr); err != nil {
			return nil, err
		}
	}
	resp, err := req.Client.Do(hr)
	if err != nil {
		return nil, classify(err)
	}
	defer func() { _ = resp.Body.Close() }()
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, Errorf(ReasonUnauthorized, "the source answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	case resp.StatusCode == http.StatusNotFound:
		return nil, Errorf(ReasonQueryReturnedNoData, "the source answered 404 Not Found")
	case resp.StatusCode >= 300:
		return nil, Errorf(ReasonSourceUnreachable, "the source answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	limit := req.MaxBytes
	if limit <= 0 {
		limit = 1 << 20
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, classify(err)
	}
	if int64(len(body)) > limit {
		return nil, Errorf(ReasonResponseTooLarge, "the answer is larger than maxResponseBytes (%d)", limit)
	}
	return body, nil
}
