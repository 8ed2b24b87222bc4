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
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/dashboard"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/validate"
	"github.com/accord-dev/accord/internal/testsupport/testforge"
	"github.com/accord-dev/accord/internal/testsupport/testgit"
)

// office is a test's portfolio repository on a real git server, the
// samples in the cluster, and a signed-in user allowed to propose.
type office struct {
	base, ns, user string
	header         http.Header
	git            *testgit.Server
	repoPath       string
}

const officeRepo = "office/portfolio.git"

// newOffice pushes config/samples to a fresh repository under portfolio/,
// applies them to a namespace, and gives an account the rights a
// programme manager has there: read partnerships, update KPIs, create and
// update Reviews.
func newOffice(t *testing.T) *office { return newOfficeWith(t, nil) }

// newOfficeWith is newOffice with the git server and the forms' options
// changed by with, after the repository is seeded.
func newOfficeWith(t *testing.T, with func(*testgit.Server, *dashboard.FormsOptions)) *office {
	t.Helper()
	ctx, g := context.Background(), NewWithT(t)
	o := &office{ns: namespace(t), git: testgit.NewServer(t), repoPath: officeRepo}
	remote := o.git.Bare(officeRepo)
	seed := testgit.Init(t)
	seed.CopyDir(filepath.Join(env.Root, "config", "samples"), "portfolio")
	seed.Commit("The sample portfolio")
	seed.Git("push", "--quiet", remote, "main")
	applySamples(ctx, t, o.ns)

	cs := kubernetes.NewForConfigOrDie(env.Config)
	_, err := cs.RbacV1().Roles(o.ns).Create(ctx, &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: "programme-manager"},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"partnerships"}, Verbs: []string{"get", "list"}},
			{APIGroups: []string{v1.GroupVersion.Group}, Resources: []string{"kpis", "reviews"}, Verbs: []string{"get", "list", "update", "create"}},
		},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.RbacV1().RoleBindings(o.ns).Create(ctx, &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "programme-manager"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: "programme-manager"},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "office", Namespace: o.ns}},
	}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = cs.CoreV1().ServiceAccounts(o.ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "office"}}, metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	tok, err := cs.CoreV1().ServiceAccounts(o.ns).CreateToken(ctx, "office", dashboardTokenRequest(), metav1.CreateOptions{})
	g.Expect(err).NotTo(HaveOccurred())
	o.header = http.Header{"Authorization": {"Bearer " + tok.Status.Token}}
	o.user = "system:serviceaccount:" + o.ns + ":office"
	forms := dashboard.FormsOptions{RepoURL: remote, Base: "main", Path: "portfolio", Forge: "none"}
	if with != nil {
		with(o.git, &forms)
	}
	o.base = serve(t, setup{auth: true, namespaces: []string{o.ns}, forms: forms})
	return o
}

// branches lists the repository's branches.
func (o *office) branches() string {
	return o.git.Git(o.repoPath, "for-each-ref", "--format=%(refname:short)", "refs/heads")
}

