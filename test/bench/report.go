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
	"fmt"
	"math"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// count formats an integer with thousands separators.
func count(n float64) string {
	s := fmt.Sprintf("%.0f", math.Abs(n))
	var b strings.Builder
	if n < 0 {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func secs(d time.Duration) string {
	switch {
	case d == 0:
		return "0 s"
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
}

func ms(d time.Duration) string {
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mib(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }

// Ratio is t over the floor.
func (r *Result) Ratio(t time.Duration) float64 {
	if r.Floor == 0 {
		return math.NaN()
	}
	return t.Seconds() / r.Floor.Seconds()
}

// HeapDelta is the heap the manager added: in use at the end of the rest
// window minus in use before it started, both after a full collection.
func (r *Result) HeapDelta() float64 {
	return float64(r.HeapAfter.HeapInuse) - float64(r.HeapBefore.HeapInuse)
}

// RSSDelta is the resident memory the manager added.
func (r *Result) RSSDelta() float64 { return float64(r.HeapAfter.RSS) - float64(r.HeapBefore.RSS) }

// PerInterval is n over the rest window's intervals.
func (r *Result) PerInterval(n float64) float64 {
	if r.Intervals == 0 {
		return math.NaN()
	}
	return n / r.Intervals
}

// Markdown renders the figures of one run as two markdown tables: the
// figures with their goals, and reconcile latency per kind.
func (r *Result) Markdown() string {
	var b strings.Builder
	row := func(figure, value, goal string) { fmt.Fprintf(&b, "| %s | %s | %s |\n", figure, value, goal) }
	k := r.Kinds
	b.WriteString("| figure | value | goal |\n|---|---|---|\n")
	row(
		"portfolio",
		fmt.Sprintf(
			"%s objects: %s partnerships, %s objectives, %s KPIs (%s reported, %s HTTP JSON, %s Prometheus), %s reviews, "+
				"%s portfolios, %s sources",
			count(
				float64(r.Objects),
			),
			count(float64(k[v1.KindPartnership])),
			count(float64(k[v1.KindObjective])),
			count(float64(k[v1.KindKPI])),
			count(
				float64(r.KPIs[string(v1.SourceReported)]),
			),
			count(float64(r.KPIs[string(v1.SourceHTTPJSON)])),
			count(float64(r.KPIs[string(v1.SourcePrometheus)])),
			count(
				float64(k[v1.KindReview]),
			),
			count(float64(k[v1.KindPortfolio])),
			count(float64(k[v1.KindMetricSource])),
		),
		"",
	)
	live := r.KPIs[string(v1.SourceHTTPJSON)] + r.KPIs[string(v1.SourcePrometheus)]
	row("distinct live (source, query) pairs", fmt.Sprintf(
		"%s HTTP JSON + %s Prometheus, shared by %s live KPIs",
		count(
			float64(r.Pairs[string(v1.SourceHTTPJSON)]),
		),
		count(float64(r.Pairs[string(v1.SourcePrometheus)])),
		count(float64(live)),
	), "")
	row(fmt.Sprintf("apply (plain client, %d in flight)", r.Config.Workers),
		fmt.Sprintf("%s (%s objects/s)", secs(r.Apply), count(float64(r.Objects)/r.Apply.Seconds())), "")
	row(
		fmt.Sprintf("**floor**: one status write per object (plain client, %d in flight)", r.Config.Workers),
		fmt.Sprintf(
			"%s (%s writes/s; %s B per patch, manager's statuses %s B)",
			secs(r.Floor),
			count(float64(r.Objects)/r.Floor.Seconds()),
			count(float64(r.FloorBytes)),
			count(float64(r.StatusSize)),
		),
		"",
	)
	row("**converged**: manager start to every object evaluated for its generation",
		fmt.Sprintf("%s = **%.2f× floor**", secs(r.Converged), r.Ratio(r.Converged)), "close to 1×")
	row(
		"settled: manager start to the last status change",
		fmt.Sprintf("%s = %.2f× floor", secs(r.Settled), r.Ratio(r.Settled)),
		"",
	)
	row(
		"status writes while converging",
		fmt.Sprintf("%s (%.2f per object)", count(r.ConvergeWrites), r.ConvergeWrites/float64(r.Objects)),
		"about 1 per object",
	)
	row("events while converging", count(r.ConvergeEvents), "transitions only")
	row(
		fmt.Sprintf(
			"re-converge after %.0f%% of KPI values change: reported values (spec patch)",
			100*r.Config.ChangeFraction,
		),
		fmt.Sprintf("%s KPIs in %s", count(float64(r.ChangedReported)), secs(r.ReconvergedReported)),
		"seconds",
	)
	row(
		"re-converge: live values (partner API answer changes)",
		fmt.Sprintf("%s KPIs in %s", count(float64(r.ChangedLive)), secs(r.ReconvergedLive)),
		fmt.Sprintf(
			"within one interval (%s): the first KPI to fetch the pair's next answer brings the others sharing it",
			r.Config.Interval,
		),
	)
	row("re-converge: settled (roll-ups included)", secs(r.ReconvergeSettled), "")
	row("rest window", secs(r.RestWindow), "")
	row("**status writes at rest**", count(r.RestWrites), "0")
	row(
		"**events at rest** (accord_events_total / Event objects)",
		fmt.Sprintf("%s / %s", count(r.RestEvents), count(float64(r.RestEventObjects))),
		"0",
	)
	row("Accord object changes at rest (seen by watch)", count(float64(r.RestObjectChanges)), "0")
	perMin := func(n float64) float64 { return n / r.RestWindow.Minutes() }
	row(
		"reconciles at rest",
		fmt.Sprintf("%s per minute", count(perMin(r.RestReconciles))),
		"live KPIs once per interval",
	)
	row(
		"CPU at rest (whole process: manager and harness)",
		fmt.Sprintf("%.2f cores", r.RestCPU.Seconds()/r.RestWindow.Seconds()),
		"",
	)
	hp, pp := float64(r.Pairs[string(v1.SourceHTTPJSON)]), float64(r.Pairs[string(v1.SourcePrometheus)])
	row("**upstream requests per interval**: partner API",
		fmt.Sprintf("%.1f for %s pairs", r.PerInterval(float64(r.RestHTTPRequests)), count(hp)), "= pairs")
	row(
		"upstream: Prometheus /api/v1/query per interval",
		fmt.Sprintf(
			"%.1f for %s pairs (2 per fetch: the value and its timestamp())",
			r.PerInterval(r.RestPromQueries),
			count(pp),
		),
		"= 2 × pairs",
	)
	row("fetches per interval (Accord's fetcher)", fmt.Sprintf(
		"HTTP JSON %.1f, Prometheus %.1f",
		r.PerInterval(
			float64(r.RestFetches[string(v1.SourceHTTPJSON)]),
		),
		r.PerInterval(float64(r.RestFetches[string(v1.SourcePrometheus)])),
	), "= pairs")
	thousands := float64(r.Objects) / 1000
	row("**manager heap** (HeapInuse after GC, added by the manager)",
		fmt.Sprintf("%s = %s per 1,000 objects", mib(r.HeapDelta()), mib(r.HeapDelta()/thousands)), "linear or better")
	row(
		"process RSS at steady state (manager + harness; before the manager: "+mib(float64(r.HeapBefore.RSS))+")",
		fmt.Sprintf(
			"%s; added by the manager %s = %s per 1,000 objects",
			mib(float64(r.HeapAfter.RSS)),
			mib(r.RSSDelta()),
			mib(r.RSSDelta()/thousands),
		),
		"",
	)

	b.WriteString(
		"\n| controller | objects | status writes (converging) | reconciles (converging) | p50 | p99 | reconciles " +
			"(rest) | p50 | p99 |\n|---|---|---|---|---|---|---|---|---|\n",
	)
	for _, ck := range controllerKinds {
		w := r.Latency[ck.Controller]
		fmt.Fprintf(
			&b,
			"| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			ck.Kind,
			count(
				float64(r.Kinds[ck.Kind]),
			),
			count(w.ConvergeWrites),
			count(w.Converge.Reconciles),
			ms(w.Converge.P50),
			ms(w.Converge.P99),
			count(w.Rest.Reconciles),
			ms(w.Rest.P50),
			ms(w.Rest.P99),
		)
	}
	return b.String()
}

// Exponent is how a figure grows with size between two runs: 1 is
// linear, below 1 better, 2 quadratic. NaN when either is not positive.
func Exponent(size0, size1, f0, f1 float64) float64 {
	if size0 <= 0 || size1 <= 0 || f0 <= 0 || f1 <= 0 || size0 == size1 {
		return math.NaN()
	}
	return math.Log(f1/f0) / math.Log(size1/size0)
}

// Growth renders how each figure grows across runs of increasing size.
func Growth(results []*Result) string {
	if len(results) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| figure |")
	for _, r := range results {
		fmt.Fprintf(
			&b,
			" %s partnerships (%s objects) |",
			count(float64(r.Kinds[v1.KindPartnership])),
			count(float64(r.Objects)),
		)
	}
	b.WriteString(" growth exponent (1 = linear) |\n|---|")
	for range results {
		b.WriteString("---|")
	}
	b.WriteString("---|\n")
	first, last := results[0], results[len(results)-1]
	row := func(name string, value func(*Result) float64, format func(float64) string, grows bool) {
		fmt.Fprintf(&b, "| %s |", name)
		for _, r := range results {
			fmt.Fprintf(&b, " %s |", format(value(r)))
		}
		e := "n/a"
		if grows {
			if x := Exponent(float64(first.Objects), float64(last.Objects), value(first), value(last)); !math.IsNaN(x) {
				e = fmt.Sprintf("%.2f", x)
			}
		}
		fmt.Fprintf(&b, " %s |\n", e)
	}
	sec := func(v float64) string { return fmt.Sprintf("%.1f s", v) }
	plain := func(v float64) string { return fmt.Sprintf("%.2f", v) }
	row("floor", func(r *Result) float64 { return r.Floor.Seconds() }, sec, true)
	row("converged", func(r *Result) float64 { return r.Converged.Seconds() }, sec, true)
	row("converged / floor", func(r *Result) float64 { return r.Ratio(r.Converged) }, plain, false)
	row("settled", func(r *Result) float64 { return r.Settled.Seconds() }, sec, true)
	row(
		"status writes per object while converging",
		func(r *Result) float64 { return r.ConvergeWrites / float64(r.Objects) },
		plain,
		false,
	)
	row("re-converge, reported", func(r *Result) float64 { return r.ReconvergedReported.Seconds() }, sec, true)
	row("re-converge, live", func(r *Result) float64 { return r.ReconvergedLive.Seconds() }, sec, false)
	row("status writes at rest", func(r *Result) float64 { return r.RestWrites }, count, false)
	row("events at rest", func(r *Result) float64 { return r.RestEvents }, count, false)
	row("partner API requests per interval / pairs", func(r *Result) float64 {
		return r.PerInterval(float64(r.RestHTTPRequests)) / float64(r.Pairs[string(v1.SourceHTTPJSON)])
	}, plain, false)
	row(
		"KPI reconcile p99 (converging), ms",
		func(r *Result) float64 { return float64(r.Latency["kpi"].Converge.P99) / 1e6 },
		plain,
		true,
	)
	row(
		"Portfolio reconcile p99 (converging), ms",
		func(r *Result) float64 { return float64(r.Latency["portfolio"].Converge.P99) / 1e6 },
		plain,
		true,
	)
	row(
		"CPU at rest, cores",
		func(r *Result) float64 { return r.RestCPU.Seconds() / r.RestWindow.Seconds() },
		plain,
		true,
	)
	row("manager heap, MiB", func(r *Result) float64 { return r.HeapDelta() / (1 << 20) }, plain, true)
	row("RSS added by the manager, MiB", func(r *Result) float64 { return r.RSSDelta() / (1 << 20) }, plain, true)
	return b.String()
}
