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

package controllers

import (
	"context"
	"errors"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Fetcher reads the latest value of a KPI's query from a live metric
// source (Prometheus, HTTP JSON, FHIR). Reported values need none.
type Fetcher interface {
	Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error)
}

// reasoned is a fetch failure that knows the reason the KPI's
// MetricsAvailable condition shows (SourceUnreachable, QueryReturnedNoData,
// ...). Its message must already be sanitised: no credentials, no
// response bodies.
type reasoned interface {
	error
	Reason() string
}

// KPIReconciler evaluates KPIs against their glide paths.
type KPIReconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder EventRecorder
	// Fetcher reads live sources; nil means only reported values are read.
	Fetcher Fetcher
	// MaxConcurrentReconciles bounds parallel KPI evaluations.
	MaxConcurrentReconciles int
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// dataProblem is why a KPI has no data to evaluate, as conditions show it.
type dataProblem struct {
	reason, message string
	// config is true when the KPI's own configuration is at fault (a
	// missing source), which makes Ready False.
	config bool
}

// Reconcile evaluates one KPI and writes its status when it changed.
func (r *KPIReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	kpi := &v1.KPI{}
	if found, err := getOrForget(ctx, r.Client, req, kpi); !found {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := kpi.DeepCopy()

	spec, err := kpiSpec(kpi)
	if err != nil {
		// The CRD schema makes this unreachable for objects it admitted;
		// report it rather than retrying forever.
		kpi.Status.Conditions = setConditions(kpi.Status.Conditions, kpi.Generation, metav1.NewTime(now),
			condition{v1.ConditionReady, metav1.ConditionFalse, "InvalidSpec", err.Error()})
		kpi.Status.ObservedGeneration = kpi.Generation
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, kpi, before.Status, kpi.Status)
	}

	obs, problem, err := r.observations(ctx, kpi)
	if err != nil {
		return ctrl.Result{}, err
	}
	res := evaluate.KPI(spec, obs, now)
	r.setStatus(kpi, spec, obs, res, problem, now)
	if err := patchStatus(ctx, r.Client, before, kpi, before.Status, kpi.Status); err != nil {
		return ctrl.Result{}, err
	}
	if n := transitionEvents(r.Recorder, kpi, before.Status.Conditions, kpi.Status.Conditions); n > 0 {
		log.FromContext(ctx).V(1).Info("KPI changed state", "health", res.Health, "reason", res.Reason)
	}
	r.export(kpi, spec, res)
	return ctrl.Result{RequeueAfter: r.requeueAfter(kpi, res, now)}, nil
}

// observations gathers the KPI's data: reported values from git, or the
// history kept in status plus a fresh fetch from a live source.
func (r *KPIReconciler) observations(ctx context.Context, kpi *v1.KPI) ([]evaluate.Observation, *dataProblem, error) {
	if kpi.Spec.Source == nil {
		obs, err := reportedObservations(kpi)
		if err != nil {
			return nil, &dataProblem{"InvalidSpec", err.Error(), true}, nil
		}
		return obs, nil, nil
	}
	src := &v1.MetricSource{}
	key := types.NamespacedName{Namespace: kpi.Namespace, Name: kpi.Spec.Source.SourceRef.Name}
	if err := r.Client.Get(ctx, key, src); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, &dataProblem{"SourceNotFound", fmt.Sprintf("MetricSource %q does not exist in namespace %s", key.Name, key.Namespace), true}, nil
		}
		return nil, nil, err
	}
	if src.Spec.Type == v1.SourceReported {
		obs, err := reportedObservations(kpi)
		if err != nil {
			return nil, &dataProblem{"InvalidSpec", err.Error(), true}, nil
		}
		return obs, nil, nil
	}
	history := historyObservations(kpi.Status.History)
	if r.Fetcher == nil {
		return history, &dataProblem{"SourceTypeUnsupported", fmt.Sprintf("MetricSource %q has type %s, which this manager does not read", src.Name, src.Spec.Type), true}, nil
	}
	o, err := r.Fetcher.Fetch(ctx, src, kpi.Spec.Source)
	if err != nil {
		var re reasoned
		if errors.As(err, &re) {
			return history, &dataProblem{re.Reason(), fmt.Sprintf("MetricSource %q: %s", src.Name, re.Error()), false}, nil
		}
		return history, &dataProblem{"SourceUnreachable", fmt.Sprintf("MetricSource %q: %v", src.Name, err), false}, nil
	}
	return mergeObservation(history, o), nil, nil
}

