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
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/registry"
)

var nov25 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// condition returns "Status/Reason: Message" of a condition of the named
// object, or why there is none.
func condition(objs *portfolio.Set, kind, name, typ string) string {
	for _, o := range objs.All() {
		if fmt.Sprintf("%T", o) != "*v1alpha1."+kind || o.GetName() != name {
			continue
		}
		c := meta.FindStatusCondition(assess.Conditions(o), typ)
		if c == nil {
			return "no " + typ + " condition"
		}
		return fmt.Sprintf("%s/%s: %s", c.Status, c.Reason, c.Message)
	}
	return kind + "/" + name + " not found"
}

func decodeYAML(t *testing.T, manifests string) *portfolio.Set {
	t.Helper()
	docs, bad := load.Read("test.yaml", strings.NewReader(manifests))
	if len(bad) > 0 {
		t.Fatalf("load: %v", bad)
	}
	objs, errs := portfolio.Read(docs, portfolio.Options{Namespace: "default", AsStored: true})
	if len(errs) > 0 {
		t.Fatalf("decode: %v", errs)
	}
	return objs
}

func TestTheSamplePortfolioOn20261125(t *testing.T) {
	docs, bad, err := load.Paths([]string{"../../../config/samples"}, nil)
	if err != nil || len(bad) > 0 {
		t.Fatalf("load samples: %v %v", err, bad)
	}
	objs, errs := portfolio.Read(docs, portfolio.Options{Namespace: "default", AsStored: true})
	if len(errs) > 0 {
		t.Fatalf("decode samples: %v", errs)
	}
	Evaluate(context.Background(), objs, nov25, nil)

	// Each expectation follows from the sample data; see the comments.
	for _, c := range []struct{ kind, name, typ, want string }{
		// 17.2% on 2026-09-30 against a glide path from 18% (2025-06-30) to
		// 15.3% (2027-06-30), tolerance 0.5, three quarters in a row above.
		{"KPI", "vicn-readmission-rate-30d", "AtRisk", "True/OffTrack: 30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then (target 15.3% by 2027-06-30), 3 quarters in a row"},
		{"KPI", "vicn-readmission-rate-30d", "MetricsAvailable", "True/DataFresh: Latest value 17.2% observed 2026-09-30"},
		// 58 members per FTE is inside the 40-60 range (61 the quarter before was not).
		{"KPI", "vicn-care-coordinator-caseload", "Healthy", "True/TargetMet: Members per care coordinator 58 members/FTE on 2026-09-30 meets the target (target 40 to 60 members/FTE by 2026-06-30)"},
		{"KPI", "mpop-care-gap-closure", "AtRisk", "True/OffTrack: Preventive care gaps closed 62% on 2026-09-30 is below the 67.27% expected by then (target 80% by 2027-12-31), 3 periods in a row"},
		{"KPI", "mpop-shared-savings", "Healthy", "True/OnTrack: Cumulative shared savings USD 700,000 on 2026-09-30 is on track: USD 698,720 expected by then (target USD 1,200,000 by 2027-12-31)"},
		// A critical KPI at risk puts its objective at risk.
		{"Objective", "vicn-reduce-readmissions", "AtRisk", `True/CriticalKPIAtRisk: Critical KPI "vicn-readmission-rate-30d" is at risk: 30-day readmission rate 17.2% on 2026-09-30 is above the 16.31% expected by then (target 15.3% by 2027-06-30), 3 quarters in a row`},
		{"Objective", "mpop-close-care-gaps", "AtRisk", `True/ScoreBelowThreshold: Score 65 is below the at-risk threshold of 70; weakest KPI "mpop-care-gap-closure": Preventive care gaps closed 62% on 2026-09-30 is below the 67.27% expected by then (target 80% by 2027-12-31), 3 periods in a row`},
		{"Objective", "tele-avoid-transfers", "Healthy", "True/OnTrack: Score 100: 2 of 2 KPIs on track"},
		// Telehealth was last reviewed on 2026-06-12 with a P3M cadence.
		{"Partnership", "telehealth-specialty-consults", "ReviewDue", "True/CadenceElapsed: The last review was on 2026-06-12; a review was due by 2026-09-12 (every 3 months)"},
		{"Partnership", "telehealth-specialty-consults", "Healthy", "True/AllObjectivesHealthy: All 2 objectives are on track; the agreement is in force until 2027-03-31"},
		// Reviewed on 2026-09-18, but both actions agreed then are open past
		// their due dates (2026-10-31 and 2026-11-15).
		{"Partnership", "valley-integrated-care", "ReviewDue", "True/FollowUpsOverdue: 2 of 2 actions from the 2026-09-18 review are overdue: Start 48-hour post-discharge home visits for heart-failure patients (Three Rivers Home Health, due 2026-10-31); Share readmission root-cause review (Valley Regional Hospital, due 2026-11-15); next review due by 2026-12-18. The business associate agreement BAA-2025-031 expires on 31 January 2027; renew it in a review before it lapses"},
		// Its BAA runs to 2027-01-31, its agreement to 2028-06-30; the BAA's
		// 90-day notice opened on 2026-11-02 (the sentence above).
		{"Partnership", "valley-integrated-care", "Compliant", "False/BAAExpiresBeforeAgreement: The business associate agreement BAA-2025-031 expires on 31 January 2027, but the agreement runs until 30 June 2028: protected health information shared after that would not be covered; extend it to the agreement's end"},
		{"Partnership", "medicaid-population-health", "Compliant", "True/BAACoversAgreement: Protected health information is shared under the business associate agreement BAA-2024-077, in force from 1 January 2025 to 31 December 2027, which covers the agreement's term"},
		{"Partnership", "rural-transport-pilot", "Compliant", "True/PartnershipEnded: The partnership ended on 30 September 2026; its data-sharing instruments are no longer checked"},
		// The transport pilot's Exit review (2026-06-24) set 2026-09-30 as
		// its last day: ended, asking for nothing, its KPI judged as of then.
		{"Partnership", "rural-transport-pilot", "ReviewDue", "False/PartnershipEnded: The partnership ended on 2026-09-30, as decided at the review of 2026-06-24; it is no longer judged or reviewed"},
		{"Partnership", "rural-transport-pilot", "AtRisk", "False/PartnershipEnded: The partnership ended on 2026-09-30, as decided at the review of 2026-06-24; it is no longer judged or reviewed"},
		{"Objective", "rtp-fewer-missed-appointments", "AtRisk", "False/PartnershipEnded: Partnership rural-transport-pilot ended on 2026-09-30; this is no longer judged (the values and score are as they stood on its last day)"},
		{"KPI", "rtp-missed-appointments", "Healthy", "False/PartnershipEnded: Partnership rural-transport-pilot ended on 2026-09-30; this is no longer judged (the values and score are as they stood on its last day)"},
		{"Portfolio", "rural-network", "AtRisk", "True/PartnershipsAtRisk: 2 of 3 partnerships are at risk: medicaid-population-health, valley-integrated-care (1 more ended; 1 prospect not yet under way)"},
		// The prospect counts among those that could need a review.
		{"Portfolio", "rural-network", "ReviewDue", "True/ReviewsDue: 2 of 4 partnerships need a review"},
		// The prospect is not judged and asks for no review; its candidates
		// rank by the portfolio's weights (hand-computed in internal/cli's
		// compare test).
		{"Partnership", "behavioral-health-partner", "ReviewDue", "False/Prospect: A prospect has no review cadence; reviews fall due once the agreement is signed and the phase is Active"},
		{"Partnership", "behavioral-health-partner", "AtRisk", "False/Prospect: A prospect, before its agreement: not judged. Candidates ranked by the weights of portfolio rural-network: " +
			"1. Basin Counseling Services (86 of 100), 2. Frontier Behavioral Health (85 of 100). The assessment of Basin Counseling Services, made on 2025-06-10, is older than 1 year: reassess it. " +
			"The assessment of Basin Counseling Services does not score culture, which the score leaves out."},
		{"Review", "tele-2026-06-review", "Applied", "True/Recorded: Review of Mountain Telehealth Specialty Consults on 2026-06-12 decided Revise"},
		{"MetricSource", "reported-in-git", "Reachable", "True/ValuesInGit: Values are committed in git on each KPI"},
		{"MetricSource", "network-prometheus", "Reachable", "Unknown/NotYetQueried: No KPI has queried this source yet"},
	} {
		if got := condition(objs, c.kind, c.name, c.typ); got != c.want {
			t.Errorf("%s/%s %s:\n got %s\nwant %s", c.kind, c.name, c.typ, got, c.want)
		}
	}
	var pf *v1.Portfolio
	for _, p := range objs.Portfolios {
		pf = p
	}
	if pf.Status.Partnerships.Total != 5 || pf.Status.Partnerships.Exited != 1 || pf.Status.Partnerships.Prospects != 1 || pf.Status.Partnerships.AtRisk != 2 || len(pf.Status.Worst) != 5 {
		t.Errorf("portfolio counts: %+v, %d worst items (want 5 partnerships, 1 exited, 1 prospect, 2 at risk, 5 worst: the CRD default)", pf.Status.Partnerships, len(pf.Status.Worst))
	}
	for _, w := range pf.Status.Worst {
		if strings.HasPrefix(w.Name, "rtp-") || w.Name == "rural-transport-pilot" {
			t.Errorf("the ended partnership's %s %s is among the worst items", w.Kind, w.Name)
		}
	}
	for _, p := range objs.Partnerships {
		if p.Name == "rural-transport-pilot" && (p.Status.Phase != v1.PhaseExited || p.Status.EndDate != "2026-09-30" || p.Status.NextReviewDate != "") {
			t.Errorf("rural-transport-pilot: phase %s, end %s, next review %q; want Exited on 2026-09-30, no next review", p.Status.Phase, p.Status.EndDate, p.Status.NextReviewDate)
		}
	}
}

