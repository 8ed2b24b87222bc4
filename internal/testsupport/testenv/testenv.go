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

// Package testenv starts a real control plane (kube-apiserver and etcd, via
// controller-runtime's envtest) with the Accord CRDs installed, for tests.
//
// The binaries come from KUBEBUILDER_ASSETS when it is set (as `make test`
// does) and otherwise from hack/envtest-assets.sh, which builds them from Go
// modules on first use, so a plain `go test ./...` works too.
package testenv

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zapcore"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/accord-dev/accord/internal/manager"
)

// logs holds every line the manager logged in this test process.
var logs = &lockedBuffer{}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Logs returns everything logged so far through controller-runtime's logger.
func Logs() string {
	logs.mu.Lock()
	defer logs.mu.Unlock()
	return logs.buf.String()
}

// Env is a running control plane with the Accord CRDs installed.
type Env struct {
	// Config reaches the API server as an administrator.
	Config *rest.Config
	// Client is a client for Config with the Accord scheme.
	Client client.Client
	// Root is the repository root.
	Root string

	env     *envtest.Environment
	certDir string
}

// Start starts kube-apiserver and etcd and installs the CRDs from
// config/crd/bases. Call Stop when done.
func Start() (*Env, error) {
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	assets, err := Assets(root)
	if err != nil {
		return nil, err
	}
	// Everything the manager logs is kept for tests that scan it (Logs);
	// set ACCORD_TEST_LOG=debug to also see it on stderr.
	var w io.Writer = logs
	if os.Getenv("ACCORD_TEST_LOG") == "debug" {
		w = io.MultiWriter(logs, os.Stderr)
	}
	logf.SetLogger(zap.New(zap.WriteTo(w), zap.Level(zapcore.DebugLevel)))
	e := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(root, "config", "crd", "bases")},
		ErrorIfCRDPathMissing: true,
		BinaryAssetsDirectory: assets,
	}
	// A certificate folder of our own, rather than one envtest allocates
	// and deletes on stop, lets StartAPIServer bring kube-apiserver back
	// with the same certificates, so clients already configured still work.
	certDir, err := os.MkdirTemp("", "accord-apiserver-")
	if err != nil {
		return nil, fmt.Errorf("create the API server's certificate folder: %w", err)
	}
	e.ControlPlane.GetAPIServer().CertDir = certDir
	// kube-apiserver drains its watches before it exits; on a loaded
	// machine that takes longer than envtest's default 20s.
	e.ControlPlaneStopTimeout = 90 * time.Second
	cfg, err := e.Start()
	if err != nil {
		_ = os.RemoveAll(certDir)
		return nil, fmt.Errorf("start envtest control plane from %s: %w", assets, err)
	}
	// The default client-side rate limit (QPS 5) would make bulk tests
	// measure the limiter rather than the code.
	cfg.QPS, cfg.Burst = 200, 400
	c, err := client.New(cfg, client.Options{Scheme: manager.NewScheme()})
	if err != nil {
		_ = e.Stop()
		return nil, fmt.Errorf("create client: %w", err)
	}
	return &Env{Config: cfg, Client: c, Root: root, env: e, certDir: certDir}, nil
}

// Main is a TestMain for packages that test against the control plane: it
// starts it, stores it in *env, runs the tests, stops it and exits.
func Main(m *testing.M, env **Env) {
	e, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*env = e
	code := m.Run()
	if err := e.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

// Stop stops the control plane.
func (e *Env) Stop() error {
	defer func() { _ = os.RemoveAll(e.certDir) }()
	if err := e.env.Stop(); err != nil {
		return fmt.Errorf("stop envtest control plane: %w", err)
	}
	return nil
}

// StopAPIServer stops kube-apiserver and leaves etcd running, as an API
// server outage or upgrade would.
func (e *Env) StopAPIServer() error {
	if err := e.env.ControlPlane.APIServer.Stop(); err != nil {
		return fmt.Errorf("stop kube-apiserver: %w", err)
	}
	return nil
}

// StartAPIServer starts kube-apiserver again after StopAPIServer, on the
// same address, certificates and etcd, and waits until it is healthy.
func (e *Env) StartAPIServer() error {
	if err := e.env.ControlPlane.APIServer.Start(); err != nil {
		return fmt.Errorf("restart kube-apiserver: %w", err)
	}
	return nil
}

// EtcdURL is the client URL of the control plane's etcd.
func (e *Env) EtcdURL() string {
	return e.env.ControlPlane.Etcd.URL.String()
}

// RepoRoot finds the repository root by walking up from the working
// directory to the folder holding go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Assets returns the folder holding the control-plane binaries, running
// hack/envtest-assets.sh when KUBEBUILDER_ASSETS does not name one.
func Assets(root string) (string, error) {
	if dir := os.Getenv("KUBEBUILDER_ASSETS"); dir != "" {
		return dir, nil
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(filepath.Join(root, "hack", "envtest-assets.sh"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("hack/envtest-assets.sh: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
