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

// Package sources is how Accord talks to one live metric source once.
// Each MetricSource type has a Provider in its own package (httpjson,
// ...); NewRequest gives it what every network source gets: credentials
// from Secrets, a CA bundle, a timeout, a response-size cap and redirects
// kept to the declared host. Failures are *Error values with a Reason.
// When to talk to a source (the answer cache, request merging, backoff,
// per-source slots, notifications) is package fetch's job.
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
	"slices"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Reason is why a fetch failed, as the KPI's MetricsAvailable and the
// MetricSource's Reachable conditions show it.
type Reason string

// Reasons a fetch fails. Every one is in Reasons and in the table of
// docs/sources.md; reasons_test.go checks both against the code.
const (
	ReasonSourceUnreachable   Reason = "SourceUnreachable"
	ReasonTimeout             Reason = "Timeout"
	ReasonUnauthorized        Reason = "Unauthorized"
	ReasonQueryReturnedNoData Reason = "QueryReturnedNoData"
	ReasonMalformedResponse   Reason = "MalformedResponse"
	ReasonResponseTooLarge    Reason = "ResponseTooLarge"
	ReasonInvalidQuery        Reason = "InvalidQuery"
	ReasonCredentialsMissing  Reason = "CredentialsMissing"
	// ReasonCredentialsNotAllowed: a Secret the source names is not
	// labelled for metric sources, or does not name the endpoint's host
	// among those it may be sent to. Nothing was sent.
	ReasonCredentialsNotAllowed Reason = "CredentialsNotAllowed"
	ReasonUnsupportedType       Reason = "SourceTypeUnsupported"
	// ReasonTLSUntrusted: the source's certificate failed verification
	// (expired, signed by another CA, issued for another name).
	ReasonTLSUntrusted Reason = "TLSUntrusted"
	// ReasonSourceNotAllowed: the endpoint is outside the manager's
	// --allowed-source-hosts, resolves to an address sources may not
	// reach, or redirected from https to http.
	ReasonSourceNotAllowed Reason = "SourceNotAllowed"
)

// Reasons lists every reason a fetch failure may carry: the only ones a
// KPI's MetricsAvailable condition may show for a failed fetch.
var Reasons = []Reason{
	ReasonSourceUnreachable, ReasonTimeout, ReasonTLSUntrusted, ReasonSourceNotAllowed, ReasonUnauthorized,
	ReasonCredentialsMissing, ReasonCredentialsNotAllowed, ReasonQueryReturnedNoData, ReasonMalformedResponse, ReasonResponseTooLarge,
	ReasonInvalidQuery, ReasonUnsupportedType,
}

// KnownReason reports whether r is in Reasons.
func KnownReason(r Reason) bool {
	return slices.Contains(Reasons, r)
}

// Error is a fetch failure with a reason. Its message is safe to show in
// status and logs: it never holds a credential or a response body, which
// may carry patient data.
type Error struct {
	reason  Reason
	message string
}

// Errorf makes an Error; callers must not format untrusted response
// content into it.
func Errorf(reason Reason, format string, args ...any) *Error {
	return &Error{reason: reason, message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string { return e.message }

// Reason is the condition reason for the failure.
func (e *Error) Reason() Reason { return e.reason }

// Outcome is the result of the latest request to a source, for its status.
type Outcome struct {
	LastAttempt time.Time
	LastSuccess time.Time
	// Reason and Error describe the latest failure; empty after a success.
	// Reason is one of Reasons, as a condition reason.
	Reason, Error string
}

// Request is one query to one source, with an HTTP client already set up
// for the source's credentials, CA, timeout and redirect policy.
type Request struct {
	Source   *v1.MetricSource
	Query    *v1.KPISource
	Endpoint *url.URL
	Client   *http.Client
	// MaxBytes caps the size of the answer (see MaxBytes).
	MaxBytes int64
	// Ceiling is the operator's --max-response-bytes that MaxBytes was
	// clamped to, if it was; 0 otherwise. It only names the limit in errors.
	Ceiling int64
	// Now is the time of the request, the observation time of answers
	// that carry none.
	Now time.Time

	authorize func(*http.Request) error
	charge    *charge // nil: no Budget
}

// Provider reads the latest value of a query from one type of source.
type Provider interface {
	Fetch(ctx context.Context, req Request) (evaluate.Observation, error)
}

// classify turns a transport error into an Error with a reason, keeping
// only the error's kind: URLs in it could carry query-string secrets.
func classify(err error) error {
	if e, ok := errors.AsType[*Error](err); ok {
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
	case errors.Is(err, errRedirectScheme):
		return Errorf(ReasonSourceNotAllowed, "the source redirected from https to http, which would send its credentials in clear; it was not followed")
	default:
		if op, ok := errors.AsType[*net.OpError](err); ok {
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

// PairKey names a (source, query) pair within a namespace: KPIs with the
// same key share one request and one answer.
func PairKey(q *v1.KPISource) string {
	return strings.Join([]string{q.SourceRef.Name, q.Query, q.JSONPath, q.TimestampJSONPath,
		q.NumeratorJSONPath, q.DenominatorJSONPath, q.PeriodStartJSONPath, q.PeriodEndJSONPath, q.DenominatorQuery, q.Group, q.ContractMeasure}, "\x00")
}

// Bounds on a source's durations. The CRD refuses values outside them
// (spec.timeout at most 60s, spec.minInterval at least 10s); the code
// clamps too, for objects stored before the rules existed and for files
// read offline.
const (
	// MaxTimeout is the longest a request to a source may take.
	MaxTimeout = 60 * time.Second
	// DefaultTimeout is spec.timeout when unset or unreadable.
	DefaultTimeout = 10 * time.Second
	// MinMinInterval is the shortest spec.minInterval.
	MinMinInterval = 10 * time.Second
)

// MinInterval is how long an answer from src is served from the cache:
// spec.minInterval, 1m when unset or unreadable, never under
// MinMinInterval.
func MinInterval(src *v1.MetricSource) time.Duration {
	if src.Spec.MinInterval != "" {
		if d, err := evaluate.ParseDuration(string(src.Spec.MinInterval)); err == nil {
			return max(d, MinMinInterval)
		}
	}
	return time.Minute
}

// Timeout bounds each request to src: spec.timeout, DefaultTimeout when
// unset, zero or unreadable, never over MaxTimeout.
func Timeout(src *v1.MetricSource) time.Duration {
	if src.Spec.Timeout != "" {
		if d, err := evaluate.ParseDuration(string(src.Spec.Timeout)); err == nil && d > 0 {
			return min(d, MaxTimeout)
		}
	}
	return DefaultTimeout
}
