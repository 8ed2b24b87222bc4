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

// Package promserver runs a real Prometheus on 127.0.0.1: history is
// backfilled with promtool from OpenMetrics text, then Debian's prometheus
// serves it from a data folder. Tests use it through internal/testprom;
// the benchmark harness (internal/bench) uses it directly.
package promserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
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

// Start backfills openMetrics (which must end with "# EOF") into dir, an
// empty folder the caller owns, and serves it until Stop. extraArgs are
// passed to prometheus, e.g. "--query.lookback-delta=2d". It fails when
// prometheus or promtool is missing: `make deps` installs them.
func Start(dir, openMetrics string, extraArgs ...string) (*Server, error) {
	return StartWithConfig(dir, openMetrics, "global:\n  scrape_interval: 1h\n", extraArgs...)
}

// StartWithConfig is Start with prometheus.yml's content given, e.g. to
// scrape a manager and evaluate rules; an empty openMetrics backfills
// nothing.
func StartWithConfig(dir, openMetrics, config string, extraArgs ...string) (*Server, error) {
	for _, bin := range []string{"prometheus", "promtool"} {
		if _, err := exec.LookPath(bin); err != nil {
			return nil, fmt.Errorf("%s is not installed; run `make deps` (Debian package prometheus)", bin)
		}
	}
	data := filepath.Join(dir, "data")
	input := filepath.Join(dir, "history.om")
	if openMetrics != "" {
		if err := os.WriteFile(input, []byte(openMetrics), 0o644); err != nil {
			return nil, fmt.Errorf("write history: %w", err)
		}
		if out, err := exec.Command("promtool", "tsdb", "create-blocks-from", "openmetrics", input, data).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("promtool backfill: %w: %s", err, out)
		}
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		return nil, fmt.Errorf("write prometheus.yml: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("find a free port: %w", err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	s := &Server{URL: "http://" + addr, dir: dir, args: append([]string{
		"--config.file=" + cfg, "--storage.tsdb.path=" + data, "--web.listen-address=" + addr,
		"--storage.tsdb.retention.time=3650d", "--log.level=warn"}, extraArgs...)}
	if err := s.Restart(); err != nil {
		return nil, err
	}
	return s, nil
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
func (s *Server) Restart() error {
	s.Stop()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "prometheus", s.args...)
	log, err := os.OpenFile(filepath.Join(s.dir, "prometheus.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		cancel()
		return fmt.Errorf("open prometheus.log: %w", err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		cancel()
		return fmt.Errorf("start prometheus: %w", err)
	}
	s.cmd, s.stop = cmd, cancel
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/-/ready")
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(s.dir, "prometheus.log"))
			s.Stop()
			return fmt.Errorf("prometheus on %s not ready after 30s: %s", s.URL, b)
		}
		time.Sleep(100 * time.Millisecond) // polling a process's readiness, bounded by the deadline
	}
}

// Requests returns how many HTTP requests the server has answered on the
// API handler path (e.g. "/api/v1/query"), from its own
// prometheus_http_requests_total counter.
func (s *Server) Requests(handler string) (float64, error) {
	resp, err := http.Get(s.URL + "/metrics")
	if err != nil {
		return 0, fmt.Errorf("read %s/metrics: %w", s.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		return 0, fmt.Errorf("parse %s/metrics: %w", s.URL, err)
	}
	total := 0.0
	for _, m := range families["prometheus_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "handler" && l.GetValue() == handler {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total, nil
}

// Sample renders one OpenMetrics gauge sample line.
func Sample(metric, labels string, value float64, at time.Time) string {
	return fmt.Sprintf("%s{%s} %g %d\n", metric, labels, value, at.Unix())
}
