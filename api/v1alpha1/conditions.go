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

// Condition types set by the Accord controllers. Ready is the kstatus
// summary that generic tools (kubectl wait, ArgoCD, Flux) understand; the
// others carry the portfolio meaning.
const (
	// ConditionReady is True when the object has been evaluated for its
	// current generation and nothing prevents evaluation.
	ConditionReady = "Ready"
	// ConditionHealthy is True when the object is on track.
	ConditionHealthy = "Healthy"
	// ConditionAtRisk is True when the object is off track and needs attention.
	ConditionAtRisk = "AtRisk"
	// ConditionReviewDue is True when a partnership needs a review meeting.
	ConditionReviewDue = "ReviewDue"
	// ConditionCompliant is False when a partnership shares protected
	// health information while its business associate agreement has
	// lapsed, is not yet in force or expires before the agreement, or when
	// its data-sharing agreement has lapsed.
	ConditionCompliant = "Compliant"
	// ConditionMetricsAvailable is True when a KPI has fresh data from its source.
	ConditionMetricsAvailable = "MetricsAvailable"
	// ConditionReachable is True when a MetricSource answered its last request.
	ConditionReachable = "Reachable"
	// ConditionApplied is True when a Review has been applied to its partnership.
	ConditionApplied = "Applied"
	// ConditionHoursDelivered is True when every partner of a partnership
	// gave at least its deliveryThresholdPercent of the staff hours it
	// committed, in each commitment's latest reported period.
	ConditionHoursDelivered = "HoursDelivered"
	// ConditionStalled is True, with Ready's reason and message, while
	// Ready is False: kstatus (Flux's health checks, cli-utils) reads
	// Stalled=True as Failed and knows nothing of Ready. It is absent
	// otherwise.
	ConditionStalled = "Stalled"
)
