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
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/testsupport/sampleedit"

	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

const (
	reportExampleDir = "../../docs/examples/report"
	samplePack       = "valley-integrated-care"
)

func TestReportRejectsBadInvocationsWithExitTwo(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no files and no cluster", []string{"report", samplePack}, "give the files to read (PATH...), or --from-cluster"},
		{"unknown format", []string{"report", samplePack, samples, "--format", "docx"}, `--format "docx": want markdown, html or pdf`},
		{"a PDF without a directory", []string{"report", samplePack, samples, "--format", "pdf"}, "--format pdf writes files: give --output-dir"},
		{"period without unit", []string{"report", samplePack, samples, "--period", "90"}, `--period "90": want a number of days such as 90d`},
		{"period ending before it starts", []string{"report", samplePack, samples, "--period", "2026-11-25..2026-01-01"}, "or two dates such as"},
		{"bad now", []string{"report", samplePack, samples, "--now", "tomorrow"}, `--now "tomorrow"`},
		{"live with the cluster", []string{"report", samplePack, "--from-cluster", "--live"}, "--live reads live sources for files"},
		{"unknown partnership lists those that exist", []string{"report", "valley", samples},
			`partnership "valley" not found in namespace default of the files; it has: behavioral-health-partner, medicaid-population-health, rural-transport-pilot, telehealth-specialty-consults, valley-integrated-care`},
		{"no partnership at all", []string{"report", samplePack, samples + "/metricsources.yaml"}, `partnership "valley-integrated-care" not found: namespace default of the files has no partnerships`},
		{"missing file", []string{"report", samplePack, "no-such-dir"}, "no-such-dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "", tc.args...)
			if code != ExitUsage || out != "" || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, ExitUsage, tc.want)
			}
		})
	}
}

func TestReportPeriodSelectsHistoryAndReviews(t *testing.T) {
	for _, tc := range []struct {
		name, period string
		has, hasNot  []string
	}{
		{"a year shows four quarters", "365d", []string{"| 2025-12-31 | 17.8% |", "| 2026-09-30 | 17.2% |", "period 2025-11-25 to 2026-11-25"}, nil},
		{"90 days shows the last quarter", "90d", []string{"| 2026-09-30 | 17.2% |"}, []string{"| 2026-06-30 | 17.4% |"}},
		{"two dates, both included", "2026-03-31..2026-06-30", []string{"| 2026-03-31 | 17.6% |", "| 2026-06-30 | 17.4% |", "period 2026-03-31 to 2026-06-30"},
			[]string{"| 2025-12-31 | 17.8% |", "| 2026-09-30 | 17.2% |"}},
		{"the latest review is listed even before the period", "30d", []string{"### 2026-09-18: Continue (`vicn-2026-09-review`)", "No values in the period."}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "", "report", samplePack, samples, "--now", nov25, "--period", tc.period)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, s := range tc.has {
				if !strings.Contains(out, s) {
					t.Errorf("pack lacks %q", s)
				}
			}
			for _, s := range tc.hasNot {
				if strings.Contains(out, s) {
					t.Errorf("pack has %q, outside the period", s)
				}
			}
		})
	}
}

func TestReportFailOnExitsOneAfterWritingThePack(t *testing.T) {
	for _, tc := range []struct {
		name, partnership, failOn string
		code                      int
		stderr                    string
	}{
		{"at risk", samplePack, "AtRisk", ExitFindings, "Error: --fail-on AtRisk: 3 finding(s): Partnership/valley-integrated-care (AtRisk), Objective/vicn-reduce-readmissions (AtRisk), KPI/vicn-readmission-rate-30d (AtRisk)\n"},
		// Valley's review was held, but both actions agreed then are overdue.
		{"review due for overdue actions", samplePack, "ReviewDue", ExitFindings, "Error: --fail-on ReviewDue: 1 finding(s): Partnership/valley-integrated-care (ReviewDue)\n"},
		{"review due elsewhere", "medicaid-population-health", "ReviewDue", ExitOK, ""},
		{"review due", "telehealth-specialty-consults", "ReviewDue", ExitFindings, "Error: --fail-on ReviewDue: 1 finding(s): Partnership/telehealth-specialty-consults (ReviewDue)\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "", "report", tc.partnership, samples, "--now", nov25, "--fail-on", tc.failOn)
			if code != tc.code || errOut != tc.stderr || !strings.HasPrefix(out, "# Joint review: ") {
				t.Errorf("exit %d, stderr %q, stdout starts %q; want exit %d, %q and the pack", code, errOut, out[:min(40, len(out))], tc.code, tc.stderr)
			}
		})
	}
}

