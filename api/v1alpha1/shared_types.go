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

// Date is a calendar date in ISO 8601 form (YYYY-MM-DD), interpreted in UTC.
// Agreements, baselines, targets and reviews are dated, not timed.
// +kubebuilder:validation:Type=string
// +kubebuilder:validation:Format=date
// +kubebuilder:validation:MaxLength=10
type Date string

// Duration is a length of time such as "30s", "15m", "12h", "7d" or "2w":
// one or more whole numbers each followed by a unit, where the units are
// ms, s, m, h, d (24 hours) and w (7 days). Days and weeks are accepted
// because KPI data arrives monthly or quarterly and "2160h" helps no one.
// +kubebuilder:validation:Type=string
// +kubebuilder:validation:Pattern=`^([0-9]+(ms|s|m|h|d|w))+$`
// +kubebuilder:validation:MaxLength=32
type Duration string

// Period is a calendar period in ISO 8601 form: P, then any of years (Y),
// months (M), weeks (W) and days (D) in that order, e.g. "P3M" for
// quarterly, "P1Y" for yearly, "P6W" or "P90D". Calendar periods are used
// where people think in months (review cadence, escalation), because
// months differ in length.
// +kubebuilder:validation:Type=string
// +kubebuilder:validation:Pattern=`^P([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?$`
// +kubebuilder:validation:MinLength=3
// +kubebuilder:validation:MaxLength=24
type Period string

// LocalObjectReference names another object of a known kind in the same
// namespace.
type LocalObjectReference struct {
	// Name of the referenced object, in the same namespace.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$`
	// +required
	Name string `json:"name"`
}

// SecretKeySelector selects one key of a Secret in the same namespace.
type SecretKeySelector struct {
	// Name of the Secret, in the same namespace as the referring object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// Key within the Secret's data.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	// +required
	Key string `json:"key"`
}

// ConfigMapKeySelector selects one key of a ConfigMap in the same namespace.
type ConfigMapKeySelector struct {
	// Name of the ConfigMap, in the same namespace as the referring object.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +required
	Name string `json:"name"`

	// Key within the ConfigMap's data.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	// +kubebuilder:validation:Pattern=`^[-._a-zA-Z0-9]+$`
	// +required
	Key string `json:"key"`
}

// DocumentLink points at a document kept outside the cluster, such as a
// signed agreement or a quarterly report, with a checksum so readers can
// tell whether the file they open is the one that was reviewed.
type DocumentLink struct {
	// Title of the document as people refer to it, e.g. "Master services agreement v3".
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=200
	// +required
	Title string `json:"title"`

	// URL of the document. Must be an absolute https:// URL.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Format=uri
	// +kubebuilder:validation:XValidation:rule="self.startsWith('https://')",message="url must be an absolute https:// URL"
	// +required
	URL string `json:"url"`

	// SHA256 is the hex-encoded SHA-256 checksum of the document's bytes
	// (64 lowercase hex characters), as printed by `sha256sum`.
	// +kubebuilder:validation:Pattern=`^[a-f0-9]{64}$`
	// +optional
	SHA256 string `json:"sha256,omitempty"`

	// Version or date label of the document, e.g. "v3" or "2026-01 amendment".
	// +kubebuilder:validation:MaxLength=64
	// +optional
	Version string `json:"version,omitempty"`
}

// ConditionCounts counts child objects by their health.
type ConditionCounts struct {
	// Total number of objects counted.
	// +optional
	Total int32 `json:"total,omitempty"`
	// Healthy is the number whose Healthy condition is True.
	// +optional
	Healthy int32 `json:"healthy,omitempty"`
	// AtRisk is the number whose AtRisk condition is True.
	// +optional
	AtRisk int32 `json:"atRisk,omitempty"`
	// Unknown is the number that are neither Healthy nor AtRisk, because
	// data is missing, stale or not yet evaluated.
	// +optional
	Unknown int32 `json:"unknown,omitempty"`
	// Exited is the number of partnerships that have ended (portfolios
	// only). They are counted in total but in none of the verdicts above,
	// and not in the score.
	// +optional
	Exited int32 `json:"exited,omitempty"`
	// Prospects is the number of partnerships in phase Prospect, before
	// their agreement (portfolios only). Like exited ones, they are
	// counted in total but in none of the verdicts, and not in the score.
	// +optional
	Prospects int32 `json:"prospects,omitempty"`
}
