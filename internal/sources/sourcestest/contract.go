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

// Package sourcestest holds checks shared by the providers' tests.
package sourcestest

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Marker stands for patient-level data in an upstream answer. Fuzz seeds
// put it in answers; no error may repeat it unless the user's own query
// holds it.
const Marker = "MRN-SECRET"

// CheckError asserts the contract every provider's error keeps: it is a
// *sources.Error with a reason a KPI condition may show, and it never
// quotes the upstream answer (body). userText is what the user wrote (the
// query), which an error may name.
func CheckError(t testing.TB, err error, body, userText string) {
	t.Helper()
	var se *sources.Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T %q is not a *sources.Error", err, err)
	}
	if !sources.KnownReason(se.Reason()) {
		t.Fatalf("error %q has unknown reason %q", err, se.Reason())
	}
	if strings.Contains(body, Marker) && !strings.Contains(userText, Marker) && strings.Contains(err.Error(), Marker) {
		t.Fatalf("error %q repeats content of the answer", err)
	}
}

// CheckCounts asserts what a provider promises of an observation's counts:
// finite, 0 or more (whole when the source's counts are integers), the
// numerator at most the denominator and the denominator above 0, with the
// value their proportion unless the source stated a score beside them.
func CheckCounts(t testing.TB, obs evaluate.Observation, whole bool) {
	t.Helper()
	c := obs.Counts
	if c == nil {
		return
	}
	if math.IsNaN(c.Numerator) || math.IsInf(c.Numerator, 0) || math.IsNaN(c.Denominator) || math.IsInf(c.Denominator, 0) ||
		c.Numerator < 0 || c.Denominator <= 0 || c.Numerator > c.Denominator {
		t.Fatalf("counts %+v are not a rate's numerator and denominator", *c)
	}
	if whole && (c.Numerator != math.Trunc(c.Numerator) || c.Denominator != math.Trunc(c.Denominator)) {
		t.Fatalf("counts %+v are not whole numbers", *c)
	}
	if obs.Scale == evaluate.ScaleProportion && math.Abs(obs.Value-c.Numerator/c.Denominator) > 1e-3 {
		t.Fatalf("value %v is not the proportion of counts %+v", obs.Value, *c)
	}
}
