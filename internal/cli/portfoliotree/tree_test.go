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

package portfoliotree

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
)

func objectMeta(ns, name string, labels map[string]string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Namespace: ns, Name: name, Labels: labels, Generation: 1}
}

func conds(c ...string) []metav1.Condition {
	// c holds type, status, reason, message quadruples.
	var out []metav1.Condition
	for i := 0; i+3 < len(c); i += 4 {
		out = append(out, metav1.Condition{Type: c[i], Status: metav1.ConditionStatus(c[i+1]), Reason: c[i+2], Message: c[i+3], ObservedGeneration: 1})
	}
	return out
}

func score(s int32) *int32 { return new(s) }

// objects is a small portfolio with one of everything the tree shows:
// a selected and an unselected partnership, a KPI reference that does not
// resolve, an objective and a review whose partnership does not exist, a
// KPI no objective uses, a KPI not yet evaluated, and a second namespace.
func objects() []client.Object {
	sel := metav1.LabelSelector{MatchLabels: map[string]string{"portfolio": "north"}}
	return []client.Object{
		&v1.MetricSource{ObjectMeta: objectMeta("a", "prom", nil), Status: v1.MetricSourceStatus{Conditions: conds(
			"Ready", "True", "Configured", "Prometheus source configured",
			"Reachable", "False", "SourceUnreachable", "cannot connect")}},
		&v1.KPI{ObjectMeta: objectMeta("a", "waits", nil), Status: v1.KPIStatus{Score: score(40), Conditions: conds(
			"AtRisk", "True", "OffTrack", "Waits 30 days is above 20",
			"Healthy", "False", "OffTrack", "Waits 30 days is above 20",
			"MetricsAvailable", "True", "DataFresh", "Latest value 30 days",
			"Ready", "True", "Evaluated", "Waits 30 days is above 20")}},
		&v1.KPI{ObjectMeta: objectMeta("a", "spare", nil)},
		&v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: "a", Name: "stale", Generation: 2}, Status: v1.KPIStatus{Conditions: conds(
			"Ready", "True", "Evaluated", "fine",
			"MetricsAvailable", "False", "StaleData", "too old")}},
		&v1.Objective{ObjectMeta: objectMeta("a", "access", nil), Spec: v1.ObjectiveSpec{PartnershipRef: v1.LocalObjectReference{Name: "clinic"},
			KPIs: []v1.ObjectiveKPI{{Name: "waits", Weight: 2, Critical: true}, {Name: "typo", Weight: 1}, {Name: "stale", Weight: 1}}},
			Status: v1.ObjectiveStatus{Score: score(40), Conditions: conds(
				"Ready", "True", "Evaluated", "x",
				"Healthy", "False", "CriticalKPIAtRisk", "Critical KPI waits is at risk",
				"AtRisk", "True", "CriticalKPIAtRisk", "Critical KPI waits is at risk")}},
		&v1.Objective{ObjectMeta: objectMeta("a", "lost", nil), Spec: v1.ObjectiveSpec{PartnershipRef: v1.LocalObjectReference{Name: "gone"}}},
		&v1.Partnership{ObjectMeta: objectMeta("a", "clinic", map[string]string{"portfolio": "north"}), Status: v1.PartnershipStatus{Conditions: conds(
			"Ready", "True", "Evaluated", "x",
			"Healthy", "False", "ObjectiveAtRisk", "1 of 1 objectives at risk",
			"AtRisk", "True", "ObjectiveAtRisk", "1 of 1 objectives at risk",
			"ReviewDue", "True", "CadenceElapsed", "a review was due by 2026-09-12")}},
		&v1.Partnership{ObjectMeta: objectMeta("a", "school", nil), Status: v1.PartnershipStatus{Conditions: conds(
			"Ready", "True", "Evaluated", "x",
			"Healthy", "False", "AgreementNotInForce", "The agreement comes into force on 2027-01-01",
			"AtRisk", "False", "AgreementNotInForce", "The agreement comes into force on 2027-01-01")}},
		&v1.Review{ObjectMeta: objectMeta("a", "old-review", nil), Spec: v1.ReviewSpec{PartnershipRef: v1.LocalObjectReference{Name: "gone"}},
			Status: v1.ReviewStatus{Conditions: conds(
				"Ready", "False", "PartnershipNotFound", "Partnership gone does not exist",
				"Applied", "False", "PartnershipNotFound", "Partnership gone does not exist")}},
		&v1.Portfolio{ObjectMeta: objectMeta("a", "north", nil), Spec: v1.PortfolioSpec{Selector: sel}},
		&v1.Portfolio{ObjectMeta: objectMeta("b", "south", nil), Spec: v1.PortfolioSpec{Selector: sel}},
	}
}

