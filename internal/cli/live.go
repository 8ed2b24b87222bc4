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

package cli

import (
	"github.com/spf13/pflag"
	"k8s.io/utils/clock"

	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/registry"
)

// liveEgress is what --live may reach, with the operator's rules: the
// files read come from a repository anyone may send a pull request to,
// and a CI runner sits inside a network too. Hosts default to any public
// host; loopback, private, link-local and metadata addresses are refused
// unless --allowed-source-cidrs covers them (metadata never).
type liveEgress struct {
	hosts, cidrs string
}

func (e *liveEgress) register(f *pflag.FlagSet) {
	f.StringVar(&e.hosts, "allowed-source-hosts", "*", `with --live: comma-separated hosts sources may reach (host, host:port, *.domain; "*" is any host on a public address)`)
	f.StringVar(&e.cidrs, "allowed-source-cidrs", "", "with --live: comma-separated address ranges sources may reach although private or loopback, e.g. 10.20.0.0/16 (cloud metadata addresses never)")
}

// fetcher reads the live sources of objs, as of clk, within the allowance.
func (e *liveEgress) fetcher(objs *portfolio.Set, clk clock.PassiveClock) (*fetch.Fetcher, error) {
	allowed, err := sources.ParseHostAllowList(e.hosts)
	if err == nil {
		allowed, err = allowed.WithCIDRs(e.cidrs)
	}
	if err != nil {
		return nil, usageError(err)
	}
	return fetch.New(fetch.Options{Reader: objs.Reader(), Clock: clk, Providers: registry.Providers(), AllowedHosts: allowed,
		// One evaluation, no reconcile to come back: wait for every answer.
		Wait: -1}), nil
}
