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

package bench

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// PartnerAPI is a partner's HTTP JSON reporting API on 127.0.0.1: it
// answers GET /partner-api/v1/measures/<measure>?region=<region> with
// {"measure": {"rate": <value>, "asOf": <time>}} behind a bearer token,
// and counts the requests for each query.
type PartnerAPI struct {
	// URL is the server's base URL.
	URL string

	srv      *httptest.Server
	token    string
	mu       sync.Mutex
	values   map[string]Reading
	requests map[string]int
	total    int
}

// StartPartnerAPI serves values (keyed by the KPI query, e.g.
// "/v1/measures/follow-up-7d?region=r0001") until Close.
func StartPartnerAPI(token string, values map[string]Reading) *PartnerAPI {
	a := &PartnerAPI{token: token, values: map[string]Reading{}, requests: map[string]int{}}
	maps.Copy(a.values, values)
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	a.URL = a.srv.URL
	return a
}

func (a *PartnerAPI) serve(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+a.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	query := strings.TrimPrefix(r.URL.Path, "/partner-api")
	if r.URL.RawQuery != "" {
		query += "?" + r.URL.RawQuery
	}
	a.mu.Lock()
	v, ok := a.values[query]
	a.requests[query]++
	a.total++
	a.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"measure": map[string]any{
		"rate": v.Value, "asOf": v.AsOf.UTC().Format(time.RFC3339)}})
}

// Set changes the value served for a query.
func (a *PartnerAPI) Set(query string, r Reading) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.values[query] = r
}

// Requests returns the number of requests so far, in total and for the
// busiest single query.
func (a *PartnerAPI) Requests() (total, busiest int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, n := range a.requests {
		busiest = max(busiest, n)
	}
	return a.total, busiest
}

// Close stops the server.
func (a *PartnerAPI) Close() { a.srv.Close() }