func TestTextShowsEveryObjectUnderWhatCountsIt(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, Build(portfolio.New(objects()...)), true); err != nil {
		t.Fatal(err)
	}
	want := `Namespace a
Portfolio/north  Pending
  not yet evaluated by the operator
└── Partnership/clinic  AtRisk  Ready=True Healthy=False AtRisk=True ReviewDue=True
      1 of 1 objectives at risk
      review due: a review was due by 2026-09-12
    └── Objective/access  AtRisk  score 40  Ready=True Healthy=False AtRisk=True
          Critical KPI waits is at risk
        ├── KPI/waits (weight 2, critical)  AtRisk  score 40  Ready=True MetricsAvailable=True Healthy=False AtRisk=True
        │     Waits 30 days is above 20
        ├── KPI/typo (weight 1)  Missing
        │     KPI "typo" does not exist in namespace a
        └── KPI/stale (weight 1)  Pending  Ready=True MetricsAvailable=False
              not yet evaluated for generation 2 of the spec
Partnership/school (in no portfolio)  AgreementNotInForce  Ready=True Healthy=False AtRisk=False
  The agreement comes into force on 2027-01-01
Objective/lost (partnership gone does not exist)  Pending
  not yet evaluated by the operator
KPI/spare (referenced by no objective)  Pending
  not yet evaluated by the operator
Review/old-review (partnership gone does not exist)  NotApplied  Ready=False Applied=False
  Partnership gone does not exist
MetricSource/prom  Unreachable  Ready=True Reachable=False
  cannot connect

Namespace b
Portfolio/south  Pending
  not yet evaluated by the operator
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestJSONCarriesTheSameTree(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, Build(portfolio.New(objects()...))); err != nil {
		t.Fatal(err)
	}
	var got struct{ Items []*Node }
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got.Items) != 7 {
		t.Fatalf("%d top-level items, want 7 (2 portfolios, 1 partnership, 1 objective, 1 KPI, 1 review, 1 source)", len(got.Items))
	}
	kpi := got.Items[0].Children[0].Children[0].Children[0]
	if kpi.Kind != "KPI" || kpi.Name != "waits" || kpi.Verdict != "AtRisk" || *kpi.Score != 40 || !kpi.Critical || kpi.Weight != 2 {
		t.Errorf("first KPI: %+v", kpi)
	}
	types := make([]string, 0, len(kpi.Conditions))
	for _, c := range kpi.Conditions {
		types = append(types, c.Type+"="+c.Status+"/"+c.Reason)
	}
	if strings.Join(types, " ") != "Ready=True/Evaluated MetricsAvailable=True/DataFresh Healthy=False/OffTrack AtRisk=True/OffTrack" {
		t.Errorf("conditions in order Ready, MetricsAvailable, Healthy, AtRisk: got %v", types)
	}
	if !strings.Contains(b.String(), `"message": "Waits 30 days is above 20"`) {
		t.Errorf("JSON lacks the condition messages:\n%s", b.String())
	}
	var empty bytes.Buffer
	_ = JSON(&empty, nil)
	if strings.TrimSpace(empty.String()) != "{\n  \"items\": []\n}" {
		t.Errorf("no objects: %q, want an empty items list", empty.String())
	}
}
