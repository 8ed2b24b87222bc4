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
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/testsupport/promserver"
)

// Names of the generated MetricSources, token Secret and labels.
const (
	SourceReported   = "reported-in-git"
	SourceHTTP       = "partner-api"
	SourcePrometheus = "network-prometheus"
	TokenSecret      = "partner-api-token"
	labelPortfolio   = "portfolio.accord.dev/portfolio"
	labelOrg         = "portfolio.accord.dev/org"
	benchOrg         = "bench" // the organisation label of every generated object
	promMetric       = "accord_bench_measure"
	// PartnershipsPerRegion is how many partnerships share a region, and so
	// how many KPIs share each live (source, query) pair.
	PartnershipsPerRegion = 10
	// regionPortfolios is the number of regional portfolios; one more
	// portfolio spans the whole organisation.
	regionPortfolios = 4
)

// measure is one KPI shape, modelled on config/samples. Objective o of
// every partnership holds measures 3o, 3o+1 and 3o+2, so each objective
// has one reported, one HTTP JSON and one Prometheus KPI.
type measure struct {
	name, display, unit string
	direction           v1.Direction
	baseline, target    float64
	tolerance           string
	source              v1.SourceType
}

var measures = []measure{
	{
		"transfers-avoided",
		"Transfers avoided per quarter",
		"transfers",
		v1.HigherIsBetter,
		12,
		30,
		"3",
		v1.SourceReported,
	},
	{"follow-up-7d", "Follow-up within 7 days of discharge", "%", v1.HigherIsBetter, 48, 70, "3", v1.SourceHTTPJSON},
	{
		"video-connect-success",
		"Video consults connected on first attempt",
		"%",
		v1.HigherIsBetter,
		92,
		98,
		"1",
		v1.SourcePrometheus,
	},
	{
		"consult-turnaround-minutes",
		"Median consult turnaround",
		"min",
		v1.LowerIsBetter,
		95,
		45,
		"5",
		v1.SourceReported,
	},
	{"readmission-30d", "30-day readmission rate", "%", v1.LowerIsBetter, 17.5, 14, "0.5", v1.SourceHTTPJSON},
	{
		"ed-visits-per-1000",
		"ED visits per 1,000 members",
		"visits",
		v1.LowerIsBetter,
		620,
		540,
		"10",
		v1.SourcePrometheus,
	},
	{"patient-satisfaction", "Patients rating care 9 or 10", "%", v1.HigherIsBetter, 78, 85, "2", v1.SourceReported},
	{"care-gap-closure", "Care gaps closed", "%", v1.HigherIsBetter, 40, 60, "2", v1.SourceHTTPJSON},
	{
		"controlling-bp",
		"Controlling high blood pressure (HEDIS CBP)",
		"%",
		v1.HigherIsBetter,
		58,
		68,
		"1.5",
		v1.SourcePrometheus,
	},
}

// Spec says what portfolio to generate.
type Spec struct {
	// Partnerships is the portfolio's size; each has 3 objectives of 3
	// KPIs and one review.
	Partnerships int
	Namespace    string
	// Now dates the agreements, glide paths, reports and history.
	Now time.Time
	// Interval is the evaluation interval of live KPIs and the minimum
	// interval of live sources, e.g. "1m".
	Interval string
}

// Reading is a value served for a live (source, query) pair.
type Reading struct {
	Value float64
	AsOf  time.Time
}

// KPIInfo is what the harness remembers about a KPI once the objects are
// applied: enough to change its value and recognise the result.
type KPIInfo struct {
	Name   string
	Source v1.SourceType
	// Query is the live query (empty for reported KPIs), the key of its
	// (source, query) pair.
	Query string
}

// Portfolio is a generated portfolio: its objects, as the one model of a
// portfolio the CLI reads files into, and the live data the local sources
// serve.
type Portfolio struct {
	*portfolio.Set
	// HTTPValues is what the partner API serves, by query.
	HTTPValues map[string]Reading
	// PromHistory is the Prometheus history, OpenMetrics ending in # EOF.
	PromHistory string
	// PromQueries are the distinct Prometheus queries.
	PromQueries []string
}

