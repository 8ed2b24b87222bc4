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

package dashboard_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// The sample portfolio, evaluated by the real reconcilers on the fake
// clock, served by one manager for the tests in this file.
type samplePortfolio struct {
	ns, base string
}

func startSamples(t *testing.T) samplePortfolio {
	t.Helper()
	ctx := context.Background()
	ns := namespace(t)
	base := serve(t, setup{reconcilers: true, namespaces: []string{ns}})
	applySamples(ctx, t, ns)
	NewWithT(t).Eventually(func() error { return settled(ctx, ns) }).WithTimeout(timeout).WithPolling(poll).Should(Succeed())
	return samplePortfolio{ns: ns, base: base}
}

func TestPagesAnswerWithTheRightStatusCodes(t *testing.T) {
	s := startSamples(t)
	valley := "/partnerships/" + s.ns + "/valley-integrated-care"
	cases := []struct {
		name, method, path string
		want               int
		bodyHas            string
	}{
		{"overview", http.MethodGet, "/", http.StatusOK, "Valley Integrated Care Network"},
		{"overview without a body", http.MethodHead, "/", http.StatusOK, ""},
		{"a partnership's page", http.MethodGet, valley, http.StatusOK, "Reduce 30-day all-cause readmissions"},
		{"unknown partnership", http.MethodGet, "/partnerships/" + s.ns + "/no-such-partnership", http.StatusNotFound, "There is no partnership no-such-partnership in namespace " + s.ns},
		{"namespace the manager does not watch", http.MethodGet, "/partnerships/kube-system/valley-integrated-care", http.StatusNotFound, "Partnership not found"},
		{"name that cannot exist", http.MethodGet, "/partnerships/" + s.ns + "/Not_A_Name", http.StatusNotFound, "Partnership not found"},
		{"unknown path", http.MethodGet, "/partnerships", http.StatusNotFound, ""},
		{"POST to the overview", http.MethodPost, "/", http.StatusMethodNotAllowed, ""},
		{"POST to a partnership", http.MethodPost, valley, http.StatusMethodNotAllowed, ""},
		{"DELETE a partnership", http.MethodDelete, valley, http.StatusMethodNotAllowed, ""},
		{"bad condition filter", http.MethodGet, "/?condition=Sideways", http.StatusBadRequest, "condition: &#34;Sideways&#34; is not one of AtRisk, ReviewDue, Healthy or Unknown"},
		{"bad label filter", http.MethodGet, "/?label=a%3D%3Db%3Dc", http.StatusBadRequest, "label: &#34;a==b=c&#34; is not a label selector"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := get(t, tc.method, s.base+tc.path, nil)
			if code != tc.want {
				t.Fatalf("%s %s = %d, want %d\n%s", tc.method, tc.path, code, tc.want, body)
			}
			if !strings.Contains(body, tc.bodyHas) {
				t.Errorf("%s %s: body lacks %q\n%s", tc.method, tc.path, tc.bodyHas, body)
			}
			if tc.want == http.StatusMethodNotAllowed && !strings.Contains(h.Get("Allow"), "GET") {
				t.Errorf("405 without Allow: GET (got %q)", h.Get("Allow"))
			}
			if tc.method == http.MethodHead && body != "" {
				t.Errorf("HEAD returned a body")
			}
			if code < 300 && !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("no Content-Security-Policy: %q", h.Get("Content-Security-Policy"))
			}
		})
	}
}

// rowsOf returns the namespace/name of each partnership row of the
// overview, in order, with the words in its health cell.
func rowsOf(body string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)<tr data-partnership="([^"]+)">.*?<td data-condition="health"><span class="state [a-z-]+"><span aria-hidden="true">[^<]*</span> ([^<]+)</span>`)
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	return out
}

