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

// Package fhir reads KPI values from FHIR R4 MeasureReport resources: a
// report read by id ("MeasureReport/123") or the latest report a search
// returns ("MeasureReport?measure=<canonical>&subject=<reference>"). The
// value is the first group's measureScore, or its numerator over its
// denominator; the observation time is the end of the report's period.
//
// Reports are decoded into typed structs holding only the fields Accord
// reads (see docs/metric-sources.md for why not a full FHIR model
// library): everything else, including any patient-level content, is
// never decoded.
package fhir

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Provider reads FHIR sources.
type Provider struct{}

type quantity struct {
	Value *json.Number `json:"value"`
}

type coding struct {
	Code string `json:"code"`
}

type population struct {
	Code struct {
		Coding []coding `json:"coding"`
	} `json:"code"`
	Count *int64 `json:"count"`
}

type group struct {
	MeasureScore *quantity    `json:"measureScore"`
	Population   []population `json:"population"`
}

type measureReport struct {
	ResourceType string `json:"resourceType"`
	Status       string `json:"status"`
	Period       struct {
		Start string `json:"start"`
		End   string `json:"end"`
	} `json:"period"`
	Group []group `json:"group"`
}

type bundle struct {
	ResourceType string `json:"resourceType"`
	Entry        []struct {
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

// Fetch reads the report (or searches for the latest) and takes its score.
func (Provider) Fetch(ctx context.Context, req sources.Request) (evaluate.Observation, error) {
	q := strings.TrimPrefix(req.Query.Query, "/")
	if !strings.HasPrefix(q, "MeasureReport/") && !strings.HasPrefix(q, "MeasureReport?") {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, `the query must be "MeasureReport/<id>" or "MeasureReport?<search>"`)
	}
	ref, err := url.Parse(q)
	if err != nil || strings.Contains(ref.Path, "..") {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "the query is not a valid FHIR path")
	}
	u := *req.Endpoint
	u.Path = strings.TrimSuffix(req.Endpoint.Path, "/") + "/" + ref.Path
	u.RawQuery = ref.RawQuery
	body, err := req.Get(ctx, &u, "application/fhir+json")
	if err != nil {
		return evaluate.Observation{}, err
	}
	return parse(body)
}

// parse reads the observation from a MeasureReport or a search Bundle of
// them. It touches no network, so it can be fuzzed on its own; its errors
// never quote the answer.
func parse(body []byte) (evaluate.Observation, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the answer is not FHIR JSON")
	}
	var reports []measureReport
	switch head.ResourceType {
	case "MeasureReport":
		var r measureReport
		if err := decode(body, &r); err != nil {
			return evaluate.Observation{}, err
		}
		reports = append(reports, r)
	case "Bundle":
		var b bundle
		if err := decode(body, &b); err != nil {
			return evaluate.Observation{}, err
		}
		for _, e := range b.Entry {
			var r measureReport
			if err := decode(e.Resource, &r); err == nil && r.ResourceType == "MeasureReport" {
				reports = append(reports, r)
			}
		}
	default:
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the answer is a %s, not a MeasureReport or a Bundle", safeType(head.ResourceType))
	}
	return latest(reports)
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return sources.Errorf(sources.ReasonMalformedResponse, "the answer does not match the FHIR R4 MeasureReport structure")
	}
	return nil
}

// latest picks the complete report with the latest period end and reads it.
func latest(reports []measureReport) (evaluate.Observation, error) {
	var best *evaluate.Observation
	var firstErr error
	for _, r := range reports {
		o, err := read(r)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best == nil || o.Time.After(best.Time) {
			best = &o
		}
	}
	switch {
	case best != nil:
		return *best, nil
	case firstErr != nil:
		return evaluate.Observation{}, firstErr
	default:
		return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "the search found no MeasureReport")
	}
}

func read(r measureReport) (evaluate.Observation, error) {
	if r.Status != "complete" {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "the MeasureReport is %s, not complete", safeType(r.Status))
	}
	end, err := fhirTime(r.Period.End)
	if err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the MeasureReport's period.end is not a FHIR date or dateTime")
	}
	if len(r.Group) == 0 {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "the MeasureReport has no group")
	}
	g := r.Group[0]
	if g.MeasureScore != nil && g.MeasureScore.Value != nil {
		v, err := g.MeasureScore.Value.Float64()
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "group[0].measureScore.value is not a finite number")
		}
		return evaluate.Observation{Time: end, Value: v}, nil
	}
	var num, den *int64
	for _, p := range g.Population {
		for _, c := range p.Code.Coding {
			switch c.Code {
			case "numerator":
				num = p.Count
			case "denominator":
				den = p.Count
			}
		}
	}
	if num == nil || den == nil || *den == 0 {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "group[0] has neither a measureScore nor numerator and denominator counts")
	}
	return evaluate.Observation{Time: end, Value: float64(*num) / float64(*den)}, nil
}

// fhirTime parses a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD) or dateTime. A
// partial date means the end of that day, month or year.
func fhirTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil {
			return f.next(t).Add(-time.Second), nil
		}
	}
	return time.Time{}, sources.Errorf(sources.ReasonMalformedResponse, "bad FHIR date")
}

// safeType names a resource type or status in a message only when it has
// the shape FHIR gives them (a resource type is one capitalised word, a
// status a lower-case code); anything else may be data that was put in the
// wrong field, so it is not repeated.
func safeType(s string) string {
	switch {
	case s == "":
		return "unknown"
	case len(s) <= 40 && (resourceType.MatchString(s) || statusCode.MatchString(s)):
		return s
	default:
		return "an unexpected value"
	}
}

var (
	resourceType = regexp.MustCompile(`^[A-Z][A-Za-z]*$`)
	statusCode   = regexp.MustCompile(`^[a-z][a-z-]*$`)
)
