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
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

var (
	errRedirect       = errors.New("redirect to another host")
	errRedirectScheme = errors.New("redirect from https to http")
)

// Endpoint is src's endpoint, checked against allowed (for src's
// namespace) before any connection is made.
func Endpoint(src *v1.MetricSource, allowed HostAllowList) (*url.URL, error) {
	endpoint, err := url.Parse(src.Spec.Endpoint)
	if err != nil || endpoint.Host == "" {
		return nil, Errorf(ReasonInvalidQuery, "spec.endpoint is not an absolute URL")
	}
	if !allowed.Allows(src.Namespace, endpoint) {
		return nil, allowed.notAllowed(endpoint)
	}
	return endpoint, nil
}

// DialControl is the net.Dialer Control hook that refuses, at connect
// time, an address a source in namespace may not reach (see
// HostAllowList). It sees the address the name resolved to, so DNS
// rebinding and a listed name that points inside the cluster are caught,
// on the first connection and on every redirect's.
func (l HostAllowList) DialControl(namespace string) func(network, address string, _ syscall.RawConn) error {
	return func(_, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return Errorf(ReasonSourceNotAllowed, "the source's address cannot be checked")
		}
		problem, never := l.addrProblem(namespace, ap.Addr())
		switch {
		case never:
			return Errorf(ReasonSourceNotAllowed, "the endpoint's host resolves to %s, %s, which no source may reach", ap.Addr().Unmap(), problem)
		case problem != "":
			return Errorf(ReasonSourceNotAllowed, "the endpoint's host resolves to %s, %s; ask the cluster's administrators to allow its range (--allowed-source-cidrs) if it is a partner's", ap.Addr().Unmap(), problem)
		}
		return nil
	}
}

// dialer connects for a source in namespace, checking every address.
func (l HostAllowList) dialer(namespace string, timeout time.Duration) *net.Dialer {
	return &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second, Resolver: l.resolver, Control: l.DialControl(namespace)}
}

// NewRequest prepares one query q to src at endpoint (see Endpoint): an
// HTTP client with the source's CA bundle, timeout and redirect policy,
// and its credentials, read through r (manager.NewFetcher gives it the
// cache of labelled Secrets only) when the request is sent. now is the
// observation time of answers that carry none. Call Close when done.
func NewRequest(ctx context.Context, r client.Reader, src *v1.MetricSource, q *v1.KPISource, endpoint *url.URL, now time.Time, allowed HostAllowList) (Request, error) {
	c, err := httpClient(ctx, r, src, endpoint, allowed)
	if err != nil {
		return Request{}, err
	}
	return Request{
		Source: src, Query: q, Endpoint: endpoint, Client: c, MaxBytes: MaxBytes(src, 0), Now: now,
		authorize: func(hr *http.Request) error { return authorize(ctx, r, src, hr) },
	}, nil
}

// Close releases the request's connections. Each request has its own
// transport; without this its idle keep-alive connection, and two
// goroutines, would outlive it until the source hangs up, which some
// never do.
// It also gives back what the request held of its Budget.
func (req Request) Close() {
	req.Client.CloseIdleConnections()
	req.charge.release()
}

// Read asks p for req's answer. Its error is always an *Error with a
// reason: transport errors are classified, keeping only their kind.
//
// An answer is refused (MalformedResponse) when its value, or one of its
// counts, is beyond evaluate.MaxMagnitude, or when it is dated later than
// the request by more than MaxClockSkew: a value from the future would
// stand as the latest until that date came.
func Read(ctx context.Context, p Provider, req Request) (evaluate.Observation, error) {
	obs, err := p.Fetch(ctx, req)
	if err != nil {
		return evaluate.Observation{}, classify(err)
	}
	if err := bounded(obs, req.Now); err != nil {
		return evaluate.Observation{}, err
	}
	return obs, nil
}

// MaxClockSkew is how far past the operator's clock an answer may be
// dated: clocks of partner systems drift, but not by hours. It is the
// engine's own margin, so what a source accepts the engine counts.
const MaxClockSkew = evaluate.ClockSkew

func bounded(obs evaluate.Observation, now time.Time) error {
	if !evaluate.Representable(obs.Value) {
		return Errorf(ReasonMalformedResponse, "the value is beyond %g either side of zero, which no KPI measures; it was refused", evaluate.MaxMagnitude)
	}
	if c := obs.Counts; c != nil && (!evaluate.Representable(c.Numerator) || !evaluate.Representable(c.Denominator)) {
		return Errorf(ReasonMalformedResponse, "a count is beyond %g, which no KPI measures; it was refused", evaluate.MaxMagnitude)
	}
	if !now.IsZero() && obs.Time.After(now.Add(MaxClockSkew)) {
		return Errorf(ReasonMalformedResponse, "the value is dated %s, after the time of the request (more than %s of clock skew); it was refused",
			obs.Time.UTC().Format(time.RFC3339), MaxClockSkew)
	}
	return nil
}

