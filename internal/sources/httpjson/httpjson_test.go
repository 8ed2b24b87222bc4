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
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
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
		fmt.Fprintf(w, `{"measure":%q,"data":{"rate":"17.2","observed":"2026-10-31T00:00:00Z","list":[1,2]}}`, measure)
	})
	mux.HandleFunc("/api/broken", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"patient":"MRN-0042", "rate": 17.2`) // truncated JSON with an identifier in it
	})
	mux.HandleFunc("/api/nan", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"value":"NaN"}`) })
	mux.HandleFunc("/api/inf", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"value":"+Inf"}`) })
	mux.HandleFunc("/api/bool", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"value":true}`) })
	mux.HandleFunc("/api/forbidden", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "MRN-0042 is not yours", http.StatusForbidden)
	})
	mux.HandleFunc("/api/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "stack trace for MRN-0042", http.StatusInternalServerError)
	})
	mux.HandleFunc("/api/huge", func(w http.ResponseWriter, r *http.Request) {
		// 10 MB, far past the 2 KiB cap.
		fmt.Fprintf(w, `{"value":1,"pad":%q}`, strings.Repeat("x", 10<<20))
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

func fetcher(clk *clocktesting.FakeClock) *sources.Fetcher {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-token"}, Data: map[string][]byte{"token": []byte(secretToken)}}
	reader := fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(secret).Build()
	return &sources.Fetcher{Reader: reader, Clock: clk, Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}}
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
		reason   string
		msg      string
	}{
		{name: "value and time from JSONPath", query: v1.KPISource{Query: "/api/rates?measure=readmissions", JSONPath: "{.data.rate}", TimestampJSONPath: "{.data.observed}"},
			value: 17.2, at: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)},
		{name: "time of the request without a timestamp path", query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.rate}"}, value: 17.2, at: today},
		{name: "a redirect within the host is followed", query: v1.KPISource{Query: "/api/moved", JSONPath: "{.data.rate}"}, value: 17.2, at: today},
		{name: "wrong credentials", mutate: func(s *v1.MetricSource) { s.Spec.Auth = nil }, query: v1.KPISource{Query: "/api/rates", JSONPath: "{.data.rate}"},
			reason: sources.ReasonUnauthorized, msg: "401"},
		{name: "missing credentials Secret", mutate: func(s *v1.MetricSource) { s.Spec.Auth.BearerToken.Name = "nope" }, query: v1.KPISource{Query: "/api/rates"},
			reason: sources.ReasonCredentialsMissing, msg: `Secret "nope": not found`},
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
			re, ok := err.(interface{ Reason() string })
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

func TestIdenticalQueriesAreFetchedOncePerInterval(t *testing.T) {
	srv, hits := partnerAPI(t)
	clk := clocktesting.NewFakeClock(today)
	f := fetcher(clk)
	src := source(srv.URL)
	q := v1.KPISource{Query: "/api/rates?measure=readmissions", JSONPath: "{.data.rate}"}
	var wg sync.WaitGroup
	for range 20 { // twenty KPIs sharing one (source, query)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.Fetch(context.Background(), src, &q); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := hits.Load(); n != 1 {
		t.Fatalf("%d upstream requests for 20 identical queries; want 1", n)
	}
	clk.Step(4 * time.Minute)
	_, _ = f.Fetch(context.Background(), src, &q)
	if n := hits.Load(); n != 1 {
		t.Fatalf("refetched before minInterval: %d requests", n)
	}
	clk.Step(2 * time.Minute)
	_, _ = f.Fetch(context.Background(), src, &q)
	if n := hits.Load(); n != 2 {
		t.Fatalf("%d requests after minInterval; want 2", n)
	}
	if f.Requests("ns/partner-api") != 2 {
		t.Errorf("Requests = %d", f.Requests("ns/partner-api"))
	}
}

func TestFailuresBackOffWithJitter(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	clk := clocktesting.NewFakeClock(today)
	f := fetcher(clk)
	src := source(srv.URL)
	src.Spec.MinInterval = "1s"
	q := v1.KPISource{Query: "/x"}
	for range 5 {
		if _, err := f.Fetch(context.Background(), src, &q); err == nil {
			t.Fatal("want an error")
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("%d requests within the first backoff; want 1", hits.Load())
	}
	clk.Step(37 * time.Second) // past 30s plus at most 20% jitter
	_, _ = f.Fetch(context.Background(), src, &q)
	if hits.Load() != 2 {
		t.Fatalf("%d requests after the first backoff; want 2", hits.Load())
	}
	clk.Step(37 * time.Second) // the second backoff is 60s
	_, _ = f.Fetch(context.Background(), src, &q)
	if hits.Load() != 2 {
		t.Fatalf("retried before the doubled backoff: %d requests", hits.Load())
	}
}

func TestConcurrencyPerSourceIsBounded(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond) // the upstream's own latency, not synchronisation
		inFlight.Add(-1)
		fmt.Fprint(w, `{"value":1}`)
	}))
	defer srv.Close()
	f := fetcher(clocktesting.NewFakeClock(today))
	src := source(srv.URL)
	src.Spec.Auth = nil
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := v1.KPISource{Query: fmt.Sprintf("/q%d", i)}
			if _, err := f.Fetch(context.Background(), src, &q); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Fatalf("peak of %d requests in flight; maxConcurrency is 2", p)
	}
}

func TestTLSWithAPrivateCAFromASecret(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"value":42}`) }))
	defer srv.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ca := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-ca"}, Data: map[string][]byte{"ca.crt": caPEM}}
	reader := fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(ca).Build()
	f := &sources.Fetcher{Reader: reader, Clock: clocktesting.NewFakeClock(today), Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}}
	q := &v1.KPISource{Query: "/v"}

	// Without the CA the server's certificate is not trusted.
	plain := source(srv.URL)
	plain.Spec.Auth = nil
	if _, err := f.Fetch(context.Background(), plain, q); err == nil {
		t.Fatal("a certificate from an unknown CA was accepted")
	}
	// With the CA from the Secret it is.
	withCA := source(srv.URL)
	withCA.Name, withCA.UID, withCA.Spec.Auth = "partner-api-tls", "u2", nil
	withCA.Spec.TLS = &v1.SourceTLS{CASecretRef: &v1.SecretKeySelector{Name: "partner-ca", Key: "ca.crt"}}
	obs, err := f.Fetch(context.Background(), withCA, q)
	if err != nil || obs.Value != 42 {
		t.Fatalf("got %v, %v with the private CA", obs.Value, err)
	}
}

func TestAHundredKPIsOnFivePairsCauseFiveRequestsPerInterval(t *testing.T) {
	srv, hits := partnerAPI(t)
	clk := clocktesting.NewFakeClock(today)
	f := fetcher(clk)
	src := source(srv.URL)
	for interval := 1; interval <= 2; interval++ {
		var wg sync.WaitGroup
		for k := range 100 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				q := v1.KPISource{Query: fmt.Sprintf("/api/rates?measure=m%d", k%5), JSONPath: "{.data.rate}"}
				if _, err := f.Fetch(context.Background(), src, &q); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := hits.Load(); n != int32(5*interval) {
			t.Fatalf("after interval %d: %d upstream requests for 100 KPIs on 5 pairs; want %d", interval, n, 5*interval)
		}
		clk.Step(5 * time.Minute) // the source's minInterval
	}
}
