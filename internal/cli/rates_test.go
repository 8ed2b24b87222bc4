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
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// rateKPI is issue 16's readmission series (15.0, 17.5, 17.5, 20.0, 17.5%
// a quarter) at a number of discharges a quarter.
func rateKPI(name string, den int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: %s, namespace: rural}
spec:
  displayName: 30-day readmission rate
  unit: "%%"
  direction: LowerIsBetter
  baseline: {value: "18", date: "2025-06-30"}
  target: {value: "15.3", date: "2027-06-30"}
  tolerance: "0.5"
  ratePer: "100"
  denominatorLabel: discharges
  period: Quarter
  reportingLag: 90d
  breachesBeforeAtRisk: 3
  reported:
`, name)
	ends := []string{"2025-09-30", "2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"}
	for i, p := range []float64{15.0, 17.5, 17.5, 20.0, 17.5} {
		fmt.Fprintf(&b, "    - {numerator: %d, denominator: %d, periodEnd: %q, reportedBy: Quality office}\n", int(p*float64(den)/100+0.5), den, ends[i])
	}
	return b.String()
}

func TestEvaluateJudgesTheSameRatesByTheirCounts(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kpis.yaml")
	if err := os.WriteFile(file, []byte(rateKPI("critical-access", 40)+"---\n"+rateKPI("regional", 4000)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "evaluate", file, "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var small, large string
	for line := range strings.SplitSeq(out, "\n") {
		switch {
		case strings.Contains(line, "KPI/critical-access"):
			small = line
		case strings.Contains(line, "KPI/regional"):
			large = line
		}
	}
	if !strings.Contains(small, "AtRisk=False") || !strings.Contains(out, "within sampling noise") {
		t.Errorf("at 40 discharges a quarter the series should be noise, not AtRisk:\n%s", out)
	}
	if !strings.Contains(large, "AtRisk=True") || !strings.Contains(out, "2,200 of 12,000 discharges") {
		t.Errorf("at 4,000 discharges a quarter the series should be AtRisk:\n%s", out)
	}
	if strings.Contains(out, " 7 of 40") || strings.Contains(out, " 8 of 40") {
		t.Errorf("a count from 1 to 10 was printed:\n%s", out)
	}
}

func TestValidateRefusesAValueThatDisagreesWithItsCounts(t *testing.T) {
	file := filepath.Join(t.TempDir(), "kpis.yaml")
	bad := strings.Replace(rateKPI("critical-access", 40), "{numerator: 7, denominator: 40, periodEnd: \"2025-12-31\"", "{numerator: 7, denominator: 40, value: \"17.2\", periodEnd: \"2025-12-31\"", 1)
	if bad == rateKPI("critical-access", 40) {
		t.Fatal("the edit did not apply")
	}
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := run(t, "", "validate", file)
	if code == ExitOK {
		t.Fatalf("validate accepted a value of 17.2 for 7 of 40 per 100:\n%s", out)
	}
	if want := "spec.reported[1].value: Invalid value: 17.2 does not agree with numerator / denominator x spec.ratePer = 17.5"; !strings.Contains(out+errOut, want) {
		t.Errorf("validate did not say %q:\nstdout %s\nstderr %s", want, out, errOut)
	}
}
