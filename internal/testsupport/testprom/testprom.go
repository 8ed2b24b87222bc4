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

// Package testprom starts a real Prometheus server for tests: history is
// backfilled with promtool from OpenMetrics text, then Debian's prometheus
// serves it on 127.0.0.1 from a temporary data folder. It is a thin
// testing.TB wrapper around internal/promserver.
package testprom

import (
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/testsupport/promserver"
)

// Server is a running Prometheus.
type Server struct {
	*promserver.Server
}

// Start backfills openMetrics (which must end with "# EOF") and serves it;
// the server stops when the test ends. It fails the test when prometheus
// or promtool is missing: `make deps` installs them.
func Start(t testing.TB, openMetrics string) *Server {
	t.Helper()
	s, err := promserver.Start(t.TempDir(), openMetrics)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return &Server{s}
}

// Restart starts the server again on the same address and data, and waits
// until it is ready.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	if err := s.Server.Restart(); err != nil {
		t.Fatal(err)
	}
}

// Sample renders one OpenMetrics gauge sample line.
func Sample(metric, labels string, value float64, at time.Time) string {
	return promserver.Sample(metric, labels, value, at)
}
