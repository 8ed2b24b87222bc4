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

package reviewpack

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

func cond(typ string, status metav1.ConditionStatus, msg string) metav1.Condition {
	return metav1.Condition{Type: typ, Status: status, Reason: "Test", Message: msg}
}

func kpiWith(name, lastValue string, conds ...metav1.Condition) *snapshot.KPI {
	return &snapshot.KPI{Object: &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: name}, Status: v1.KPIStatus{LastValue: lastValue, Conditions: conds}}}
}

func TestQuestionsFollowFromTheState(t *testing.T) {
	days := int32(120)
	cases := []struct {
		name string
		snap func(s *snapshot.Partnership)
		want []string // "Topic: Ask" of each question, in order
	}{
		{"on track asks nothing", func(*snapshot.Partnership) {}, nil},
		{"review due asks for the decision", func(s *snapshot.Partnership) {
			s.Object.Status.Conditions = []metav1.Condition{cond(v1.ConditionReviewDue, "True", "a review was due by 2026-09-12")}
		}, []string{"Partnership p: A review is due: which decision does this review record (Continue, Revise or Exit)?"}},
		{"review not due asks nothing", func(s *snapshot.Partnership) {
			s.Object.Status.Conditions = []metav1.Condition{cond(v1.ConditionReviewDue, "False", "")}
		}, nil},
		{"renewal window asks renew or exit", func(s *snapshot.Partnership) {
			s.Object.Status.AgreementState, s.Object.Status.DaysToExpiry = v1.AgreementRenewalWindow, &days
		}, []string{"Agreement: Renew the agreement or exit?"}},
		{"auto-renewal asks whether to give notice", func(s *snapshot.Partnership) {
			s.Object.Status.AgreementState, s.Object.Spec.Agreement.AutoRenew = v1.AgreementRenewalWindow, true
		}, []string{"Agreement: The agreement renews automatically: let it renew, renegotiate, or give notice to exit?"}},
		{"expired asks renew or record the exit", func(s *snapshot.Partnership) {
			s.Object.Status.AgreementState = v1.AgreementExpired
		}, []string{"Agreement: Renew the expired agreement, or record the exit?"}},
		{"at-risk objective and KPI ask continue, revise or escalate", func(s *snapshot.Partnership) {
			s.Objectives[0].Object.Status.Conditions = []metav1.Condition{cond(v1.ConditionAtRisk, "True", "score 60")}
			s.KPIs[0].Object.Status.Conditions = []metav1.Condition{cond(v1.ConditionAtRisk, "True", "3 in a row"), cond(v1.ConditionMetricsAvailable, "True", "")}
		}, []string{
			"Objective o: The objective is at risk: continue with a recovery plan, revise the objective (targets or deadline), or escalate?",
			"KPI k: The KPI is at risk: continue on the current plan, re-baseline its glide path, or escalate?",
		}},
		{"KPI without any value asks who provides it", func(s *snapshot.Partnership) {
			s.KPIs[0] = kpiWith("k", "", cond(v1.ConditionMetricsAvailable, "False", "no value yet"))
		}, []string{"KPI k: The KPI has no data: who provides it, and by when?"}},
		{"KPI with stale data asks who fixes the feed", func(s *snapshot.Partnership) {
			s.KPIs[0] = kpiWith("k", "17", cond(v1.ConditionMetricsAvailable, "False", "the value is 40 days old"))
		}, []string{"KPI k: The KPI's data is missing or stale: who fixes the feed, and by when?"}},
		{"every overdue action the partnership lists", func(s *snapshot.Partnership) {
			// The status lists what is overdue after later reviews' updates
			// (the rule is internal/evaluate's); the pack asks about each.
			s.Object.Status.OverdueFollowUps = []v1.OverdueFollowUp{
				{Review: "older", ReviewDate: "2026-06-18", Action: "Old", Due: "2026-07-01"},
				{Review: "latest", ReviewDate: "2026-09-18", Action: "Share the root-cause review", Owner: "VRH", Due: "2026-11-15"},
			}
		}, []string{"Review older: This action is overdue: is it done, or should it be dropped: Old?",
			"Review latest: This action is overdue: is it done, or should it be dropped: Share the root-cause review (VRH)?"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := kpiWith("k", "17", cond(v1.ConditionMetricsAvailable, "True", ""))
			s := &snapshot.Partnership{
				Object:     &v1.Partnership{ObjectMeta: metav1.ObjectMeta{Name: "p"}, Spec: v1.PartnershipSpec{Agreement: v1.Agreement{ExpiryDate: "2027-03-31"}}},
				Objectives: []snapshot.Objective{{Object: &v1.Objective{ObjectMeta: metav1.ObjectMeta{Name: "o"}}}},
				KPIs:       []*snapshot.KPI{k},
			}
			tc.snap(s)
			qs := questions(s)
			got := make([]string, 0, len(qs))
			for _, q := range qs {
				got = append(got, q.Topic+": "+q.Ask)
				if q.Why == "" {
					t.Errorf("question %q does not say why it is asked", q.Ask)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("questions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestMarkdownTextCannotMarkUpOrRunHTML(t *testing.T) {
	for in, want := range map[string]string{
		"plain words":                       "plain words",
		"<script>alert(1)</script>":         "&lt;script&gt;alert(1)&lt;/script&gt;",
		"a | b":                             `a \| b`,
		"[click](javascript:alert(1))":      `\[click\](javascript:alert(1))`,
		"*bold* _em_ `code` # ! &amp;":      "\\*bold\\* \\_em\\_ \\`code\\` \\# \\! &amp;amp;",
		"two\nlines\tand  spaces":           "two lines and spaces",
		`back\slash`:                        `back\\slash`,
		"![img](https://tracker.example/x)": `\!\[img\](https://tracker.example/x)`,
	} {
		if got := text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct{ title, url, want string }{
		{"Agreement", "https://docs.example/a b.pdf", "[Agreement](<https://docs.example/a%20b.pdf>)"},
		{"Agreement", "javascript:alert(1)", "Agreement (`javascript:alert(1)`)"},
		{"<b>x</b>", "http://docs.example/", "[&lt;b&gt;x&lt;/b&gt;](<http://docs.example/>)"},
	} {
		if got := link(tc.title, tc.url); got != tc.want {
			t.Errorf("link(%q, %q) = %q, want %q", tc.title, tc.url, got, tc.want)
		}
	}
}
