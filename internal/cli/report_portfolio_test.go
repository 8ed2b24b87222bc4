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
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// portfolioExample is the board's pack of the sample portfolio, kept in
// docs as an example.
const portfolioExample = "../../docs/examples/portfolio-pack/rural-network.md"

// The board's page lists the sample portfolio's partnerships worst first
// (the two at risk, the review-due one before the other; the healthy one;
// the prospect; the ended one last), then each partnership's own pack follows.
func TestThePortfolioPackPutsTheWorstPartnershipFirst(t *testing.T) {
	repo := sampleHistory(t)
	stdout, errOut, code := run(t, "", "report", "--portfolio", "rural-network", filepath.Join(repo.Dir, "config", "samples"), "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	board, _, _ := strings.Cut(stdout, "\n---\n")
	rows := regexp.MustCompile("(?m)^\\| .* \\(`([a-z0-9-]+)`\\) \\|").FindAllStringSubmatch(board, -1)
	order := make([]string, 0, len(rows))
	for _, m := range rows {
		order = append(order, m[1])
	}
	want := []string{"valley-integrated-care", "medicaid-population-health", "telehealth-specialty-consults", "behavioral-health-partner", "rural-transport-pilot"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("board order %v, want %v\n%s", order, want, board)
	}
	for _, s := range []string{"5 partnerships: 2 at risk, 1 healthy, 1 ended, 1 prospect not yet under way. 2 need a review.", "## Decisions needed", "## What changed since each partnership's last review"} {
		if !strings.Contains(board, s) {
			t.Errorf("the board's page lacks %q:\n%s", s, board)
		}
	}
	for _, p := range want {
		if !strings.Contains(stdout, "Partnership `"+p+"` in namespace") {
			t.Errorf("no pack for %s after the board's page", p)
		}
	}
	if *updateDocs {
		if err := os.MkdirAll(filepath.Dir(portfolioExample), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(portfolioExample, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, err := os.ReadFile(portfolioExample); err != nil || string(b) != stdout {
		t.Errorf("%s is stale; run: go test ./internal/cli -run TestThePortfolioPackPutsTheWorstPartnershipFirst -update-docs", portfolioExample)
	}
}

func TestThePortfolioPackRefusesWhatItCannotWrite(t *testing.T) {
	out := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown portfolio names those there are", []string{"--portfolio", "nope", "../../config/samples", "-o", out}, `portfolio "nope" not found in namespace default of the files; it has: rural-network`},
		{"a PDF needs a directory to write into", []string{"--portfolio", "rural-network", "../../config/samples", "--format", "pdf"}, "--format pdf writes files: give --output-dir"},
		{"an unknown format", []string{"--portfolio", "rural-network", "../../config/samples", "--format", "docx", "-o", out}, `--format "docx": want markdown, html or pdf`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := run(t, "", append([]string{"report"}, tc.args...)...)
			if code != ExitUsage || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, %q; want %d and %q", code, errOut, ExitUsage, tc.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("wrote %d files", len(entries))
			}
		})
	}
}

// The print-ready PDF is headless Chromium's print of the HTML pack: the
// board's page, then each partnership from a new page.
func TestThePortfolioPackPrintsToPDF(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil && os.Getenv("ACCORD_CHROMIUM") == "" {
		t.Skip("no chromium: make test installs it (hack/install-deps.sh)")
	}
	out := t.TempDir()
	stdout, errOut, code := run(t, "", "report", "--portfolio", "rural-network", "../../config/samples", "--now", nov25, "-o", out, "--format", "pdf")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "Wrote " + filepath.Join(out, "rural-network.html") + "\nWrote " + filepath.Join(out, "rural-network.pdf") + "\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	pdf, err := os.ReadFile(filepath.Join(out, "rural-network.pdf"))
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF (%v): %.20q", err, pdf)
	}
	// One page for the board and at least one per partnership (each
	// starts a new page).
	if pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1)); pages < 5 {
		t.Errorf("%d pages, want the board's and at least one for each of the 4 partnerships", pages)
	}
}
