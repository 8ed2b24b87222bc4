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
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/testsupport/sampleedit"

	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/sources"
)

const (
	partnerToken = "partner-api-token-5678"
	patientID    = "MRN-00421337"
)

// script is what a hostile or careless author puts in a free-text field.
func script(field string) string { return `<script>alert("` + field + `")</script>` }

// userText lists every free-text field of the sample Valley network that
// the dashboard shows, as kind/name and the field's path; a script goes
// into each. Index segments are list positions.
var userText = []struct {
	kind, name string
	path       []any
}{
	{"Partnership", "valley-integrated-care", []any{"spec", "displayName"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "purpose"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "partners", 1, "name"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "partners", 0, "staffCommitments", 0, "role"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "agreement", "governance", "charter", "title"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "agreement", "documents", 0, "title"}},
	{"Partnership", "valley-integrated-care", []any{"spec", "agreement", "dataSharing", "purposes", 0}},
	{"Objective", "vicn-reduce-readmissions", []any{"spec", "statement"}},
	{"Objective", "vicn-reduce-readmissions", []any{"spec", "owner"}},
	{"KPI", "vicn-readmission-rate-30d", []any{"spec", "displayName"}},
	{"KPI", "vicn-readmission-rate-30d", []any{"spec", "description"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "notes"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "attendees", 0, "name"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "attendees", 0, "organization"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "followUps", 0, "action"}},
	{"Review", "vicn-2026-09-review", []any{"spec", "followUps", 0, "owner"}},
}

// The sample portfolio with a script in every free-text field, two KPIs
// read from a partner API that needs a token and answers with patient
// identifiers (once in a good answer, once in an error), all evaluated by
// the real reconcilers: the pages show every text as text and never the
// token or the patient identifier.
func TestPagesEscapeUserTextAndShowNoSecretOrPatientData(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	ns := namespace(t)
	clk := clocktesting.NewFakeClock(today)

	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+partnerToken {
			http.Error(w, "unauthorised", http.StatusUnauthorized)
			return
		}
		if r.URL.Query().Get("measure") == "ed-visits" {
			http.Error(w, "maintenance; last patient "+patientID, http.StatusServiceUnavailable)
			return
		}
		// Partner APIs sometimes send more than they should.
		_, _ = fmt.Fprintf(w, `{"rate":88.5,"observed":%q,"example":{"patient":%q}}`, clk.Now().Add(-time.Hour).Format(time.RFC3339), patientID)
	}))
	defer api.Close()
	g.Expect(env.Client.Create(ctx, sources.MarkCredential(&corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-token"},
		Data: map[string][]byte{"token": []byte(partnerToken)}}, "127.0.0.1"))).To(Succeed())
	g.Expect(env.Client.Create(ctx, &v1.MetricSource{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner-api"}, Spec: v1.MetricSourceSpec{
		Type: v1.SourceHTTPJSON, Endpoint: api.URL, MinInterval: "1m", Timeout: "2s",
		Auth: &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "partner-token", Key: "token"}},
	}})).To(Succeed())

	objs, err := manifests.Build(filepath.Join(env.Root, "config", "samples"))
	g.Expect(err).NotTo(HaveOccurred())
	for _, u := range objs {
		u.SetNamespace(ns)
		for _, f := range userText {
			if u.GetKind() == f.kind && u.GetName() == f.name {
				if err := sampleedit.Set(u.Object, f.path, script(f.kind+"."+sampleedit.PathString(f.path))); err != nil {
					t.Fatal(err)
				}
			}
		}
		switch u.GetName() {
		case "vicn-patient-satisfaction":
			sampleedit.LiveSource(u, "/rates?measure=satisfaction")
		case "vicn-ed-visits-per-1000":
			sampleedit.LiveSource(u, "/rates?measure=ed-visits")
		}
		g.Expect(env.Client.Create(ctx, u)).To(Succeed(), "create %s/%s", u.GetKind(), u.GetName())
	}
	base := serve(t, setup{reconcilers: true, clock: clk, namespaces: []string{ns}})

	page := base + "/partnerships/" + ns + "/valley-integrated-care"
	var body string
	// Wait until both live KPIs have been read: one fresh, one failing.
	g.Eventually(func() string {
		_, body, _ = get(t, http.MethodGet, page, nil)
		return body
	}).WithTimeout(timeout).WithPolling(poll).Should(And(
		ContainSubstring("88.5%"), ContainSubstring("503 Service Unavailable"),
		// The operator's own sentences quote the KPI's name too.
		ContainSubstring(html.EscapeString(script("KPI.spec.displayName"))+" ")))
	_, overview, _ := get(t, http.MethodGet, base+"/", nil)
	_, filtered, _ := get(t, http.MethodGet, base+"/?partner="+strings.ReplaceAll(script("x"), " ", "+"), nil)

	pages := map[string]string{"partnership page": body, "overview": overview, "overview filtered by a script": filtered}
	for name, text := range pages {
		if strings.Contains(strings.ToLower(text), "<script") {
			i := strings.Index(strings.ToLower(text), "<script")
			t.Errorf("%s has a live <script> element: %s", name, text[max(0, i-200):min(len(text), i+200)])
		}
		for _, secret := range []string{partnerToken, patientID} {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %q", name, secret)
			}
		}
	}
	for _, f := range userText {
		want := html.EscapeString(script(f.kind + "." + sampleedit.PathString(f.path)))
		if !strings.Contains(body, want) {
			t.Errorf("partnership page does not show %s %s as text %q", f.kind, sampleedit.PathString(f.path), want)
		}
	}
	for _, name := range []string{"Partnership.spec.displayName", "Partnership.spec.partners.1.name"} {
		if want := html.EscapeString(script(name)); !strings.Contains(overview, want) {
			t.Errorf("overview does not show %s as text %q", name, want)
		}
	}
	if want := html.EscapeString(script("x")); !strings.Contains(filtered, `value="`+want+`"`) {
		t.Errorf("the partner filter is not echoed as text %q", want)
	}
}