// validBranch runs accordctl validate's checks on the branch's portfolio
// and returns the errors.
func (o *office) validBranch(t *testing.T, branch string) []validate.Finding {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "clone")
	out, err := exec.Command("git", "clone", "--quiet", "--branch", branch, o.git.URL+"/"+o.repoPath, dir).CombinedOutput()
	if err != nil {
		t.Fatalf("clone %s: %v\n%s", branch, err, out)
	}
	docs, bad, err := load.Paths([]string{filepath.Join(dir, "portfolio")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := validate.Run(docs, bad, validate.Options{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	var errs []validate.Finding
	for _, f := range rep.Findings {
		if f.Severity == validate.SeverityError {
			errs = append(errs, f)
		}
	}
	return errs
}

func TestBrowserReportsAValueAsAPullRequestBranch(t *testing.T) {
	g := NewWithT(t)
	o := newOffice(t)
	b := browser(t, chromedp.Flag("ignore-certificate-errors", true))
	headers := network.Headers{"Authorization": o.header.Get("Authorization")}
	_, err := chromedp.Call(b, network.Enable, network.EnableParams{})
	g.Expect(err).NotTo(HaveOccurred())
	_, err = chromedp.Call(b, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: headers})
	g.Expect(err).NotTo(HaveOccurred())

	// Signed in, the partnership page links to the forms.
	valley := o.base + "/partnerships/" + o.ns + "/valley-integrated-care"
	g.Expect(chromedp.Do(b, chromedp.Navigate(valley), chromedp.WaitVisible(chromedp.CSS("#propose-link a")),
		chromedp.Click(chromedp.CSS("#propose-link a")), chromedp.WaitVisible(chromedp.CSS("#form-value")))).To(Succeed())
	g.Expect(chromedp.Run(b, chromedp.Location())).To(Equal(valley + "/propose"))

	fill := func(value string) {
		g.Expect(chromedp.Do(b,
			chromedp.SetValue(chromedp.CSS("#value-kpi"), "vicn-readmission-rate-30d"),
			chromedp.SetValue(chromedp.CSS("#value-value"), value),
			chromedp.SetValue(chromedp.CSS("#value-period"), "2026-Q4"),
			chromedp.SetValue(chromedp.CSS("#value-reported-by"), "VRH quality office"),
		)).To(Succeed())
	}
	// An invalid value: a milli suffix on a percentage. The error is
	// shown next to the value's field, and nothing is pushed.
	fill("1.5m")
	g.Expect(chromedp.Do(b, chromedp.Click(chromedp.CSS("#form-value button")), chromedp.WaitVisible(chromedp.CSS("#form-value .field-error")))).To(Succeed())
	g.Expect(evaluate(b, "document.querySelector('#value-value').parentElement.querySelector('.field-error').textContent")()).
		To(ContainSubstring("Value: "), "%s", evaluate(b, "[...document.querySelectorAll('.field-error')].map(e => e.parentElement.id + ' ' + e.textContent).join('; ')")())
	g.Expect(evaluate(b, "document.querySelector('#value-value').value")()).To(Equal("1.5m"), "what was typed is kept")
	screenshot(b, t, "dashboard-forms.png", true, chromedp.Screenshot(chromedp.CSS("#form-value")))
	g.Expect(o.branches()).To(Equal("main"))

	// A valid one becomes a branch with one commit, by the signed-in user,
	// changing exactly the KPI's file; validate passes on it.
	fill("17.2%")
	g.Expect(chromedp.Do(b, chromedp.Click(chromedp.CSS("#form-value button")), chromedp.WaitVisible(chromedp.CSS("#proposed, #form-errors")))).To(Succeed())
	g.Expect(evaluate(b, "String(document.querySelector('#proposed') !== null)")()).To(Equal("true"), "%s", evaluate(b, "document.querySelector('main').innerText")())
	branch := evaluate(b, "document.querySelector('#proposed [data-branch]').textContent")()
	g.Expect(branch).To(Equal("accord/report-vicn-readmission-rate-30d-2026-q4"))
	g.Expect(o.branches()).To(Equal(branch + "\nmain"))
	g.Expect(o.git.Git(o.repoPath, "log", "--format=%an|%cn|%s", "main.."+branch)).To(Equal(
		o.user + "|Accord dashboard|Report 2026-Q4 30-day readmission rate for Valley Integrated Care Network: 17.2%"))
	g.Expect(o.git.Git(o.repoPath, "diff", "--name-only", "main", branch)).To(Equal("portfolio/valley-integrated-care.yaml"))
	diff := o.git.Git(o.repoPath, "diff", "--unified=0", "main", branch)
	g.Expect(diff).To(MatchRegexp(`\n\+ +periodEnd: "?2026-12-31"?\n`))
	g.Expect(strings.Count(diff, "\n-")).To(Equal(1), "only the '--- a/' line: nothing removed\n"+diff)
	g.Expect(o.validBranch(t, branch)).To(BeEmpty())

	// A POST without the CSRF token is refused, and pushes nothing.
	form := url.Values{"kpi": {"vicn-readmission-rate-30d"}, "value": {"18"}, "numerator": {"8"}, "denominator": {"44"},
		"period": {"2027-Q1"}, "reportedBy": {"VRH quality office"}}
	code, body := post(t, valley+"/propose/value", o.header, nil, form)
	g.Expect(code).To(Equal(http.StatusForbidden), body)
	g.Expect(o.branches()).To(Equal(branch + "\nmain"))
}

// post sends a form with the header and the client's cookies.
func post(t *testing.T, u string, header http.Header, c *http.Client, form url.Values) (int, string) {
	t.Helper()
	if c == nil {
		c = httpClient()
	}
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header.Clone()
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// session opens valley-integrated-care's forms page with a cookie jar and returns the client
// and the page's CSRF token.
func (o *office) session(t *testing.T) (*http.Client, string) {
	const partnership = "valley-integrated-care"
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := httpClient()
	c.Jar, c.Timeout = jar, 60*time.Second
	req, _ := http.NewRequest(http.MethodGet, o.base+"/partnerships/"+o.ns+"/"+partnership+"/propose", nil)
	req.Header = o.header.Clone()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	m := csrfRE.FindStringSubmatch(string(b))
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("forms page: %d, no CSRF token:\n%s", resp.StatusCode, b)
	}
	return c, m[1]
}

func TestFormsProposeAReviewAndAFollowUpChange(t *testing.T) {
	o := newOffice(t)
	valley := o.base + "/partnerships/" + o.ns + "/valley-integrated-care"
	cases := []struct {
		name, action string
		form         url.Values
		wantCode     int
		wantBody     string
		branch       string
		subject      string
		file         string
	}{
		{
			name: "a review with attendees and a follow-up", action: "review",
			form: url.Values{"date": {"2026-12-10"}, "decision": {"Continue"},
				"attendee": {"Dana Whitfield, Valley Regional Hospital\nLuis Ortega, Pine Ridge Community Health Center"},
				"notes":    {"Readmissions on the revised path."},
				"followUp": {"Share the Q4 readmission root-cause review; Valley Regional Hospital; 2027-01-15"}},
			wantCode: http.StatusOK, wantBody: "accord/review-valley-integrated-care-2026-12-10",
			branch:  "accord/review-valley-integrated-care-2026-12-10",
			subject: "Record the 2026-12-10 review of Valley Integrated Care Network: Continue (1 follow-up)", file: "portfolio/reviews.yaml",
		},
		{
			name: "a review on a date that does not exist is refused next to the date", action: "review",
			form:     url.Values{"date": {"2026-02-30"}, "decision": {"Continue"}},
			wantCode: http.StatusUnprocessableEntity, wantBody: "Date &#34;2026-02-30&#34;: want a date as YYYY-MM-DD",
		},
		{
			name: "a follow-up marked done", action: "follow-up",
			form:     url.Values{"review": {"vicn-2026-09-review"}, "index": {"2"}, "state": {"Done"}},
			wantCode: http.StatusOK, wantBody: "accord/follow-up-vicn-2026-09-review-2-done",
			branch:  "accord/follow-up-vicn-2026-09-review-2-done",
			subject: "Mark follow-up 2 of the 2026-09-18 review of Valley Integrated Care Network done: Share readmission root-cause review", file: "portfolio/reviews.yaml",
		},
		{
			name: "a follow-up number the review does not have is refused", action: "follow-up",
			form:     url.Values{"review": {"vicn-2026-09-review"}, "index": {"7"}, "state": {"Done"}},
			wantCode: http.StatusUnprocessableEntity, wantBody: "Follow-up number &#34;7&#34;: Review vicn-2026-09-review has 2 follow-ups",
		},
	}
	pushed := []string{"main"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			c, token := o.session(t)
			tc.form.Set("csrf", token)
			code, body := post(t, valley+"/propose/"+tc.action, o.header, c, tc.form)
			g.Expect(code).To(Equal(tc.wantCode), body)
			g.Expect(body).To(ContainSubstring(tc.wantBody))
			if tc.branch == "" {
				g.Expect(body).To(ContainSubstring("field-error"))
				g.Expect(o.branches()).To(Equal(strings.Join(pushed, "\n")), "nothing pushed")
				return
			}
			pushed = append([]string{tc.branch}, pushed...)
			g.Expect(o.branches()).To(ContainSubstring(tc.branch))
			g.Expect(o.git.Git(o.repoPath, "log", "--format=%an|%s", "main.."+tc.branch)).To(Equal(o.user + "|" + tc.subject))
			g.Expect(o.git.Git(o.repoPath, "diff", "--name-only", "main", tc.branch)).To(Equal(tc.file))
			g.Expect(o.validBranch(t, tc.branch)).To(BeEmpty())
		})
	}
	// A token from another session is refused.
	t.Run("a token from another session is refused", func(t *testing.T) {
		_, token := o.session(t)
		other, _ := o.session(t)
		code, body := post(t, valley+"/propose/follow-up", o.header, other,
			url.Values{"csrf": {token}, "review": {"vicn-2026-09-review"}, "index": {"1"}, "state": {"Done"}})
		NewWithT(t).Expect(code).To(Equal(http.StatusForbidden), body)
	})
}

