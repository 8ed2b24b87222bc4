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
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
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
)

func TestTheHostAllowListMatchesHostsPortsAndSubdomains(t *testing.T) {
	cases := []struct {
		list     string
		endpoint string
		allowed  bool
	}{
		{"", "https://anything.example", false},
		{"*", "https://anything.example", true},
		{"team-a=*", "https://anything.example", false},
		{"team-a=reports.partner.example", "https://reports.partner.example", false},
		{"team-b=reports.partner.example", "https://reports.partner.example", true},
		{"other=evil.example, team-b=reports.partner.example", "https://reports.partner.example", true},
		{"reports.partner.example", "https://reports.partner.example/api", true},
		{"reports.partner.example", "https://REPORTS.partner.example:8443/api", true},
		{"reports.partner.example", "https://evil.example/api", false},
		{"reports.partner.example", "https://reports.partner.example.evil.example/", false},
		{"prometheus.monitoring.svc:9090", "http://prometheus.monitoring.svc:9090", true},
		{"prometheus.monitoring.svc:9090", "http://prometheus.monitoring.svc:9091", false},
		{"fhir.plan.example:443", "https://fhir.plan.example/r4", true},
		{"fhir.plan.example:443", "http://fhir.plan.example/r4", false},
		{"*.partner.example", "https://api.partner.example", true},
		{"*.partner.example", "https://a.b.partner.example", true},
		{"*.partner.example", "https://partner.example", false},
		{"*.partner.example", "https://notpartner.example", false},
		{"10.0.0.5", "http://10.0.0.5:8080", true},
		{"10.0.0.5", "http://10.0.0.6:8080", false},
		{"[fd00::5]:443", "https://[fd00::5]/", true},
		{"::1", "http://[::1]:9090", true},
		{" a.example , b.example:80 ,", "http://b.example", true},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s allows %s: %v", tc.list, tc.endpoint, tc.allowed), func(t *testing.T) {
			l, err := sources.ParseHostAllowList(tc.list)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(tc.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Allows("team-b", u); got != tc.allowed {
				t.Fatalf("Allows(%s) = %v with --allowed-source-hosts=%q", tc.endpoint, got, tc.list)
			}
		})
	}
}

func TestMalformedAllowListEntriesAreRefusedWithTheEntryNamed(t *testing.T) {
	cases := []struct{ list, want string }{
		{"https://reports.partner.example", "not a URL"},
		{"reports.partner.example/api", "not a URL"},
		{"user@host.example", "not a URL"},
		{"host.example:http", `port "http" is not a number`},
		{"host.example:70000", "from 1 to 65535"},
		{"host.example:", "port is missing"},
		{"api.*.example", "leading \"*.\""},
		{"**", "leading \"*.\""},
		{"Team_A=reports.example", "not a namespace name"},
		{"*.10.0.0.5", "cannot precede an IP address"},
		{"bad_host!.example", "not a host name"},
	}
	for _, tc := range cases {
		t.Run(tc.list, func(t *testing.T) {
			_, err := sources.ParseHostAllowList("ok.example," + tc.list)
			if err == nil {
				t.Fatalf("%q was accepted", tc.list)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), fmt.Sprintf("%q", tc.list)) {
				t.Fatalf("error %q does not name the entry and say %q", err, tc.want)
			}
		})
	}
}

func TestASourceOutsideTheAllowListIsNeverContacted(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = fmt.Fprint(w, `{"value":1}`)
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	src := &v1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "partner-api", UID: "u1", Generation: 1},
		Spec:       v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: srv.URL, Timeout: "1s"},
	}
	q := &v1.KPISource{Query: "/v"}
	newFetcher := func(list string) *fetch.Fetcher {
		allowed, err := sources.ParseHostAllowList(list)
		if err != nil {
			t.Fatal(err)
		}
		return fetch.New(fetch.Options{
			Reader: fake.NewClientBuilder().WithScheme(manager.NewScheme()).Build(),
			Clock:  clocktesting.NewFakeClock(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)), AllowedHosts: allowed,
			Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}},
		})
	}

	// Same IP, another port: not allowed, and not contacted.
	_, err := newFetcher("127.0.0.1:1,reports.partner.example").Fetch(context.Background(), src, q)
	re, ok := err.(interface{ Reason() sources.Reason })
	if !ok || re.Reason() != sources.ReasonSourceNotAllowed {
		t.Fatalf("got %v; want reason %s", err, sources.ReasonSourceNotAllowed)
	}
	if !strings.Contains(err.Error(), u.Host) {
		t.Errorf("message %q does not name the host %s", err, u.Host)
	}
	if hits.Load() != 0 {
		t.Fatalf("the source was contacted %d times although its host is not allowed", hits.Load())
	}

	// Listed: contacted and read.
	obs, err := newFetcher(u.Host).Fetch(context.Background(), src, q)
	if err != nil || obs.Value != 1 || hits.Load() != 1 {
		t.Fatalf("allowed host: got %v, %v after %d requests", obs.Value, err, hits.Load())
	}
}
