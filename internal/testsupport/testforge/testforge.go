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

// Package testforge replays recorded exchanges of a forge's REST API
// (GitHub's pull requests, GitLab's merge requests) on 127.0.0.1, for the
// tests of accordctl record --push and the dashboard's forms.
package testforge

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// exchange is a recorded request and answer of a forge's API, in the
// format of internal/cli/testdata/forge (see its README).
type exchange struct {
	Request struct {
		Method       string            `json:"method"`
		Path         string            `json:"path"`
		Headers      map[string]string `json:"headers"`
		Body         map[string]string `json:"body"`
		BodyContains []string          `json:"bodyContains"`
	} `json:"request"`
	Response struct {
		Status  int               `json:"status"`
		Headers map[string]string `json:"headers"`
		Body    json.RawMessage   `json:"body"`
	} `json:"response"`
}

// Replay serves the recorded exchange in file on 127.0.0.1: a request
// that does not match the recording (method, path, the recorded headers
// and body fields) fails the test and gets a 400. The count is the
// requests it received.
func Replay(t testing.TB, file string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	name := filepath.Base(file)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var ex exchange
	if err := json.Unmarshal(b, &ex); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fail := func(format string, args ...any) {
			t.Errorf("%s: "+format, append([]any{name}, args...)...)
			http.Error(w, "request does not match the recording", http.StatusBadRequest)
		}
		if r.Method != ex.Request.Method || r.URL.EscapedPath() != ex.Request.Path {
			fail("got %s %s, recorded %s %s", r.Method, r.URL.EscapedPath(), ex.Request.Method, ex.Request.Path)
			return
		}
		for k, v := range ex.Request.Headers {
			if got := r.Header.Get(k); got != v {
				fail("header %s = %q, recorded %q", k, got, v)
				return
			}
		}
		var body map[string]string
		data, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(data, &body); err != nil {
			fail("body is not a JSON object of strings: %v: %s", err, data)
			return
		}
		for k, v := range ex.Request.Body {
			if body[k] != v {
				fail("body %s = %q, recorded %q", k, body[k], v)
				return
			}
		}
		text := body["body"] + body["description"]
		for _, s := range ex.Request.BodyContains {
			if !strings.Contains(text, s) {
				fail("description lacks %q:\n%s", s, text)
				return
			}
		}
		for k, v := range ex.Response.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(ex.Response.Status)
		_, _ = w.Write(ex.Response.Body)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}
