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
	"regexp"
	"strings"
	"testing"
)

// The sample prospect's page ranks its two candidates as accordctl
// compare does (hand-computed there: Basin 86, Frontier 85), flags the
// outdated assessment, and is linked from the partnership's page; the
// overview shows the phase.
func TestAProspectsPageRanksItsCandidates(t *testing.T) {
	s := startSamples(t)
	url := s.base + "/partnerships/" + s.ns + "/behavioral-health-partner/candidates"
	code, body, h := get(t, http.MethodGet, url, nil)
	if code != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", url, code, body)
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("no Content-Security-Policy: %q", h.Get("Content-Security-Policy"))
	}
	re := regexp.MustCompile(`(?s)<tr data-candidate="([^"]+)"><td class="num">([^<]+)</td>.*?<td class="num" data-score>([^<]+)</td><td class="date">([^<]+)</td><td data-assessment>([^<]+)</td>`)
	matches := re.FindAllStringSubmatch(body, -1)
	rows := make([]string, 0, len(matches))
	for _, m := range matches {
		rows = append(rows, strings.Join(m[1:], " "))
	}
	want := []string{"Basin Counseling Services 1 86 2025-06-10 Outdated", "Frontier Behavioral Health 2 85 2026-09-14 Current"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	for _, has := range []string{
		"weight 30%", // mission and values alignment
		"by the weights of portfolio <code>rural-network</code>",
		"The assessment of Basin Counseling Services, made on 2025-06-10, is older than 1 year: reassess it.",
	} {
		if !strings.Contains(body, has) {
			t.Errorf("page lacks %q", has)
		}
	}

	_, page, _ := get(t, http.MethodGet, s.base+"/partnerships/"+s.ns+"/behavioral-health-partner", nil)
	for _, has := range []string{`href="/partnerships/` + s.ns + `/behavioral-health-partner/candidates">compare its 2 candidate partners</a>`, "No agreement terms yet."} {
		if !strings.Contains(page, has) {
			t.Errorf("partnership page lacks %q", has)
		}
	}
	_, overview, _ := get(t, http.MethodGet, s.base+"/", nil)
	if got := rowsOf(overview)[s.ns+"/behavioral-health-partner"]; got != "Prospect" {
		t.Errorf("overview shows the prospect as %q, want Prospect", got)
	}

	for _, path := range []string{"/partnerships/" + s.ns + "/valley-integrated-care/candidates", "/partnerships/" + s.ns + "/no-such/candidates"} {
		if code, body, _ := get(t, http.MethodGet, s.base+path, nil); code != http.StatusNotFound || !strings.Contains(body, "Prospect not found") {
			t.Errorf("GET %s = %d, want 404 Prospect not found", path, code)
		}
	}
}
