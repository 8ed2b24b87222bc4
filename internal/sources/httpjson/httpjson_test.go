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

package httpjson_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/httpjson"
)

const secretToken = "s3cr3t-token-value"

// partnerAPI is a partner's reporting API on 127.0.0.1.
func partnerAPI(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/api/rates", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+secretToken {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		measure := r.URL.Query().Get("measure")
		_, _ = fmt.Fprintf(w, `{"measure":%q,"data":{"rate":"17.2","observed":"2026-10-31T00:00:00Z","list":[1,2]}}`, measure)
	})
	mux.HandleFunc("/api/broken", func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"patient":"MRN-0042", "rate": 17.2`) // truncated JSON with an identifier in it
	})
	mux.HandleFunc("/api/nan", func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":"NaN"}`) })
	mux.HandleFunc("/api/inf", func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":"+Inf"}`) })
	mux.HandleFunc("/api/bool", func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":true}`) })
	mux.HandleFunc("/api/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "MRN-0042 is not yours", http.StatusForbidden)
	})
	mux.HandleFunc("/api/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "stack trace for MRN-0042", http.StatusInternalServerError)
	})
	mux.HandleFunc("/api/huge", func(w http.ResponseWriter, r *http.Request) {
		// 10 MB, far past the 2 KiB cap, streamed so that the first bytes
		// leave at once: formatting all of it first took longer than the
		// source's 1s timeout on a loaded machine.
		_, _ = fmt.Fprint(w, `{"value":1,"pad":"`)
		chunk := []byte(strings.Repeat("x", 64<<10))
		for range 160 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = fmt.Fprint(w, `"}`)
	})
	mux.HandleFunc("/api/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/api/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://127.0.0.2:1/steal", http.StatusFound)
	})
	mux.HandleFunc("/api/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/api/rates?measure=moved", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &hits
}

func fetcher(clk *clocktesting.FakeClock) *fetch.Fetcher {
	secret := sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-token"}, Data: map[string][]byte{"token": []byte(secretToken)}}, "127.0.0.1")
	reader := fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(secret).Build()
	return fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(), Reader: reader, Clock: clk, Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}})
}

func source(endpoint string) *v1.MetricSource {
	return &v1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-api", UID: "u1", Generation: 1},
		Spec: v1.MetricSourceSpec{
			Type: v1.SourceHTTPJSON, Endpoint: endpoint, Timeout: "1s", MinInterval: "5m", MaxResponseBytes: 2048, MaxConcurrency: 2,
			Auth: &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "partner-token", Key: "token"}},
		},
	}
}

var today = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

