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

// Command promrule wraps a Prometheus rules file in prometheus-operator's
// PrometheusRule, so config/prometheus ships one set of alert rules in two
// forms that cannot drift (go generate ./config/prometheus runs it).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/accord-dev/accord/config/prometheus"
)

func main() {
	in := flag.String("rules", "accord.rules.yaml", "the Prometheus rules file to wrap")
	out := flag.String("out", "prometheusrule.yaml", "where to write the PrometheusRule")
	flag.Parse()
	src, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, err := prometheus.PrometheusRule(src)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", *in, err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