func TestReportHTMLIsOneSelfContainedPage(t *testing.T) {
	out, errOut, code := run(t, "", "report", samplePack, samples, "--now", nov25, "--format", "html")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"<!DOCTYPE html>", "<style>", `<svg xmlns="http://www.w3.org/2000/svg"`, `id="kpi-vicn-readmission-rate-30d"`,
		"<h2 id=\"questions\">Questions the review must decide</h2>", `data-breach="true"`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML pack lacks %q", want)
		}
	}
	if n := strings.Count(out, "<svg "); n != 4 {
		t.Errorf("%d charts, want one per KPI (4)", n)
	}
	// Nothing is fetched: no external style sheet, script, image or font.
	for _, banned := range []string{"<script", "<link", "<img", "src=", "@import", "url(http"} {
		if strings.Contains(out, banned) {
			t.Errorf("HTML pack has %q: it must not fetch anything", banned)
		}
	}
}

// hostile is what a careless or hostile author puts in a free-text field.
func hostile(field string) string {
	return `<script>alert("` + field + `")</script> *[x](javascript:alert(1))* | ` + "`"
}

// reportText lists free-text fields of the Valley network that the pack
// shows; a hostile string goes into each.
var reportText = []struct {
	kind, name string
	path       []any
}{
	{"Partnership", samplePack, []any{"spec", "displayName"}},
	{"Partnership", samplePack, []any{"spec", "purpose"}},
	{"Partnership", samplePack, []any{"spec", "partners", 1, "name"}},
	{"Partnership", samplePack, []any{"spec", "agreement", "documents", 0, "title"}},
	{"Partnership", samplePack, []any{"spec", "agreement", "dataSharing", "purposes", 0}},
	{"Objective", "vicn-reduce-readmissions", []any{"spec", "statement"}},
	{"KPI", "vicn-readmission-rate-30d", []any{"spec", "displayName"}},
	{"KPI", "vicn-readmission-rate-30d", []any{"spec", "description"}},
	{"KPI", "vicn-readmission-rate-30d", []any{"spec", "unit"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "notes"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "attendees", 0, "name"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "followUps", 0, "action"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "followUps", 0, "owner"}},
}

// The sample network with hostile text in every free-text field, a
// javascript: document link, and two KPIs read (with --live) from a
// partner API that needs a token given as a Secret among the files and
// that answers with a patient identifier, once in a good answer and once
// in an error: both formats show every text as text, link nothing but
// http(s), and never show the token or the patient identifier.
func TestReportEscapesUserTextAndShowsNoSecretOrPatientData(t *testing.T) {
	const token, patient = "partner-api-token-5678", "MRN-00421337"
	now, _ := time.Parse(time.RFC3339, nov25)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+token {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("measure") == "ed-visits" {
			http.Error(w, "maintenance; last patient "+patient, http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprintf(w, `{"rate":88.5,"observed":%q,"example":{"patient":%q}}`, now.Add(-time.Hour).Format(time.RFC3339), patient)
	}))
	defer api.Close()

	objs, err := manifests.Build(samples)
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]string, 0, len(objs)+2)
	for _, u := range objs {
		for _, f := range reportText {
			if u.GetKind() == f.kind && u.GetName() == f.name {
				if err := sampleedit.Set(u.Object, f.path, hostile(f.kind+"."+sampleedit.PathString(f.path))); err != nil {
					t.Fatal(err)
				}
			}
		}
		if u.GetKind() == "Partnership" && u.GetName() == samplePack {
			if err := sampleedit.Set(u.Object, []any{"spec", "agreement", "documents", 0, "url"}, "javascript:alert(document.cookie)"); err != nil {
				t.Fatal(err)
			}
		}
		switch u.GetName() {
		case "vicn-patient-satisfaction":
			sampleedit.LiveSource(u, "/rates?measure=satisfaction")
		case "vicn-ed-visits-per-1000":
			sampleedit.LiveSource(u, "/rates?measure=ed-visits")
		}
		b, err := yaml.Marshal(u.Object)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	docs = append(docs, `apiVersion: v1
kind: Secret
metadata: {name: partner-token, labels: {portfolio.accord.dev/credential: "true"}, annotations: {portfolio.accord.dev/allowed-hosts: 127.0.0.1}}
stringData: {token: `+token+`}`, fmt.Sprintf(`apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: partner-api}
spec: {type: HTTPJSON, endpoint: %q, auth: {bearerToken: {name: partner-token, key: token}}}`, api.URL))
	file := filepath.Join(t.TempDir(), "portfolio.yaml")
	if err := os.WriteFile(file, []byte(strings.Join(docs, "\n---\n")), 0o644); err != nil {
		t.Fatal(err)
	}

	htmlPack, errOut, code := run(t, "", "report", samplePack, file, "--now", nov25, "--live", "--allowed-source-cidrs=127.0.0.0/8", "--format", "html")
	if code != ExitOK {
		t.Fatalf("html: exit %d: %s", code, errOut)
	}
	mdPack, errOut, code := run(t, "", "report", samplePack, file, "--now", nov25, "--live", "--allowed-source-cidrs=127.0.0.0/8")
	if code != ExitOK {
		t.Fatalf("markdown: exit %d: %s", code, errOut)
	}
	// The live KPIs were read: one value, one failure in words.
	for name, pack := range map[string]string{"HTML": htmlPack, "Markdown": mdPack} {
		if !strings.Contains(pack, "88.5%") || !strings.Contains(pack, "503 Service Unavailable") {
			t.Errorf("%s pack does not show the live value and the failed read", name)
		}
		for _, secret := range []string{token, patient} {
			if strings.Contains(pack, secret) {
				t.Errorf("%s pack shows %q", name, secret)
			}
		}
		if strings.Contains(strings.ToLower(pack), "<script") {
			i := strings.Index(strings.ToLower(pack), "<script")
			t.Errorf("%s pack has a live <script>: %s", name, pack[max(0, i-100):min(len(pack), i+100)])
		}
		// In Markdown an escaped bracket, "\\](", is text, not a link.
		if name == "Markdown" && strings.Contains(strings.ReplaceAll(pack, `\](`, ""), "](javascript:") || strings.Contains(pack, `href="javascript:`) {
			t.Errorf("%s pack links a javascript: address", name)
		}
	}
	for _, f := range reportText {
		s := hostile(f.kind + "." + sampleedit.PathString(f.path))
		if want := html.EscapeString(s); !strings.Contains(htmlPack, want) {
			t.Errorf("HTML pack does not show %s %s as text %q", f.kind, sampleedit.PathString(f.path), want)
		}
		if want := mdEscaped(s); !strings.Contains(mdPack, want) {
			t.Errorf("Markdown pack does not show %s %s as text %q", f.kind, sampleedit.PathString(f.path), want)
		}
	}
}

