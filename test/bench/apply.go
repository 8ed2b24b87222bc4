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

package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Apply creates objs with at most workers requests in flight and returns
// how long it took. Objects are created in the order given by each
// worker, so sources and partnerships tend to exist before what refers
// to them, as with kubectl apply of a sorted tree.
func Apply(ctx context.Context, c client.Client, objs []client.Object, workers int) (time.Duration, error) {
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for _, o := range objs {
		g.Go(func() error {
			if err := c.Create(gctx, o); err != nil {
				return fmt.Errorf("create %T %s/%s: %w", o, o.GetNamespace(), o.GetName(), err)
			}
			return nil
		})
	}
	err := g.Wait()
	return time.Since(start), err
}

// Floor measures the API server's floor for convergence: one status write
// per object from a plain client, with workers writes in flight, each a
// JSON merge patch of the status subresource carrying a status shaped
// like the one the manager writes (same conditions and fields, similar
// message lengths). It returns the time taken and the mean patch size.
func Floor(
	ctx context.Context,
	c client.Client,
	objs []client.Object,
	workers int,
	now time.Time,
) (time.Duration, int, error) {
	patches := make([][]byte, len(objs))
	size := 0
	for i, o := range objs {
		b, err := json.Marshal(map[string]any{"status": floorStatus(o, now)})
		if err != nil {
			return 0, 0, fmt.Errorf("floor status of %s: %w", o.GetName(), err)
		}
		patches[i] = b
		size += len(b)
	}
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for i, o := range objs {
		g.Go(func() error {
			if err := c.Status().Patch(gctx, o, client.RawPatch(types.MergePatchType, patches[i])); err != nil {
				return fmt.Errorf("floor: patch status of %T %s: %w", o, o.GetName(), err)
			}
			return nil
		})
	}
	err := g.Wait()
	return time.Since(start), size / max(1, len(objs)), err
}

// message is about as long as the manager's condition messages.
const message = "30-day readmission rate 17.2% is above the 15.9% expected by today (target " +
	"12.0% by 2027-06-30), 2 quarters in a row"

func floorConditions(gen int64, now time.Time, condTypes ...string) []metav1.Condition {
	out := make([]metav1.Condition, 0, len(condTypes))
	for _, t := range condTypes {
		out = append(out, metav1.Condition{Type: t, Status: metav1.ConditionTrue, Reason: "Evaluated",
			Message: message, ObservedGeneration: gen, LastTransitionTime: metav1.NewTime(now)})
	}
	return out
}

// floorStatus is a status of o's kind, shaped like the manager's.
func floorStatus(o client.Object, now time.Time) any {
	if f, ok := floorStatuses[v1.KindOf(o)]; ok {
		return f(o.GetName(), o.GetGeneration(), now)
	}
	return map[string]any{}
}

// floorStatuses builds, for each kind, a status shaped like the one the
// manager writes: the conditions it sets and about as many fields.
var floorStatuses = map[string]func(name string, gen int64, now time.Time) any{
	v1.KindKPI: func(_ string, gen int64, now time.Time) any {
		t, score := metav1.NewTime(now), int32(72)
		return v1.KPIStatus{ObservedGeneration: gen, Conditions: floorConditions(gen, now,
			v1.ConditionReady, v1.ConditionMetricsAvailable, v1.ConditionHealthy, v1.ConditionAtRisk),
			LastValue: "17.2", LastObservedTime: &t, ExpectedValue: "15.9", ProjectedValue: "14.1",
			AttainmentPercent: &score, Score: &score,
			History: []v1.KPISample{{Time: t, Value: "17.9"}, {Time: t, Value: "17.5"}, {Time: t, Value: "17.2"}}}
	},
	v1.KindObjective: func(_ string, gen int64, now time.Time) any {
		score := int32(72)
		return v1.ObjectiveStatus{ObservedGeneration: gen, Conditions: floorConditions(gen, now,
			v1.ConditionReady, v1.ConditionHealthy, v1.ConditionAtRisk),
			Score: &score, ProgressPercent: &score, ProjectedOutcome: v1.OutcomeOnTrack, KPIs: floorCounts}
	},
	v1.KindPartnership: func(name string, gen int64, now time.Time) any {
		score, days := int32(72), int32(700)
		return v1.PartnershipStatus{ObservedGeneration: gen, Conditions: floorConditions(gen, now,
			v1.ConditionReady, v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue),
			Phase: v1.PhaseActive, AgreementState: v1.AgreementInForce, DaysToExpiry: &days, Objectives: floorCounts,
			Score: &score, LastReview: name + "-review", LastReviewDate: "2026-10-26", NextReviewDate: "2027-01-26"}
	},
	v1.KindReview: func(_ string, gen int64, now time.Time) any {
		return v1.ReviewStatus{
			ObservedGeneration: gen,
			Conditions:         floorConditions(gen, now, v1.ConditionReady, v1.ConditionApplied),
		}
	},
	v1.KindPortfolio: func(_ string, gen int64, now time.Time) any {
		score := int32(72)
		worst := make([]v1.PortfolioItem, 5)
		for i := range worst {
			worst[i] = v1.PortfolioItem{
				Kind:    v1.KindKPI,
				Name:    fmt.Sprintf("p%05d-readmission-30d", i),
				Score:   &score,
				Message: message,
			}
		}
		return v1.PortfolioStatus{ObservedGeneration: gen, Conditions: floorConditions(gen, now,
			v1.ConditionReady, v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue),
			Partnerships: floorCounts, ReviewDue: 1, Objectives: floorCounts, Score: &score, Worst: worst}
	},
	v1.KindMetricSource: func(_ string, gen int64, now time.Time) any {
		return v1.MetricSourceStatus{
			ObservedGeneration: gen,
			Conditions:         floorConditions(gen, now, v1.ConditionReady, v1.ConditionReachable),
		}
	},
}

var floorCounts = v1.ConditionCounts{Total: 3, Healthy: 2, AtRisk: 1}

// PatchReported sets the latest reported value of each KPI to
// values[name], with a merge patch of its spec.
func PatchReported(ctx context.Context, c client.Client, kpis []*v1.KPI, values map[string]string, workers int) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, workers))
	for _, k := range kpis {
		g.Go(func() error {
			before := k.DeepCopy()
			k.Spec.Reported[len(k.Spec.Reported)-1].Value = qtyPtr(values[k.Name])
			if err := c.Patch(gctx, k, client.MergeFrom(before)); err != nil {
				return fmt.Errorf("patch reported values of KPI %s: %w", k.Name, err)
			}
			return nil
		})
	}
	return g.Wait()
}

func jsonSize(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}
