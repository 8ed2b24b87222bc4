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
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onsi/gomega"
	eventsv1 "k8s.io/api/events/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testoperator"
)

// smallCells is a partnership with two rates whose counts are small
// cells: 7 screened patients of 40 in each of two quarters (far below a
// 60-70% plan, so each quarter's interval is wholly on the wrong side and
// the KPI turns AtRisk, with an event), and 3 of 9 (too few to judge).
// Their messages carry the counts to every output there is (conditions,
// events, the dashboard, the report, status, evaluate, metrics), if
// anything lets them through.
var smallCells = `apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
metadata: {name: cells}
spec:
  displayName: Small-cell network
  reviewCadence: P1Y
  partners:
    - {name: North clinic, role: ClinicalProvider, lead: true}
    - {name: County health, role: PublicHealth}
  agreement:
    effectiveDate: "2025-01-01"
    governance: {model: SteeringCommittee}
    dataSharing: {sharesPHI: false}
    financial: {model: InKind}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: cells-screening}
spec:
  partnershipRef: {name: cells}
  statement: Screen more eligible patients
  startDate: "2025-07-01"
  deadline: "2027-06-30"
  kpis:
    - {name: cells-forty, weight: 1}
    - {name: cells-nine, weight: 1}
` + smallCellKPI + `
---
` + smallCellKPINine

const smallCellKPI = `---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: cells-forty}
spec:
  displayName: Screening rate, forty
  unit: "%"
  direction: HigherIsBetter
  baseline: {value: "60", date: "2025-06-30"}
  target: {value: "80", date: "2027-06-30"}
  tolerance: "1"
  ratePer: "100"
  denominatorLabel: screened patients
  period: Quarter
  reportingLag: 90d
  breachesBeforeAtRisk: 2
  reported:
    - {numerator: 7, denominator: 40, periodEnd: "2026-06-30", reportedBy: Quality office}
    - {numerator: 7, denominator: 40, periodEnd: "2026-09-30", reportedBy: Quality office}`

var smallCellKPINine = strings.NewReplacer("cells-forty", "cells-nine", "Screening rate, forty", "Screening rate, nine",
	"numerator: 7, denominator: 40", "numerator: 3, denominator: 9").Replace(strings.TrimPrefix(smallCellKPI, "---\n"))

// bareCount finds a count from 1 to 10 of the test's KPIs (3, 6, 7 or 9:
// each quarter's numerators and the small denominator, and the pooled
// numerator of two quarters of 3) where counts are written: "7 of 40",
// "of 9", "9 screened patients", "numerator: 7", a table cell.
var bareCount = regexp.MustCompile(`\b[3679] of\b|\bof [3679]\b|\b[3679] screened patients|(?i)(numerator|denominator)"?\s*[:=]\s*"?[3679]\b|>\s*[3679]\s*<`)