// mdEscaped is s as Markdown text shows it: every markup character
// escaped, HTML as entities.
func mdEscaped(s string) string {
	return strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
		"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", `\#`, "!", `\!`).Replace(s)
}

// sampleHistory is a repository holding config/samples as it stood at the
// Valley network's review of 2026-09-18 (a commit of 2026-09-01, before
// the review was recorded, with a looser tolerance on readmissions and
// without the last quarter's ED visits), then the samples as they are
// (a commit of 2026-10-05).
func sampleHistory(t *testing.T) *testgit.Repo {
	t.Helper()
	repo := testgit.Init(t)
	repo.CopyDir(samples, "config/samples")
	repo.Replace("config/samples/valley-integrated-care.yaml", `tolerance: "0.5"`, `tolerance: "0.75"`)
	repo.Replace("config/samples/valley-integrated-care.yaml",
		`    - {value: "42.0", periodStart: "2026-07-01", periodEnd: "2026-09-30", reportedBy: VRH analytics}`+"\n", "")
	var kept []string
	for doc := range strings.SplitSeq(repo.Read("config/samples/reviews.yaml"), "\n---\n") {
		if !strings.Contains(doc, "name: vicn-2026-09-review") {
			kept = append(kept, doc)
		}
	}
	repo.Write("config/samples/reviews.yaml", strings.Join(kept, "\n---\n"))
	repo.CommitAt("The Valley network before its September review", "2026-09-01T10:00:00Z")
	repo.CopyDir(samples, "config/samples")
	repo.CommitAt("Record the September review; tighten the readmission tolerance; Q3 ED visits", "2026-10-05T10:00:00Z")
	return repo
}

