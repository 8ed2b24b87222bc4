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
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
)

// KPIReconciler evaluates KPIs against their glide paths.
type KPIReconciler struct {
	Client   client.Client
	Clock    clock.PassiveClock
	Recorder EventRecorder
	// Fetcher reads live sources; nil means only reported values are read.
	Fetcher assess.Fetcher
	// Answers, when set, announces the (source, query) pairs that answered
	// with something new, so that every KPI sharing the pair is evaluated
	// with it at once rather than at its own next interval.
	Answers <-chan event.TypedGenericEvent[fetch.Pair]
	// Woken, when set, announces the KPIs whose evaluation stopped
	// waiting for a slow source (fetch.Fetcher.Woken), once the answer is
	// in: they are evaluated again with it.
	Woken <-chan event.TypedGenericEvent[types.NamespacedName]
	// MaxConcurrentReconciles bounds parallel KPI evaluations.
	MaxConcurrentReconciles int
	// NameSuffix is appended to the controller name (and its metrics
	// label), so that several managers in one process stay apart.
	NameSuffix string
}

// Reconcile evaluates one KPI and writes its status when it changed.
func (r *KPIReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	kpi := &v1.KPI{}
	if found, err := getOrForget(ctx, r.Client, req, kpi); !found {
		return ctrl.Result{}, err
	}
	now := r.Clock.Now()
	before := kpi.DeepCopy()

	spec, err := assess.KPISpec(kpi)
	if err != nil {
		assess.InvalidKPI(kpi, err, now)
		return ctrl.Result{}, patchStatus(ctx, r.Client, before, kpi, before.Status, kpi.Status)
	}

	ended, err := r.ending(ctx, kpi)
	if err != nil {
		return ctrl.Result{}, err
	}
	if ended != nil {
		// Its partnerships have ended: nothing is fetched, and the
		// verdict stays as it stood on the last day.
		src, err := r.source(ctx, kpi)
		if err != nil {
			return ctrl.Result{}, err
		}
		res := assess.EndedKPI(kpi, spec, src, ended, now)
		if err := patchStatus(ctx, r.Client, before, kpi, before.Status, kpi.Status); err != nil {
			return ctrl.Result{}, err
		}
		transitionEvents(r.Recorder, kpi, before.Status.Conditions, kpi.Status.Conditions)
		r.export(kpi, spec, res)
		return ctrl.Result{}, nil
	}

	obs, problem, err := r.observations(ctx, kpi)
	if err != nil {
		return ctrl.Result{}, err
	}
	res := assess.KPI(kpi, spec, obs, problem, now)
	if err := patchStatus(ctx, r.Client, before, kpi, before.Status, kpi.Status); err != nil {
		return ctrl.Result{}, err
	}
	contractEvent(r.Recorder, kpi, before.Status.Contract)
	if d, err := evaluate.ParseDate(string(kpi.Status.TargetMetDate)); err == nil {
		was, is := before.Status.TargetMetDate != "", kpi.Status.TargetMetDate != ""
		winEvent(r.Recorder, kpi, was, is, corev1.EventTypeNormal, EventTargetMet, evaluate.TargetMetSentence(spec, d))
	}
	if n := transitionEvents(r.Recorder, kpi, before.Status.Conditions, kpi.Status.Conditions); n > 0 {
		log.FromContext(ctx).V(1).Info("KPI changed state", "health", res.Health, "reason", res.Reason)
	}
	r.export(kpi, spec, res)
	return ctrl.Result{RequeueAfter: r.requeueAfter(kpi, res, now), Priority: new(refreshPriority)}, nil
}

// refreshPriority queues a KPI's periodic re-evaluation behind every KPI
// not yet evaluated (the initial list is queued at -100) and every change
// (0). With 6,666 live KPIs on a one-minute interval, refreshes at the
// initial list's priority kept the first evaluations of a starting
// manager waiting behind them (docs/benchmarks.md).
const refreshPriority = -200

