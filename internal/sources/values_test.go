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

package sources_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
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
)

// Issue 18, test 7 (the fetcher's half; FAULT=HugeValue checks the KPI's
// status with the operator running): a value no KPI measures, or a value
// dated well after the request, is refused with a reason; one within the
// clock-skew bound is kept.
func TestValuesBeyondTheBoundsAreRefusedWithAReason(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name, body string
		want       string // "" when the value is kept
	}{
		{"1e70", `{"v":1e70,"t":"2026-11-25T08:00:00Z"}`, "beyond 1e+12"},
		{"-1e13", `{"v":-1e13,"t":"2026-11-25T08:00:00Z"}`, "beyond 1e+12"},
		{"a trillion", `{"v":1e12,"t":"2026-11-25T08:00:00Z"}`, ""},
		{"dated tomorrow", `{"v":17.2,"t":"2026-11-26T09:00:00Z"}`, "dated 2026-11-26T09:00:00Z, after the time of the request"},
		{"dated within the skew", `{"v":17.2,"t":"2026-11-25T09:04:00Z"}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = fmt.Fprint(w, c.body) }))
			defer srv.Close()
			f := fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(), Clock: clocktesting.NewFakeClock(now),
				Reader:    fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
				Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}}})
			src := &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "s", UID: "u", Generation: 1},
				Spec: v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: srv.URL}}
			_, err := f.Fetch(context.Background(), src, &v1.KPISource{Query: "/", JSONPath: "{.v}", TimestampJSONPath: "{.t}"})
			if c.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var se *sources.Error
			if !errors.As(err, &se) || se.Reason() != sources.ReasonMalformedResponse || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v; want MalformedResponse saying %q", err, c.want)
			}
		})
	}
}
