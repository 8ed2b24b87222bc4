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
	"os"
	"strings"
	"testing"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/internal/portfolio/load"
)

func read(t *testing.T, manifests string, opts Options) *Set {
	t.Helper()
	docs, bad := load.Read("test.yaml", strings.NewReader(manifests))
	if len(bad) > 0 {
		t.Fatalf("load: %v", bad)
	}
	s, errs := Read(docs, opts)
	if len(errs) > 0 {
		t.Fatalf("read: %v", errs)
	}
	return s
}

func TestDecodeNamesTheDocumentOfEveryProblem(t *testing.T) {
	docs, bad := load.Read("bad.yaml", strings.NewReader(`
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: r}
spec: {partnershipRef: {name: p}, date: "2026-01-01", decision: Continue}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Review
metadata: {name: r}
spec: {partnershipRef: {name: p}, date: "2026-01-02", decision: Continue}
---
apiVersion: portfolio.accord.dev/v2
kind: KPI
metadata: {name: k}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Agreement
metadata: {name: a}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: typo}
spec: {breachesBeforeAtRisk: "two"}
`))
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	objs, errs := Read(docs, Options{Namespace: "default", AsStored: true})
	got := make([]string, 0, len(errs))
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		"bad.yaml#1: Review default/r is also defined at bad.yaml#0; each object must be defined once",
		"bad.yaml#2: apiVersion: portfolio.accord.dev/v2 is not served; want portfolio.accord.dev/v1alpha1",
		`bad.yaml#3: kind: Unsupported value: "Agreement": want one of Partnership, Objective, KPI, MetricSource, Review, Portfolio`,
		"bad.yaml#4: spec.breachesBeforeAtRisk: Invalid value: got a string, want an integer",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(objs.Reviews) != 1 || objs.Reviews[0].Spec.Date != "2026-01-01" || len(objs.KPIs) != 0 {
		t.Errorf("kept %d reviews (%v) and %d KPIs: want the first review only", len(objs.Reviews), objs.Reviews, len(objs.KPIs))
	}
}

func TestReadKeepsOtherAPIGroupsOutOfTheKinds(t *testing.T) {
	s := read(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: a}\n", Options{})
	if all := s.All(); len(all) != 0 || len(s.Namespaces()) != 0 {
		t.Errorf("objects of other groups kept as Accord objects: %v", all)
	}
}

// crdDefault reads the default the CRD file itself declares at a path of
// its schema, so that the test compares with the CRD, not a copy.
func crdDefault(t *testing.T, file string, path ...string) any {
	t.Helper()
	raw, err := os.ReadFile("../../config/crd/bases/" + file)
	if err != nil {
		t.Fatal(err)
	}
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := yaml.Unmarshal(raw, crd); err != nil {
		t.Fatal(err)
	}
	s := *crd.Spec.Versions[0].Schema.OpenAPIV3Schema
	for _, p := range path {
		s = s.Properties[p]
	}
	if s.Default == nil {
		t.Fatalf("%s: no default at %v", file, path)
	}
	var v any
	if err := yaml.Unmarshal(s.Default.Raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

const bareKPI = `
apiVersion: portfolio.accord.dev/v1alpha1
kind: KPI
metadata: {name: survey}
spec:
  displayName: Survey score
  direction: HigherIsBetter
  baseline: {value: "70", date: "2026-01-01"}
  target: {value: "80", date: "2027-01-01"}
---
apiVersion: portfolio.accord.dev/v1alpha1
kind: Objective
metadata: {name: satisfied}
spec:
  partnershipRef: {name: valley}
  statement: Patients are satisfied
  startDate: "2026-01-01"
  deadline: "2027-01-01"
  kpis: [{name: survey}]
`

func TestAsStoredAppliesTheDefaultsTheCRDsDeclare(t *testing.T) {
	s := read(t, bareKPI, Options{Namespace: "team", AsStored: true})
	k := s.KPI(Key{"team", "survey"})
	if k == nil {
		t.Fatal("KPI team/survey not read")
	}
	if want := crdDefault(t, "portfolio.accord.dev_kpis.yaml", "spec", "evaluationInterval"); string(k.Spec.EvaluationInterval) != want {
		t.Errorf("evaluationInterval %q, want the CRD's default %v", k.Spec.EvaluationInterval, want)
	}
	if want := crdDefault(t, "portfolio.accord.dev_kpis.yaml", "spec", "breachesBeforeAtRisk"); float64(k.Spec.BreachesBeforeAtRisk) != want {
		t.Errorf("breachesBeforeAtRisk %d, want the CRD's default %v", k.Spec.BreachesBeforeAtRisk, want)
	}
	// A default inside a list item (each KPI reference's weight).
	o := s.Objective(Key{"team", "satisfied"})
	if want := crdDefault(t, "portfolio.accord.dev_objectives.yaml", "spec", "atRiskBelow"); o.Spec.AtRiskBelow == nil || float64(*o.Spec.AtRiskBelow) != want {
		t.Errorf("atRiskBelow %v, want the CRD's default %v", o.Spec.AtRiskBelow, want)
	}
	if o.Spec.KPIs[0].Weight != 1 {
		t.Errorf("kpis[0].weight %d, want the CRD's default 1", o.Spec.KPIs[0].Weight)
	}
	if k.Generation != 1 {
		t.Errorf("generation %d, want 1 as on create", k.Generation)
	}
	// Without AsStored the objects are as written.
	raw := read(t, bareKPI, Options{}).KPI(Key{Name: "survey"})
	if raw == nil || raw.Spec.EvaluationInterval != "" || raw.Spec.BreachesBeforeAtRisk != 0 || raw.Generation != 0 {
		t.Errorf("without AsStored: %+v, want the fields as written", raw)
	}
}