// applyOrder is the order of kinds the objects are applied in: what is
// referred to before what refers to it.
var applyOrder = []string{
	portfolio.KindMetricSource, portfolio.KindPartnership, portfolio.KindObjective,
	portfolio.KindKPI, portfolio.KindReview, portfolio.KindPortfolio,
}

// Objects returns every Accord object, sources first.
func (p *Portfolio) Objects() []client.Object { return p.Set.Objects(applyOrder...) }

// KPIInfos summarises the KPIs.
func (p *Portfolio) KPIInfos() []KPIInfo {
	out := make([]KPIInfo, 0, len(p.KPIs))
	for _, k := range p.KPIs {
		info := KPIInfo{Name: k.Name, Source: v1.SourceReported}
		if k.Spec.Source != nil {
			info.Query = k.Spec.Source.Query
			switch k.Spec.Source.SourceRef.Name {
			case SourceHTTP:
				info.Source = v1.SourceHTTPJSON
			case SourcePrometheus:
				info.Source = v1.SourcePrometheus
			}
		}
		out = append(out, info)
	}
	return out
}

// Pairs counts the distinct live (source, query) pairs by source type.
func (p *Portfolio) Pairs() map[v1.SourceType]int {
	seen := map[string]bool{}
	out := map[v1.SourceType]int{}
	for _, k := range p.KPIInfos() {
		if k.Query == "" || seen[string(k.Source)+"\x00"+k.Query] {
			continue
		}
		seen[string(k.Source)+"\x00"+k.Query] = true
		out[k.Source]++
	}
	return out
}

// Regions is how many regions a portfolio of n partnerships spans.
func Regions(partnerships int) int {
	return max(1, (partnerships+PartnershipsPerRegion-1)/PartnershipsPerRegion)
}

// Generate builds the portfolio spec describes. It is deterministic: the
// same spec gives the same objects and values.
func Generate(spec Spec) (*Portfolio, error) {
	if spec.Partnerships < 1 {
		return nil, fmt.Errorf("partnerships: %d is not allowed; want 1 or more", spec.Partnerships)
	}
	if spec.Namespace == "" || spec.Interval == "" {
		return nil, fmt.Errorf("namespace and interval are required")
	}
	g := &generator{spec: spec, today: spec.Now.UTC().Truncate(24 * time.Hour),
		out: &Portfolio{HTTPValues: map[string]Reading{}}}
	g.sources()
	for i := range spec.Partnerships {
		g.partnership(i)
	}
	g.portfolios()
	g.history()
	g.out.Set = portfolio.New(g.objs...)
	return g.out, nil
}

type generator struct {
	spec  Spec
	today time.Time
	out   *Portfolio
	// objs are the objects generated so far, for the set.
	objs []client.Object
	prom map[string]float64
}

func (g *generator) add(o client.Object) { g.objs = append(g.objs, o) }

func (g *generator) meta(name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: g.spec.Namespace, Name: name}
}

func date(t time.Time) v1.Date { return v1.Date(t.Format(time.DateOnly)) }

func qty(s string) resource.Quantity { return resource.MustParse(s) }

func qtyPtr(s string) *resource.Quantity { q := resource.MustParse(s); return &q }

func num(v float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

func i32(v int32) *int32 { return new(v) }

// spread is a deterministic number in [-1, 1) for a name, so that values
// differ between KPIs without a random source.
func spread(name string) float64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return float64(h.Sum32()%2000)/1000 - 1
}

func (g *generator) sources() {
	for _, s := range []*v1.MetricSource{
		{ObjectMeta: g.meta(SourceReported), Spec: v1.MetricSourceSpec{Type: v1.SourceReported}},
		{ObjectMeta: g.meta(SourceHTTP), Spec: v1.MetricSourceSpec{
			Type:    v1.SourceHTTPJSON,
			Auth:    &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: TokenSecret, Key: "token"}},
			Timeout: "5s", MinInterval: v1.Duration(g.spec.Interval)}},
		{ObjectMeta: g.meta(SourcePrometheus), Spec: v1.MetricSourceSpec{
			Type:    v1.SourcePrometheus,
			Timeout: "10s", MinInterval: v1.Duration(g.spec.Interval)}},
	} {
		g.add(s)
	}
}

