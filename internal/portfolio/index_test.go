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

package portfolio

import (
	"reflect"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

const linked = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
metadata: {name: valley, labels: {region: north}}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Partnership
metadata: {name: school}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: fewer-visits}
spec: {partnershipRef: {name: valley}, kpis: [{name: ed-visits}, {name: missing}]}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: access}
spec: {partnershipRef: {name: valley}, kpis: [{name: ed-visits}]}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: elsewhere, namespace: other}
spec: {partnershipRef: {name: valley}, kpis: [{name: ed-visits}]}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: ed-visits}
spec: {source: {sourceRef: {name: prom}, query: up}}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: MetricSource
metadata: {name: prom}
spec: {type: Prometheus}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: q3}
spec: {partnershipRef: {name: valley}}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Portfolio
metadata: {name: north}
spec: {selector: {matchLabels: {region: north}}}
`

func names[T client.Object](l []T) []string {
	out := []string{}
	for _, o := range l {
		if reflect.ValueOf(o).IsNil() {
			out = append(out, "<none>")
			continue
		}
		out = append(out, o.GetName())
	}
	return out
}

func TestReferenceIndexesFollowTheSpecsWithinANamespace(t *testing.T) {
	s := read(t, linked, Options{Namespace: "team"})
	valley := Key{"team", "valley"}
	selected, err := s.PartnershipsOf(s.Portfolio(Key{"team", "north"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  []string
		want []string
	}{
		{"objectives of a partnership, by name", names(s.ObjectivesOf(valley)), []string{"access", "fewer-visits"}},
		{"reviews of a partnership", names(s.ReviewsOf(valley)), []string{"q3"}},
		{"KPIs of an objective, in its order, none where missing", names(s.KPIsOf(s.Objective(Key{"team", "fewer-visits"}))), []string{"ed-visits", "<none>"}},
		{"objectives using a KPI, not across namespaces", names(s.ObjectivesUsing(Key{"team", "ed-visits"})), []string{"access", "fewer-visits"}},
		{"KPIs of a source", names(s.KPIsOfSource(Key{"team", "prom"})), []string{"ed-visits"}},
		{"partnerships a portfolio selects", names(selected), []string{"valley"}},
		{"partnerships of a namespace", names(s.PartnershipsIn("team")), []string{"school", "valley"}},
		{"nothing references across namespaces", names(s.ObjectivesOf(Key{"other", "valley"})), []string{"elsewhere"}},
		{"namespaces", s.Namespaces(), []string{"other", "team"}},
	} {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if s.Partnership(Key{"other", "valley"}) != nil {
		t.Error("a partnership found in a namespace that has none")
	}
}

func TestNewKeepsTheFirstOfTwoObjectsWithOneKey(t *testing.T) {
	first := &v1.KPI{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "k"}, Spec: v1.KPISpec{DisplayName: "first"}}
	second := first.DeepCopy()
	second.Spec.DisplayName = "second"
	s := New(first, second, second.DeepCopy(), &v1.Review{ObjectMeta: metav1.ObjectMeta{Namespace: "team", Name: "k"}})
	if len(s.KPIs) != 1 || s.KPIs[0].Spec.DisplayName != "first" || len(s.Reviews) != 1 {
		t.Errorf("KPIs %v, reviews %v: want the first KPI once and the review (another kind, same key)", names(s.KPIs), names(s.Reviews))
	}
	if d := s.Duplicates(); len(d) != 2 || d[0].Kind != KindKPI {
		t.Errorf("duplicates %+v, want the two later KPIs", d)
	}
}

// A kind the API gains must get a line in the table, or sets would
// silently drop its objects.
func TestTheKindTableHoldsEveryKindOfTheAPI(t *testing.T) {
	got := Kinds()
	slices.Sort(got)
	if want := v1.Kinds(); !slices.Equal(got, want) {
		t.Errorf("kinds table %v, API kinds %v: add the missing kind to the kinds table in portfolio.go", got, want)
	}
	for _, k := range Kinds() {
		o := v1.New(k)
		if s := New(o); len(s.All()) != 1 || v1.KindOf(s.All()[0]) != k {
			t.Errorf("a new %s is not listed under its kind: %v", k, s.All())
		}
	}
}
