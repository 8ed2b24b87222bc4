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
// extract the value with kubectl's JSONPath (client-go's jsonpath package,
// so users write the same expressions they use with kubectl).
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

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Provider reads HTTPJSON sources.
type Provider struct{}

// Fetch GETs the query and extracts the value (and, when asked, its time).
func (Provider) Fetch(ctx context.Context, req sources.Request) (evaluate.Observation, error) {
	u, err := resolve(req.Endpoint, req.Query.Query)
	if err != nil {
		return evaluate.Observation{}, err
	}
	body, err := req.Get(ctx, u, "application/json")
	if err != nil {
		return evaluate.Observation{}, err
	}
	return observe(body, req.Query.JSONPath, req.Query.TimestampJSONPath, req.Now)
}

// observe reads the value (and, when timePath is set, its time) from a JSON
// answer; now is the time of answers without one. It touches no network, so
// it can be fuzzed on its own. Its errors never quote the answer, which may
// carry patient data.
func observe(body []byte, valuePath, timePath string, now time.Time) (evaluate.Observation, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the answer is not valid JSON")
	}
	path := valuePath
	if path == "" {
		path = "{.value}"
	}
	raw, err := extract(doc, path)
	if err != nil {
		return evaluate.Observation{}, err
	}
	v, err := number(raw)
	if err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the value at %s is not a finite number", path)
	}
	obs := evaluate.Observation{Time: now, Value: v}
	if tp := timePath; tp != "" {
		rawT, err := extract(doc, tp)
		if err != nil {
			return evaluate.Observation{}, err
		}
		t, err := timestamp(rawT)
		if err != nil {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the time at %s is neither RFC 3339 nor Unix seconds", tp)
		}
		obs.Time = t
	}
	return obs, nil
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

// extract evaluates a JSONPath expression and insists on exactly one result.
func extract(doc any, expr string) (any, error) {
	jp := jsonpath.New("kpi")
	if err := jp.Parse(expr); err != nil {
		return nil, sources.Errorf(sources.ReasonInvalidQuery, "JSONPath %q does not parse: %v", expr, err)
	}
	results, err := jp.FindResults(doc)
	if err != nil {
		return nil, sources.Errorf(sources.ReasonQueryReturnedNoData, "JSONPath %s found nothing in the answer", expr)
	}
	var found []any
	for _, r := range results {
		for _, v := range r {
			found = append(found, v.Interface())
		}
	}
	switch len(found) {
	case 0:
		return nil, sources.Errorf(sources.ReasonQueryReturnedNoData, "JSONPath %s found nothing in the answer", expr)
	case 1:
		return found[0], nil
	default:
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "JSONPath %s found %d values; it must select exactly one", expr, len(found))
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
