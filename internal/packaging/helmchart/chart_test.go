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

package helmchart

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/accord-dev/accord/config/prometheus"
	"github.com/accord-dev/accord/internal/packaging/manifests"
)

const (
	configDefault = "../../../config/default"
	chartDir      = "../../../charts/accord"
)

// TestChartIsGenerated fails when charts/accord differs from what `make
// chart` generates from config/default: a file changed, missing or extra.
func TestChartIsGenerated(t *testing.T) {
	want, err := Generate(configDefault)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	err = filepath.WalkDir(chartDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(chartDir, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("charts/accord/%s is missing; run `make chart`", name)
		} else if !bytes.Equal(g, b) {
			t.Errorf("charts/accord/%s differs from config/default; run `make chart`", name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("charts/accord/%s is not generated; remove it or generate it", name)
		}
	}
}

// render renders the chart as `helm template accord charts/accord -n
// accord-system` would, with Helm's own loader and engine, and returns
// the objects, CRDs included.
func render(t *testing.T, values map[string]any) []*unstructured.Unstructured {
	t.Helper()
	ch, err := loader.Load(chartDir)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := chartutil.ToRenderValues(ch, values, chartcommon.ReleaseOptions{Name: "accord", Namespace: "accord-system", IsInstall: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, err := engine.Render(ch, vals)
	if err != nil {
		t.Fatal(err)
	}
	var objs []*unstructured.Unstructured
	names := make([]string, 0, len(out))
	for name := range out {
		names = append(names, name)
	}
	slices.Sort(names)
	docs := []string{}
	for _, name := range names {
		if strings.HasSuffix(name, "NOTES.txt") {
			continue
		}
		docs = append(docs, out[name])
	}
	for _, crd := range ch.CRDObjects() {
		docs = append(docs, string(crd.File.Data))
	}
	for _, text := range docs {
		for doc := range strings.SplitSeq(text, "\n---") {
			u := &unstructured.Unstructured{}
			if err := yaml.Unmarshal([]byte(doc), &u.Object); err != nil {
				t.Fatalf("rendered YAML: %v\n%s", err, doc)
			}
			if len(u.Object) == 0 {
				continue
			}
			objs = append(objs, u)
		}
	}
	return objs
}

func key(u *unstructured.Unstructured) string {
	return u.GetKind() + "/" + u.GetNamespace() + "/" + u.GetName()
}

func byKey(objs []*unstructured.Unstructured) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, u := range objs {
		// Through YAML, so both sides have the same number types.
		b, _ := yaml.Marshal(u.Object)
		var v map[string]any
		_ = yaml.Unmarshal(b, &v)
		m[key(u)] = v
	}
	return m
}

// TestChartWithDefaultValuesIsTheKustomizeBuild renders the chart with its
// default values and compares every object with `kustomize build
// config/default`, the Namespace aside (Helm installs into the release's
// namespace, `--create-namespace`).
func TestChartWithDefaultValuesIsTheKustomizeBuild(t *testing.T) {
	want, err := manifests.Build(configDefault)
	if err != nil {
		t.Fatal(err)
	}
	var kept []*unstructured.Unstructured
	for _, u := range want {
		if u.GetKind() != "Namespace" {
			kept = append(kept, u)
		}
	}
	if diff := cmp.Diff(byKey(kept), byKey(render(t, nil))); diff != "" {
		t.Errorf("the chart with default values differs from config/default (-kustomize +helm):\n%s", diff)
	}
}

func deploymentArgs(t *testing.T, objs []*unstructured.Unstructured) (args []string, image string) {
	t.Helper()
	for _, u := range objs {
		if u.GetKind() != "Deployment" {
			continue
		}
		cs, _, _ := unstructured.NestedSlice(u.Object, "spec", "template", "spec", "containers")
		c := cs[0].(map[string]any)
		for _, a := range c["args"].([]any) {
			args = append(args, a.(string))
		}
		return args, c["image"].(string)
	}
	t.Fatal("no Deployment rendered")
	return nil, ""
}

// TestChartValues renders the chart with each value set and checks the
// manager's flags, the metrics Service and the PrometheusRule follow.
func TestChartValues(t *testing.T) {
	objs := render(t, map[string]any{
		"image":              map[string]any{"repository": "registry.example/accord", "tag": "v1.2.3"},
		"allowedSourceHosts": []any{"fhir.example.org", "*.hospital.example"},
		"allowedSourceCIDRs": []any{"10.20.0.0/16"},
		"dashboard":          map[string]any{"enabled": true, "port": 9443},
		"shardSelector":      "portfolio.accord.dev/shard=east",
		"metrics":            map[string]any{"enabled": false},
		"alerts":             map[string]any{"enabled": true, "dashboardURL": "https://accord.hospital.example", "labels": map[string]any{"release": "kube-prometheus-stack"}},
		"resources":          map[string]any{"requests": map[string]any{"cpu": "1", "memory": "2Gi"}},
	})
	args, image := deploymentArgs(t, objs)
	if image != "registry.example/accord:v1.2.3" {
		t.Errorf("image %q", image)
	}
	wantArgs := []string{"--leader-elect", "--metrics-bind-address=0", "--health-probe-bind-address=:8081",
		"--dashboard-bind-address=:9443", "--dashboard-auth", "--dashboard-self-signed-certificate", "--allowed-source-hosts=fhir.example.org,*.hospital.example", "--allowed-source-cidrs=10.20.0.0/16",
		"--shard-selector=portfolio.accord.dev/shard=east"}
	if diff := cmp.Diff(wantArgs, args); diff != "" {
		t.Errorf("args (-want +got):\n%s", diff)
	}
	var rule *unstructured.Unstructured
	for _, u := range objs {
		switch {
		case u.GetKind() == "Service":
			t.Errorf("metrics.enabled=false still renders Service %s", u.GetName())
		case u.GetKind() == "PrometheusRule":
			rule = u
		case u.GetKind() == "Deployment":
			cs, _, _ := unstructured.NestedSlice(u.Object, "spec", "template", "spec", "containers")
			if r := cs[0].(map[string]any)["resources"]; cmp.Diff(map[string]any{"requests": map[string]any{"cpu": "1", "memory": "2Gi"}, "limits": map[string]any{"cpu": "2", "memory": "1Gi"}}, r) != "" {
				t.Errorf("resources %v", r)
			}
		}
	}
	if rule == nil {
		t.Fatal("alerts.enabled=true renders no PrometheusRule")
	}
	if rule.GetLabels()["release"] != "kube-prometheus-stack" || rule.GetNamespace() != "accord-system" {
		t.Errorf("PrometheusRule labels %v namespace %q", rule.GetLabels(), rule.GetNamespace())
	}
	spec, _ := yaml.Marshal(rule.Object["spec"])
	want, err := prometheus.ParseRules([]byte(strings.ReplaceAll(string(prometheus.Rules), prometheus.DefaultDashboardURL, "https://accord.hospital.example")))
	if err != nil {
		t.Fatal(err)
	}
	got, err := prometheus.ParseRules(spec)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the PrometheusRule's groups differ from config/prometheus (-want +got):\n%s", diff)
	}
	if strings.Contains(string(spec), prometheus.DefaultDashboardURL) {
		t.Error("alerts.dashboardURL did not replace the placeholder")
	}
	// Off by default.
	for _, u := range render(t, nil) {
		if u.GetKind() == "PrometheusRule" {
			t.Error("the default values render a PrometheusRule; clusters without the Prometheus Operator would reject it")
		}
	}
}

// TestChartPassesHelmLint runs Helm's own lint rules (what `helm lint
// --strict` runs) on the chart: any warning or error fails.
func TestChartPassesHelmLint(t *testing.T) {
	for _, values := range []map[string]any{nil, {"alerts": map[string]any{"enabled": true}, "dashboard": map[string]any{"enabled": true}}} {
		l := lint.RunAll(chartDir, values, "accord-system")
		for _, m := range l.Messages {
			if m.Severity >= support.WarningSev {
				t.Errorf("helm lint (values %v): %s", values, m)
			} else {
				t.Logf("helm lint: %s", m)
			}
		}
	}
}