func TestOverviewListsThePortfolioAndFiltersByLabelConditionAndPartner(t *testing.T) {
	s := startSamples(t)
	valley, tele, mpop := s.ns+"/valley-integrated-care", s.ns+"/telehealth-specialty-consults", s.ns+"/medicaid-population-health"
	rtp, bh := s.ns+"/rural-transport-pilot", s.ns+"/behavioral-health-partner"

	_, body, _ := get(t, http.MethodGet, s.base+"/", nil)
	rows := rowsOf(body)
	// As of 2026-11-25 the readmission rate has been above its glide path
	// for three quarters (Valley), and care-gap closure behind its path
	// (Heartland): their objectives, and so the partnerships, are at risk.
	// The transport pilot ended on 2026-09-30: finished, not failing. The
	// behavioural-health partnership is a prospect, not yet under way.
	NewWithT(t).Expect(rows).To(Equal(map[string]string{valley: "At risk", tele: "Healthy", mpop: "At risk", rtp: "Ended", bh: "Prospect"}))
	if i, j, k := strings.Index(body, tele), strings.Index(body, bh), strings.Index(body, rtp); i > j || j > k {
		t.Error("the prospect should follow the judged partnerships, and the ended partnership be listed last")
	}
	if !strings.Contains(body, "Valley Rural Health Network portfolio") {
		t.Error("the sample Portfolio's roll-up is missing")
	}
	// The compliance calendar across the portfolio, earliest first; the
	// ended pilot lists nothing.
	matches := regexp.MustCompile(`<tr data-expiry="([^"]+)"><th scope="row">([^<]+)</th>`).FindAllStringSubmatch(body, -1)
	calendar := make([]string, 0, len(matches))
	for _, m := range matches {
		calendar = append(calendar, m[2]+": "+m[1])
	}
	NewWithT(t).Expect(calendar).To(Equal([]string{
		"31 January 2027 (in 67 days): valley-integrated-care/Business associate agreement BAA-2025-031",
		"31 March 2027 (in 126 days): telehealth-specialty-consults/Agreement",
		"31 December 2027 (in 401 days): medicaid-population-health/Agreement",
		"31 December 2027 (in 401 days): medicaid-population-health/Business associate agreement BAA-2024-077",
		"31 December 2027 (in 401 days): medicaid-population-health/Data-sharing agreement DSA-2024-019",
		"30 June 2028 (in 583 days): valley-integrated-care/Agreement",
		"31 December 2028 (in 767 days): telehealth-specialty-consults/Business associate agreement BAA-2023-112",
		"31 December 2028 (in 767 days): valley-integrated-care/Data-sharing agreement DSA-2025-007",
	}))
	if i, j := strings.Index(body, valley), strings.Index(body, tele); i > j {
		t.Error("the at-risk partnership should be listed first")
	}

	cases := []struct {
		name, query string
		want        []string
	}{
		{"by label", "label=portfolio.accord.dev/programme%3Dtelehealth", []string{tele}},
		{"by label set", "label=portfolio.accord.dev/programme+in+(telehealth,integrated-care)", []string{valley, tele}},
		{"by condition at risk", "condition=AtRisk", []string{valley, mpop}},
		{"by condition healthy", "condition=Healthy", []string{tele}},
		{"by partner, any case", "partner=heartland", []string{mpop}},
		{"by partner shared by all three and the prospect", "partner=Valley+Regional", []string{valley, tele, mpop, bh}},
		{"all three filters", "label=portfolio.accord.dev/portfolio%3Drural-network&condition=AtRisk&partner=Cedar", []string{valley}},
		{"nothing matches", "partner=Nobody", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body, _ := get(t, http.MethodGet, s.base+"/?"+tc.query, nil)
			if code != http.StatusOK {
				t.Fatalf("status %d\n%s", code, body)
			}
			var got []string
			for k := range rowsOf(body) {
				got = append(got, k)
			}
			NewWithT(t).Expect(got).To(ConsistOf(tc.want))
		})
	}
}

