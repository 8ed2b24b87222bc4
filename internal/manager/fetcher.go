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
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/registry"
)

// FetchLimits bound what the fetcher does at once: the manager's flags.
// The zero value is the fetcher's defaults.
type FetchLimits struct {
	// Workers is --fetch-workers: requests to sources at once.
	Workers int
	// WorkersPerNamespace is --fetch-workers-per-namespace: those one
	// namespace may hold.
	WorkersPerNamespace int
	// MaxResponseBytes is --max-response-bytes: the largest answer of any
	// source, whatever its spec.maxResponseBytes.
	MaxResponseBytes int64
	// MaxBytesInFlight is --max-bytes-in-flight: the memory answers being
	// read and decoded may take at once.
	MaxBytesInFlight int64
}

// NewFetcher builds the fetcher of live metric sources for mgr, the one
// cmd/manager, the controllers' tests, the fault suite and the benchmark
// all run: every provider of this build; Secrets read from the manager's
// cache, which holds only those labelled for metric sources, ConfigMaps
// (CA bundles) with the API reader, so that no ConfigMap is cached;
// reaching only what allowed allows (the zero value allows nothing);
// within limits (at most one; none is the defaults). clk nil is real
// time. Hand it to controllers.Setup, which wires it into the reconcilers.
func NewFetcher(mgr ctrl.Manager, clk clock.PassiveClock, allowed sources.HostAllowList, limits ...FetchLimits) *fetch.Fetcher {
	r := credentialReader{secrets: mgr.GetClient(), other: mgr.GetAPIReader()}
	var l FetchLimits
	if len(limits) > 0 {
		l = limits[0]
	}
	return fetch.New(fetch.Options{Reader: r, Clock: clk, Providers: registry.Providers(), AllowedHosts: allowed,
		Workers: l.Workers, WorkersPerNamespace: l.WorkersPerNamespace, MaxResponseBytes: l.MaxResponseBytes, MaxBytesInFlight: l.MaxBytesInFlight})
}

// credentialReader reads Secrets through the label-restricted cache and
// everything else through the API reader.
type credentialReader struct {
	secrets, other client.Reader
}

func (r credentialReader) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	if _, ok := obj.(*corev1.Secret); ok {
		return r.secrets.Get(ctx, key, obj, opts...)
	}
	return r.other.Get(ctx, key, obj, opts...)
}

func (r credentialReader) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	if _, ok := list.(*corev1.SecretList); ok {
		return r.secrets.List(ctx, list, opts...)
	}
	return r.other.List(ctx, list, opts...)
}
