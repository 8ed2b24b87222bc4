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

// Package sources reads KPI values from live metric sources. Each
// MetricSource type has a Provider in its own package (httpjson, ...);
// Fetcher puts the shared machinery around them: credentials from Secrets,
// a CA bundle, timeouts, a response-size cap, redirects kept to the
// declared host, one request per (source, query) per interval however many
// KPIs share it, a per-source concurrency limit, and backoff with jitter
// after failures.
package sources

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Reasons a fetch fails, as the KPI's MetricsAvailable condition shows them.
const (
	ReasonSourceUnreachable   = "SourceUnreachable"
	ReasonTimeout             = "Timeout"
	ReasonUnauthorized        = "Unauthorized"
	ReasonQueryReturnedNoData = "QueryReturnedNoData"
	ReasonMalformedResponse   = "MalformedResponse"
	ReasonResponseTooLarge    = "ResponseTooLarge"
	ReasonInvalidQuery        = "InvalidQuery"
	ReasonCredentialsMissing  = "CredentialsMissing"
	ReasonUnsupportedType     = "SourceTypeUnsupported"
	// ReasonTLSUntrusted: the source's certificate failed verification
	// (expired, signed by another CA, issued for another name).
	ReasonTLSUntrusted = "TLSUntrusted"
)

// KnownReason reports whether r is one of the reasons above, the only ones
// a KPI's MetricsAvailable condition may show for a failed fetch.
func KnownReason(r string) bool {
	switch r {
	case ReasonSourceUnreachable, ReasonTimeout, ReasonUnauthorized, ReasonQueryReturnedNoData,
		ReasonMalformedResponse, ReasonResponseTooLarge, ReasonInvalidQuery, ReasonCredentialsMissing, ReasonUnsupportedType:
		return true
	}
	return false
}

// Error is a fetch failure with a reason. Its message is safe to show in
// status and logs: it never holds a credential or a response body, which
// may carry patient data.
type Error struct {
	reason  string
	message string
}

// Errorf makes an Error; callers must not format untrusted response
// content into it.
func Errorf(reason, format string, args ...any) *Error {
	return &Error{reason: reason, message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string { return e.message }

// Reason is the condition reason for the failure.
func (e *Error) Reason() string { return e.reason }

// Request is one query to one source, with an HTTP client already set up
// for the source's credentials, CA, timeout and redirect policy.
type Request struct {
	Source   *v1.MetricSource
	Query    *v1.KPISource
	Endpoint *url.URL
	Client   *http.Client
	// MaxBytes caps the size of the answer.
	MaxBytes int64
	// Now is the time of the request, the observation time of answers
	// that carry none.
	Now time.Time

	authorize func(*http.Request) error
}

// Provider reads the latest value of a query from one type of source.
type Provider interface {
	Fetch(ctx context.Context, req Request) (evaluate.Observation, error)
}

// classify turns a transport error into an Error with a reason, keeping
// only the error's kind: URLs in it could carry query-string secrets.
func classify(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var ne net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		return Errorf(ReasonTimeout, "the request timed out")
	case isTLSFailure(err):
		return Errorf(ReasonTLSUntrusted, "the source's TLS certificate is not trusted: %s", tlsProblem(err))
	case errors.Is(err, errRedirect):
		return Errorf(ReasonSourceUnreachable, "the source redirected to another host, which is not allowed")
	default:
		var op *net.OpError
		if errors.As(err, &op) {
			return Errorf(ReasonSourceUnreachable, "cannot connect: %s %s", op.Op, opErrKind(op))
		}
		return Errorf(ReasonSourceUnreachable, "the request failed")
	}
}

// opErrKind is the innermost cause, such as "connection refused".
func opErrKind(op *net.OpError) string {
	err := op.Err
	for {
		inner := errors.Unwrap(err)
		if inner == nil {
			break
		}
		err = inner
	}
	if err == nil {
		return ""
	}
	return "(" + err.Error() + ")"
}

func isTLSFailure(err error) bool {
	var cv *tls.CertificateVerificationError
	var ua x509.UnknownAuthorityError
	var ci x509.CertificateInvalidError
	var hn x509.HostnameError
	return errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &ci) || errors.As(err, &hn)
}

// tlsProblem says what is wrong with the certificate in a few words; the
// x509 messages carry only certificate names and times, no request data.
func tlsProblem(err error) string {
	var ci x509.CertificateInvalidError
	var hn x509.HostnameError
	var ua x509.UnknownAuthorityError
	switch {
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return "it has expired or is not yet valid; renew it on the source"
	case errors.As(err, &ci):
		return "it is not valid for this use (" + ci.Error() + ")"
	case errors.As(err, &hn):
		return "it is not issued for this host; set spec.tls.serverName or fix the endpoint"
	case errors.As(err, &ua):
		return "it is signed by an authority outside spec.tls's CA bundle (or the system's)"
	}
	return "verification failed"
}
