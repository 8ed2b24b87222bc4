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

// Command argocdcm writes config/argocd/argocd-cm.yaml from the health
// scripts in config/argocd/health, so the scripts have one source. It runs
// from `go generate ./config/argocd` (and `make generate`); a test fails
// when the committed ConfigMap differs from what it would write.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/accord-dev/accord/internal/packaging/argocdhealth"
)

func main() {
	scripts := flag.String("scripts", "health", "folder holding <kind>.lua for every Accord kind")
	out := flag.String("out", "argocd-cm.yaml", "ConfigMap patch to write")
	flag.Parse()
	if err := run(*scripts, *out); err != nil {
		fmt.Fprintln(os.Stderr, "argocdcm:", err)
		os.Exit(1)
	}
}

func run(scripts, out string) error {
	s, err := argocdhealth.LoadScripts(scripts)
	if err != nil {
		return err
	}
	b, err := argocdhealth.ConfigMap(s)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}