func TestFetchOutcomes(t *testing.T) {
	srv, _ := partnerAPI(t)
	down := httptest.NewServer(http.NotFoundHandler())
	downURL := down.URL
	down.Close()
	cases := []struct {
		name     string
		endpoint string
		mutate   func(*v1.MetricSource)
		query    v1.KPISource
		value    float64
		at       time.Time
		reason   sources.Reason
		msg      string
	}{
		{name: "value and time from JSONPath", query: v1.KPISource{Query: "/api/rates?measure=readmissions", JSONPath: "{.data.rate}", TimestampJSONPath: "{.data.observed}"},
			value: 17.2, at: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)},
		{name: "time of the request without a timestamp path", query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.rate}"}, value: 17.2, at: today},
		{name: "a redirect within the host is followed", query: v1.KPISource{Query: "/api/moved", JSONPath: "{.data.rate}"}, value: 17.2, at: today},
		{name: "wrong credentials", mutate: func(s *v1.MetricSource) { s.Spec.Auth = nil }, query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.rate}"},
			reason: sources.ReasonUnauthorized, msg: "401"},
		{name: "missing credentials Secret", mutate: func(s *v1.MetricSource) { s.Spec.Auth.BearerToken.Name = "nope" }, query: v1.KPISource{Query: "/api/rates"},
			reason: sources.ReasonCredentialsMissing, msg: `Secret "nope" not found, or not labelled portfolio.accord.dev/credential=true`},
		{name: "malformed JSON", query: v1.KPISource{Query: "/api/broken", JSONPath: "{.rate}"}, reason: sources.ReasonMalformedResponse, msg: "not valid JSON"},
		{name: "NaN is not a value", query: v1.KPISource{Query: "/api/nan"}, reason: sources.ReasonMalformedResponse, msg: "not a finite number"},
		{name: "Inf is not a value", query: v1.KPISource{Query: "/api/inf"}, reason: sources.ReasonMalformedResponse, msg: "not a finite number"},
		{name: "a boolean is not a value", query: v1.KPISource{Query: "/api/bool"}, reason: sources.ReasonMalformedResponse, msg: "not a finite number"},
		{name: "forbidden", query: v1.KPISource{Query: "/api/forbidden"}, reason: sources.ReasonUnauthorized, msg: "403"},
		{name: "a server error", query: v1.KPISource{Query: "/api/error"}, reason: sources.ReasonSourceUnreachable, msg: "500"},
		{name: "a path that finds nothing", query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.missing}"}, reason: sources.ReasonQueryReturnedNoData},
		{name: "a path that finds several values", query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.list[*]}"}, reason: sources.ReasonMalformedResponse, msg: "found 2 values"},
		{name: "a 10 MB answer over the size cap", query: v1.KPISource{Query: "/api/huge"}, reason: sources.ReasonResponseTooLarge},
		{name: "a redirect to another host", query: v1.KPISource{Query: "/api/away"}, reason: sources.ReasonSourceUnreachable, msg: "another host"},
		{name: "a query that names another host", query: v1.KPISource{Query: "http://127.0.0.2/x"}, reason: sources.ReasonInvalidQuery},
		{name: "a slow source", query: v1.KPISource{Query: "/api/slow"}, reason: sources.ReasonTimeout},
		{name: "a source that is down", endpoint: downURL, query: v1.KPISource{Query: "/api/rates"}, reason: sources.ReasonSourceUnreachable, msg: "connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			endpoint := srv.URL
			if tc.endpoint != "" {
				endpoint = tc.endpoint
			}
			src := source(endpoint)
			if tc.mutate != nil {
				tc.mutate(src)
			}
			obs, err := fetcher(clocktesting.NewFakeClock(today)).Fetch(context.Background(), src, &tc.query)
			if tc.reason == "" {
				if err != nil || obs.Value != tc.value || !obs.Time.Equal(tc.at) {
					t.Fatalf("got %v at %v, %v; want %v at %v", obs.Value, obs.Time, err, tc.value, tc.at)
				}
				return
			}
			re, ok := err.(interface{ Reason() sources.Reason })
			if !ok || re.Reason() != tc.reason {
				t.Fatalf("got %v; want reason %s", err, tc.reason)
			}
			for _, leak := range []string{secretToken, "MRN-0042", `"rate"`} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error %q leaks %q", err, leak)
				}
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
		})
	}
}