// httpClient builds the client for a source: its CA bundle, its timeout,
// a dialer that checks every address (allowed), and redirects only within
// the declared host and never from https to http, so a source cannot send
// Accord (and its credentials) elsewhere or in clear.
func httpClient(ctx context.Context, r client.Reader, src *v1.MetricSource, endpoint *url.URL, allowed HostAllowList) (*http.Client, error) {
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if t := src.Spec.TLS; t != nil {
		var pem []byte
		switch {
		case t.CASecretRef != nil:
			b, err := secretKey(ctx, r, src, nil, t.CASecretRef)
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
	// No proxy: a proxy would resolve and connect on the operator's
	// behalf, out of reach of the dialer's address checks.
	transport := &http.Transport{
		TLSClientConfig: tlsConfig, DialContext: allowed.dialer(src.Namespace, timeout).DialContext,
		ResponseHeaderTimeout: timeout, TLSHandshakeTimeout: timeout, ForceAttemptHTTP2: true,
	}
	return &http.Client{
		Timeout:   timeout,
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != endpoint.Host || len(via) >= 5 {
				return errRedirect
			}
			if via[0].URL.Scheme == schemeHTTPS && req.URL.Scheme != schemeHTTPS {
				return errRedirectScheme
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
			b, err := secretKey(ctx, r, src, req.URL, h.ValueFrom)
			if err != nil {
				return err
			}
			req.Header.Set(h.Name, string(b))
		}
	}
	if a := src.Spec.Auth; a != nil {
		switch {
		case a.BearerToken != nil:
			b, err := secretKey(ctx, r, src, req.URL, a.BearerToken)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+string(b))
		case a.Basic != nil:
			u, err := secretKey(ctx, r, src, req.URL, &a.Basic.Username)
			if err != nil {
				return err
			}
			p, err := secretKey(ctx, r, src, req.URL, &a.Basic.Password)
			if err != nil {
				return err
			}
			req.SetBasicAuth(string(u), string(p))
		}
	}
	return nil
}

// CredentialLabel marks a Secret that metric sources may use, with the
// value "true"; the operator caches and reads no other Secret. It is the
// Secret owner's consent, the way Argo CD marks repository credentials:
// whoever may create a MetricSource cannot borrow a Secret that was not
// given to metric sources.
const CredentialLabel = "portfolio.accord.dev/credential"

// CredentialHostsAnnotation lists, comma-separated, the hosts a labelled
// Secret's values may be sent to (host, host:port or *.domain, as in
// --allowed-source-hosts): a MetricSource pointing elsewhere gets
// CredentialsNotAllowed and sends nothing.
const CredentialHostsAnnotation = "portfolio.accord.dev/allowed-hosts"

// MarkCredential gives s to metric sources sending it to hosts (patterns
// as in CredentialHostsAnnotation): the label and annotation its owner
// would set with kubectl label and kubectl annotate.
func MarkCredential(s *corev1.Secret, hosts ...string) *corev1.Secret {
	if s.Labels == nil {
		s.Labels = map[string]string{}
	}
	if s.Annotations == nil {
		s.Annotations = map[string]string{}
	}
	s.Labels[CredentialLabel] = "true"
	s.Annotations[CredentialHostsAnnotation] = strings.Join(hosts, ",")
	return s
}

// secretKey reads one key of a Secret for src. sentTo is the endpoint the
// value will be sent to, which the Secret's CredentialHostsAnnotation
// must allow; nil for a CA bundle, which is only read.
func secretKey(ctx context.Context, r client.Reader, src *v1.MetricSource, sentTo *url.URL, sel *v1.SecretKeySelector) ([]byte, error) {
	s := &corev1.Secret{}
	if err := r.Get(ctx, types.NamespacedName{Namespace: src.Namespace, Name: sel.Name}, s); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, Errorf(ReasonCredentialsMissing, "Secret %q not found, or not labelled %s=true (the operator reads only Secrets given to metric sources)", sel.Name, CredentialLabel)
		}
		return nil, Errorf(ReasonCredentialsMissing, "Secret %q cannot be read", sel.Name)
	}
	if s.Labels[CredentialLabel] != "true" {
		return nil, Errorf(ReasonCredentialsNotAllowed, "Secret %q is not labelled %s=true: its owner has not given it to metric sources, so nothing was sent", sel.Name, CredentialLabel)
	}
	if sentTo != nil {
		if err := credentialHostsAllow(s, sentTo); err != nil {
			return nil, err
		}
	}
	b, ok := s.Data[sel.Key]
	if !ok {
		return nil, Errorf(ReasonCredentialsMissing, "Secret %q has no key %q", sel.Name, sel.Key)
	}
	return b, nil
}

// credentialHostsAllow checks that the Secret's annotation names u's host.
func credentialHostsAllow(s *corev1.Secret, u *url.URL) error {
	list := s.Annotations[CredentialHostsAnnotation]
	if strings.TrimSpace(list) == "" {
		return Errorf(ReasonCredentialsNotAllowed, "Secret %q names no hosts it may be sent to (annotation %s); nothing was sent", s.Name, CredentialHostsAnnotation)
	}
	var l HostAllowList
	for raw := range strings.SplitSeq(list, ",") {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			continue
		}
		p, err := parseHostPattern(entry)
		if err != nil || p.host == "*" {
			return Errorf(ReasonCredentialsNotAllowed, "Secret %q: annotation %s entry %q is not a host, host:port or *.domain; nothing was sent", s.Name, CredentialHostsAnnotation, entry)
		}
		l.patterns = append(l.patterns, p)
	}
	if !l.Allows(s.Namespace, u) {
		return Errorf(ReasonCredentialsNotAllowed, "Secret %q may be sent only to %s (annotation %s), not to %s; nothing was sent", s.Name, list, CredentialHostsAnnotation, u.Host)
	}
	return nil
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
	limit := req.maxBytes()
	// Content-Length, when sent, refuses an answer before it is read.
	if resp.ContentLength > limit {
		return nil, req.tooLarge()
	}
	body, err := io.ReadAll(chargedReader{ctx: ctx, r: io.LimitReader(resp.Body, limit+1), c: req.charge})
	if err != nil {
		return nil, classify(err)
	}
	if int64(len(body)) > limit {
		return nil, req.tooLarge()
	}
	return body, nil
}
