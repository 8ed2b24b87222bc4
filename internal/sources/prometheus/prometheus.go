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

// Package prometheus reads KPI values from Prometheus with an instant query,
// through prometheus/client_golang's API client. A scalar or a vector with
// exactly one series is a value, observed at the sample's own timestamp.
// With a denominatorQuery, the query and it are a rate's numerator and
// denominator, both asked at the same instant.
package prometheus

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/prometheus/client_golang/api"
	promv1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Provider reads Prometheus sources.
type Provider struct{}

// Fetch runs the KPI's PromQL expression as an instant query at req.Now;
// with spec.source.denominatorQuery, it runs that too, at the same
// instant, and the two answers are a rate's numerator and denominator.
func (Provider) Fetch(ctx context.Context, req sources.Request) (evaluate.Observation, error) {
	if err := sources.CheckQueryFields(v1.SourcePrometheus, req.Query); err != nil {
		return evaluate.Observation{}, err
	}
	c, err := api.NewClient(api.Config{Address: req.Endpoint.String(), Client: req.HTTPClient()})
	if err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "spec.endpoint is not usable as a Prometheus address")
	}
	prom := promv1.NewAPI(c)
	// Prometheus evaluates at whole milliseconds and rounds to the nearest
	// one: asked at now it may answer half a millisecond later, and the
	// evaluation would drop that value as one from the future.
	at := req.Now.Truncate(time.Millisecond)
	num, err := instant(ctx, prom, req.Query.Query, at)
	if err != nil || req.Query.DenominatorQuery == "" {
		return num, err
	}
	den, err := instant(ctx, prom, req.Query.DenominatorQuery, at)
	if err != nil {
		return evaluate.Observation{}, err
	}
	return rate(num, den)
}

// instant runs q at the instant at and reads its one value.
func instant(ctx context.Context, prom promv1.API, q string, at time.Time) (evaluate.Observation, error) {
	val, _, err := prom.Query(ctx, q, at)
	if err != nil {
		return evaluate.Observation{}, queryError(err, q)
	}
	return observation(val, q, func(eval model.Time) model.Time { return sampleTime(ctx, prom, q, at, eval) })
}

// rate makes a rate of the numerator's and the denominator's answers,
// both read at one instant. It is observed at the older of their samples'
// times: a rate is as old as the older of its counts. Prometheus counts
// need not be whole (increase() extrapolates to the window's edges).
func rate(num, den evaluate.Observation) (evaluate.Observation, error) {
	obs, err := sources.RateCounts(num.Value, den.Value, "spec.source.query over denominatorQuery")
	if err != nil {
		return evaluate.Observation{}, err
	}
	obs.Time = num.Time
	if den.Time.Before(obs.Time) {
		obs.Time = den.Time
	}
	return obs, nil
}

// sampleTime asks Prometheus when the underlying sample was taken: an
// instant vector carries the evaluation time, timestamp() the sample's own
// (for computed expressions that is the evaluation time again). On any
// failure the evaluation time stands.
func sampleTime(ctx context.Context, prom promv1.API, q string, at time.Time, eval model.Time) model.Time {
	val, _, err := prom.Query(ctx, "timestamp("+q+")", at)
	if err != nil {
		return eval
	}
	return timestampOf(val, eval)
}

// queryError maps the API client's errors onto reasons. No text of the
// server's is kept: a bad_data message echoes whatever the server (or
// whatever answers in its place) chose to put there, and it would reach
// status, events and logs.
func queryError(err error, q string) error {
	if se, ok := errors.AsType[*sources.Error](err); ok {
		return se
	}
	if pe, ok := errors.AsType[*promv1.Error](err); ok {
		switch pe.Type {
		case promv1.ErrBadData:
			return sources.Errorf(sources.ReasonInvalidQuery, "query %q was rejected by Prometheus as bad data (a syntax error, an unknown function or a wrong argument); try it in the Prometheus UI or with promtool", q)
		case promv1.ErrTimeout, promv1.ErrCanceled:
			return sources.Errorf(sources.ReasonTimeout, "query %q timed out", q)
		case promv1.ErrClient:
			if strings.Contains(pe.Msg, "401") || strings.Contains(pe.Msg, "403") {
				return sources.Errorf(sources.ReasonUnauthorized, "the server refused the credentials")
			}
		case promv1.ErrBadResponse:
			return sources.Errorf(sources.ReasonMalformedResponse, "the answer is not a Prometheus API response")
		}
	}
	return err // transport errors are classified by the fetcher
}
