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

package v1alpha1_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

var env *testenv.Env

func TestMain(m *testing.M) { testenv.Main(m, &env) }

// Minimal valid objects of every kind. Each invalid case below breaks one
// rule of one of these; TestValidBaseObjectsAreAccepted proves the bases
// themselves pass, so a rejection can only come from the broken rule.
var bases = map[string]string{
	"Prospect": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
spec:
  displayName: Behavioral health partner
  desiredPhase: Prospect
  partners:
    - {name: Alpha Hospital, role: Convener, lead: true}
  candidates:
    - {name: Gamma Clinic, role: ClinicalProvider, assessment: {missionAlignment: 5, reach: 4, populationsServed: 4, financialStability: 3, reputation: 4, culture: 5, assessedOn: "2026-09-14"}}
    - {name: Delta Health, assessment: {missionAlignment: 4, reach: 5, populationsServed: 5, financialStability: 4, reputation: 3}}
`,
	"Partnership": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
spec:
  displayName: Test partnership
  partners:
    - {name: Alpha Hospital, role: Convener, lead: true, assessment: {missionAlignment: 5, reach: 4, populationsServed: 4, financialStability: 3, reputation: 4}, staffCommitments: [{role: Nurse, hoursPerMonth: 80}]}
    - {name: Beta Clinic, role: ClinicalProvider}
  agreement:
    effectiveDate: "2025-01-01"
    expiryDate: "2027-12-31"
    renewalNoticeDays: 90
    governance: {model: SteeringCommittee}
    dataSharing: {sharesPHI: true, baaRef: BAA-1}
    financial: {model: SharedSavings, currency: USD, sharedSavingsPercent: 50}
    documents:
      - {title: Agreement, url: "https://docs.example/a.pdf", sha256: 3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29}
  reviewCadence: P3M
`,
	"Objective": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
spec:
  partnershipRef: {name: test-partnership}
  statement: Reduce readmissions by 15% by 2027-06-30.
  startDate: "2025-07-01"
  deadline: "2027-06-30"
  atRiskBelow: 70
  kpis:
    - {name: readmissions, weight: 2, critical: true}
    - {name: satisfaction}
`,
	"KPI": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
spec:
  displayName: Readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  maxAge: 100d
  breachesBeforeAtRisk: 2
  reported:
    - {value: "17.9", periodStart: "2025-07-01", periodEnd: "2025-09-30", reportedBy: Quality office}
`,
	// RateKPI is a KPI that is a rate: its reported values carry counts.
	"RateKPI": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
spec:
  displayName: Readmission rate
  unit: "%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  ratePer: "100"
  confidence: "0.95"
  minDenominator: 20
  period: Quarter
  reportingLag: 45d
  measure: {id: "1789", system: CBE, steward: CMS, version: "2026"}
  reported:
    - {numerator: 7, denominator: 40, value: "17.5", periodEnd: "2025-09-30", reportedBy: Quality office}
    - {numerator: 700, denominator: 4000, periodEnd: "2025-12-31", reportedBy: Quality office}
    - {numerator: 2200, denominator: 12000, value: "18.33", periodEnd: "2026-03-31", reportedBy: Quality office}
`,
	"MetricSource": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
spec:
  type: Prometheus
  endpoint: http://prometheus.monitoring:9090
  timeout: 10s
  auth:
    bearerToken: {name: prom-token, key: token}
  headers:
    - {name: X-Scope, value: accord}
`,
	"Review": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
spec:
  partnershipRef: {name: test-partnership}
  date: "2026-09-18"
  decision: Continue
  attendees: [{name: Dana, organization: Alpha Hospital}]
`,
	"Portfolio": `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Portfolio
spec:
  displayName: Test portfolio
  selector: {matchLabels: {portfolio.accord.dev/portfolio: test}}
`,
}

var counter int

// object returns a fresh copy of the base object of kind, with a unique name.
func object(t *testing.T, kind string) *unstructured.Unstructured {
	t.Helper()
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(bases[kind]), &m); err != nil {
		t.Fatalf("base %s: %v", kind, err)
	}
	u := &unstructured.Unstructured{Object: m}
	counter++
	u.SetName(fmt.Sprintf("%s-%d", strings.ToLower(kind), counter))
	u.SetNamespace("default")
	return u
}

var step = regexp.MustCompile(`^([A-Za-z0-9]+)(?:\[(\d+)\])?$`)

// set assigns value at a dotted path such as "spec.partners[1].name"; a nil
// value deletes the field.
func set(t *testing.T, obj map[string]any, path string, value any) {
	t.Helper()
	parts := strings.Split(path, ".")
	var cur any = obj
	for i, p := range parts {
		m := step.FindStringSubmatch(p)
		if m == nil {
			t.Fatalf("bad path step %q", p)
		}
		node, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("path %s: %s is not an object", path, p)
		}
		last := i == len(parts)-1
		if m[2] == "" {
			if last {
				if value == nil {
					delete(node, m[1])
				} else {
					node[m[1]] = value
				}
				return
			}
			if _, ok := node[m[1]]; !ok {
				node[m[1]] = map[string]any{}
			}
			cur = node[m[1]]
			continue
		}
		list, _ := node[m[1]].([]any)
		idx, _ := strconv.Atoi(m[2])
		if idx >= len(list) {
			t.Fatalf("path %s: index %d out of range", path, idx)
		}
		if last {
			list[idx] = value
			return
		}
		cur = list[idx]
	}
}

func TestValidBaseObjectsAreAccepted(t *testing.T) {
	for kind := range bases {
		t.Run(kind, func(t *testing.T) {
			u := object(t, kind)
			if err := env.Client.Create(context.Background(), u); err != nil {
				t.Fatalf("valid %s rejected: %v", kind, err)
			}
		})
	}
}

// liveSource is a spec.source with the given extra fields (name, value
// pairs) beside a source reference and a query.
func liveSource(kv ...string) map[string]any {
	m := map[string]any{"sourceRef": map[string]any{"name": "partner-api"}, "query": "/api/rates"}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

type edit struct {
	path  string
	value any
}

func TestInvalidObjectsAreRejectedWithTheFieldNamed(t *testing.T) {
	cases := []struct {
		name  string
		kind  string
		edits []edit
		// want are substrings the API server's message must contain: the
		// offending field's path and what is allowed.
		want []string
	}{
		// Partnership
		{"partnership without a display name", "Partnership", []edit{{"spec.displayName", nil}},
			[]string{"spec.displayName", "Required value"}},
		{"partnership with one partner", "Partnership", []edit{{"spec.partners", []any{map[string]any{"name": "Solo", "role": "Payer"}}}},
			[]string{"spec.partners", "at least 2 items"}},
		{"partnership with duplicate partner names", "Partnership", []edit{{"spec.partners[1].name", "Alpha Hospital"}},
			[]string{"spec.partners[1]", "Duplicate value"}},
		{"partner role outside the enum", "Partnership", []edit{{"spec.partners[1].role", "Friend"}},
			[]string{"spec.partners[1].role", "Unsupported value", "ClinicalProvider"}},
		{"assessment score above 5", "Partnership", []edit{{"spec.partners[0].assessment.reach", int64(6)}},
			[]string{"spec.partners[0].assessment.reach", "less than or equal to 5"}},
		{"assessment score below 1", "Partnership", []edit{{"spec.partners[0].assessment.reputation", int64(0)}},
			[]string{"spec.partners[0].assessment.reputation", "greater than or equal to 1"}},
		{"staff commitment above a month of hours", "Partnership", []edit{{"spec.partners[0].staffCommitments[0].hoursPerMonth", int64(800)}},
			[]string{"spec.partners[0].staffCommitments[0].hoursPerMonth", "less than or equal to 744"}},
		{"effective date that is not a date", "Partnership", []edit{{"spec.agreement.effectiveDate", "2025-13-01"}},
			[]string{"spec.agreement.effectiveDate", "date"}},
		{"expiry before the effective date", "Partnership", []edit{{"spec.agreement.expiryDate", "2024-12-31"}},
			[]string{"spec.agreement.expiryDate", "must be after spec.agreement.effectiveDate"}},
		{"renewal notice longer than the term", "Partnership", []edit{{"spec.agreement.effectiveDate", "2027-10-01"}, {"spec.agreement.renewalNoticeDays", int64(120)}},
			[]string{"spec.agreement.renewalNoticeDays", "shorter than the agreement's term"}},
		{"PHI shared without a BAA reference", "Partnership", []edit{{"spec.agreement.dataSharing.baaRef", nil}},
			[]string{"spec.agreement.dataSharing.baaRef", "required when sharesPHI is true"}},
		{"shared-savings percent on a fee-for-service agreement", "Partnership", []edit{{"spec.agreement.financial.model", "FeeForService"}},
			[]string{"spec.agreement.financial.sharedSavingsPercent", "only when model is SharedSavings"}},
		{"shared-savings percent above 100", "Partnership", []edit{{"spec.agreement.financial.sharedSavingsPercent", int64(101)}},
			[]string{"spec.agreement.financial.sharedSavingsPercent", "less than or equal to 100"}},
		{"currency that is not an ISO 4217 code", "Partnership", []edit{{"spec.agreement.financial.currency", "usd"}},
			[]string{"spec.agreement.financial.currency", "^[A-Z]{3}$"}},
		{"governance model outside the enum", "Partnership", []edit{{"spec.agreement.governance.model", "Dictator"}},
			[]string{"spec.agreement.governance.model", "Unsupported value", "SteeringCommittee"}},
		{"document URL that is not https", "Partnership", []edit{{"spec.agreement.documents[0].url", "http://docs.example/a.pdf"}},
			[]string{"spec.agreement.documents[0].url", "https://"}},
		{"document checksum that is not SHA-256 hex", "Partnership", []edit{{"spec.agreement.documents[0].sha256", "abc"}},
			[]string{"spec.agreement.documents[0].sha256", "[a-f0-9]{64}"}},
		{"review cadence in words", "Partnership", []edit{{"spec.reviewCadence", "quarterly"}},
			[]string{"spec.reviewCadence", "should match"}},
		{"desired phase outside the enum", "Partnership", []edit{{"spec.desiredPhase", "Finished"}},
			[]string{"spec.desiredPhase", "Unsupported value", "Exiting"}},

		// Objective
		{"objective deadline before its start", "Objective", []edit{{"spec.deadline", "2025-01-01"}},
			[]string{"spec.deadline", "must be after spec.startDate"}},
		{"KPI weight of zero", "Objective", []edit{{"spec.kpis[0].weight", int64(0)}},
			[]string{"spec.kpis[0].weight", "greater than or equal to 1"}},
		{"the same KPI twice in an objective", "Objective", []edit{{"spec.kpis[1].name", "readmissions"}},
			[]string{"spec.kpis[1]", "Duplicate value"}},
		{"at-risk threshold above 100", "Objective", []edit{{"spec.atRiskBelow", int64(150)}},
			[]string{"spec.atRiskBelow", "less than or equal to 100"}},
		{"partnership reference that is not an object name", "Objective", []edit{{"spec.partnershipRef.name", "Bad_Name"}},
			[]string{"spec.partnershipRef.name", "should match"}},
		{"objective without a statement", "Objective", []edit{{"spec.statement", nil}},
			[]string{"spec.statement", "Required value"}},

		// KPI
		{"target date before the baseline date", "KPI", []edit{{"spec.target.date", "2025-01-01"}},
			[]string{"spec.target.date", "must be after spec.baseline.date"}},
		{"lower-is-better target above the baseline", "KPI", []edit{{"spec.target.value", "19"}},
			[]string{"spec.target.value", "less than spec.baseline.value when direction is LowerIsBetter"}},
		{"higher-is-better target below the baseline", "KPI", []edit{{"spec.direction", "HigherIsBetter"}},
			[]string{"spec.target.value", "greater than spec.baseline.value when direction is HigherIsBetter"}},
		{"in-range KPI without a range", "KPI", []edit{{"spec.direction", "InRange"}},
			[]string{"spec.target", "min and spec.target.max are required when direction is InRange"}},
		{"range whose minimum is above its maximum", "KPI", []edit{{"spec.direction", "InRange"}, {"spec.target.min", "60"}, {"spec.target.max", "40"}},
			[]string{"spec.target.min", "must be less than spec.target.max"}},
		{"negative tolerance", "KPI", []edit{{"spec.tolerance", "-1"}},
			[]string{"spec.tolerance", "zero or positive"}},
		{"KPI with neither source nor reported values", "KPI", []edit{{"spec.reported", nil}},
			[]string{"spec.source or spec.reported must be set"}},
		{"direction outside the enum", "KPI", []edit{{"spec.direction", "Up"}},
			[]string{"spec.direction", "Unsupported value", "HigherIsBetter"}},
		{"max age in words", "KPI", []edit{{"spec.maxAge", "3 months"}},
			[]string{"spec.maxAge", "should match"}},
		{"baseline value that is not a number", "KPI", []edit{{"spec.baseline.value", "high"}},
			[]string{"spec.baseline.value", "should match"}},
		{"reported period that ends before it starts", "KPI", []edit{{"spec.reported[0].periodStart", "2025-10-01"}},
			[]string{"spec.reported[0]", "periodStart must not be after periodEnd"}},
		{"zero breaches before at-risk", "KPI", []edit{{"spec.breachesBeforeAtRisk", int64(0)}},
			[]string{"spec.breachesBeforeAtRisk", "greater than or equal to 1"}},
		{"numerator path without a denominator path", "KPI", []edit{{"spec.source", liveSource("numeratorJSONPath", "{.readmissions}")}},
			[]string{"spec.source", "numeratorJSONPath and spec.source.denominatorJSONPath go together"}},
		{"denominator path without a numerator path", "KPI", []edit{{"spec.source", liveSource("denominatorJSONPath", "{.discharges}")}},
			[]string{"spec.source", "numeratorJSONPath and spec.source.denominatorJSONPath go together"}},
		{"a value path beside counts", "KPI", []edit{{"spec.source", liveSource("numeratorJSONPath", "{.n}", "denominatorJSONPath", "{.d}", "jsonPath", "{.rate}")}},
			[]string{"spec.source", "jsonPath cannot be set with numeratorJSONPath"}},
		{"a timestamp path and a period-end path", "KPI", []edit{{"spec.source", liveSource("timestampJSONPath", "{.t}", "periodEndJSONPath", "{.end}")}},
			[]string{"spec.source", "timestampJSONPath and periodEndJSONPath both give the observation time"}},
		{"a period start without its end", "KPI", []edit{{"spec.source", liveSource("periodStartJSONPath", "{.start}")}},
			[]string{"spec.source", "periodStartJSONPath needs periodEndJSONPath"}},
		{"an empty denominator query", "KPI", []edit{{"spec.source", liveSource("denominatorQuery", "")}},
			[]string{"spec.source.denominatorQuery", "at least 1"}},

		// A rate KPI's counts
		{"numerator above the denominator", "RateKPI", []edit{{"spec.reported[1].numerator", int64(4001)}},
			[]string{"spec.reported[1].numerator", "must not be greater than denominator"}},
		{"negative numerator", "RateKPI", []edit{{"spec.reported[1].numerator", int64(-1)}},
			[]string{"spec.reported[1].numerator", "greater than or equal to 0"}},
		{"negative denominator", "RateKPI", []edit{{"spec.reported[1].denominator", int64(-40)}},
			[]string{"spec.reported[1].denominator", "greater than or equal to 1"}},
		{"denominator of zero", "RateKPI", []edit{{"spec.reported[1].numerator", int64(0)}, {"spec.reported[1].denominator", int64(0)}},
			[]string{"spec.reported[1].denominator", "greater than or equal to 1"}},
		// A value that disagrees with its counts is refused by accordctl
		// validate and the operator (assess.ReportedObservations): the CEL
		// for it exceeds the API server's cost budget.
		{"numerator without a denominator", "RateKPI", []edit{{"spec.reported[1].denominator", nil}},
			[]string{"spec.reported[1].denominator", "give both or neither"}},
		{"reported value with neither value nor counts", "RateKPI", []edit{{"spec.reported[1].numerator", nil}, {"spec.reported[1].denominator", nil}},
			[]string{"spec.reported[1].value", "required unless numerator and denominator"}},
		{"rate whose reported value lacks counts", "RateKPI", []edit{{"spec.reported[0].numerator", nil}, {"spec.reported[0].denominator", nil}},
			[]string{"spec.reported", "spec.ratePer declares a rate: every spec.reported[] value needs its numerator and denominator"}},
		{"counts on a KPI without ratePer", "RateKPI", []edit{{"spec.ratePer", nil}, {"spec.confidence", nil}, {"spec.minDenominator", nil}},
			[]string{"spec.ratePer", "numerator and denominator are allowed only on a rate"}},
		{"ratePer of zero", "RateKPI", []edit{{"spec.ratePer", "0"}},
			[]string{"spec.ratePer", "greater than zero"}},
		{"confidence of 1", "RateKPI", []edit{{"spec.confidence", "1"}},
			[]string{"spec.confidence", "from 0.5 to 0.999"}},
		{"minimum denominator on a plain KPI", "KPI", []edit{{"spec.minDenominator", int64(30)}},
			[]string{"spec.ratePer", "apply only to a rate"}},
		{"period outside the enum", "RateKPI", []edit{{"spec.period", "Fortnight"}},
			[]string{"spec.period", "Unsupported value", "MeasurementYear"}},
		{"measure system outside the enum", "RateKPI", []edit{{"spec.measure.system", "NQF"}},
			[]string{"spec.measure.system", "Unsupported value", "CBE"}},

		// MetricSource
		{"Prometheus source without an endpoint", "MetricSource", []edit{{"spec.endpoint", nil}},
			[]string{"spec.endpoint", "required for types Prometheus, HTTPJSON and FHIR"}},
		{"reported source with an endpoint", "MetricSource", []edit{{"spec.type", "Reported"}},
			[]string{"spec.endpoint", "not allowed for type Reported"}},
		{"endpoint that is not http or https", "MetricSource", []edit{{"spec.endpoint", "ftp://metrics.example"}},
			[]string{"spec.endpoint", "http:// or https://"}},
		{"bearer token and basic auth together", "MetricSource", []edit{{"spec.auth.basic", map[string]any{"username": map[string]any{"name": "s", "key": "u"}, "password": map[string]any{"name": "s", "key": "p"}}}},
			[]string{"spec.auth", "bearerToken or basic, not both"}},
		{"header with both a value and a secret", "MetricSource", []edit{{"spec.headers[0].valueFrom", map[string]any{"name": "s", "key": "k"}}},
			[]string{"spec.headers[0]", "exactly one of value and valueFrom"}},
		{"response cap below 1 KiB", "MetricSource", []edit{{"spec.maxResponseBytes", int64(10)}},
			[]string{"spec.maxResponseBytes", "greater than or equal to 1024"}},
		{"source type outside the enum", "MetricSource", []edit{{"spec.type", "Graphite"}},
			[]string{"spec.type", "Unsupported value", "Prometheus"}},
		{"timeout in words", "MetricSource", []edit{{"spec.timeout", "ten seconds"}},
			[]string{"spec.timeout", "should match"}},

		// Review
		{"exit decided without an exit date", "Review", []edit{{"spec.decision", "Exit"}},
			[]string{"spec.exitDate", "required when decision is Exit"}},
		{"exit date on a continue decision", "Review", []edit{{"spec.exitDate", "2027-01-01"}},
			[]string{"spec.exitDate", "allowed only when decision is Exit"}},
		{"exit date before the review", "Review", []edit{{"spec.decision", "Exit"}, {"spec.exitDate", "2026-01-01"}},
			[]string{"spec.exitDate", "must not be before spec.date"}},
		{"decision outside the enum", "Review", []edit{{"spec.decision", "Maybe"}},
			[]string{"spec.decision", "Unsupported value", "Revise"}},
		{"review without a date", "Review", []edit{{"spec.date", nil}},
			[]string{"spec.date", "Required value"}},

		// Portfolio
		{"portfolio listing too many worst items", "Portfolio", []edit{{"spec.worstItems", int64(50)}},
			[]string{"spec.worstItems", "less than or equal to 20"}},
		{"portfolio without a selector", "Portfolio", []edit{{"spec.selector", nil}},
			[]string{"spec.selector", "Required value"}},
		{"candidate weights adding up to 90", "Portfolio", []edit{{"spec.candidateWeights", candidateWeights(0)}},
			[]string{"spec.candidateWeights", "must add up to 100"}},
		{"candidate weights all zero", "Portfolio", []edit{{"spec.candidateWeights", map[string]any{}}},
			[]string{"spec.candidateWeights", "must add up to 100", "cannot all be 0"}},
		{"candidate weight above 100", "Portfolio", []edit{{"spec.candidateWeights", map[string]any{"culture": int64(110)}}},
			[]string{"spec.candidateWeights.culture", "less than or equal to 100"}},
		{"assessment max age in words", "Portfolio", []edit{{"spec.assessmentMaxAge", "12 months"}},
			[]string{"spec.assessmentMaxAge", "should match"}},

		// Prospect
		{"partnership without an agreement", "Partnership", []edit{{"spec.agreement", nil}},
			[]string{"spec.agreement", "only a partnership in spec.desiredPhase Prospect may go without agreement terms"}},
		{"candidates on an active partnership", "Partnership", []edit{{"spec.candidates", []any{map[string]any{"name": "Gamma Clinic"}}}},
			[]string{"spec.candidates", "allowed only while spec.desiredPhase is Prospect"}},
		{"candidate assessment score above 5", "Prospect", []edit{{"spec.candidates[0].assessment.culture", int64(6)}},
			[]string{"spec.candidates[0].assessment.culture", "less than or equal to 5"}},
		{"candidate assessment score below 1", "Prospect", []edit{{"spec.candidates[1].assessment.financialStability", int64(0)}},
			[]string{"spec.candidates[1].assessment.financialStability", "greater than or equal to 1"}},
		{"two candidates of one name", "Prospect", []edit{{"spec.candidates[1].name", "Gamma Clinic"}},
			[]string{"spec.candidates[1]", "Duplicate value"}},
	}
	if len(cases) < 25 {
		t.Fatalf("only %d invalid cases; the catalogue promises at least 25", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := object(t, tc.kind)
			for _, e := range tc.edits {
				set(t, u.Object, e.path, e.value)
			}
			err := env.Client.Create(context.Background(), u, client.DryRunAll)
			if err == nil {
				t.Fatalf("%s was accepted; want a rejection naming %v", tc.kind, tc.want)
			}
			t.Log(err.Error())
			if !apierrors.IsInvalid(err) {
				t.Fatalf("want an Invalid error, got %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not contain %q", err.Error(), w)
				}
			}
		})
	}
}

// candidateWeights are weights that add up to 90 plus culture.
func candidateWeights(culture int64) map[string]any {
	return map[string]any{"missionAlignment": int64(30), "reach": int64(20), "populationsServed": int64(20),
		"financialStability": int64(10), "reputation": int64(10), "culture": culture}
}

// A Prospect goes without agreement terms and with only the office as a
// partner; weights that add up to 100 are accepted.
func TestAProspectNeedsNoAgreementAndWeightsThatAddUpTo100AreAccepted(t *testing.T) {
	u := object(t, "Prospect")
	if err := env.Client.Create(context.Background(), u, client.DryRunAll); err != nil {
		t.Fatalf("prospect rejected: %v", err)
	}
	pf := object(t, "Portfolio")
	set(t, pf.Object, "spec.candidateWeights", candidateWeights(10))
	if err := env.Client.Create(context.Background(), pf, client.DryRunAll); err != nil {
		t.Fatalf("weights adding up to 100 rejected: %v", err)
	}
	// The same partnership, made Active without terms, is refused.
	set(t, u.Object, "spec.desiredPhase", "Active")
	set(t, u.Object, "spec.candidates", nil)
	err := env.Client.Create(context.Background(), u, client.DryRunAll)
	for _, want := range []string{"spec.agreement", "spec.partners should have at least 2 items"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("an active partnership of one without terms: %v; want %q", err, want)
		}
	}
}

// The rules on spec.source refuse only the combinations they name: a rate
// read from each source type, with its period, is accepted.
func TestRateSourcesAreAccepted(t *testing.T) {
	for name, src := range map[string]map[string]any{
		"HTTP JSON counts and period": liveSource("numeratorJSONPath", "{.readmissions}", "denominatorJSONPath", "{.discharges}",
			"periodStartJSONPath", "{.period.start}", "periodEndJSONPath", "{.period.end}"),
		"HTTP JSON value and period end": liveSource("jsonPath", "{.rate}", "periodEndJSONPath", "{.period.end}"),
		"Prometheus denominator query":   liveSource("denominatorQuery", "sum(increase(discharges_total[90d]))"),
		"FHIR group":                     liveSource("group", "CMS146-group-1"),
	} {
		t.Run(name, func(t *testing.T) {
			u := object(t, "KPI")
			set(t, u.Object, "spec.source", src)
			if err := env.Client.Create(context.Background(), u, client.DryRunAll); err != nil {
				t.Fatalf("rejected: %v", err)
			}
		})
	}
}
