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
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
)

func TestCoveragePageShowsTheGapTheOverlapAndWhatEachPartnerGives(t *testing.T) {
	s := startSamples(t)
	_, overview, _ := get(t, http.MethodGet, s.base+"/", nil)
	link := "/portfolios/" + s.ns + "/rural-network/coverage"
	if !strings.Contains(overview, `<a href="`+link+`">coverage</a>`) {
		t.Errorf("the overview does not link the portfolio's coverage page %s", link)
	}
	wants := []string{
		"1 of 4 needs has no running partnership (gap): behavioral-health-access; 1 is addressed by two or more (overlap): care-coordination",
		`<tr data-need="behavioral-health-access"><th scope="row"><code>behavioral-health-access</code>`,
		`<span aria-hidden="true">⚠</span> Gap</span> <span class="why">none (gap)</span>`,
		`<a href="/partnerships/` + s.ns + `/medicaid-population-health">medicaid-population-health</a>, <a href="/partnerships/` + s.ns + `/valley-integrated-care">valley-integrated-care</a>`,
		`<span aria-hidden="true">▼</span> Overlap</span>`,
		"<code>care-transitions-nursing</code> (priority 1)",
		"<strong>Pine Ridge Community Health Center</strong>: gives 1,200 patients and 320 staff hours a month (given: 900 of 960 committed hours in the latest reported periods, 93%); receives USD 120,000 per year and data (ADT notifications for its patients)",
		"short of the commitment: Data analyst",
	}
	// The portfolio's coverage is written after its partnerships' staff
	// time: poll until the page shows all of it (or the timeout says what
	// is missing).
	var code int
	var body string
	missing := func() []string {
		code, body, _ = get(t, http.MethodGet, s.base+link, nil)
		var out []string
		for _, want := range wants {
			if !strings.Contains(body, want) {
				out = append(out, want)
			}
		}
		return out
	}
	NewWithT(t).Eventually(missing).WithTimeout(timeout).WithPolling(poll).Should(BeEmpty(), "coverage page lacks these")
	if code != http.StatusOK {
		t.Fatalf("status %d\n%s", code, body)
	}
	if code, body, _ := get(t, http.MethodGet, s.base+"/portfolios/"+s.ns+"/no-such/coverage", nil); code != http.StatusNotFound || !strings.Contains(body, "There is no portfolio no-such") {
		t.Errorf("unknown portfolio: %d\n%s", code, body)
	}

	// The partnership's page shows the shortfall in hours in a sentence.
	_, page, _ := get(t, http.MethodGet, s.base+"/partnerships/"+s.ns+"/valley-integrated-care", nil)
	if want := "Valley Regional Hospital (Data analyst) gave 52 of 120 committed hours in the quarter to 30 September 2026 (43%): below the 75% of committed hours the partnership expects"; !strings.Contains(page, want) {
		t.Errorf("partnership page lacks %q", want)
	}
}