// observations gathers the KPI's data (assess.ObserveKPI): reported
// values from git, or the history kept in status plus a fresh fetch from a
// live source. Without a fetcher a live source is unsupported here.
func (r *KPIReconciler) observations(
	ctx context.Context,
	kpi *v1.KPI,
) ([]evaluate.Observation, *assess.DataProblem, error) {
	src, err := r.source(ctx, kpi)
	if err != nil {
		return nil, nil, err
	}
	ctx = fetch.WithCaller(ctx, types.NamespacedName{Namespace: kpi.Namespace, Name: kpi.Name})
	obs, problem := assess.ObserveKPI(ctx, kpi, src, r.Fetcher, assess.UnsupportedSource)
	return obs, problem, nil
}

// source is the MetricSource the KPI names; nil when it names none or the
// named one does not exist.
func (r *KPIReconciler) source(ctx context.Context, kpi *v1.KPI) (*v1.MetricSource, error) {
	if kpi.Spec.Source == nil {
		return nil, nil
	}
	src := &v1.MetricSource{}
	key := types.NamespacedName{Namespace: kpi.Namespace, Name: kpi.Spec.Source.SourceRef.Name}
	if err := r.Client.Get(ctx, key, src); err != nil {
		if !apierrors.IsNotFound(err) {
			return nil, err
		}
		return nil, nil
	}
	return src, nil
}

// ending is the end of the partnerships the KPI counts toward, through
// its objectives, once every one of them is Exited; nil otherwise (and
// for a KPI no objective names).
func (r *KPIReconciler) ending(ctx context.Context, kpi *v1.KPI) (*assess.Ending, error) {
	objectives := &v1.ObjectiveList{}
	if err := r.Client.List(ctx, objectives, client.InNamespace(kpi.Namespace),
		client.MatchingFields{indexObjectiveKPI: kpi.Name}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, err
	}
	endings := make([]*assess.Ending, 0, len(objectives.Items))
	for i := range objectives.Items {
		p := &v1.Partnership{}
		name := objectives.Items[i].Spec.PartnershipRef.Name
		err := r.Client.Get(
			ctx,
			types.NamespacedName{Namespace: kpi.Namespace, Name: name},
			p,
			client.UnsafeDisableDeepCopy,
		)
		if apierrors.IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		endings = append(endings, assess.EndingOf(p))
	}
	return assess.AllEnded(endings), nil
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
	recordConditions(ns, v1.KindKPI, name, conditionMap(kpi.Status.Conditions))
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
	next := evaluationInterval(kpi)
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
	b := ctrl.NewControllerManagedBy(mgr).
		For(&v1.KPI{}, builder.WithPredicates(specOrRequestChanged())).
		// A KPI reads its source's spec and existence, never its status:
		// without the predicate each Reachable update re-queued every KPI
		// of the source (3,333 per write in the 10,000-KPI benchmark).
		Watches(&v1.MetricSource{}, handler.EnqueueRequestsFromMapFunc(r.kpisOfSource),
			builder.WithPredicates(specOrRequestChanged())).

		// A partnership that ends (or resumes) stops (or restarts) its
		// KPIs' judgement.
		Watches(&v1.Partnership{}, handler.EnqueueRequestsFromMapFunc(r.kpisOfPartnership),
			builder.WithPredicates(endedOrResumed())).
		WithOptions(controller.Options{MaxConcurrentReconciles: max(1, r.MaxConcurrentReconciles)}).
		Named("kpi" + r.NameSuffix)
	if r.Answers != nil {
		b = b.WatchesRawSource(source.Channel(r.Answers, handler.TypedEnqueueRequestsFromMapFunc(r.kpisOfPair)))
	}
	if r.Woken != nil {
		b = b.WatchesRawSource(source.Channel(r.Woken, handler.TypedEnqueueRequestsFromMapFunc(
			func(_ context.Context, kpi types.NamespacedName) []reconcile.Request {
				return []reconcile.Request{{NamespacedName: kpi}}
			})))
	}
	return b.Complete(quietConflicts{r})
}

