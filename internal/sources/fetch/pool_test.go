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
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/httpjson"
)

// tarpit accepts requests and never answers them until the test ends; it
// counts the requests it holds at once.
func tarpit(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var holding atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		holding.Add(1)
		defer holding.Add(-1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv, &holding
}

func poolFetcher(opts fetch.Options) *fetch.Fetcher {
	opts.AllowedHosts = sources.AllowLoopbackForTests()
	opts.Reader = fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build()
	opts.Clock = clocktesting.NewFakeClock(today)
	opts.Providers = map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}
	return fetch.New(opts)
}

func plainSource(ns, name, endpoint, timeout string) *v1.MetricSource {
	return &v1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: types.UID(ns + "/" + name), Generation: 1},
		Spec:       v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: endpoint, Timeout: v1.Duration(timeout), MinInterval: "1m", MaxConcurrency: 50},
	}
}

// Issue 18, test 5 at the fetcher: a namespace with twenty distinct
// queries on a source that never answers holds at most its share of the
// pool and each of its callers for at most Wait, and another namespace's
// healthy source is read at once.
func TestATarpitNamespaceHoldsOnlyItsShareAndNoCallerForLong(t *testing.T) {
	pit, holding := tarpit(t)
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":7}`) }))
	t.Cleanup(healthy.Close)
	const wait, perNamespace = 300 * time.Millisecond, 3
	f := poolFetcher(fetch.Options{Workers: 4, WorkersPerNamespace: perNamespace, Wait: wait})
	slow := plainSource("tenant-a", "tarpit", pit.URL, "60s")

	var wg sync.WaitGroup
	var longest atomic.Int64
	for i := range 20 {
		wg.Go(func() {
			start := time.Now()
			_, err := f.Fetch(context.Background(), slow, &v1.KPISource{Query: fmt.Sprintf("/q%d", i), JSONPath: "{.value}"})
			took := time.Since(start)
			for {
				l := longest.Load()
				if int64(took) <= l || longest.CompareAndSwap(l, int64(took)) {
					break
				}
			}
			var se *sources.Error
			if !errors.As(err, &se) || se.Reason() != sources.ReasonTimeout {
				t.Errorf("query %d: %v; want a Timeout while the source has not answered", i, err)
			}
		})
	}
	wg.Wait()
	if l := time.Duration(longest.Load()); l > wait+time.Second {
		t.Errorf("a caller waited %s for the tarpit; Wait is %s", l, wait)
	}
	if n := holding.Load(); n > perNamespace {
		t.Errorf("the tarpit holds %d requests; one namespace may run %d", n, perNamespace)
	}
	// Once its share has been stuck for longer than Wait, its callers do
	// not wait at all.
	time.Sleep(wait) // let the namespace's last start age past Wait; not synchronisation
	start := time.Now()
	_, _ = f.Fetch(context.Background(), slow, &v1.KPISource{Query: "/late", JSONPath: "{.value}"})
	if took := time.Since(start); took > wait/2 {
		t.Errorf("a caller behind a stuck namespace waited %s", took)
	}

	start = time.Now()
	obs, err := f.Fetch(context.Background(), plainSource("tenant-b", "healthy", healthy.URL, "10s"), &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
	if err != nil || obs.Value != 7 {
		t.Fatalf("the other namespace's source: %v, %v", obs.Value, err)
	}
	if took := time.Since(start); took > wait {
		t.Errorf("the other namespace's healthy source took %s behind the tarpit", took)
	}
}

// A caller that stops waiting is announced on Woken once the answer is
// in, and the answer is then served from the cache.
func TestACallerThatStopsWaitingIsWokenWithTheAnswer(t *testing.T) {
	answer := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-answer
		_, _ = fmt.Fprint(w, `{"value":3}`)
	}))
	t.Cleanup(srv.Close)
	f := poolFetcher(fetch.Options{Wait: 50 * time.Millisecond})
	ctx := t.Context()
	woken := f.Woken(ctx, 1)
	src := plainSource("ns", "slow", srv.URL, "10s")
	q := &v1.KPISource{Query: "/v", JSONPath: "{.value}"}
	kpi := types.NamespacedName{Namespace: "ns", Name: "readmissions"}

	_, err := f.Fetch(fetch.WithCaller(ctx, kpi), src, q)
	var se *sources.Error
	if !errors.As(err, &se) || se.Reason() != sources.ReasonTimeout {
		t.Fatalf("before the answer: %v; want Timeout", err)
	}
	select {
	case e := <-woken:
		t.Fatalf("%v woken before the source answered", e.Object)
	default:
	}
	close(answer)
	select {
	case e := <-woken:
		if e.Object != kpi {
			t.Fatalf("woke %v; want %v", e.Object, kpi)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the caller was never woken")
	}
	obs, err := f.Fetch(ctx, src, q)
	if err != nil || obs.Value != 3 {
		t.Fatalf("after the answer: %v, %v", obs.Value, err)
	}
}

// Within one namespace, sources take turns: a source with many queued
// requests does not delay another source's first one behind all of them.
func TestSourcesOfANamespaceTakeTurns(t *testing.T) {
	pit, _ := tarpit(t)
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = fmt.Fprint(w, `{"value":1}`) }))
	t.Cleanup(healthy.Close)
	f := poolFetcher(fetch.Options{Workers: 8, WorkersPerNamespace: 2, Wait: 100 * time.Millisecond})
	slow := plainSource("ns", "tarpit", pit.URL, "60s")
	slow.Spec.MaxConcurrency = 1 // one request of the namespace's two at a time
	for i := range 10 {
		_, _ = f.Fetch(context.Background(), slow, &v1.KPISource{Query: fmt.Sprintf("/q%d", i)})
	}
	obs, err := f.Fetch(context.Background(), plainSource("ns", "healthy", healthy.URL, "10s"), &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
	if err != nil || obs.Value != 1 {
		t.Fatalf("a second source of the namespace: %v, %v; its turn never came", obs.Value, err)
	}
}