// SetEndpoints points the live sources at the servers that serve the
// portfolio's data; they start after Generate, from its output.
func (p *Portfolio) SetEndpoints(partnerAPI, prometheus string) {
	for _, s := range p.MetricSources {
		switch s.Name {
		case SourceHTTP:
			s.Spec.Endpoint = strings.TrimSuffix(partnerAPI, "/") + "/partner-api"
		case SourcePrometheus:
			s.Spec.Endpoint = prometheus
		}
	}
}

// TokenSecretFor is the bearer-token Secret the partner API source reads.
func TokenSecretFor(namespace, token string) *corev1.Secret {
	return sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: TokenSecret},
		StringData: map[string]string{"token": token}}, "127.0.0.1")
}

func (g *generator) partnership(i int) {
	name := fmt.Sprintf("p%05d", i)
	region := i % Regions(g.spec.Partnerships)
	effective := g.today.AddDate(-2, 0, 0)
	p := &v1.Partnership{ObjectMeta: g.meta(name), Spec: v1.PartnershipSpec{
		DisplayName: fmt.Sprintf("Regional Care Partnership %d", i),
		Purpose: "Give the emergency departments and inpatient units of two rural hospitals same-day video access " +
			"to specialists, to avoid unnecessary transfers and speed up treatment.",
		ReviewCadence: "P3M", EscalateAfter: "P30D",
		Partners: []v1.Partner{
			{
				Name: fmt.Sprintf("University Medical Center %d", i),
				Role: "Academic",
				Lead: true,
				Assessment: &v1.PartnerAssessment{
					MissionAlignment:   4,
					Reach:              5,
					PopulationsServed:  3,
					FinancialStability: 5,
					Reputation:         5,
					AssessedOn:         date(effective),
				},
				StaffCommitments: []v1.StaffCommitment{
					{Role: "On-call specialist", HoursPerMonth: 120},
					{Role: "Telehealth coordinator", HoursPerMonth: 80},
				},
			},
			{
				Name: fmt.Sprintf("Valley Regional Hospital %d", i),
				Role: "ClinicalProvider",
				Assessment: &v1.PartnerAssessment{
					MissionAlignment:   5,
					Reach:              4,
					PopulationsServed:  4,
					FinancialStability: 4,
					Reputation:         4,
					AssessedOn:         date(effective),
				},
			},
			{
				Name: fmt.Sprintf("Northfield Critical Access Hospital %d", i),
				Role: "ClinicalProvider",
				Assessment: &v1.PartnerAssessment{
					MissionAlignment:   5,
					Reach:              3,
					PopulationsServed:  5,
					FinancialStability: 2,
					Reputation:         4,
					AssessedOn:         date(effective),
				},
				StaffCommitments: []v1.StaffCommitment{{Role: "Telepresenter nurse", HoursPerMonth: 60}},
			},
		},
		Agreement: v1.Agreement{
			EffectiveDate: date(
				effective,
			),
			ExpiryDate:        date(g.today.AddDate(2, 0, 0)),
			RenewalNoticeDays: i32(120),
			AutoRenew:         true,
			Governance:        v1.Governance{Model: "JointOperatingCommittee", MeetingCadence: "P1M"},
			DataSharing: v1.DataSharing{
				SharesPHI:    true,
				BAARef:       fmt.Sprintf("BAA-%05d", i),
				Purposes:     []string{"treatment", "quality measurement"},
				DataElements: []string{"consult notes", "transfer logs"},
			},
			Financial: v1.FinancialArrangement{
				Model:       "FeeForService",
				Currency:    "USD",
				AnnualValue: qtyPtr("310000"),
			},
			ConflictResolution: &v1.ConflictResolution{Process: "Mediation", EscalationDays: i32(45)},
			Documents: []v1.DocumentLink{
				{Title: "Services agreement", URL: fmt.Sprintf("https://contracts.example/%s/agreement.pdf", name),
					SHA256: "5d41402abc4b2a76b9719d911017c592ae2b1f0e5e6d7c8b9a0f1e2d3c4b5a69", Version: "2024-01"},
			},
		},
	}}
	p.Labels = map[string]string{labelPortfolio: fmt.Sprintf("region-%d", region%regionPortfolios), labelOrg: benchOrg}
	g.add(p)

	for o := range 3 {
		obj := &v1.Objective{ObjectMeta: g.meta(fmt.Sprintf("%s-o%d", name, o)), Spec: v1.ObjectiveSpec{
			PartnershipRef: v1.LocalObjectReference{Name: name},
			Statement:      fmt.Sprintf("Improve %s by %s.", measures[3*o].display, date(g.today.AddDate(1, 0, 0))),
			Owner:          p.Spec.Partners[0].Name,
			StartDate:      date(g.today.AddDate(-1, 0, 0)), Deadline: date(g.today.AddDate(1, 0, 0)),
		}}
		for j := range 3 {
			m := measures[3*o+j]
			k := g.kpi(name, region, m)
			obj.Spec.KPIs = append(
				obj.Spec.KPIs,
				v1.ObjectiveKPI{Name: k.Name, Weight: int32(1 + j%2), Critical: j == 0},
			)
		}
		g.add(obj)
	}

	// One partnership in seven last met too long ago, so ReviewDue shows.
	reviewed := g.today.AddDate(0, 0, -30)
	if i%7 == 0 {
		reviewed = g.today.AddDate(0, 0, -120)
	}
	g.add(&v1.Review{ObjectMeta: g.meta(name + "-review"), Spec: v1.ReviewSpec{
		PartnershipRef: v1.LocalObjectReference{Name: name},
		Date:           date(reviewed),
		Decision:       v1.DecisionContinue,
		Attendees: []v1.Attendee{
			{Name: "Dana Whitfield", Organization: p.Spec.Partners[1].Name},
			{Name: "Dr. Helen Park", Organization: p.Spec.Partners[0].Name},
		},
		Notes: "Readmissions are improving but slower than planned; " +
			"the home-health partner will pilot 48-hour post-discharge visits.",
		FollowUps: []v1.FollowUp{
			{
				Action: "Share readmission root-cause review",
				Owner:  p.Spec.Partners[1].Name,
				Due:    date(reviewed.AddDate(0, 1, 0)),
			},
		},
	}})
}