// qualityAPI is a partner's quality-reporting API on 127.0.0.1 answering
// with a rate's counts and the period they cover; /api/q/<name> serves
// answers[name].
func qualityAPI(t *testing.T, answers map[string]string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := answers[strings.TrimPrefix(r.URL.Path, "/api/q/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestRatesWithCountsAndPeriods(t *testing.T) {
	srv := qualityAPI(t, map[string]string{
		"q3":          `{"measure":"readmissions-30d","patient":"MRN-0042","period":{"start":"2026-07-01","end":"2026-09-30"},"counts":{"readmissions":7,"discharges":40}}`,
		"strings":     `{"n":"700","d":"4000","end":1790812799}`,
		"value":       `{"rate":17.5,"period":{"end":"2026-09-30"}}`,
		"negative":    `{"n":-7,"d":40}`,
		"above":       `{"n":41,"d":40}`,
		"zero":        `{"n":0,"d":0}`,
		"fraction":    `{"n":7.5,"d":40}`,
		"nan":         `{"n":"NaN","d":40}`,
		"no-den":      `{"n":7}`,
		"bad-end":     `{"n":7,"d":40,"end":"end of Q3 for MRN-0042"}`,
		"backwards":   `{"n":7,"d":40,"start":"2026-10-01","end":"2026-09-30"}`,
		"several-den": `{"n":7,"sites":[{"d":20},{"d":20}]}`,
	})
	endOfQ3 := time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)
	type want struct {
		value     float64
		counts    *evaluate.Counts
		scale     evaluate.Scale
		at, start time.Time
		reason    sources.Reason
		msg       string
	}
	rate := func(n, d float64) *evaluate.Counts { return &evaluate.Counts{Numerator: n, Denominator: d} }
	cases := []struct {
		name string
		q    v1.KPISource
		want want
	}{
		{"counts and their quarter: 7 of 40 is 0.175, observed at the quarter's last second",
			v1.KPISource{Query: "/api/q/q3", NumeratorJSONPath: "{.counts.readmissions}", DenominatorJSONPath: "{.counts.discharges}", PeriodStartJSONPath: "{.period.start}", PeriodEndJSONPath: "{.period.end}"},
			want{value: 0.175, counts: rate(7, 40), scale: evaluate.ScaleProportion, at: endOfQ3, start: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}},
		{"counts written as strings and a period end in Unix seconds: 700 of 4000",
			v1.KPISource{Query: "/api/q/strings", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}", PeriodEndJSONPath: "{.end}"},
			want{value: 0.175, counts: rate(700, 4000), scale: evaluate.ScaleProportion, at: endOfQ3}},
		{"a plain value with its period end", v1.KPISource{Query: "/api/q/value", JSONPath: "{.rate}", PeriodEndJSONPath: "{.period.end}"},
			want{value: 17.5, at: endOfQ3}},
		{"a negative count", v1.KPISource{Query: "/api/q/negative", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "negative count"}},
		{"a numerator above its denominator", v1.KPISource{Query: "/api/q/above", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "numerator above its denominator"}},
		{"a denominator of 0", v1.KPISource{Query: "/api/q/zero", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "denominator of 0"}},
		{"a count with a fraction", v1.KPISource{Query: "/api/q/fraction", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "spec.source.numeratorJSONPath) is not a whole number"}},
		{"a count that is not a number", v1.KPISource{Query: "/api/q/nan", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "spec.source.numeratorJSONPath) is not a whole number"}},
		{"a denominator path that finds nothing", v1.KPISource{Query: "/api/q/no-den", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}"},
			want{reason: sources.ReasonQueryReturnedNoData, msg: "spec.source.denominatorJSONPath: JSONPath {.d} found nothing"}},
		{"a denominator path that finds two counts", v1.KPISource{Query: "/api/q/several-den", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.sites[*].d}"},
			want{reason: sources.ReasonMalformedResponse, msg: "spec.source.denominatorJSONPath: JSONPath {.sites[*].d} found 2 values"}},
		{"a period end that is not a time", v1.KPISource{Query: "/api/q/bad-end", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}", PeriodEndJSONPath: "{.end}"},
			want{reason: sources.ReasonMalformedResponse, msg: "(spec.source.periodEndJSONPath) is neither a date"}},
		{"a period that starts after it ends", v1.KPISource{Query: "/api/q/backwards", NumeratorJSONPath: "{.n}", DenominatorJSONPath: "{.d}", PeriodStartJSONPath: "{.start}", PeriodEndJSONPath: "{.end}"},
			want{reason: sources.ReasonMalformedResponse, msg: "the period at {.start} starts after its end at {.end}"}},
		{"a numerator path without a denominator path", v1.KPISource{Query: "/api/q/q3", NumeratorJSONPath: "{.n}"},
			want{reason: sources.ReasonInvalidQuery, msg: "numeratorJSONPath and denominatorJSONPath go together"}},
		{"a Prometheus field on an HTTP JSON source", v1.KPISource{Query: "/api/q/q3", JSONPath: "{.rate}", DenominatorQuery: "sum(discharges)"},
			want{reason: sources.ReasonInvalidQuery, msg: "spec.source.denominatorQuery applies to Prometheus sources only"}},
		{"a FHIR field on an HTTP JSON source", v1.KPISource{Query: "/api/q/q3", JSONPath: "{.rate}", Group: "readmit-30d"},
			want{reason: sources.ReasonInvalidQuery, msg: "spec.source.group applies to FHIR sources only"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := source(srv.URL)
			src.Spec.Auth = nil
			obs, err := fetcher(clocktesting.NewFakeClock(today)).Fetch(context.Background(), src, &tc.q)
			w := tc.want
			if w.reason != "" {
				var se *sources.Error
				if !errors.As(err, &se) || se.Reason() != w.reason || !strings.Contains(err.Error(), w.msg) {
					t.Fatalf("got %+v, %v; want reason %s with %q", obs, err, w.reason, w.msg)
				}
				// Neither the patient nor a small count is repeated.
				for _, leak := range []string{"MRN-0042", "7"} {
					if strings.Contains(err.Error(), leak) {
						t.Errorf("error %q repeats %q from the answer", err, leak)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(obs.Value-w.value) > 1e-12 || obs.Scale != w.scale || !obs.Time.Equal(w.at) || !obs.PeriodStart.Equal(w.start) {
				t.Errorf("got %v (%s) at %v from %v; want %v (%s) at %v from %v", obs.Value, obs.Scale, obs.Time, obs.PeriodStart, w.value, w.scale, w.at, w.start)
			}
			if (obs.Counts == nil) != (w.counts == nil) || (w.counts != nil && *obs.Counts != *w.counts) {
				t.Errorf("counts %+v; want %+v", obs.Counts, w.counts)
			}
		})
	}
}