const kpiWithoutMaxAge = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: survey}
spec:
  displayName: Survey score
  unit: "%"
  direction: HigherIsBetter
  baseline: {value: "70", date: "2026-01-01"}
  target: {value: "80", date: "2027-01-01"}
  reported:
    - {value: "75", periodEnd: "2026-11-20", reportedBy: survey team}
`

func TestFilesAreJudgedWithTheCRDDefaults(t *testing.T) {
	// maxAge defaults to 2d on the API server: a value from five days ago
	// is stale there, so it must be stale here too.
	objs := decodeYAML(t, kpiWithoutMaxAge)
	Evaluate(context.Background(), objs, nov25, nil)
	want := "False/StaleData: Survey score: the latest value (75% on 2026-11-20) is older than the allowed 2 days"
	if got := condition(objs, "KPI", "survey", "MetricsAvailable"); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	k := objs.KPIs[0]
	if k.Generation != 1 || k.Status.ObservedGeneration != 1 || k.Namespace != "default" {
		t.Errorf("generation %d, observed %d, namespace %q: want 1, 1, default", k.Generation, k.Status.ObservedGeneration, k.Namespace)
	}
}

const danglingReferences = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: orphan-kpi}
spec:
  displayName: Orphan
  direction: HigherIsBetter
  baseline: {value: "1", date: "2026-01-01"}
  target: {value: "2", date: "2027-01-01"}
  source: {sourceRef: {name: nowhere}, query: up}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: orphan-objective}
spec:
  partnershipRef: {name: gone}
  statement: Something
  startDate: "2026-01-01"
  deadline: "2027-01-01"
  kpis: [{name: orphan-kpi}, {name: missing-kpi}]
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: orphan-review}
spec:
  partnershipRef: {name: gone}
  date: "2026-10-01"
  decision: Continue
`

