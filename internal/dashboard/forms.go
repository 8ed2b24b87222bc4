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
package dashboard

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apiserver/pkg/authentication/user"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/propose"
	"github.com/accord-dev/accord/internal/portfolio/record"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// FormsOptions turn on the partnership office's forms: report a value,
// record a review, close or drop a follow-up. In a GitOps install the
// cluster is not where changes go, so each form becomes a branch, a
// commit authored by the signed-in user and a pull request in the
// portfolio's repository, made by internal/portfolio/record exactly as
// accordctl record makes it.
type FormsOptions struct {
	// RepoURL is the portfolio's git repository (https://...); empty
	// turns the forms off.
	RepoURL string
	// Base is the branch changes start from and merge into; "" is main.
	Base string
	// Path is the portfolio's folder in the repository, as accordctl
	// validate reads it; "" is the repository's root.
	Path string
	// Forge (github, gitlab, none; "" from the URL's host) and ForgeAPI
	// (the REST API's base URL) say how to open the pull request.
	Forge, ForgeAPI string
	// Token pushes and opens pull requests; the manager reads it from a
	// Secret. It is sent only in git's and the API's authorisation
	// headers, never shown, logged or put on a command line.
	Token string
	// Committer is who commits (the author is the signed-in user); the
	// zero value is "Accord dashboard".
	Committer propose.Identity
	// Client is the HTTP client for the forge's API; nil is a default.
	Client *http.Client
}

// Enabled reports whether the forms are on.
func (f FormsOptions) Enabled() bool { return f.RepoURL != "" }

func (f FormsOptions) validate(auth bool) error {
	if !f.Enabled() {
		return nil
	}
	if !auth {
		return fmt.Errorf("--dashboard-git-repository needs --dashboard-auth: a change is committed in the signed-in user's name")
	}
	if err := record.CheckForge(f.Forge); err != nil {
		return fmt.Errorf("--dashboard-git-forge %q: want github, gitlab or none", f.Forge)
	}
	if strings.Contains(filepath.ToSlash(filepath.Clean("/"+f.Path)), "..") {
		return fmt.Errorf("--dashboard-git-path %q: a folder inside the repository", f.Path)
	}
	return nil
}

// forms is the state of the office's forms.
type forms struct {
	opts FormsOptions
	// key signs the CSRF tokens; new at every start, so a restart asks
	// for a fresh page before a submission.
	key []byte
}

const (
	// portfolioLabel is the first crumb of every page.
	portfolioLabel = "Portfolio"
	sessionCookie  = "accord_session"
	csrfField      = "csrf"
	maxFormBytes   = 64 << 10
)

// actions of the forms: the path segment, the Kubernetes permission that
// shows the form (the user could make the same change through GitOps
// review) and the input names in messages.
type action struct {
	Path, Verb, Resource, Title string
}

var (
	actionValue    = action{record.InValue, "update", "kpis", "Report a value"}
	actionReview   = action{"review", "create", "reviews", "Record a review"}
	actionFollowUp = action{"follow-up", "update", "reviews", "Close or drop a follow-up"}
	actions        = []action{actionValue, actionReview, actionFollowUp}
)

// formNames are the forms' labels, for messages next to the fields.
var formNames = record.Names{
	record.InValue: "Value", record.InPeriod: "Period", record.InPeriodEnd: "Period end", record.InReportedBy: "Reported by",
	record.InDocument: "Source document", record.InSHA256: "SHA-256", record.InNumerator: "Numerator", record.InDenominator: "Denominator",
	record.InDate: "Date", record.InDecision: "Decision", record.InExitDate: "Exit date", record.InAttendee: "Attendee",
	record.InFollowUp: "Follow-up", record.InIndex: "Follow-up number",
}

