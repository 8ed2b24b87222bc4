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

// Package registry lists the provider of each MetricSource type. It sits
// apart from package sources so that providers can import sources.
package registry

import (
	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fhir"
	"github.com/accord-dev/accord/internal/sources/httpjson"
	"github.com/accord-dev/accord/internal/sources/prometheus"
)

// Providers returns the providers this build reads, keyed by source type.
// Reported sources need none: their values are on the KPI.
func Providers() map[v1.SourceType]sources.Provider {
	return map[v1.SourceType]sources.Provider{
		v1.SourceHTTPJSON:   httpjson.Provider{},
		v1.SourcePrometheus: prometheus.Provider{},
		v1.SourceFHIR:       fhir.Provider{},
	}
}
