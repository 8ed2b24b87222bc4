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

package localeval

import (
	"context"
	"fmt"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/sources"
)

// Fetcher reads the latest value of a KPI's query from a live source and
// remembers the outcome per source; *fetch.Fetcher is one.
type Fetcher interface {
	Fetch(ctx context.Context, src *v1.MetricSource, q *v1.KPISource) (evaluate.Observation, error)
	Outcome(source string) (sources.Outcome, bool)
}

// ReasonLiveSourceNotRead is the MetricsAvailable reason of a KPI on a live
// source when live sources are not read.
const ReasonLiveSourceNotRead = "LiveSourceNotRead"

// Evaluate judges every object of the set at now and writes its status, as
// the operator would once it has converged; read the set with
// portfolio.Options.AsStored, so that it holds the CRDs' defaults. fetcher reads live sources; nil
// leaves KPIs on them without a fresh value (MetricsAvailable=False,
// ReasonLiveSourceNotRead) and judges them on the history in their status,
// if the files carry one.
func Evaluate(ctx context.Context, objs *portfolio.Set, now time.Time, fetcher Fetcher) {
	// Which partnerships have ended depends on their spec and reviews
	// only, so it is known before their children are judged (the
	// operator's children read it from the partnership's status).
	ended := map[portfolio.Key]*assess.Ending{}
	for _, p := range objs.Partnerships {
		if e := assess.PartnershipEnding(p, reviewsOf(objs, p), now); e != nil {
			ended[portfolio.KeyOf(p)] = e
		}
	}
	for _, k := range objs.KPIs {
		var endings []*assess.Ending
		for _, o := range objs.Objectives {
			if o.Namespace != k.Namespace {
				continue
			}
			for _, ref := range o.Spec.KPIs {
				if ref.Name == k.Name {
					endings = append(endings, endingOf(ended, o))
					break
				}
			}
		}
		if e := assess.AllEnded(endings); e != nil {
			if spec, err := assess.KPISpec(k); err == nil {
				var src *v1.MetricSource
				if k.Spec.Source != nil {
					src = objs.MetricSource(portfolio.Key{Namespace: k.Namespace, Name: k.Spec.Source.SourceRef.Name})
				}
				assess.EndedKPI(k, spec, src, e, now)
				continue
			}
		}
		evaluateKPI(ctx, objs, k, now, fetcher)
	}
	for _, s := range objs.MetricSources {
		var outcome *sources.Outcome
		if fetcher != nil {
			if o, seen := fetcher.Outcome(s.Namespace + "/" + s.Name); seen {
				outcome = &o
			}
		}
		assess.MetricSource(s, outcome, now)
	}
	for _, o := range objs.Objectives {
		kpis := map[string]*v1.KPI{}
		for i, k := range objs.KPIsOf(o) {
			if k != nil {
				kpis[o.Spec.KPIs[i].Name] = k
			}
		}
		if e := endingOf(ended, o); e != nil {
			assess.EndedObjective(o, kpis, e, now)
			continue
		}
		assess.Objective(o, kpis, objs.Partnership(partnershipOf(o.Namespace, o.Spec.PartnershipRef)) != nil, now)
	}
	for _, p := range objs.Partnerships {
		// The error is in the partnership's status already.
		_, _ = assess.Partnership(p, objectivesOf(objs, p), reviewsOf(objs, p), values(objs.Portfolios), now)
	}
	for _, pf := range objs.Portfolios {
		evaluatePortfolio(objs, pf, now)
	}
	for _, r := range objs.Reviews {
		p := objs.Partnership(partnershipOf(r.Namespace, r.Spec.PartnershipRef))
		var reviews []v1.Review
		if p != nil {
			reviews = reviewsOf(objs, p)
		}
		assess.Review(r, p, reviews, now)
	}
}

// endingOf is the end of o's partnership; nil when it has not ended, and
// for a partnership that does not exist (the operator's KPI then keeps
// being judged too).
func endingOf(ended map[portfolio.Key]*assess.Ending, o *v1.Objective) *assess.Ending {
	return ended[partnershipOf(o.Namespace, o.Spec.PartnershipRef)]
}

func partnershipOf(namespace string, ref v1.LocalObjectReference) portfolio.Key {
	return portfolio.Key{Namespace: namespace, Name: ref.Name}
}

// objectivesOf returns copies of the objectives that name p, as a list
// from the cluster would.
func objectivesOf(objs *portfolio.Set, p *v1.Partnership) []v1.Objective {
	return values(objs.ObjectivesOf(portfolio.KeyOf(p)))
}

// reviewsOf returns copies of the reviews that name p.
func reviewsOf(objs *portfolio.Set, p *v1.Partnership) []v1.Review {
	return values(objs.ReviewsOf(portfolio.KeyOf(p)))
}

func values[T any](l []*T) []T {
	out := make([]T, 0, len(l))
	for _, x := range l {
		out = append(out, *x)
	}
	return out
}

func evaluateKPI(ctx context.Context, objs *portfolio.Set, k *v1.KPI, now time.Time, fetcher Fetcher) {
	spec, err := assess.KPISpec(k)
	if err != nil {
		assess.InvalidKPI(k, err, now)
		return
	}
	var src *v1.MetricSource
	if k.Spec.Source != nil {
		src = objs.MetricSource(portfolio.Key{Namespace: k.Namespace, Name: k.Spec.Source.SourceRef.Name})
	}
	obs, problem := assess.ObserveKPI(ctx, k, src, fetcher, liveSourceNotRead)
	assess.KPI(k, spec, obs, problem, now)
}

// liveSourceNotRead is what a KPI on a live source shows when accordctl
// runs without --live.
func liveSourceNotRead(src *v1.MetricSource) *assess.DataProblem {
	return &assess.DataProblem{Reason: ReasonLiveSourceNotRead, Message: fmt.Sprintf(
		"MetricSource %q is a live %s source, which accordctl evaluate reads only with --live", src.Name, src.Spec.Type)}
}

func evaluatePortfolio(objs *portfolio.Set, pf *v1.Portfolio, now time.Time) {
	sel, err := assess.PortfolioSelector(pf, now)
	if err != nil {
		return // the status says why
	}
	kpi := func(name string) (*v1.KPI, error) {
		return objs.KPI(portfolio.Key{Namespace: pf.Namespace, Name: name}), nil
	}
	var members assess.PortfolioMembers
	for _, p := range objs.Selected(pf.Namespace, sel) {
		// kpi never fails here: the objects are all in memory.
		_ = members.AddPartnership(p, objectivesOf(objs, p), kpi)
	}
	assess.Portfolio(pf, members, now)
}
