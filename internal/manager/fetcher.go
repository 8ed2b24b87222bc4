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

package manager

import (
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/registry"
)

// NewFetcher builds the fetcher of live metric sources for mgr, the one
// cmd/manager, the controllers' tests, the fault suite and the benchmark
// all run: every provider of this build, credentials read with the API
// reader so that Secrets are never cached in the informers, hosts limited
// to allowed (the zero value allows all). clk nil is real time. Hand it to
// controllers.Setup, which wires it into the reconcilers.
func NewFetcher(mgr ctrl.Manager, clk clock.PassiveClock, allowed sources.HostAllowList) *fetch.Fetcher {
	return fetch.New(fetch.Options{Reader: mgr.GetAPIReader(), Clock: clk, Providers: registry.Providers(), AllowedHosts: allowed})
}
