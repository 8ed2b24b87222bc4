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
// serves it on 127.0.0.1 from a temporary data folder.
package testprom

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Server is a running Prometheus.
type Server struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:43121.
	URL  string
	args []string
	dir  string
	cmd  *exec.Cmd
	stop context.CancelFunc
}

// Start backfills openMetrics (which must end with "# EOF") and serves it;
// the server stops when the test ends. It fails the test when prometheus
// or promtool is missing: `make deps` installs them.
func Start(t testing.TB, openMetrics string) *Server {
	t.Helper()
	for _, bin := range []string{"prometheus", "promtool"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is not installed; run `make deps` (Debian package prometheus)", bin)
		}
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	input := filepath.Join(dir, "history.om")
	if err := os.WriteFile(input, []byte(openMetrics), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("promtool", "tsdb", "create-blocks-from", "openmetrics", input, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool backfill: %v: %s", err, out)
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global:\n  scrape_interval: 1h\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &Server{URL: "http://" + addr, dir: dir, args: []string{
		"--config.file=" + cfg, "--storage.tsdb.path=" + data, "--web.listen-address=" + addr,
		"--storage.tsdb.retention.time=3650d", "--log.level=warn"}}
	s.Restart(t)
	t.Cleanup(s.Stop)
	return s
}

// Stop stops the server, as an outage would; its data stays.
func (s *Server) Stop() {
	if s.cmd != nil {
		s.stop()
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

// Restart starts the server again on the same address and data, and waits
// until it is ready.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "prometheus", s.args...)
	log, err := os.OpenFile(filepath.Join(s.dir, "prometheus.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatalf("start prometheus: %v", err)
	}
	s.cmd, s.stop = cmd, cancel
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(s.dir, "prometheus.log"))
			t.Fatalf("prometheus on %s not ready after 30s: %s", s.URL, b)
		}
		time.Sleep(100 * time.Millisecond) // polling a process's readiness, bounded by the deadline
	}
}

// Sample renders one OpenMetrics gauge sample line.
func Sample(metric, labels string, value float64, at time.Time) string {
	return fmt.Sprintf("%s{%s} %g %d\n", metric, labels, value, at.Unix())
}