// With the token of the dashboard's Secret and a GitHub remote, a form
// pushes with the token (the git server refuses anyone without it) and
// opens the pull request through the API as recorded; the page links it
// and the token appears nowhere in it.
func TestFormsPushWithTheTokenAndOpenTheGitHubPullRequest(t *testing.T) {
	const token = "ghp_recordedExchangeToken"
	api, calls := testforge.Replay(t, filepath.Join("testdata", "forge", "github-create-pull-review-201.json"))
	o := newOfficeWith(t, func(srv *testgit.Server, f *dashboard.FormsOptions) {
		srv.RequireToken(token)
		f.Forge, f.ForgeAPI, f.Token = "github", api.URL, token
	})
	g := NewWithT(t)
	// The server does refuse a client without the token.
	anon := exec.Command("git", "ls-remote", o.git.URL+"/"+officeRepo)
	anon.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null")
	g.Expect(anon.Run()).To(HaveOccurred())
	g.Expect(o.git.Refused.Load()).To(BeNumerically(">", 0))
	refusedBefore := o.git.Refused.Load()

	c, csrf := o.session(t)
	code, body := post(t, o.base+"/partnerships/"+o.ns+"/valley-integrated-care/propose/review", o.header, c,
		url.Values{"csrf": {csrf}, "date": {"2026-12-10"}, "decision": {"Continue"}})
	g.Expect(code).To(Equal(http.StatusOK), body)
	g.Expect(body).To(ContainSubstring("https://github.com/office/portfolio/pull/1348"))
	g.Expect(body).NotTo(ContainSubstring("ghp_"))
	g.Expect(calls.Load()).To(Equal(int32(1)))
	g.Expect(o.git.Refused.Load()).To(Equal(refusedBefore), "every request of the clone and push carried the token")
	branch := "accord/review-valley-integrated-care-2026-12-10"
	g.Expect(o.git.Git(officeRepo, "log", "--format=%an|%s", "main.."+branch)).To(Equal(
		o.user + "|Record the 2026-12-10 review of Valley Integrated Care Network: Continue"))
	o.git.RequireToken("") // the test's own clone of the branch
	g.Expect(o.validBranch(t, branch)).To(BeEmpty())
}
