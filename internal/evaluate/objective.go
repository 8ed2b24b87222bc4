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

package evaluate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// weightedMean averages the set values with their weights (non-positive
// weights count as 1); ok is false when no value is set.
func weightedMean(values []*int32, weights []int32, clamp bool) (int32, bool) {
	var sum, total float64
	for i, v := range values {
		if v == nil {
			continue
		}
		w := float64(weights[i])
		if w <= 0 {
			w = 1
		}
		x := float64(*v)
		if clamp {
			x = math.Max(0, math.Min(100, x))
		}
		sum += w * x
		total += w
	}
	if total == 0 {
		return 0, false
	}
	return int32(math.Round(sum / total)), true
}

// Objective judges an objective from its KPIs at now. Missing KPIs count as
// Unknown and are named in the message.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func Objective(spec ObjectiveSpec, kpis []KPIView, now time.Time) ObjectiveResult {
	res := ObjectiveResult{Total: int32(len(kpis))}
	if len(kpis) == 0 {
		res.Health, res.Reason, res.Outcome = Unknown, ReasonNoKPIs, OutcomeUnknown
		res.Message = "The objective has no KPIs"
		return res
	}
	scores := make([]*int32, len(kpis))
	progress := make([]*int32, len(kpis))
	weights := make([]int32, len(kpis))
	var missing []string
	var criticalAtRisk *KPIView
	criticalUnknown, achieved := false, true
	worst := -1
	for i := range kpis {
		k := &kpis[i]
		scores[i], progress[i], weights[i] = k.Score, k.AttainmentPercent, k.Weight
		switch {
		case !k.Found:
			res.Unknown++
			missing = append(missing, k.Name)
		case k.Health == Healthy:
			res.Healthy++
		case k.Health == AtRisk:
			res.AtRisk++
		case k.Health == Unknown:
			res.Unknown++
		}
		if k.Critical && k.Found && k.Health == AtRisk && criticalAtRisk == nil {
			criticalAtRisk = k
		}
		if k.Critical && (!k.Found || k.Health == Unknown) {
			criticalUnknown = true
		}
		if k.AttainmentPercent == nil || *k.AttainmentPercent < 100 {
			achieved = false
		}
		if k.Score != nil && (worst < 0 || scores[worst] == nil || *k.Score < *scores[worst]) {
			worst = i
		}
	}
	if s, ok := weightedMean(scores, weights, false); ok {
		res.Score = &s
	}
	if p, ok := weightedMean(progress, weights, true); ok {
		res.ProgressPercent = &p
	}
	slices.Sort(missing)

	switch {
	case criticalAtRisk != nil:
		res.Health, res.Reason = AtRisk, ReasonCriticalKPIAtRisk
		res.Message = fmt.Sprintf("Critical KPI %q is at risk: %s", criticalAtRisk.Name, criticalAtRisk.Message)
	case res.Score != nil && *res.Score < spec.AtRiskBelow:
		res.Health, res.Reason = AtRisk, ReasonScoreBelowThreshold
		res.Message = fmt.Sprintf("Score %d is below the at-risk threshold of %d", *res.Score, spec.AtRiskBelow)
		if worst >= 0 {
			res.Message += fmt.Sprintf("; weakest KPI %q: %s", kpis[worst].Name, kpis[worst].Message)
		}
	case len(missing) > 0:
		res.Health, res.Reason = Unknown, ReasonKPINotFound
		quoted := make([]string, len(missing))
		for i, m := range missing {
			quoted[i] = fmt.Sprintf("%q", m)
		}
		verb := "does"
		if len(missing) > 1 {
			verb = "do"
		}
		res.Message = fmt.Sprintf("KPI %s %s not exist", strings.Join(quoted, ", "), verb)
	case res.Score == nil || criticalUnknown:
		res.Health, res.Reason = Unknown, ReasonKPIsUnknown
		res.Message = fmt.Sprintf("Not enough data: %d of %d KPIs have no fresh data", res.Unknown, res.Total)
	default:
		res.Health, res.Reason = Healthy, ReasonObjectiveOnTrack
		res.Message = fmt.Sprintf("Score %d: %d of %d KPIs on track", *res.Score, res.Healthy, res.Total)
	}

	switch {
	case achieved:
		res.Outcome, res.OutcomeDate = OutcomeAchieved, achievedOn(kpis, now)
	case !spec.Deadline.IsZero() && now.After(spec.Deadline.Add(24*time.Hour)):
		res.Outcome, res.OutcomeDate = OutcomeMissed, spec.Deadline
	case res.Health == AtRisk:
		res.Outcome = OutcomeAtRisk
	case res.Health == Healthy:
		res.Outcome = OutcomeOnTrack
	default:
		res.Outcome = OutcomeUnknown
	}
	return res
}

// achievedOn is the day an achieved objective got there: when the last of
// its KPIs met its target, or the day of now when one does not say (its
// attainment rounds to 100% without quite meeting the target).
func achievedOn(kpis []KPIView, now time.Time) time.Time {
	var last time.Time
	for _, k := range kpis {
		if k.TargetMetSince.IsZero() {
			return startOfDay(now)
		}
		if k.TargetMetSince.After(last) {
			last = k.TargetMetSince
		}
	}
	return startOfDay(last)
}

// Outcome is where an objective is heading at its deadline; the values are
// the API's (api/v1alpha1 ProjectedOutcome), which internal/assess checks.
type Outcome string

// Outcomes.
const (
	OutcomeOnTrack  Outcome = "OnTrack"
	OutcomeAtRisk   Outcome = "AtRisk"
	OutcomeAchieved Outcome = "Achieved"
	OutcomeMissed   Outcome = "Missed"
	OutcomeUnknown  Outcome = "Unknown"
)