// valueAt is a value on (or off, by the name's spread) the glide path
// from a year ago to a year ahead, at t.
func (g *generator) valueAt(m measure, key string, t time.Time) float64 {
	start, end := g.today.AddDate(-1, 0, 0), g.today.AddDate(1, 0, 0)
	f := float64(t.Sub(start)) / float64(end.Sub(start))
	// Within ±30% of the way travelled: some KPIs ahead, some behind.
	return m.baseline + (m.target-m.baseline)*f*(1+0.3*spread(key))
}

func (g *generator) kpi(partnership string, region int, m measure) *v1.KPI {
	k := &v1.KPI{ObjectMeta: g.meta(partnership + "-" + m.name), Spec: v1.KPISpec{
		DisplayName: m.display, Unit: m.unit, Direction: m.direction,
		Baseline:  v1.Baseline{Value: qty(num(m.baseline)), Date: date(g.today.AddDate(-1, 0, 0))},
		Target:    v1.Target{Value: qtyPtr(num(m.target)), Date: date(g.today.AddDate(1, 0, 0))},
		Tolerance: qtyPtr(m.tolerance),
	}}
	regionKey := fmt.Sprintf("r%04d", region)
	switch m.source {
	case v1.SourceReported:
		k.Spec.EvaluationInterval, k.Spec.MaxAge = "1d", "100d"
		for q := 3; q >= 1; q-- {
			end := quarterEnd(g.today).AddDate(0, -3*(q-1), 0)
			end = time.Date(end.Year(), end.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
			k.Spec.Reported = append(k.Spec.Reported, v1.ReportedValue{
				Value: qtyPtr(num(g.valueAt(m, k.Name, end))), PeriodEnd: date(end), ReportedBy: "Partnership office"})
		}
	case v1.SourceHTTPJSON:
		query := fmt.Sprintf("/v1/measures/%s?region=%s", m.name, regionKey)
		k.Spec.EvaluationInterval, k.Spec.MaxAge = v1.Duration(g.spec.Interval), "3d"
		k.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: SourceHTTP}, Query: query,
			JSONPath: "{.measure.rate}", TimestampJSONPath: "{.measure.asOf}"}
		asOf := g.today.Add(-6 * time.Hour)
		g.out.HTTPValues[query] = Reading{Value: roundTo2(g.valueAt(m, query, asOf)), AsOf: asOf}
	case v1.SourcePrometheus:
		query := fmt.Sprintf(`%s{measure=%q,region=%q}`, promMetric, m.name, regionKey)
		k.Spec.EvaluationInterval, k.Spec.MaxAge = v1.Duration(g.spec.Interval), "3d"
		k.Spec.Source = &v1.KPISource{SourceRef: v1.LocalObjectReference{Name: SourcePrometheus}, Query: query}
		if g.prom == nil {
			g.prom = map[string]float64{}
		}
		if _, ok := g.prom[query]; !ok {
			g.prom[query] = g.valueAt(m, query, g.today)
		}
	}
	g.add(k)
	return k
}