// smallCellsStayOutOfEveryOutput is run by TestAgainstACluster.
func smallCellsStayOutOfEveryOutput(t *testing.T, env *testenv.Env) {
	const ns = "small-cells"
	ctx := context.Background()
	c := env.Client
	createNamespace(t, c, ns)
	dir := t.TempDir()
	file := filepath.Join(dir, "cells.yaml")
	if err := os.WriteFile(file, []byte(smallCells), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte("resources: [cells.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, err := manifests.Build(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		u.SetNamespace(ns)
		if err := c.Create(ctx, u); err != nil {
			t.Fatalf("create %s/%s: %v", u.GetKind(), u.GetName(), err)
		}
	}
	metricsAddr, dashAddr := loopback(t), loopback(t)
	now, _ := time.Parse(time.RFC3339, nov25)
	testoperator.Start(t, env.Config, c, clocktesting.NewFakeClock(now), ns, func(o *manager.Options) {
		o.MetricsBindAddress, o.SecureMetrics = metricsAddr, false
		o.Dashboard.BindAddress = dashAddr
	})
	testoperator.WaitConverged(t, c, ns, 60*time.Second)
	kubeconfig := testenv.WriteKubeconfig(t, env.Config, ns)

	outputs := map[string]func(t *testing.T) string{
		"condition messages": func(t *testing.T) string {
			out, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig, "-o", "json")
			if code != ExitOK {
				t.Fatalf("status: exit %d: %s", code, errOut)
			}
			return out
		},
		"events": func(t *testing.T) string {
			var notes []string
			gomega.NewWithT(t).Eventually(func() int {
				list := &eventsv1.EventList{}
				if err := c.List(ctx, list, client.InNamespace(ns)); err != nil {
					return 0
				}
				notes = notes[:0]
				for _, e := range list.Items {
					if e.Reason == "AtRisk" {
						notes = append(notes, e.Note)
					}
				}
				return len(notes)
			}).WithTimeout(30*time.Second).WithPolling(50*time.Millisecond).Should(gomega.BeNumerically(">=", 1), "the AtRisk event of cells-forty")
			return strings.Join(notes, "\n")
		},
		"dashboard page": func(t *testing.T) string {
			return httpGet(t, "http://"+dashAddr+"/partnerships/"+ns+"/cells")
		},
		"report Markdown": func(t *testing.T) string {
			out, errOut, code := run(t, "", "report", "cells", "--from-cluster", "--kubeconfig", kubeconfig, "--now", nov25, "--format", "markdown", file)
			if code != ExitOK {
				t.Fatalf("report: exit %d: %s", code, errOut)
			}
			return out
		},
		"report HTML": func(t *testing.T) string {
			out, errOut, code := run(t, "", "report", "cells", file, "-n", ns, "--now", nov25, "--format", "html")
			if code != ExitOK {
				t.Fatalf("report: exit %d: %s", code, errOut)
			}
			return out
		},
		"accordctl status": func(t *testing.T) string {
			out, errOut, code := run(t, "", "status", "--kubeconfig", kubeconfig)
			if code != ExitOK {
				t.Fatalf("status: exit %d: %s", code, errOut)
			}
			return out
		},
		"accordctl evaluate": func(t *testing.T) string {
			out, errOut, code := run(t, "", "evaluate", file, "-n", ns, "--now", nov25, "-o", "json")
			if code != ExitOK {
				t.Fatalf("evaluate: exit %d: %s", code, errOut)
			}
			return out
		},
	}
	for name, get := range outputs {
		t.Run(name, func(t *testing.T) {
			out := get(t)
			// Each output must carry the suppressed counts for the test to
			// mean anything: a page without the message passes trivially.
			if !strings.Contains(out, "fewer than 11") {
				t.Fatalf("no \"fewer than 11\" in the %s; the test cannot see the counts:\n%s", name, out)
			}
			if m := bareCount.FindAllString(out, -1); len(m) > 0 {
				t.Errorf("the %s shows counts from 1 to 10 (%q):\n%s", name, m, out)
			}
		})
	}
	t.Run("metrics", func(t *testing.T) {
		body := httpGet(t, "http://"+metricsAddr+"/metrics")
		var kpiLines []string
		for line := range strings.SplitSeq(body, "\n") {
			if strings.HasPrefix(line, "accord_") && strings.Contains(line, `namespace="`+ns+`"`) {
				kpiLines = append(kpiLines, line)
			}
		}
		joined := strings.Join(kpiLines, "\n")
		// The rate may show; the counts may not, as a value or a label.
		if !strings.Contains(joined, `accord_kpi_value{kpi="cells-forty",namespace="small-cells"} 17.5`) {
			t.Fatalf("no accord_kpi_value of 17.5 for cells-forty; the test cannot see the KPI's metrics:\n%s", joined)
		}
		countValue := regexp.MustCompile(`^accord_kpi_[a-z_]+\{[^}]*\} [3679]$|="[3679]"`)
		for _, line := range kpiLines {
			if countValue.MatchString(line) {
				t.Errorf("a metric carries a count from 1 to 10: %s", line)
			}
		}
	})
}

func loopback(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	var body string
	gomega.NewWithT(t).Eventually(func() error {
		resp, err := http.Get(url) //nolint:noctx // a test against a loopback server
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close() // read in full; nothing to report on close
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		body = string(b)
		return nil
	}).WithTimeout(30 * time.Second).WithPolling(50 * time.Millisecond).Should(gomega.Succeed())
	return body
}