func TestReferencesThatDoNotResolveAreConditionsNotErrors(t *testing.T) {
	objs := decodeYAML(t, danglingReferences)
	Evaluate(context.Background(), objs, nov25, nil)
	for _, c := range []struct{ kind, name, typ, want string }{
		{"KPI", "orphan-kpi", "Ready", `False/SourceNotFound: MetricSource "nowhere" does not exist in namespace default`},
		{"Objective", "orphan-objective", "Ready", `False/PartnershipNotFound: Partnership "gone" does not exist in namespace default, so this objective counts toward nothing. KPI "missing-kpi" does not exist`},
		{"Review", "orphan-review", "Applied", `False/PartnershipNotFound: Partnership "gone" does not exist in namespace default`},
	} {
		if got := condition(objs, c.kind, c.name, c.typ); got != c.want {
			t.Errorf("%s/%s %s:\n got %s\nwant %s", c.kind, c.name, c.typ, got, c.want)
		}
	}
}

const liveKPI = `
apiVersion: v1
kind: Secret
metadata: {name: partner-api, labels: {portfolio.accord.dev/credential: "true"}, annotations: {portfolio.accord.dev/allowed-hosts: 127.0.0.1}}
stringData: {token: s3cret}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: partner}
spec:
  type: HTTPJSON
  endpoint: %s
  auth: {bearerToken: {name: partner-api, key: token}}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: wait-days}
spec:
  displayName: Days to appointment
  unit: days
  direction: LowerIsBetter
  baseline: {value: "30", date: "2026-01-01"}
  target: {value: "10", date: "2027-01-01"}
  tolerance: "1"
  maxAge: 1d
  source: {sourceRef: {name: partner}, query: /wait, jsonPath: "{.days}"}
`

