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

package v1alpha1

import (
	fluxmeta "github.com/fluxcd/pkg/apis/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// SourceType is the kind of system a MetricSource reads.
// +kubebuilder:validation:Enum=Prometheus;HTTPJSON;FHIR;Reported
type SourceType string

// Source types.
const (
	SourcePrometheus SourceType = "Prometheus"
	SourceHTTPJSON   SourceType = "HTTPJSON"
	SourceFHIR       SourceType = "FHIR"
	SourceReported   SourceType = "Reported"
)

// MetricSourceSpec says how to reach a system that serves KPI values.
// +kubebuilder:validation:XValidation:rule="self.type == 'Reported' || has(self.endpoint)",message="spec.endpoint is required for types Prometheus, HTTPJSON and FHIR",fieldPath=".endpoint"
// +kubebuilder:validation:XValidation:rule="self.type != 'Reported' || !has(self.endpoint)",message="spec.endpoint is not allowed for type Reported: reported values live in git",fieldPath=".endpoint"
type MetricSourceSpec struct {
	// Type of the source: Prometheus (PromQL instant queries), HTTPJSON
	// (a JSON document read with JSONPath), FHIR (R4 MeasureReport) or
	// Reported (values committed in git on the KPI).
	// +required
	Type SourceType `json:"type"`

	// Endpoint is the base URL, http:// or https://, e.g.
	// "http://prometheus.monitoring:9090". Requests go only to this host.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Format=uri
	// +kubebuilder:validation:XValidation:rule="self.startsWith('https://') || self.startsWith('http://')",message="spec.endpoint must be an absolute http:// or https:// URL"
	// +optional
	Endpoint string `json:"endpoint,omitempty"`

	// Auth holds credentials, read from Secrets in the same namespace.
	// +optional
	Auth *SourceAuth `json:"auth,omitempty"`

	// TLS configures server verification.
	// +optional
	TLS *SourceTLS `json:"tls,omitempty"`

	// Headers are sent with every request, e.g. an API version header.
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=20
	// +optional
	Headers []Header `json:"headers,omitempty"`

	// Timeout bounds each request, e.g. "10s"; at most 60s, so that a slow
	// source cannot hold the operator's fetch workers.
	// +kubebuilder:default="10s"
	// +kubebuilder:validation:XValidation:rule="self.matches('^([0-9]+(ms|s|m|h))+$') && duration(self) <= duration('60s')",message="spec.timeout must be at most 60s, e.g. 10s"
	// +optional
	Timeout Duration `json:"timeout,omitempty"`

	// MinInterval is the shortest time between two requests for the same
	// query, whatever the KPIs ask for, e.g. "1m"; at least 10s.
	// +kubebuilder:default="1m"
	// +kubebuilder:validation:XValidation:rule="self.matches('(^|[a-z])0*[1-9][0-9]*[dw]') || (self.matches('^([0-9]+(ms|s|m|h))+$') && duration(self) >= duration('10s'))",message="spec.minInterval must be at least 10s, e.g. 1m"
	// +optional
	MinInterval Duration `json:"minInterval,omitempty"`

	// MaxResponseBytes caps the size of an answer, from 1 KiB to 64 MiB.
	// +kubebuilder:validation:Minimum=1024
	// +kubebuilder:validation:Maximum=67108864
	// +kubebuilder:default=1048576
	// +optional
	MaxResponseBytes int64 `json:"maxResponseBytes,omitempty"`

	// MaxConcurrency is how many requests may be in flight to this source
	// at once, from 1 to 64.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=64
	// +kubebuilder:default=4
	// +optional
	MaxConcurrency int32 `json:"maxConcurrency,omitempty"`
}

// SourceAuth holds the credentials for a source: a bearer token or basic
// auth, not both.
// +kubebuilder:validation:XValidation:rule="!(has(self.bearerToken) && has(self.basic))",message="spec.auth: set bearerToken or basic, not both"
type SourceAuth struct {
	// BearerToken selects a Secret key holding a bearer token.
	// +optional
	BearerToken *SecretKeySelector `json:"bearerToken,omitempty"`

	// Basic selects Secret keys holding a username and password.
	// +optional
	Basic *BasicAuth `json:"basic,omitempty"`
}

// BasicAuth selects the Secret keys of an HTTP basic-auth credential.
type BasicAuth struct {
	// Username selects the Secret key holding the username.
	// +required
	Username SecretKeySelector `json:"username"`
	// Password selects the Secret key holding the password.
	// +required
	Password SecretKeySelector `json:"password"`
}

// SourceTLS configures how a source's server certificate is verified.
// +kubebuilder:validation:XValidation:rule="!(has(self.caSecretRef) && has(self.caConfigMapRef))",message="spec.tls: set caSecretRef or caConfigMapRef, not both"
type SourceTLS struct {
	// CASecretRef selects a Secret key holding PEM CA certificates.
	// +optional
	CASecretRef *SecretKeySelector `json:"caSecretRef,omitempty"`

	// CAConfigMapRef selects a ConfigMap key holding PEM CA certificates.
	// +optional
	CAConfigMapRef *ConfigMapKeySelector `json:"caConfigMapRef,omitempty"`

	// ServerName overrides the name checked in the server certificate.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	ServerName string `json:"serverName,omitempty"`
}

// Header is an HTTP header sent to a source, with a literal value or one
// read from a Secret.
// +kubebuilder:validation:XValidation:rule="has(self.value) != has(self.valueFrom)",message="spec.headers[]: set exactly one of value and valueFrom"
type Header struct {
	// Name of the header, e.g. "X-Api-Version".
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9-]+$`
	// +kubebuilder:validation:MaxLength=128
	// +required
	Name string `json:"name"`

	// Value of the header, when it is not secret.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	Value *string `json:"value,omitempty"`

	// ValueFrom selects a Secret key holding the header's value.
	// +optional
	ValueFrom *SecretKeySelector `json:"valueFrom,omitempty"`
}

// MetricSourceStatus is the observed state of a MetricSource.
type MetricSourceStatus struct {
	// ObservedGeneration is the generation of the spec last evaluated.
	// +optional
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`

	// ReconcileRequestStatus holds lastHandledReconcileAt: the value of
	// the reconcile-request annotation when the object was last reconciled.
	fluxmeta.ReconcileRequestStatus `json:",inline"`

	// Conditions: Ready and Reachable.
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition `json:"conditions,omitempty"`

	// LastSuccessTime is when the source last answered a query.
	// +optional
	LastSuccessTime *metav1.Time `json:"lastSuccessTime,omitempty"`

	// LastError is the latest failure, sanitised: it never holds a
	// credential or a response body.
	// +kubebuilder:validation:MaxLength=1024
	// +optional
	LastError string `json:"lastError,omitempty"`
}

// MetricSource is a system that serves KPI values: a Prometheus server, a
// JSON API, a FHIR server, or values reported in git.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=msrc,categories=accord
// +kubebuilder:printcolumn:name="Type",type=string,JSONPath=`.spec.type`
// +kubebuilder:printcolumn:name="Endpoint",type=string,JSONPath=`.spec.endpoint`,priority=1
// +kubebuilder:printcolumn:name="Reachable",type=string,JSONPath=`.status.conditions[?(@.type=="Reachable")].status`
// +kubebuilder:printcolumn:name="Last success",type=date,JSONPath=`.status.lastSuccessTime`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type MetricSource struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Spec declares the source.
	// +required
	Spec MetricSourceSpec `json:"spec"`

	// Status is the source's observed state, written by the operator.
	// +optional
	Status MetricSourceStatus `json:"status,omitempty"`
}

// MetricSourceList is a list of MetricSources.
// +kubebuilder:object:root=true
type MetricSourceList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []MetricSource `json:"items"`
}

func init() {
	SchemeBuilder.Register(&MetricSource{}, &MetricSourceList{})
}
