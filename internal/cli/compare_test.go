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

package cli

import (
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/views/candidates"
)

// The sample prospect's candidates, judged on 2026-11-25 by the rural
// network's weights (mission 30, reach 15, populations 20, finances 15,
// reputation 10, culture 10). By hand: Basin 30×4 + 15×5 + 20×5 + 15×4 +
// 10×3 = 385 over 90 (culture not scored) → 4.278 → 86; Frontier 30×5 +
// 15×4 + 20×4 + 15×3 + 10×4 + 10×5 = 425 over 100 → 4.25 → 85. Basin's
// assessment of 2025-06-10 is more than a year old.
func TestCompareRanksTheSampleProspectsCandidates(t *testing.T) {
	text, errOut, code := run(t, "", "compare", "behavioral-health-partner", samples, "--now", "2026-11-25")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `Partnership/behavioral-health-partner (Behavioral Health Integration), a Prospect on 2026-11-25: ranked by the candidateWeights of portfolio rural-network; assessments older than 1 year are outdated.

RANK  CANDIDATE                   MISSION  REACH  POPULATIONS  FINANCES  REPUTATION  CULTURE  SCORE  ASSESSED    ASSESSMENT
      weight (%)                  30       15     20           15        10          10
1     Basin Counseling Services   4        5      5            4         3           -        86     2025-06-10  Outdated
2     Frontier Behavioral Health  5        4      4            3         4           5        85     2026-09-14  Current

Candidates ranked by the weights of portfolio rural-network: 1. Basin Counseling Services (86 of 100), 2. Frontier Behavioral Health (85 of 100). The assessment of Basin Counseling Services, made on 2025-06-10, is older than 1 year: reassess it. The assessment of Basin Counseling Services does not score culture, which the score leaves out.
`
	if text != want {
		t.Errorf("compare:\n%s", firstDifference(want, text))
	}
	keepDocBlock(t, cliDoc, "accordctl compare text", "```text\n$ accordctl compare behavioral-health-partner config/samples --now 2026-11-25\n"+text+"```\n")

	js, _, code := run(t, "", "compare", "behavioral-health-partner", samples, "--now", "2026-11-25", "-o", "json")
	var c candidates.Comparison
	if err := json.Unmarshal([]byte(js), &c); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, js)
	}
	if len(c.Candidates) != 2 || *c.Candidates[0].Rank != 1 || *c.Candidates[0].Score != 86 || c.Candidates[0].Assessment != "Outdated" ||
		c.Candidates[1].Scores["culture"] != 5 || *c.Criteria[0].Weight != 30 || c.RankedBy != "rural-network" {
		t.Errorf("json: %s", js)
	}
	keepDocBlock(t, cliDoc, "accordctl compare json", "```json\n$ accordctl compare behavioral-health-partner config/samples --now 2026-11-25 -o json | jq '.candidates[0]'\n"+jqFirst(t, js)+"\n```\n")

	ym, _, code := run(t, "", "compare", "behavioral-health-partner", samples, "--now", "2026-11-25", "-o", "yaml")
	var fromYAML candidates.Comparison
	if err := yaml.Unmarshal([]byte(ym), &fromYAML); code != ExitOK || err != nil || fromYAML.Message != c.Message || len(fromYAML.Candidates) != 2 {
		t.Errorf("yaml: exit %d, %v:\n%s", code, err, ym)
	}
}

// jqFirst is `jq '.candidates[0]'` of a comparison.
func jqFirst(t *testing.T, js string) string {
	t.Helper()
	var v struct{ Candidates []json.RawMessage }
	if err := json.Unmarshal([]byte(js), &v); err != nil || len(v.Candidates) == 0 {
		t.Fatalf("%v: %s", err, js)
	}
	var m map[string]any
	_ = json.Unmarshal(v.Candidates[0], &m)
	b, _ := json.MarshalIndent(m, "", "  ")
	return string(b)
}

func TestCompareRefusesWhatIsNotAProspect(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"an active partnership", []string{"compare", "valley-integrated-care", samples},
			`Error: partnership "valley-integrated-care" is not a Prospect (spec.desiredPhase is Active), so it has no candidates to compare; the Prospects in namespace default are behavioral-health-partner` + "\n"},
		{"an unknown name", []string{"compare", "behavioural-health", samples},
			`Error: no Partnership "behavioural-health" in namespace default; the Prospects in namespace default are behavioral-health-partner` + "\n"},
		{"files without the prospect", []string{"compare", "behavioral-health-partner", samples + "/valley-integrated-care.yaml"},
			`Error: no Partnership "behavioral-health-partner" in namespace default; the files hold no Prospect partnership in namespace default` + "\n"},
		{"an unknown format", []string{"compare", "behavioral-health-partner", samples, "-o", "table"},
			`Error: --output "table": must be text, json or yaml` + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "", tc.args...)
			if code != ExitUsage || out != "" || errOut != tc.want {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, ExitUsage, tc.want)
			}
		})
	}
}
