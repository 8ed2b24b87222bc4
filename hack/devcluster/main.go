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

// Command devcluster runs a local Kubernetes control plane (kube-apiserver
// and etcd, started by controller-runtime's envtest) for `make demo` and
// for trying Accord without a cluster. It writes an administrator
// kubeconfig, prints "ready", and runs until interrupted.
//
// There are no nodes, so Pods never run; the Accord manager runs beside it
// as a local process, which is all the operator needs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"sigs.k8s.io/controller-runtime/pkg/envtest"
)

func main() {
	kubeconfig := flag.String("write-kubeconfig", "bin/demo/kubeconfig", "Where to write the administrator kubeconfig.")
	assets := flag.String(
		"assets",
		os.Getenv("KUBEBUILDER_ASSETS"),
		"Folder holding kube-apiserver and etcd (default $KUBEBUILDER_ASSETS).",
	)
	flag.Parse()
	if err := run(*kubeconfig, *assets); err != nil {
		fmt.Fprintf(os.Stderr, "devcluster: %v\n", err)
		os.Exit(1)
	}
}

func run(kubeconfig, assets string) error {
	if assets == "" {
		return fmt.Errorf(
			"no control-plane binaries: pass -assets or set KUBEBUILDER_ASSETS (hack/envtest-assets.sh prints the folder)",
		)
	}
	env := &envtest.Environment{BinaryAssetsDirectory: assets}
	if _, err := env.Start(); err != nil {
		return fmt.Errorf("start control plane from %s: %w", assets, err)
	}
	defer func() { _ = env.Stop() }()

	user, err := env.AddUser(envtest.User{Name: "demo-admin", Groups: []string{"system:masters"}}, nil)
	if err != nil {
		return fmt.Errorf("create admin user: %w", err)
	}
	b, err := user.KubeConfig()
	if err != nil {
		return fmt.Errorf("render kubeconfig: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(kubeconfig), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(kubeconfig), err)
	}
	// Written then renamed, so a reader never sees half a kubeconfig.
	tmp := kubeconfig + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	if err := os.Rename(tmp, kubeconfig); err != nil {
		return fmt.Errorf("write kubeconfig: %w", err)
	}
	fmt.Printf("ready: API server %s, kubeconfig %s\n", env.Config.Host, kubeconfig)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	fmt.Println("stopping control plane")
	_ = os.Remove(kubeconfig)
	return nil
}
