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

// Defaults of optional fields. The rule is the CRD: each field's
// +kubebuilder:default marker, which the API server applies on create and
// update and accordctl applies to files (schemacheck.Checker.Default), so
// an object read from the cluster or through accordctl always holds them.
// Markers take literals only, so these constants repeat them for the code
// that judges an object that came through neither (one built in Go, a
// test's fixture): it reads the default from here, never from a number of
// its own, and schemacheck's TestAPIDefaultsAreTheCRDDefaults fails when a
// constant and its marker disagree.
const (
	// DefaultBreachesBeforeAtRisk is KPISpec.BreachesBeforeAtRisk's default.
	DefaultBreachesBeforeAtRisk int32 = 2
	// DefaultHistoryLimit is KPISpec.HistoryLimit's default.
	DefaultHistoryLimit int32 = 30
	// DefaultEvaluationInterval is KPISpec.EvaluationInterval's default.
	DefaultEvaluationInterval Duration = "1h"
	// DefaultAtRiskBelow is ObjectiveSpec.AtRiskBelow's default.
	DefaultAtRiskBelow int32 = 70
	// DefaultReviewCadence is PartnershipSpec.ReviewCadence's default.
	DefaultReviewCadence Period = "P3M"
	// DefaultEscalateAfter is PartnershipSpec.EscalateAfter's default.
	DefaultEscalateAfter Period = "P30D"
	// DefaultNoticeDays is InstrumentTerm.NoticeDays's default: ReviewDue
	// 60 days before a BAA or DSA expires.
	DefaultNoticeDays int32 = 60

	// DefaultAssessmentMaxAge is PortfolioSpec.AssessmentMaxAge's default.
	DefaultAssessmentMaxAge Period = "P1Y"
)
