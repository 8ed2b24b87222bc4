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

package assess

import (
	"errors"
	"fmt"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// DataProblem is why a KPI has no data to evaluate, as its
// MetricsAvailable condition shows it.
type DataProblem struct {
	Reason, Message string
	// Config is true when the KPI's own configuration is at fault (a
	// missing source), which makes Ready False.
	Config bool
}

// reasoned is a fetch failure that knows the reason the KPI's
// MetricsAvailable condition shows (SourceUnreachable, QueryReturnedNoData,
// ...). Its message must already be sanitised: no credentials, no
// response bodies.
type reasoned interface {
	error
	Reason() sources.Reason
}

// Observations gathers the KPI's data that needs no request: the values
// reported in git, or, for a live source, the history kept in its status
// (live is then true and the caller adds a fresh value, see FetchProblem
// and MergeObservation). src is the MetricSource the KPI names, nil when
// the KPI names none or the named one does not exist.
func Observations(kpi *v1.KPI, src *v1.MetricSource) (obs []evaluate.Observation, problem *DataProblem, live bool) {
	if kpi.Spec.Source != nil && src == nil {
		return nil, &DataProblem{ReasonSourceNotFound, fmt.Sprintf("MetricSource %q does not exist in namespace %s", kpi.Spec.Source.SourceRef.Name, kpi.Namespace), true}, false
	}
	if kpi.Spec.Source == nil || src.Spec.Type == v1.SourceReported {
		obs, err := ReportedObservations(kpi)
		if err != nil {
			return nil, &DataProblem{ReasonInvalidSpec, err.Error(), true}, false
		}
		return obs, nil, false
	}
	return HistoryObservations(kpi.Status.History), nil, true
}

// UnsupportedSource is the problem of a live source that this program
// has no reader for.
func UnsupportedSource(src *v1.MetricSource) *DataProblem {
	return &DataProblem{ReasonSourceTypeUnsupported, fmt.Sprintf("MetricSource %q has type %s, which this manager does not read", src.Name, src.Spec.Type), true}
}

// FetchProblem turns a failed request to src into the KPI's data problem.
func FetchProblem(src *v1.MetricSource, err error) *DataProblem {
	if re, ok := errors.AsType[reasoned](err); ok {
		return &DataProblem{string(re.Reason()), fmt.Sprintf("MetricSource %q: %s", src.Name, re.Error()), false}
	}
	return &DataProblem{ReasonSourceUnreachable, fmt.Sprintf("MetricSource %q: %v", src.Name, err), false}
}

// InvalidKPI records a spec the evaluation cannot read (see KPISpec).
// The CRD schema makes it unreachable for objects the API server
// admitted; it is reported rather than retried forever.
func InvalidKPI(kpi *v1.KPI, err error, now time.Time) {
	kpi.Status.Conditions = SetConditions(kpi.Status.Conditions, kpi.Generation, metav1.NewTime(now),
		Condition{v1.ConditionReady, metav1.ConditionFalse, ReasonInvalidSpec, err.Error()})
	kpi.Status.ObservedGeneration = kpi.Generation
}

// KPI judges the KPI on its observations at now and writes its status.
func KPI(kpi *v1.KPI, spec evaluate.KPISpec, obs []evaluate.Observation, problem *DataProblem, now time.Time) evaluate.KPIResult {
	return kpiAt(kpi, spec, obs, problem, now, now, nil)
}

// kpiAt judges the KPI at judgeAt and writes its status at now (the
// conditions' transition times); ended, when set, replaces the verdict
// conditions (see EndedKPI).
func kpiAt(kpi *v1.KPI, spec evaluate.KPISpec, obs []evaluate.Observation, problem *DataProblem, judgeAt, now time.Time, ended *Ending) evaluate.KPIResult {
	contractProblem := contractTerms(kpi, &spec, obs)
	obs, problem = RateInputs(kpi, spec, obs, problem)
	if contractProblem != nil && problem == nil {
		problem = contractProblem
	}
	res := evaluate.KPI(spec, obs, judgeAt)
	if contractProblem != nil {
		// No target to judge against: a verdict on target 0 would mislead.
		res.Health, res.Reason, res.Message = evaluate.Unknown, ReasonContractTermMissing, contractProblem.Message
	} else if note := ContractNote(kpi); note != "" {
		res.Message += " " + note
	}
	st := &kpi.Status
	st.ObservedGeneration = kpi.Generation
	st.History = toHistory(obs, kpi.Spec.HistoryLimit)
	st.LastValue, st.LastObservedTime = "", nil
	if res.Latest != nil {
		st.LastValue = evaluate.FormatNumber(res.Latest.Value)
		t := metav1.NewTime(res.Latest.Time)
		st.LastObservedTime = &t
	}
	st.ExpectedValue = evaluate.FormatNumber(res.ExpectedNow)
	st.ProjectedValue = ""
	if res.Projected != nil {
		st.ProjectedValue = evaluate.FormatNumber(*res.Projected)
	}
	st.AttainmentPercent = res.AttainmentPercent
	st.Score = res.Score
	st.ConsecutiveBreaches = res.ConsecutiveBreaches
	st.TargetMetDate = targetMetDate(st.TargetMetDate, res.TargetMetSince, obs)

	ready := Condition{v1.ConditionReady, metav1.ConditionTrue, ReasonEvaluated, res.Message}
	data := Condition{v1.ConditionMetricsAvailable, metav1.ConditionTrue, ReasonDataFresh, ""}
	switch {
	case problem != nil:
		data = Condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, problem.Reason, problem.Message}
		if problem.Config {
			ready = Condition{v1.ConditionReady, metav1.ConditionFalse, problem.Reason, problem.Message}
		}
	case res.Reason == evaluate.ReasonNoData:
		data = Condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, string(evaluate.ReasonNoData), res.Message}
	case res.Reason == evaluate.ReasonStaleData:
		data = Condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, string(evaluate.ReasonStaleData), res.Message}
	default:
		data.Message = fmt.Sprintf("Latest value %s observed %s", evaluate.FormatValue(res.Latest.Value, spec.Unit), res.Latest.Time.UTC().Format(time.DateOnly))
	}
	verdict := healthConditions(res.Health, string(res.Reason), res.Message)
	if ended != nil {
		verdict = ended.conditions()
		ready.Message = ended.message()
	}
	st.Conditions = SetConditions(st.Conditions, kpi.Generation, metav1.NewTime(now), append([]Condition{ready, data}, verdict...)...)
	return res
}