func TestReportListsTheChangesSinceTheLastReviewFromGit(t *testing.T) {
	repo := sampleHistory(t)
	dir := filepath.Join(repo.Dir, "config", "samples")
	out, errOut, code := run(t, "", "report", samplePack, dir, "--now", nov25)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	base := repo.Git("rev-list", "-1", "HEAD~1")
	_, changes, _ := strings.Cut(out, "## Changes to the agreement since the last review\n")
	for _, want := range []string{
		"Compared config/samples with commit " + base[:12] + ", the last commit by the end of 2026-09-18, the day of review vicn-2026-09-review.",
		"| KPI `vicn-readmission-rate-30d` | `spec.tolerance` | tightened | 0.75% | 0.5% |",
		"| Review `vicn-2026-09-review` | `spec.decision` | recorded |  | Continue on 2026-09-18 |",
		"| KPI `vicn-ed-visits-per-1000` | `spec.reported` | added |  | 42 visits/1k for the period ending 2026-09-30 |",
	} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes lack %q:\n%s", want, changes)
		}
	}
	// Changes of other partnerships are not this pack's.
	if strings.Contains(changes, "tele-") || strings.Contains(changes, "mpop-") {
		t.Errorf("changes list another partnership's objects:\n%s", changes)
	}

	// An edit not yet committed counts: the work tree is compared.
	repo.Replace("config/samples/valley-integrated-care.yaml", `tolerance: "0.5"`, `tolerance: "0.9"`)
	out, _, _ = run(t, "", "report", samplePack, dir, "--now", nov25)
	if !strings.Contains(out, "| KPI `vicn-readmission-rate-30d` | `spec.tolerance` | loosened | 0.75% | 0.9% |") {
		t.Errorf("the uncommitted edit is not listed:\n%s", out[strings.Index(out, "## Changes"):])
	}
}

func TestReportSaysWhyItListsNoChanges(t *testing.T) {
	outside := t.TempDir()
	for _, f := range []string{"valley-integrated-care.yaml", "reviews.yaml", "metricsources.yaml"} {
		b, err := os.ReadFile(filepath.Join(samples, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(outside, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	young := testgit.Init(t)
	young.CopyDir(samples, "samples")
	young.CommitAt("first commit, after the review", "2026-10-01T10:00:00Z")
	noReview := t.TempDir()
	b, err := os.ReadFile(filepath.Join(samples, "valley-integrated-care.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(noReview, "p.yaml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"not in git", outside, outside + " is not in a git repository, so changes since the last review cannot be listed."},
		{"no commit before the review", filepath.Join(young.Dir, "samples"), "The repository has no commit from before the end of 2026-09-18, the day of review vicn-2026-09-review, to compare with."},
		{"no review", noReview, "The partnership has no review yet, so there is no earlier agreement to compare with."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := run(t, "", "report", samplePack, tc.path, "--now", nov25)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if want := "## Changes to the agreement since the last review\n\n" + mdEscaped(tc.want) + "\n"; !strings.HasSuffix(out, want) {
				t.Errorf("pack ends\n%s\nwant\n%s", out[max(0, len(out)-300):], want)
			}
		})
	}
	stdin := make([]string, 0, 2)
	for _, f := range []string{"valley-integrated-care.yaml", "reviews.yaml"} {
		b, err := os.ReadFile(filepath.Join(samples, f))
		if err != nil {
			t.Fatal(err)
		}
		stdin = append(stdin, string(b))
	}
	out, _, code := run(t, strings.Join(stdin, "\n---\n"), "report", samplePack, "-", "--now", nov25, "--format", "html")
	if code != ExitOK || !strings.Contains(out, "No files in git were given (the objects came from the cluster or standard input)") {
		t.Errorf("standard input: exit %d, changes section missing the reason", code)
	}
}

// TestReportExampleIsCurrent keeps docs/examples/report equal to the pack
// accordctl writes for the Valley network on 2026-11-25, from the
// samples in a repository whose history holds the agreement as it stood
// at the review (sampleHistory). Regenerate with -update-docs.
func TestReportExampleIsCurrent(t *testing.T) {
	repo := sampleHistory(t)
	out := t.TempDir()
	stdout, errOut, code := run(t, "", "report", samplePack, filepath.Join(repo.Dir, "config", "samples"), "--now", nov25, "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if want := "Wrote " + filepath.Join(out, samplePack+".md") + "\nWrote " + filepath.Join(out, samplePack+".html") + "\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	written := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		written[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 6 { // the Markdown, the HTML and 4 charts
		t.Errorf("wrote %d files, want 6: %v", len(written), written)
	}
	if *updateDocs {
		if err := os.RemoveAll(reportExampleDir); err != nil {
			t.Fatal(err)
		}
		for rel, content := range written {
			p := filepath.Join(reportExampleDir, filepath.FromSlash(rel))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	checked := 0
	err = filepath.WalkDir(reportExampleDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(reportExampleDir, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checked++
		if got, ok := written[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s is not written by accordctl report any more; run: %s", p, reportRegenerate)
		} else if got != string(b) {
			t.Errorf("%s is stale; run: %s\n%s", p, reportRegenerate, firstDifference(got, string(b)))
		}
		return nil
	})
	if err != nil || checked != len(written) {
		t.Errorf("%s holds %d files (%v), want the %d accordctl writes; run: %s", reportExampleDir, checked, err, len(written), reportRegenerate)
	}
}

const reportRegenerate = "go test ./internal/cli -run TestReportExampleIsCurrent -update-docs"