// proposeData is the page of forms.
type proposeData struct {
	P         *v1.Partnership
	URL       string
	CSRF      string
	Allowed   map[string]bool
	KPIs      []*snapshot.KPI
	Reviews   []v1.Review
	Decisions []v1.Decision
	// Form is the form submitted, Values what was typed in it, Errors
	// the messages by input key ("" for the change as a whole).
	Form   string
	Values map[string]string
	Errors map[string][]string
	Result *record.Result
	Repo   string
}

func newForms(opts FormsOptions) (*forms, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if opts.Base == "" {
		opts.Base = "main"
	}
	if opts.Committer.Name == "" {
		opts.Committer = propose.Identity{Name: "Accord dashboard", Email: "accord-dashboard@users.noreply.invalid"}
	}
	return &forms{opts: opts, key: key}, nil
}

// csrfToken binds the session cookie to the user: a form from another
// session or user is refused.
func (f *forms) csrfToken(session, userName string) string {
	m := hmac.New(sha256.New, f.key)
	m.Write([]byte(session + "\x00" + userName))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// session returns the request's session id, setting a new cookie when
// there is none: HttpOnly, Secure, SameSite=Strict, so that another site
// can neither read it nor make the browser send it with a form.
func session(w http.ResponseWriter, r *http.Request) (string, error) {
	if c, err := r.Cookie(sessionCookie); err == nil && len(c.Value) >= 32 {
		return c.Value, nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	return id, nil
}

func userOf(r *http.Request) user.Info {
	u, _ := r.Context().Value(userKey{}).(user.Info)
	return u
}

// author is the signed-in user as a commit's author. Kubernetes user
// names are often e-mail addresses (OIDC); others get an address that
// cannot be delivered, so the name still says who it was.
func author(u user.Info) *propose.Identity {
	clean := strings.NewReplacer("<", "", ">", "", "\n", " ", "\r", " ").Replace(u.GetName())
	if strings.Contains(clean, "@") && !strings.ContainsAny(clean, " :") {
		return &propose.Identity{Name: clean, Email: clean}
	}
	local := strings.NewReplacer(":", ".", " ", ".").Replace(clean)
	return &propose.Identity{Name: clean, Email: local + "@users.kubernetes.invalid"}
}

// allowed says which forms the user may see in namespace.
func (s *Server) allowed(r *http.Request, namespace string) (map[string]bool, error) {
	out := map[string]bool{}
	for _, a := range actions {
		ok, err := s.auth.mayResource(r, a.Verb, a.Resource, namespace, "")
		if err != nil {
			return nil, err
		}
		out[a.Path] = ok
	}
	return out, nil
}

// proposePage loads what the forms need, after the read checks the
// partnership's page makes; it answers the request itself when it fails.
func (s *Server) proposePage(w http.ResponseWriter, r *http.Request) (*proposeData, bool) {
	ns, name := r.PathValue("namespace"), r.PathValue("name")
	notFound := func() {
		s.fail(w, r, http.StatusNotFound, "Partnership not found", "There is no partnership "+name+" in namespace "+ns+" that this dashboard can see.")
	}
	if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 || !s.watched(ns) {
		notFound()
		return nil, false
	}
	ok, err := s.may(r, "get", ns, name)
	if err == nil && ok {
		var allowed map[string]bool
		if allowed, err = s.allowed(r, ns); err == nil {
			ok = allowed["value"] || allowed["review"] || allowed["follow-up"]
			if ok {
				snap, err := snapshot.Load(r.Context(), s.reader, ns, name)
				if apierrors.IsNotFound(err) {
					notFound()
					return nil, false
				}
				if err != nil {
					s.log.Error(err, "read partnership for the dashboard's forms", "namespace", ns, "name", name)
					s.fail(w, r, http.StatusInternalServerError, "Cannot read the partnership", "The operator's cache could not be read; see the manager's log.")
					return nil, false
				}
				sess, err := session(w, r)
				if err != nil {
					s.fail(w, r, http.StatusInternalServerError, "Cannot start a session", "See the manager's log.")
					return nil, false
				}
				return &proposeData{P: snap.Object, URL: partnershipURL(ns, name), Allowed: allowed, KPIs: snap.KPIs, Reviews: snap.Reviews,
					CSRF: s.forms.csrfToken(sess, userOf(r).GetName()), Decisions: []v1.Decision{v1.DecisionContinue, v1.DecisionRevise, v1.DecisionExit},
					Values: map[string]string{}, Errors: map[string][]string{}, Repo: s.forms.opts.RepoURL}, true
			}
		}
	}
	if err != nil {
		s.log.Error(err, "authorise dashboard proposer")
		s.fail(w, r, http.StatusInternalServerError, "Cannot check access", "Access could not be checked with the API server; see the manager's log.")
		return nil, false
	}
	s.fail(w, r, http.StatusForbidden, "Not allowed", "Your Kubernetes account may not propose changes to partnerships in namespace "+ns+".")
	return nil, false
}

func (s *Server) renderPropose(w http.ResponseWriter, r *http.Request, status int, d *proposeData) {
	s.write(w, r, status, "propose", page{Title: "Propose a change · " + d.P.Spec.DisplayName, Refresh: -1,
		Crumbs: []crumb{{Href: "/", Label: portfolioLabel}, {Href: d.URL, Label: d.P.Spec.DisplayName}, {Label: "Propose a change"}}, Data: d})
}

// showForms is GET .../propose: the three forms.
func (s *Server) showForms(w http.ResponseWriter, r *http.Request) {
	if d, ok := s.proposePage(w, r); ok {
		s.renderPropose(w, r, http.StatusOK, d)
	}
}

// submit is POST .../propose/{action}.
func (s *Server) submit(w http.ResponseWriter, r *http.Request) {
	var a action
	for _, x := range actions {
		if x.Path == r.PathValue("action") {
			a = x
		}
	}
	if a.Path == "" {
		s.fail(w, r, http.StatusNotFound, "No such form", "The dashboard has the forms "+actionValue.Path+", "+actionReview.Path+" and "+actionFollowUp.Path+".")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, http.StatusBadRequest, "Form not readable", "The form could not be read; reload the page and try again.")
		return
	}
	// The CSRF check comes before anything else is looked at.
	c, err := r.Cookie(sessionCookie)
	if err != nil || !hmac.Equal([]byte(r.PostForm.Get(csrfField)), []byte(s.forms.csrfToken(c.Value, userOf(r).GetName()))) {
		s.fail(w, r, http.StatusForbidden, "Form expired", "The form was not sent from this dashboard's page in your session; reload the page and submit it again.")
		return
	}
	d, ok := s.proposePage(w, r)
	if !ok {
		return
	}
	if !d.Allowed[a.Path] {
		s.fail(w, r, http.StatusForbidden, "Not allowed", "Your Kubernetes account may not "+a.Verb+" "+a.Resource+" in namespace "+d.P.Namespace+".")
		return
	}
	d.Form = a.Path
	for k, v := range r.PostForm {
		if k != csrfField {
			d.Values[k] = strings.Join(v, "\n")
		}
	}
	ctx, cancel := context.WithTimeout(r.Context(), 45*time.Second)
	defer cancel()
	res, err := s.proposeChange(ctx, userOf(r), func(root string) (*record.Change, error) {
		return buildChange(a, d.P.Name, r, root)
	})
	if err == nil {
		d.Result = res
		s.log.Info("dashboard proposed a change", "user", userOf(r).GetName(), "form", a.Path, "branch", res.Branch)
		s.renderPropose(w, r, http.StatusOK, d)
		return
	}
	if ref, ok := record.IsRefused(err); ok {
		addErrors(d.Errors, ref)
		s.renderPropose(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	s.log.Error(err, "dashboard could not propose a change", "form", a.Path)
	d.Errors[""] = append(d.Errors[""], "The change could not be proposed: "+err.Error())
	s.renderPropose(w, r, http.StatusBadGateway, d)
}

// addErrors puts a refusal next to its field: the input at fault, or for
// validate's findings the input that writes the field.
func addErrors(errs map[string][]string, ref *record.Refused) {
	if len(ref.Findings) == 0 {
		errs[ref.Input] = append(errs[ref.Input], ref.Err.Error())
		return
	}
	for _, f := range ref.Findings {
		key := ""
		last := f.Field[strings.LastIndex(f.Field, ".")+1:]
		switch last {
		case "value", "numerator", "denominator", "date", "decision", "exitDate", "reportedBy":
			key = last
		case "periodStart", "periodEnd":
			key = record.InPeriod
		}
		msg := f.Message
		if f.Field != "" {
			msg = f.Field + ": " + msg
		}
		errs[key] = append(errs[key], msg)
	}
}

// buildChange reads the submitted form into the record library's input,
// under the names the form shows.
func buildChange(a action, partnership string, r *http.Request, root string) (*record.Change, error) {
	get := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	lines := func(k string) []string {
		var out []string
		for l := range strings.SplitSeq(r.PostForm.Get(k), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	const tool = "the Accord dashboard"
	switch a {
	case actionValue:
		in := record.ValueInput{KPI: get("kpi"), Value: get(record.InValue), Period: get(record.InPeriod), PeriodEnd: get(record.InPeriodEnd),
			ReportedBy: get(record.InReportedBy), Document: get(record.InDocument), Numerator: -1, Denominator: -1}
		for k, p := range map[string]*int64{record.InNumerator: &in.Numerator, record.InDenominator: &in.Denominator} {
			if v := strings.ReplaceAll(get(k), ",", ""); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil || n < 0 {
					return nil, &record.Refused{Input: k, Err: fmt.Errorf("%s %q: a count, a whole number, 0 or more", formNames[k], get(k))}
				}
				*p = n
			}
		}
		c, _, err := record.NewValue(root, in, formNames, tool)
		return c, err
	case actionReview:
		return record.NewReview(root, record.ReviewInput{Partnership: partnership, Date: get(record.InDate), Decision: get(record.InDecision),
			ExitDate: get(record.InExitDate), Notes: get("notes"), Attendees: lines(record.InAttendee), FollowUps: lines(record.InFollowUp)}, formNames, tool)
	default:
		state := v1.FollowUpState(get("state"))
		switch state {
		case v1.FollowUpDone, v1.FollowUpDropped, v1.FollowUpOpen:
		default:
			return nil, &record.Refused{Input: "state", Err: fmt.Errorf("new state %q: want Done, Dropped or Open", get("state"))}
		}
		return record.NewFollowUp(root, get("review"), get(record.InIndex), state, formNames, tool)
	}
}

// proposeChange clones the base branch into a temporary folder, builds
// the change there, validates it and proposes it as the user: the path
// accordctl record --push takes, from a fresh copy.
func (s *Server) proposeChange(ctx context.Context, u user.Info, build func(root string) (*record.Change, error)) (*record.Result, error) {
	o := s.forms.opts
	tmp, err := os.MkdirTemp("", "accord-dashboard-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	env := propose.TokenEnv(o.Token)
	dir := filepath.Join(tmp, "repo")
	if _, err := propose.Clone(ctx, o.RepoURL, o.Base, dir, env); err != nil {
		return nil, err
	}
	c, err := build(filepath.Join(dir, filepath.FromSlash(o.Path)))
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c.Propose(ctx, io.Discard, record.ProposeOptions{
		Push: "origin", Base: o.Base, Forge: o.Forge, ForgeAPI: o.ForgeAPI, GitEnv: env,
		Author: author(u), Committer: &o.Committer, Client: o.Client,
		Token: func(propose.Remote) (string, string) {
			if o.Token == "" {
				return "", ""
			}
			return o.Token, "the dashboard's Secret"
		},
	})
}
