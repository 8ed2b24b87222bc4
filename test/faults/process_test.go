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

package faults_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// The manager binary is built once per suite run, into a temporary folder
// TestMain removes.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildTook time.Duration
)

// managerBinary builds ./cmd/manager, the binary a cluster runs.
func managerBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		start := time.Now()
		binDir, buildErr = os.MkdirTemp("", "accord-faults-bin-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "manager")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/manager")
		cmd.Dir = env.Root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/manager: %w: %s", err, out)
		}
		buildTook = time.Since(start)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	t.Logf("manager binary built in %s", buildTook.Round(10*time.Millisecond))
	return binPath
}

func removeManagerBinary() {
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
}

// Leader-election timings the manager processes run with: short, so a
// takeover after a SIGKILL is measured in seconds, not the default 15s.
const (
	leaseDuration = 4 * time.Second
	renewDeadline = 3 * time.Second
	retryPeriod   = 500 * time.Millisecond
	leaseID       = "accord-faults"
)

// process is a manager binary running against the control plane.
type process struct {
	cmd          *exec.Cmd
	started      time.Time
	metricsURL   string
	dashboardURL string
	// exited receives Wait's result once the process is gone.
	exited chan error
}

// processLogs collects the stderr files of a fault's manager processes.
type processLogs struct {
	mu    sync.Mutex
	paths []string
}

// all returns everything every process logged, killed ones included.
func (l *processLogs) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, p := range l.paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.WriteString("read " + p + ": " + err.Error() + "\n")
			continue
		}
		b.Write(data)
	}
	return b.String()
}

// startProcess runs the manager binary for namespace ns, with leader
// election in ns, plain-HTTP metrics and the dashboard on free ports of
// 127.0.0.1, one reconcile of each kind at a time, and debug logs to a
// file logs collects. It is stopped with SIGTERM at the test's end if it is
// still running.
func startProcess(t *testing.T, ns, kubeconfig string, logs *processLogs) *process {
	t.Helper()
	bin := managerBinary(t)
	logs.mu.Lock()
	logPath := filepath.Join(t.TempDir(), fmt.Sprintf("manager-%d.log", len(logs.paths)+1))
	logs.paths = append(logs.paths, logPath)
	logs.mu.Unlock()
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	metrics, dashboard := freeAddr(t), freeAddr(t)
	cmd := exec.Command(bin,
		"--metrics-bind-address="+metrics, "--metrics-secure=false", "--health-probe-bind-address=0",
		"--dashboard-bind-address="+dashboard, "--watch-namespaces="+ns,
		"--leader-elect", "--leader-election-namespace="+ns, "--leader-election-id="+leaseID,
		"--leader-elect-lease-duration="+leaseDuration.String(), "--leader-elect-renew-deadline="+renewDeadline.String(),
		"--leader-elect-retry-period="+retryPeriod.String(),
		// One worker per kind makes a slow fetch hold the KPI queue, so the
		// kill can land with a burst half done.
		"--max-concurrent-reconciles=1", "--zap-log-level=debug",
		// Sources fail closed; the partners of the suite are on loopback.
		"--allowed-source-hosts=*", "--allowed-source-cidrs=127.0.0.0/8")
	cmd.Env = append(os.Environ(), "KUBECONFIG="+kubeconfig)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	dieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		_ = logFile.Close()
		t.Fatalf("start %s: %v", bin, err)
	}
	p := &process{cmd: cmd, started: time.Now(), metricsURL: "http://" + metrics + "/metrics", dashboardURL: "http://" + dashboard + "/", exited: make(chan error, 1)}
	go func() {
		p.exited <- cmd.Wait()
		_ = logFile.Close()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState != nil {
			return
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		// Wait's error is the signal's exit status here: a note, not a finding.
		select {
		case err := <-p.exited:
			t.Logf("manager stopped: %v", err)
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Logf("manager killed after 30s without stopping: %v", <-p.exited)
		}
	})
	return p
}

// kill sends SIGKILL, as the kernel's OOM killer or a node failure would:
// no deferred code runs, the Lease is not released, buffered events are
// lost.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("SIGKILL manager %d: %v", p.cmd.Process.Pid, err)
	}
	select {
	case err := <-p.exited:
		if ws, ok := p.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("manager %d did not die of SIGKILL: %v", p.cmd.Process.Pid, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("manager %d still running 10s after SIGKILL", p.cmd.Process.Pid)
	}
}

// running is the process as the leak check sees it.
func (p *process) running(logs *processLogs) *running {
	return &running{stop: func() {}, metricsURL: p.metricsURL, dashboardURL: p.dashboardURL, logs: logs.all}
}

// leaseHolder reads who holds the manager processes' Lease in ns.
func leaseHolder(ns string) func() string {
	return func() string {
		l := &coordinationv1.Lease{}
		if err := env.Client.Get(ctxT, client.ObjectKey{Namespace: ns, Name: leaseID}, l); err != nil || l.Spec.HolderIdentity == nil {
			return ""
		}
		return *l.Spec.HolderIdentity
	}
}

// gauge reads an unlabelled gauge (go_goroutines, ...) from a metrics page.
func gauge(t *testing.T, page, name string) float64 {
	t.Helper()
	for line := range strings.SplitSeq(page, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("no %s on the metrics page", name)
	return 0
}