// mergeObservation appends o unless an observation with its time is
// already kept, so re-reading an unchanged source changes nothing.
func mergeObservation(history []evaluate.Observation, o evaluate.Observation) []evaluate.Observation {
	for i := len(history) - 1; i >= 0; i-- {
		if history[i].Time.Equal(o.Time) {
			history[i] = o
			return history
		}
	}
	out := append(history, o)
	for i := len(out) - 1; i > 0 && out[i].Time.Before(out[i-1].Time); i-- {
		out[i], out[i-1] = out[i-1], out[i]
	}
	return out
}

func (r *KPIReconciler) setStatus(kpi *v1.KPI, spec evaluate.KPISpec, obs []evaluate.Observation, res evaluate.KPIResult, problem *dataProblem, now time.Time) {
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

	ts := metav1.NewTime(now)
	ready := condition{v1.ConditionReady, metav1.ConditionTrue, "Evaluated", res.Message}
	data := condition{v1.ConditionMetricsAvailable, metav1.ConditionTrue, "DataFresh", ""}
	switch {
	case problem != nil:
		data = condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, problem.reason, problem.message}
		if problem.config {
			ready = condition{v1.ConditionReady, metav1.ConditionFalse, problem.reason, problem.message}
		}
	case res.Reason == evaluate.ReasonNoData:
		data = condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, string(evaluate.ReasonNoData), res.Message}
	case res.Reason == evaluate.ReasonStaleData:
		data = condition{v1.ConditionMetricsAvailable, metav1.ConditionFalse, string(evaluate.ReasonStaleData), res.Message}
	default:
		data.Message = fmt.Sprintf("Latest value %s observed %s", evaluate.FormatValue(res.Latest.Value, spec.Unit), res.Latest.Time.UTC().Format(time.DateOnly))
	}
	conds := append([]condition{ready, data}, healthConditions(res.Health, string(res.Reason), res.Message)...)
	st.Conditions = setConditions(st.Conditions, kpi.Generation, ts, conds...)
}

func (r *KPIReconciler) export(kpi *v1.KPI, spec evaluate.KPISpec, res evaluate.KPIResult) {
	ns, name := kpi.Namespace, kpi.Name
	if res.Latest != nil {
		kpiValue.WithLabelValues(ns, name).Set(res.Latest.Value)
	} else {
		kpiValue.DeleteLabelValues(ns, name)
	}
	kpiExpected.WithLabelValues(ns, name).Set(res.ExpectedNow)
	target := spec.Target
	if spec.Direction == evaluate.InRange {
		target = (spec.TargetMin + spec.TargetMax) / 2
	}
	kpiTarget.WithLabelValues(ns, name).Set(target)
	recordConditions(ns, "KPI", name, conditionMap(kpi.Status.Conditions))
}

func conditionMap(conds []metav1.Condition) map[string]string {
	m := make(map[string]string, len(conds))
	for _, c := range conds {
		m[c.Type] = string(c.Status)
	}
	return m
}

// requeueAfter is the next moment something can change: the next fetch of
// a live source, the staleness deadline, or the next evaluation interval
// (the glide path moves every day).
func (r *KPIReconciler) requeueAfter(kpi *v1.KPI, res evaluate.KPIResult, now time.Time) time.Duration {
	interval := time.Hour
	if kpi.Spec.EvaluationInterval != "" {
		if d, err := evaluate.ParseDuration(string(kpi.Spec.EvaluationInterval)); err == nil && d > 0 {
			interval = d
		}
	}
	next := interval
	if !res.NextChange.IsZero() {
		if d := res.NextChange.Sub(now); d > 0 && d < next {
			next = d
		}
	}
	return next
}

// SetupWithManager registers the KPI controller: it watches KPIs and the
// MetricSources they read.
func (r *KPIReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.KPI{}, builder.WithPredicates(specOrRequestChanged())).
		Watches(&v1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.kpisOfSource)).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("kpi" + r.NameSuffix).
		Complete(quietConflicts{r})
}

func (r *KPIReconciler) kpisOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor[*v1.KPIList](ctx, r.Client, &v1.KPIList{}, o.GetNamespace(), indexKPISource, o.GetName())
}