// kpisOfPair maps an announced (source, query) pair to the KPIs that read
// it and would have read this answer anyway: those evaluated at least once per the source's
// minInterval. They see the new answer sooner, not more answers. A KPI
// evaluated less often keeps its own pace, so that its history (and the
// breaches its damping counts) stays one observation per interval.
func (r *KPIReconciler) kpisOfPair(ctx context.Context, pair fetch.Pair) []reconcile.Request {
	src := &v1.MetricSource{}
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: pair.Namespace, Name: pair.Source}, src); err != nil {
		return nil // deleted since: its KPIs are re-queued by the source watch
	}
	minInterval := sources.MinInterval(src)
	kpis := &v1.KPIList{}
	if err := r.Client.List(
		ctx,
		kpis,
		client.InNamespace(pair.Namespace),
		client.MatchingFields{indexKPIPair: pair.Key},
		client.UnsafeDisableDeepCopy,
	); err != nil {
		log.FromContext(ctx).Error(err, "list KPIs of a (source, query) pair", "source", src.Name)
		return nil
	}
	var out []reconcile.Request
	for i := range kpis.Items {
		k := &kpis.Items[i]
		if evaluationInterval(k) <= minInterval {
			out = append(
				out,
				reconcile.Request{NamespacedName: types.NamespacedName{Namespace: k.Namespace, Name: k.Name}},
			)
		}
	}
	return out
}

// minEvaluationInterval is the shortest spec.evaluationInterval, as the
// CRD's rule says; clamped here too for objects stored before the rule.
const minEvaluationInterval = time.Minute

// evaluationInterval is how often kpi is evaluated: spec.evaluationInterval,
// the CRD's default when unreadable, never under minEvaluationInterval.
func evaluationInterval(kpi *v1.KPI) time.Duration {
	return max(orDefault(kpi.Spec.EvaluationInterval, defaultEvaluationInterval), minEvaluationInterval)
}

// defaultEvaluationInterval is the CRD's default interval (the API server
// sets it on every stored KPI; see api/v1alpha1/defaults.go), for a KPI
// whose interval cannot be read.
var defaultEvaluationInterval = func() time.Duration {
	d, err := evaluate.ParseDuration(string(v1.DefaultEvaluationInterval))
	if err != nil {
		panic(err) // a constant, checked against the CRD by its test
	}
	return d
}()

// orDefault parses a Duration field, with def for empty or unreadable text.
func orDefault(d v1.Duration, def time.Duration) time.Duration {
	if v, err := evaluate.ParseDuration(string(d)); err == nil && v > 0 {
		return v
	}
	return def
}

// kpisOfPartnership maps a partnership to the KPIs its objectives name.
func (r *KPIReconciler) kpisOfPartnership(ctx context.Context, o client.Object) []reconcile.Request {
	objectives := &v1.ObjectiveList{}
	if err := r.Client.List(ctx, objectives, client.InNamespace(o.GetNamespace()),
		client.MatchingFields{indexObjectivePartnership: o.GetName()}, client.UnsafeDisableDeepCopy); err != nil {
		log.FromContext(ctx).Error(err, "list objectives of a partnership", "partnership", o.GetName())
		return nil
	}
	var out []reconcile.Request
	for i := range objectives.Items {
		for _, ref := range objectives.Items[i].Spec.KPIs {
			key := types.NamespacedName{Namespace: o.GetNamespace(), Name: ref.Name}
			out = append(out, reconcile.Request{NamespacedName: key})
		}
	}
	return out
}

func (r *KPIReconciler) kpisOfSource(ctx context.Context, o client.Object) []reconcile.Request {
	return requestsFor[*v1.KPIList](ctx, r.Client, &v1.KPIList{}, o.GetNamespace(), indexKPISource, o.GetName())
}

// EventContractTermsChanged is the event a new report raises when it
// moves a value-based contract's thresholds, baseline or payment streams.
const EventContractTermsChanged = "ContractTermsChanged"

// contractEvent emits one event when the status just written records
// contract terms that differ from those before: it runs after the write,
// so a reconcile that fails to write (and is retried) emits nothing.
func contractEvent(rec EventRecorder, kpi *v1.KPI, old *v1.ContractStatus) {
	changes := assess.ContractChanges(old, kpi.Status.Contract)
	if len(changes) == 0 {
		return
	}
	msg := "The value-based contract's terms changed"
	if d := kpi.Status.Contract.ReportDate; d != "" {
		if t, err := evaluate.ParseDate(string(d)); err == nil {
			msg += " in the report of " + t.Format("2 January 2006")
		}
	}
	msg += ": " + strings.Join(changes, "; ") + "."
	if rec != nil {
		rec.Eventf(kpi, nil, corev1.EventTypeNormal, EventContractTermsChanged, eventActionEvaluate, "%s", msg)
	}
	eventsTotal.WithLabelValues("KPI", EventContractTermsChanged).Inc()
}
