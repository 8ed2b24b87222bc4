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

package prometheus_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
)

// Issue 18, test 8 (the provider's half; test/faults FAULT=PrometheusBadData
// checks status, events, logs and metrics with the operator running): a
// 400 bad_data answer's error text is the server's to choose, so none of
// it is kept. The reason and a fixed sentence say what went wrong.
func TestBadDataErrorTextFromTheServerIsNeverKept(t *testing.T) {
	const marker = "MRN-UPSTREAM-5150"
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error: patient %s unexpected"}`, marker)
	}))
	defer srv.Close()
	_, err := fetcher(time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)).Fetch(context.Background(), source(srv.URL), &v1.KPISource{Query: "up"})
	re, ok := err.(interface{ Reason() sources.Reason })
	if !ok || re.Reason() != sources.ReasonInvalidQuery || !strings.Contains(err.Error(), `query "up" was rejected by Prometheus as bad data`) {
		t.Fatalf("got %v; want InvalidQuery in a fixed sentence", err)
	}
	if hits.Load() == 0 {
		t.Fatal("the server was not asked")
	}
	if strings.Contains(err.Error(), marker) || strings.Contains(err.Error(), "parse error") {
		t.Fatalf("the server's error text reached the message: %q", err)
	}
}
