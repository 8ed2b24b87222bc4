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

// Package httpjson reads KPI values from JSON HTTP APIs: GET the endpoint
// plus the KPI's query (a path with optional query parameters), then
// extract the value, or a rate's numerator and denominator, and its time or
// period with kubectl's JSONPath (client-go's jsonpath package, so users
// write the same expressions they use with kubectl).
package httpjson

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/util/jsonpath"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Provider reads HTTPJSON sources.
type Provider struct{}

// Fetch GETs the query and extracts the value (or a rate's counts) and,
// when asked, its time or period.
func (Provider) Fetch(ctx context.Context, req sources.Request) (evaluate.Observation, error) {
	if err := sources.CheckQueryFields(v1.SourceHTTPJSON, req.Query); err != nil {
		return evaluate.Observation{}, err
	}
	u, err := resolve(req.Endpoint, req.Query.Query)
	if err != nil {
		return evaluate.Observation{}, err
	}
	body, err := req.Get(ctx, u, "application/json")
	if err != nil {
		return evaluate.Observation{}, err
	}
	return observe(body, pathsOf(req.Query), req.Now)
}

// paths are the JSONPath expressions of a KPI's spec.source.
type paths struct {
	value, timestamp, numerator, denominator, periodStart, periodEnd string
}

func pathsOf(q *v1.KPISource) paths {
	return paths{value: q.JSONPath, timestamp: q.TimestampJSONPath, numerator: q.NumeratorJSONPath,
		denominator: q.DenominatorJSONPath, periodStart: q.PeriodStartJSONPath, periodEnd: q.PeriodEndJSONPath}
}

// observe reads the value, or a rate's numerator and denominator, and the
// time or period from a JSON answer; now is the time of answers without
// one. It touches no network, so it can be fuzzed on its own. Its errors
// name the spec.source field at fault and never quote the answer, which
// may carry patient data.
func observe(body []byte, p paths, now time.Time) (evaluate.Observation, error) {
	// The API server refuses these combinations (CEL on KPISource); they
	// are checked again for objects that never passed it (local files).
	switch {
	case (p.numerator == "") != (p.denominator == ""):
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "spec.source.numeratorJSONPath and denominatorJSONPath go together: a rate needs both counts")
	case p.numerator != "" && p.value != "":
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "spec.source.jsonPath cannot be set with numeratorJSONPath: with counts the value is numerator / denominator")
	case p.timestamp != "" && p.periodEnd != "":
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "spec.source.timestampJSONPath and periodEndJSONPath both give the observation time: set one")
	case p.periodStart != "" && p.periodEnd == "":
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "spec.source.periodStartJSONPath needs periodEndJSONPath: a period is read with its end")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the answer is not valid JSON")
	}
	var obs evaluate.Observation
	if p.numerator != "" {
		num, err := count(doc, "numeratorJSONPath", p.numerator)
		if err != nil {
			return evaluate.Observation{}, err
		}
		den, err := count(doc, "denominatorJSONPath", p.denominator)
		if err != nil {
			return evaluate.Observation{}, err
		}
		if obs, err = sources.RateCounts(num, den, "the answer"); err != nil {
			return evaluate.Observation{}, err
		}
	} else {
		field, path := "jsonPath", p.value
		if path == "" {
			path = "{.value}"
		}
		raw, err := extract(doc, field, path)
		if err != nil {
			return evaluate.Observation{}, err
		}
		v, err := number(raw)
		if err != nil {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the value at %s (spec.source.jsonPath) is not a finite number", path)
		}
		obs.Value = v
	}
	obs.Time = now
	switch {
	case p.timestamp != "":
		t, err := timeAt(doc, "timestampJSONPath", p.timestamp, timestamp)
		if err != nil {
			return evaluate.Observation{}, err
		}
		obs.Time = t
	case p.periodEnd != "":
		end, err := timeAt(doc, "periodEndJSONPath", p.periodEnd, func(v any) (time.Time, error) { return periodTime(v, true) })
		if err != nil {
			return evaluate.Observation{}, err
		}
		obs.Time = end
		if p.periodStart != "" {
			start, err := timeAt(doc, "periodStartJSONPath", p.periodStart, func(v any) (time.Time, error) { return periodTime(v, false) })
			if err != nil {
				return evaluate.Observation{}, err
			}
			if start.After(end) {
				return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the period at %s starts after its end at %s", p.periodStart, p.periodEnd)
			}
			obs.PeriodStart = start
		}
	}
	return obs, nil
}