// quarterEnd is the last day of the quarter before the one holding t.
func quarterEnd(t time.Time) time.Time {
	first := time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, -1)
}

func roundTo2(v float64) float64 { return math.Round(v*100) / 100 }

func (g *generator) portfolios() {
	for r := range min(regionPortfolios, Regions(g.spec.Partnerships)) {
		name := fmt.Sprintf("region-%d", r)
		g.add(&v1.Portfolio{ObjectMeta: g.meta(name), Spec: v1.PortfolioSpec{
			DisplayName: fmt.Sprintf("Region %d portfolio", r), WorstItems: 5,
			Selector: metav1.LabelSelector{MatchLabels: map[string]string{labelPortfolio: name}}}})
	}
	g.add(&v1.Portfolio{ObjectMeta: g.meta("organisation"), Spec: v1.PortfolioSpec{
		DisplayName: "Whole organisation", WorstItems: 10,
		Selector: metav1.LabelSelector{MatchLabels: map[string]string{labelOrg: benchOrg}}}})
}

// history writes three daily samples per Prometheus query, the newest an
// hour ago; Prometheus serves them with a lookback long enough to see
// them (see PrometheusArgs). Sample times never change, so a KPI at rest
// sees the same observation on every fetch.
func (g *generator) history() {
	queries := make([]string, 0, len(g.prom))
	for q := range g.prom {
		queries = append(queries, q)
	}
	slices.Sort(queries)
	var b strings.Builder
	b.WriteString("# TYPE " + promMetric + " gauge\n")
	newest := g.spec.Now.UTC().Truncate(time.Minute).Add(-time.Hour)
	for _, q := range queries {
		labels := strings.TrimSuffix(strings.TrimPrefix(q, promMetric+"{"), "}")
		for d := 2; d >= 0; d-- {
			v := g.prom[q] - float64(d)*0.1
			b.WriteString(
				promserver.Sample(promMetric, labels, roundTo2(v), newest.Add(-time.Duration(d)*24*time.Hour)),
			)
		}
	}
	b.WriteString("# EOF\n")
	g.out.PromHistory = b.String()
	g.out.PromQueries = queries
}

// PrometheusArgs lets instant queries see the backfilled samples, which
// are older than the default five-minute lookback.
var PrometheusArgs = []string{"--query.lookback-delta=3d"}
