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

package demodata

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Paths the demo's MetricSources and KPIs point at.
const (
	// PartnerAPIPath is the root of the partner's HTTP JSON API.
	PartnerAPIPath = "/pine-ridge"
	// FollowUpQuery is the KPI query under PartnerAPIPath.
	FollowUpQuery = "/v1/measures/follow-up-7d?window=90d"
	// FHIRPath is the root of the health plan's FHIR R4 server.
	FHIRPath = "/fhir/r4"
	// ControllingBPMeasure is the canonical URL of the FHIR Measure.
	ControllingBPMeasure = "http://quality.example/Measure/controlling-blood-pressure"
	// VideoConnectMetric is the gauge the telehealth platform exports.
	VideoConnectMetric = "telehealth_video_connect_success_percent"
)

// Server answers as the three demo systems on one port.
type Server struct {
	// Token is the bearer token the partner API and the FHIR server
	// require; Prometheus scrapes /metrics without one.
	Token string
	// Now is the current time; tests pass a fixed clock.
	Now func() time.Time
}

// Handler routes the partner API, FHIR and /metrics.
func (s *Server) Handler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        VideoConnectMetric,
		Help:        "Share of telehealth video consults that connect on the first attempt, in percent.",
		ConstLabels: prometheus.Labels{"program": "tele-consults"},
	}, func() float64 { return VideoConnect.At(s.Now()) }))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.Handle("GET "+PartnerAPIPath+"/v1/measures/follow-up-7d", s.authorized(http.HandlerFunc(s.followUp)))
	mux.Handle("GET "+FHIRPath+"/MeasureReport", s.authorized(http.HandlerFunc(s.searchReports)))
	mux.Handle("GET "+FHIRPath+"/MeasureReport/{id}", s.authorized(http.HandlerFunc(s.readReport)))
	return mux
}

func (s *Server) authorized(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "missing or wrong bearer token", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	_ = json.NewEncoder(w).Encode(v)
}

// followUp answers like a partner's reporting API: the rate as of the
// start of today, with the counts behind it.
func (s *Server) followUp(w http.ResponseWriter, _ *http.Request) {
	asOf := s.Now().UTC().Truncate(24 * time.Hour)
	rate := FollowUp.At(asOf)
	denominator := 412
	writeJSON(w, "application/json", map[string]any{
		"measure": map[string]any{
			"id":          "follow-up-7d",
			"title":       "Follow-up visit within 7 days of discharge",
			"window":      "90d",
			"rate":        rate,
			"numerator":   int(rate * float64(denominator) / 100),
			"denominator": denominator,
			"asOf":        asOf.Format(time.RFC3339),
		},
	})
}

// report is a MeasureReport for one calendar month, as a FHIR R4 server
// sends it.
func report(month time.Time) map[string]any {
	end := month.AddDate(0, 1, -1)
	return map[string]any{
		"resourceType": "MeasureReport",
		"id":           "cbp-" + month.Format("2006-01"),
		"status":       "complete",
		"type":         "summary",
		"measure":      ControllingBPMeasure,
		"subject":      map[string]any{"reference": "Organization/heartland-medicaid"},
		"period":       map[string]any{"start": month.Format(time.DateOnly), "end": end.Format(time.DateOnly)},
		"group": []any{map[string]any{
			"measureScore": map[string]any{"value": ControllingBP.At(end), "unit": "%"},
		}},
	}
}

// months are the first days of the last n complete calendar months.
func (s *Server) months(n int) []time.Time {
	now := s.Now().UTC()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	out := make([]time.Time, n)
	for i := range out {
		out[i] = first.AddDate(0, -(i + 1), 0)
	}
	return out
}

func (s *Server) searchReports(w http.ResponseWriter, r *http.Request) {
	var entries []any
	if m := r.URL.Query().Get("measure"); m == "" || m == ControllingBPMeasure {
		for _, month := range s.months(6) {
			entries = append(entries, map[string]any{"resource": report(month)})
		}
	}
	writeJSON(w, "application/fhir+json", map[string]any{
		"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries,
	})
}

func (s *Server) readReport(w http.ResponseWriter, r *http.Request) {
	for _, month := range s.months(6) {
		if rep := report(month); rep["id"] == r.PathValue("id") {
			writeJSON(w, "application/fhir+json", rep)
			return
		}
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = fmt.Fprint(w, `{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}`)
}
