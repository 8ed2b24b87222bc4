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

package httpjson

import (
	"math"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

var fuzzNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// FuzzObserve feeds arbitrary answers and JSONPath expressions (value,
// timestamp, numerator, denominator, period start and end) to the
// extraction a Fetch performs after the GET. Properties: a value is always
// finite; its time is now, or a time the answer gave within years
// 0..9999, not before the period's start; counts, when given, are whole,
// 0 or more, the numerator at most the denominator, which is above 0, and
// the value is their proportion; an error is a *sources.Error with a
// known reason that never quotes the answer; the same input gives the
// same outcome.
func FuzzObserve(f *testing.F) {
	for _, s := range []struct{ body, path, tpath, npath, dpath, spath, epath string }{
		{`{"value": 17.2}`, "", "", "", "", "", ""},
		{`{"measure":"readmissions","data":{"rate":"17.2","observed":"2026-10-31T00:00:00Z","list":[1,2]}}`, "{.data.rate}", "{.data.observed}", "", "", "", ""},
		{`{"patient":"MRN-SECRET","rate":17.2`, "{.rate}", "", "", "", "", ""},
		{`{"value":"MRN-SECRET"}`, "", "", "", "", "", ""},
		{`{"value":"NaN","t":1767225600.5}`, "{.value}", "{.t}", "", "", "", ""},
		{`{"rows":[{"mrn":"MRN-SECRET","v":1},{"mrn":"x","v":2}]}`, "{.rows[*].v}", "", "", "", "", ""},
		{`{"rows":[{"mrn":"MRN-SECRET","v":1}]}`, `{.rows[?(@.mrn=="MRN-SECRET")].v}`, "{.rows[0].mrn}", "", "", "", ""},
		{`{"a":{"b":[{"c":"1e308"}]}}`, "{..c}", "", "", "", "", ""},
		{`[1,2,3]`, "{[-1]}", "", "", "", "", ""},
		{`{"value":1,"t":"2026-01-02T03:04:05+02:00"}`, "{.value}", "{.t}", "", "", "", ""},
		{`{"value":1}`, "{range .x}{.y}{end}", "", "", "", "", ""},
		{`{"value":1}`, "{.value", "", "", "", "", ""},
		// Counts and periods, and the ways they fail.
		{`{"q":{"readmissions":7,"discharges":40,"from":"2026-07-01","to":"2026-09-30"}}`, "", "", "{.q.readmissions}", "{.q.discharges}", "{.q.from}", "{.q.to}"},
		{`{"n":"700","d":"4000","end":1790812799}`, "", "", "{.n}", "{.d}", "", "{.end}"},
		{`{"n":-7,"d":40}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":41,"d":40}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":0,"d":0}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":7.5,"d":40}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":"NaN","d":"+Inf"}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":"MRN-SECRET","d":40}`, "", "", "{.n}", "{.d}", "", ""},
		{`{"n":7,"d":40,"from":"2026-10-01","to":"2026-09-30"}`, "", "", "{.n}", "{.d}", "{.from}", "{.to}"},
		{`{"n":7,"d":40,"to":"MRN-SECRET"}`, "", "", "{.n}", "{.d}", "", "{.to}"},
		{`{"n":7,"d":40}`, "", "", "{.n}", "", "", ""},
		{`{"n":7,"d":40,"v":0.2}`, "{.v}", "", "{.n}", "{.d}", "", ""},
		{`{"v":1,"t":1,"e":"2026-09-30"}`, "{.v}", "{.t}", "", "", "", "{.e}"},
		{`{"v":1,"s":"2026-07-01"}`, "{.v}", "", "", "", "{.s}", ""},
	} {
		f.Add([]byte(s.body), s.path, s.tpath, s.npath, s.dpath, s.spath, s.epath)
	}
	f.Fuzz(func(t *testing.T, body []byte, path, tpath, npath, dpath, spath, epath string) {
		p := paths{value: path, timestamp: tpath, numerator: npath, denominator: dpath, periodStart: spath, periodEnd: epath}
		obs, err := observe(body, p, fuzzNow)
		obs2, err2 := observe(body, p, fuzzNow)
		if !reflect.DeepEqual(obs, obs2) || (err == nil) != (err2 == nil) || (err != nil && err.Error() != err2.Error()) {
			t.Fatalf("two evaluations differ: %v %v / %v %v", obs, err, obs2, err2)
		}
		if err != nil {
			sourcestest.CheckError(t, err, string(body), path+tpath+npath+dpath+spath+epath)
			return
		}
		if math.IsNaN(obs.Value) || math.IsInf(obs.Value, 0) {
			t.Fatalf("value %v is not finite", obs.Value)
		}
		if tpath == "" && epath == "" && !obs.Time.Equal(fuzzNow) {
			t.Fatalf("time %v without a timestamp or period path; want now", obs.Time)
		}
		if (tpath != "" || epath != "") && (obs.Time.Location() != time.UTC || obs.Time.Year() < 0 || obs.Time.Year() > 9999) {
			t.Fatalf("time %v from the answer is not a UTC time within years 0..9999", obs.Time)
		}
		if obs.PeriodStart.After(obs.Time) {
			t.Fatalf("period starts at %v, after its end %v", obs.PeriodStart, obs.Time)
		}
		if npath != "" && obs.Counts == nil {
			t.Fatalf("no counts from numerator path %q", npath)
		}
		sourcestest.CheckCounts(t, obs, true)
	})
}

// FuzzResolve checks that no query, however written, sends the request
// (and the source's credentials) to another host or scheme, and that the
// endpoint's own path and query parameters are kept.
func FuzzResolve(f *testing.F) {
	for _, s := range [][2]string{
		{"https://partner.example/api/", "/v1/rates?measure=readmissions"},
		{"https://partner.example/api?key=1", "rates?measure=a&measure=b"},
		{"https://partner.example", "//evil.example/steal"},
		{"https://partner.example", "https://evil.example/"},
		{"https://partner.example/a", "../../../etc?x=%zz"},
		{"http://127.0.0.1:8080/", "/@evil.example"},
		{"https://partner.example", `\\evil.example\x`},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, endpoint, query string) {
		ep, err := url.Parse(endpoint)
		if err != nil || ep.Host == "" {
			return
		}
		u, err := resolve(ep, query)
		if err != nil {
			sourcestest.CheckError(t, err, "", query)
			return
		}
		if u.Scheme != ep.Scheme || u.Host != ep.Host || u.User.String() != ep.User.String() {
			t.Fatalf("query %q on %q leaves the endpoint: %s", query, endpoint, u)
		}
		again, err := url.Parse(u.String())
		if err != nil || again.Host != ep.Host || again.Scheme != ep.Scheme {
			t.Fatalf("query %q on %q gives %q, which reparses to host %q (%v)", query, endpoint, u, again.Host, err)
		}
		if !strings.HasPrefix(u.Path, strings.TrimSuffix(ep.Path, "/")+"/") {
			t.Fatalf("query %q on %q leaves the endpoint's path: %q", query, endpoint, u.Path)
		}
		for k, vs := range ep.Query() {
			if got := u.Query()[k]; len(got) < len(vs) {
				t.Fatalf("query %q on %q drops endpoint parameter %s: %v", query, endpoint, k, got)
			}
		}
	})
}