// count reads one of a rate's counts: a whole number (the checks shared by
// every source, such as numerator at most denominator, follow in
// sources.RateCounts).
func count(doc any, field, path string) (float64, error) {
	raw, err := extract(doc, field, path)
	if err != nil {
		return 0, err
	}
	v, err := number(raw)
	if err != nil || !sources.WholeNumber(v) {
		return 0, sources.Errorf(sources.ReasonMalformedResponse, "the count at %s (spec.source.%s) is not a whole number", path, field)
	}
	return v, nil
}

// timeAt reads a time with parse, naming the field when it is not one.
func timeAt(doc any, field, path string, parse func(any) (time.Time, error)) (time.Time, error) {
	raw, err := extract(doc, field, path)
	if err != nil {
		return time.Time{}, err
	}
	t, err := parse(raw)
	if err != nil {
		what := "neither RFC 3339 nor Unix seconds"
		if field != "timestampJSONPath" {
			what = "neither a date (YYYY-MM-DD), RFC 3339 nor Unix seconds"
		}
		return time.Time{}, sources.Errorf(sources.ReasonMalformedResponse, "the time at %s (spec.source.%s) is %s", path, field, what)
	}
	return t, nil
}

// resolve joins the endpoint and the query path, refusing queries that
// would leave the endpoint's host.
func resolve(endpoint *url.URL, query string) (*url.URL, error) {
	ref, err := url.Parse(query)
	if err != nil || ref.IsAbs() || ref.Host != "" {
		return nil, sources.Errorf(sources.ReasonInvalidQuery, "the query must be a path relative to the endpoint, such as /api/v1/rates?measure=readmissions")
	}
	u := *endpoint
	u.Path = strings.TrimSuffix(endpoint.Path, "/") + "/" + strings.TrimPrefix(ref.Path, "/")
	q := endpoint.Query()
	for k, vs := range ref.Query() {
		for _, v := range vs {
			q.Add(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return &u, nil
}

// extract evaluates the JSONPath expression of spec.source.<field> and
// insists on exactly one result.
func extract(doc any, field, expr string) (any, error) {
	jp := jsonpath.New("kpi")
	if err := jp.Parse(expr); err != nil {
		return nil, sources.Errorf(sources.ReasonInvalidQuery, "spec.source.%s: JSONPath %q does not parse: %v", field, expr, err)
	}
	results, err := jp.FindResults(doc)
	if err != nil {
		return nil, sources.Errorf(sources.ReasonQueryReturnedNoData, "spec.source.%s: JSONPath %s found nothing in the answer", field, expr)
	}
	var found []any
	for _, r := range results {
		for _, v := range r {
			found = append(found, v.Interface())
		}
	}
	switch len(found) {
	case 0:
		return nil, sources.Errorf(sources.ReasonQueryReturnedNoData, "spec.source.%s: JSONPath %s found nothing in the answer", field, expr)
	case 1:
		return found[0], nil
	default:
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "spec.source.%s: JSONPath %s found %d values; it must select exactly one", field, expr, len(found))
	}
}

func number(v any) (float64, error) {
	var f float64
	var err error
	switch x := v.(type) {
	case json.Number:
		f, err = x.Float64()
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(x), 64)
	case float64:
		f = x
	default:
		return 0, strconv.ErrSyntax
	}
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, strconv.ErrSyntax
	}
	return f, nil
}

func timestamp(v any) (time.Time, error) {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), nil
		}
	}
	f, err := number(v)
	if err != nil || f < 0 || f > 1e11 {
		return time.Time{}, strconv.ErrSyntax
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), nil
}

// periodTime reads a period's start or end: a date (YYYY-MM-DD) is the
// first instant of that day, or its last when end is true (as FHIR reads
// a period's dates), and anything else is read as a timestamp.
func periodTime(v any, end bool) (time.Time, error) {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err == nil {
			if end {
				return t.AddDate(0, 0, 1).Add(-time.Second), nil
			}
			return t, nil
		}
	}
	return timestamp(v)
}
