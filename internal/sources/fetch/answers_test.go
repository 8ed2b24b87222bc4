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
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

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

// TestAChangedAnswerIsAnnouncedOnce follows one (source, query) pair
// through a partner API's answers, one request per step: the fetcher
// announces the pair exactly when it answers with a value the one before
// did not give (a new value or time, or any value after a failure).
func TestAChangedAnswerIsAnnouncedOnce(t *testing.T) {
	var body atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := body.Load().(string)
		if b == "down" {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprint(w, b)
	}))
	defer api.Close()
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	f := fetch.New(fetch.Options{Reader: fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(), Clock: clk,
		Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	announced := f.Answers(ctx, 10)
	requestsBefore := sourcestest.Requests(t, "ns", "partner")
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner", UID: "u1", Generation: 1},
		Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: api.URL, MinInterval: "1m", Timeout: "2s"}}
	q := &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "partner"}, Query: "/rates", JSONPath: "{.rate}", TimestampJSONPath: "{.at}"}

	steps := []struct {
		name     string
		body     string
		wait     time.Duration // clock step before the request: minInterval, or a failure's backoff
		announce bool
	}{
		{name: "the first answer is nobody's news", body: `{"rate":16.2,"at":"2026-11-29T00:00:00Z"}`, announce: false},
		{name: "the same answer again", body: `{"rate":16.2,"at":"2026-11-29T00:00:00Z"}`, wait: time.Minute, announce: false},
		{name: "a new value", body: `{"rate":15.1,"at":"2026-11-29T00:00:00Z"}`, wait: time.Minute, announce: true},
		{name: "the same value at a new time", body: `{"rate":15.1,"at":"2026-11-30T00:00:00Z"}`, wait: time.Minute, announce: true},
		{name: "a failure is met by each KPI at its own evaluation", body: "down", wait: time.Minute, announce: false},
		{name: "the same failure after the backoff", body: "down", wait: time.Hour, announce: false},
		{name: "a recovery with the value from before", body: `{"rate":15.1,"at":"2026-11-30T00:00:00Z"}`, wait: time.Hour, announce: true},
	}
	want := fetch.Pair{Namespace: "ns", Source: "partner", Key: sources.PairKey(q)}
	for _, s := range steps {
		body.Store(s.body)
		clk.Step(s.wait)
		_, _ = f.Fetch(context.Background(), src, q)
		// Nothing waits in the notifier (the test reads every pair), so a
		// pair is in the channel when Fetch returns.
		select {
		case e := <-announced:
			if !s.announce {
				t.Errorf("%s: announced, want silence", s.name)
			}
			if e.Object != want {
				t.Errorf("%s: announced %+v, want %+v", s.name, e.Object, want)
			}
		default:
			if s.announce {
				t.Errorf("%s: nothing announced", s.name)
			}
		}
	}
	if n := sourcestest.Requests(t, "ns", "partner") - requestsBefore; n != len(steps) {
		t.Errorf("%d requests for %d steps; every step must reach the API for the table to mean anything", n, len(steps))
	}
}

// TestNewCountsAreAnnouncedEvenWhenTheRateIsTheSame follows a rate's pair:
// 14 of 80 after 7 of 40 is the same 17.5% at the same time, but a rate is
// judged on its counts (the interval narrows), so the KPIs sharing the
// pair must hear of it.
func TestNewCountsAreAnnouncedEvenWhenTheRateIsTheSame(t *testing.T) {
	var body atomic.Value
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, body.Load().(string))
	}))
	defer api.Close()
	clk := clocktesting.NewFakeClock(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))
	f := fetch.New(fetch.Options{Reader: fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(), Clock: clk,
		Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	announced := f.Answers(ctx, 10)
	src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "counts", UID: "u2", Generation: 1},
		Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: api.URL, MinInterval: "1m", Timeout: "2s"}}
	q := &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: "counts"}, Query: "/readmissions",
		NumeratorJSONPath: "{.readmissions}", DenominatorJSONPath: "{.discharges}", PeriodEndJSONPath: "{.end}"}

	steps := []struct {
		name     string
		body     string
		announce bool
	}{
		{name: "the first answer", body: `{"readmissions":7,"discharges":40,"end":"2026-09-30"}`, announce: false},
		{name: "the same counts again", body: `{"readmissions":7,"discharges":40,"end":"2026-09-30"}`, announce: false},
		{name: "the same rate from twice the counts", body: `{"readmissions":14,"discharges":80,"end":"2026-09-30"}`, announce: true},
		{name: "those counts again", body: `{"readmissions":14,"discharges":80,"end":"2026-09-30"}`, announce: false},
	}
	for i, s := range steps {
		body.Store(s.body)
		if i > 0 {
			clk.Step(time.Minute)
		}
		obs, err := f.Fetch(context.Background(), src, q)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if obs.Counts == nil {
			t.Fatalf("%s: the answer has no counts; the test needs them", s.name)
		}
		select {
		case <-announced:
			if !s.announce {
				t.Errorf("%s: announced, want silence", s.name)
			}
		default:
			if s.announce {
				t.Errorf("%s: nothing announced", s.name)
			}
		}
	}
}