// EndedKPI writes the status of a KPI whose partnerships have all ended:
// nothing is fetched any more; the values it has (reported in git, or its
// history) are judged as they stood on the last day, and Healthy and
// AtRisk are False for the reason PartnershipEnded, so that it raises no
// AtRisk and no events. src is as for Observations.
func EndedKPI(kpi *v1.KPI, spec evaluate.KPISpec, src *v1.MetricSource, ended *Ending, now time.Time) evaluate.KPIResult {
	obs, problem, _ := Observations(kpi, src)
	at := ended.judgeAt()
	kept := obs[:0:0]
	for _, o := range obs {
		if !o.Time.After(at) {
			kept = append(kept, o)
		}
	}
	return kpiAt(kpi, spec, kept, problem, at, now, ended)
}

// targetMetDate is the KPI's status.targetMetDate: the day of the
// crossing the evaluation found, or the one recorded before when the
// crossing is older than every observation kept (a live source's history
// is trimmed to historyLimit), so that a trimmed history does not move
// the win, nor announce it again.
func targetMetDate(recorded v1.Date, since time.Time, obs []evaluate.Observation) v1.Date {
	if since.IsZero() {
		return ""
	}
	found := date(since)
	if recorded == "" || recorded >= found {
		return found
	}
	for _, o := range obs {
		if date(o.Time) <= recorded {
			return found // the history reaches back to it: the evaluation knows best
		}
	}
	return recorded
}