func TestPartnershipPageShowsAgreementObjectivesKPIChartsAndReviews(t *testing.T) {
	s := startSamples(t)
	code, body, _ := get(t, http.MethodGet, s.base+"/partnerships/"+s.ns+"/valley-integrated-care", nil)
	if code != http.StatusOK {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{
		"<h1>Valley Integrated Care Network</h1>",
		"Cedar County Public Health", "Public health", "Care coordinator: 320 hours a month",
		"Steering committee", "BAA-2025-031", "Network participation agreement",
		// Objectives with progress and their KPIs.
		`<h3 id="objective-vicn-reduce-readmissions-h">Reduce 30-day all-cause readmissions`,
		`<meter min="0" max="100"`,
		// A chart per KPI, once, with its data table.
		`<section class="kpi" id="kpi-vicn-readmission-rate-30d"`,
		`aria-labelledby="kpi-vicn-readmission-rate-30d-title kpi-vicn-readmission-rate-30d-desc"`,
		`<summary>Data table: 30-day readmission rate</summary>`,
		"<th scope=\"row\">2026-09-30</th><td class=\"num\">17.2%</td>",
		// The measure's identity as its steward cites it (spec.measure).
		`<dt>Measure</dt><dd data-measure="CBE 1789">CBE 1789<span class="why">CBE number, formerly NQF, steward CMS</span></dd>`,
		// Cadences in words, not ISO 8601.
		"Every 3 months; a review is called after 30 days at risk",
		// The latest review and its decision.
		"2026-09-18: decided to Continue", "48-hour post-discharge", "Three Rivers Home Health",
		// Both actions of that review are open past their due dates.
		`<caption>Overdue actions: open past their due date</caption>`,
		"<tr><td>Share readmission root-cause review</td><td>Valley Regional Hospital</td><td>2026-11-15</td><td>the review of 2026-09-18</td></tr>",
		"Actions agreed: 2 open (2 overdue), 0 done, 0 dropped.",
		// The win since that review, in a sentence with its date in words.
		`<h2 id="wins">Wins since the review of 18 September 2026</h2>`,
		"<li><span aria-hidden=\"true\">★</span> Members per care coordinator came inside its target range of 40 to 60 members/FTE on 30 September 2026.</li>",
		// Its BAA ends before the agreement, its notice has opened.
		`data-condition="Compliant"><th scope="row">Compliant</th><td><span class="state at-risk"><span aria-hidden="true">⚠</span> False</span></td><td>BAA expires before agreement</td>`,
		`<th scope="row">31 January 2027 (in 67 days)</th><td><a href="/partnerships/` + s.ns + `/valley-integrated-care">Valley Integrated Care Network</a></td><td>Business associate agreement BAA-2025-031</td><td><span class="state at-risk"><span aria-hidden="true">⚠</span> expiring soon: in its notice period</span></td>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(body, `id="kpi-vicn-patient-satisfaction"`); n != 1 {
		t.Errorf("a KPI shared by two objectives is drawn %d times, want once", n)
	}
	if n := strings.Count(body, "<svg "); n != 4 {
		t.Errorf("%d charts, want one for each of the 4 KPIs", n)
	}
	if !regexp.MustCompile(`data-condition="AtRisk"><th scope="row">AtRisk</th><td><span class="state at-risk"><span aria-hidden="true">⚠</span> True</span></td><td>Objective at risk</td>`).MatchString(body) {
		t.Error("the AtRisk condition is not shown in words with its reason")
	}
}

func TestConditionalRequestsGet304UntilTheStatusChanges(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	ns := namespace(t)
	base := serve(t, setup{namespaces: []string{ns}})
	p := &v1.Partnership{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "p"},
		Spec: v1.PartnershipSpec{DisplayName: "P", Partners: []v1.Partner{{Name: "A", Role: "Convener"}, {Name: "B", Role: "Payer"}},
			Agreement: v1.Agreement{EffectiveDate: "2025-01-01", Governance: v1.Governance{Model: "LeadPartner"},
				DataSharing: v1.DataSharing{}, Financial: v1.FinancialArrangement{Model: "InKind"}}},
	}
	g.Expect(env.Client.Create(ctx, p)).To(Succeed())
	url := base + "/partnerships/" + ns + "/p"
	var etag string
	g.Eventually(func() int {
		code, _, h := get(t, http.MethodGet, url, nil)
		etag = h.Get("ETag")
		return code
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(http.StatusOK))
	g.Expect(etag).To(MatchRegexp(`^"[0-9a-f]{32}"$`))

	code, body, _ := get(t, http.MethodGet, url, http.Header{"If-None-Match": {etag}})
	g.Expect(code).To(Equal(http.StatusNotModified))
	g.Expect(body).To(BeEmpty())

	score := int32(81)
	setStatus(ctx, t, p, func() { p.Status.Score = &score })
	g.Eventually(func() string {
		code, body, h := get(t, http.MethodGet, url, http.Header{"If-None-Match": {etag}})
		if code != http.StatusOK || h.Get("ETag") == etag {
			return "still not modified"
		}
		return body
	}).WithTimeout(timeout).WithPolling(poll).Should(ContainSubstring(`<span class="value">81</span>`))

	// The page reloads itself, gently.
	_, body, _ = get(t, http.MethodGet, url, nil)
	g.Expect(body).To(ContainSubstring(`<meta http-equiv="refresh" content="60">`))
}
