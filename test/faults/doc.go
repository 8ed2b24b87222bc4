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

// Package faults is Accord's fault-injection suite. It holds only tests:
// each breaks one thing the operator depends on (a metric source, the
// manager process, the API server, etcd, the clock, a concurrent writer)
// against a real control plane, real HTTP servers on 127.0.0.1 and a real
// Prometheus, and measures how long the operator took to show the fault
// and to recover, and whether any update was lost.
//
// `go test ./faults/` (part of `make test`) runs a short subset;
// `make faults` runs every fault and prints the table that
// docs/reliability.md publishes; `make faults FAULT=SourceDown` runs one.
package faults