func TestLiveSourcesAreReadOnlyWithAFetcher(t *testing.T) {
	// A real HTTP server on 127.0.0.1 that wants the token from the Secret
	// given in the files.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = fmt.Fprint(w, `{"days": 12}`)
	}))
	defer srv.Close()
	manifests := fmt.Sprintf(liveKPI, srv.URL)

	offline := decodeYAML(t, manifests)
	Evaluate(context.Background(), offline, nov25, nil)
	want := `False/LiveSourceNotRead: MetricSource "partner" is a live HTTPJSON source, which accordctl evaluate reads only with --live`
	if got := condition(offline, "KPI", "wait-days", "MetricsAvailable"); got != want {
		t.Errorf("offline:\n got %s\nwant %s", got, want)
	}
	if got := condition(offline, "KPI", "wait-days", "Ready"); !strings.HasPrefix(got, "True/Evaluated") {
		t.Errorf("offline Ready: %s, want True: an unread source is not a configuration error", got)
	}

	live := decodeYAML(t, manifests)
	f := fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(), Reader: live.Reader(), Clock: clocktesting.NewFakeClock(nov25), Providers: registry.Providers()})
	Evaluate(context.Background(), live, nov25, f)
	for _, c := range []struct{ kind, name, typ, want string }{
		{"KPI", "wait-days", "MetricsAvailable", "True/DataFresh: Latest value 12 days observed 2026-11-25"},
		{"KPI", "wait-days", "Healthy", "True/OnTrack: Days to appointment 12 days on 2026-11-25 is on track: 12.01 days expected by then (target 10 days by 2027-01-01)"},
		{"MetricSource", "partner", "Reachable", "True/Answered: The source answered on 25 November 2026 at 09:00 UTC"},
	} {
		if got := condition(live, c.kind, c.name, c.typ); got != c.want {
			t.Errorf("live %s/%s %s:\n got %s\nwant %s", c.kind, c.name, c.typ, got, c.want)
		}
	}

	// Without the Secret the request is never made.
	noSecret := decodeYAML(t, manifests[strings.Index(manifests, "---"):])
	f = fetch.New(fetch.Options{AllowedHosts: sources.AllowLoopbackForTests(), Reader: noSecret.Reader(), Clock: clocktesting.NewFakeClock(nov25), Providers: registry.Providers()})
	Evaluate(context.Background(), noSecret, nov25, f)
	want = `False/CredentialsMissing: MetricSource "partner": Secret "partner-api" not found, or not labelled portfolio.accord.dev/credential=true (the operator reads only Secrets given to metric sources)`
	if got := condition(noSecret, "KPI", "wait-days", "MetricsAvailable"); got != want {
		t.Errorf("without the Secret:\n got %s\nwant %s", got, want)
	}
}
