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

package fetch_test

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
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
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/httpjson"
	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

const secretToken = "s3cr3t-token-value"

// partnerAPI is a partner's reporting API on 127.0.0.1 that answers rates
// to callers with the token.
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

func TestIdenticalQueriesAreFetchedOncePerInterval(t *testing.T) {
	srv, hits := partnerAPI(t)
	clk := clocktesting.NewFakeClock(today)
	f := fetcher(clk)
	src := source(srv.URL)
	requestsBefore := sourcestest.Requests(t, "ns", "partner-api")
	q := v1.KPISource{Query: "/api/rates?measure=readmissions", JSONPath: "{.data.rate}"}
	var wg sync.WaitGroup
	for range 20 { // twenty KPIs sharing one (source, query)
		wg.Go(func() {
			if _, err := f.Fetch(context.Background(), src, &q); err != nil {
				t.Error(err)
			}
		})
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
	if n := sourcestest.Requests(t, "ns", "partner-api") - requestsBefore; n != 2 {
		t.Errorf("accord_source_requests_total = %d", n)
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
		_, _ = fmt.Fprint(w, `{"value":1}`)
	}))
	defer srv.Close()
	f := fetcher(clocktesting.NewFakeClock(today))
	src := source(srv.URL)
	src.Spec.Auth = nil
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			q := v1.KPISource{Query: fmt.Sprintf("/q%d", i)}
			if _, err := f.Fetch(context.Background(), src, &q); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p > 2 || p < 1 {
		t.Fatalf("peak of %d requests in flight; maxConcurrency is 2", p)
	}
}

func TestTLSWithAPrivateCAFromASecret(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":42}`) }))
	defer srv.Close()
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	ca := sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-ca"}, Data: map[string][]byte{"ca.crt": caPEM}})
	reader := fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(ca).Build()
	f := fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(), Reader: reader, Clock: clocktesting.NewFakeClock(today), Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}})
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
			wg.Go(func() {
				q := v1.KPISource{Query: fmt.Sprintf("/api/rates?measure=m%d", k%5), JSONPath: "{.data.rate}"}
				if _, err := f.Fetch(context.Background(), src, &q); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := hits.Load(); n != int32(5*interval) {
			t.Fatalf("after interval %d: %d upstream requests for 100 KPIs on 5 pairs; want %d", interval, n, 5*interval)
		}
		clk.Step(5 * time.Minute) // the source's minInterval
	}
}
