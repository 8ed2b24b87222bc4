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

package grafanacheck

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/accord-dev/accord/internal/packaging/manifests"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/internal/testsupport/testoperator"
	"github.com/accord-dev/accord/internal/testsupport/testprom"
)

const dashboardFile = "../../../config/grafana/accord-dashboard.json"

type target struct {
	RefID      string         `json:"refId"`
	Expr       string         `json:"expr"`
	Datasource map[string]any `json:"datasource"`
}

type panel struct {
	ID         int            `json:"id"`
	Type       string         `json:"type"`
	Title      string         `json:"title"`
	Datasource map[string]any `json:"datasource"`
	Targets    []target       `json:"targets"`
}

type dashboard struct {
	UID        string  `json:"uid"`
	Title      string  `json:"title"`
	Panels     []panel `json:"panels"`
	Templating struct {
		List []struct {
			Name, Type string
			Query      any
		} `json:"list"`
	} `json:"templating"`
}

func readDashboard(t *testing.T) dashboard {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d dashboard
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("%s: %v", dashboardFile, err)
	}
	return d
}

func TestDashboardHasGrafanaShape(t *testing.T) {
	d := readDashboard(t)
	if d.UID == "" || d.Title == "" {
		t.Errorf("uid %q, title %q: both are needed to import and link the dashboard", d.UID, d.Title)
	}
	vars := map[string]string{}
	for _, v := range d.Templating.List {
		vars[v.Name] = v.Type
	}
	for name, typ := range map[string]string{"datasource": "datasource", "namespace": "query", "partnership": "query", "kpi": "query"} {
		if vars[name] != typ {
			t.Errorf("template variable %q is %q, want a %s variable", name, vars[name], typ)
		}
	}
	ids := map[int]string{}
	queries := 0
	for _, p := range d.Panels {
		if p.Title == "" {
			t.Errorf("panel %d has no title", p.ID)
		}
		if other, dup := ids[p.ID]; dup || p.ID == 0 {
			t.Errorf("panel %q: id %d is missing or also used by %q", p.Title, p.ID, other)
		}
		ids[p.ID] = p.Title
		if p.Type == "row" {
			continue
		}
		if p.Datasource["uid"] != "${datasource}" || p.Datasource["type"] != "prometheus" {
			t.Errorf("panel %q: datasource %v, want the ${datasource} variable", p.Title, p.Datasource)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, q := range p.Targets {
			queries++
			if q.Expr == "" || q.Datasource["uid"] != "${datasource}" {
				t.Errorf("panel %q query %s: expr %q, datasource %v", p.Title, q.RefID, q.Expr, q.Datasource)
			}
		}
	}
	if queries < 10 {
		t.Errorf("%d queries, want the dashboard's panels (at least 10)", queries)
	}
}

// metricName finds the metric names a query reads: ours and the ones of
// controller-runtime and client-go it relies on.
var metricName = regexp.MustCompile(`\b(accord_[a-z_]+|controller_runtime_[a-z_]+|workqueue_[a-z_]+)\b`)

// TestDashboardQueriesWhatTheManagerExports runs the operator on the
// sample portfolio in a real control plane, gathers the manager's metric
// registry, loads it into a real Prometheus (two scrapes, two minutes
// apart, so rates have two points) and runs every panel's query, and every
// variable's query, through Prometheus's HTTP API: each must parse and
// return data, and read only metrics the manager exports.
func TestDashboardQueriesWhatTheManagerExports(t *testing.T) {
	d := readDashboard(t)
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Error(err)
		}
	})
	const ns = "grafana"
	ctx := context.Background()
	if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		t.Fatal(err)
	}
	objs, err := manifests.Build("../../../config/samples")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range objs {
		u.SetNamespace(ns)
		if err := env.Client.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	testoperator.Start(t, env.Config, env.Client, clocktesting.NewFakeClock(now), ns)
	testoperator.WaitConverged(t, env.Client, ns, 60*time.Second)

	families, err := crmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	exported := map[string]bool{}
	for _, f := range families {
		exported[f.GetName()] = true
		if f.GetType() == dto.MetricType_HISTOGRAM {
			for _, s := range []string{"_bucket", "_sum", "_count"} {
				exported[f.GetName()+s] = true
			}
		}
	}

	var exprs []string
	for _, p := range d.Panels {
		for _, q := range p.Targets {
			exprs = append(exprs, q.Expr)
		}
	}
	for _, v := range d.Templating.List {
		if q, ok := v.Query.(map[string]any); ok {
			// label_values(metric{...}, label) is Grafana's, not PromQL:
			// the metric selector inside it is the query.
			s := q["query"].(string)
			s = strings.TrimSuffix(strings.TrimPrefix(s, "label_values("), ")")
			exprs = append(exprs, s[:strings.LastIndex(s, ",")])
		}
	}
	for _, e := range exprs {
		for _, m := range metricName.FindAllString(e, -1) {
			if !exported[m] {
				t.Errorf("query %q reads %s, which the manager does not export", e, m)
			}
		}
	}

	// Prometheus wants recent samples: the scrapes are placed before the
	// wall clock, whatever the operator's clock said.
	wall := time.Now().UTC().Truncate(time.Second)
	var om bytes.Buffer
	for _, f := range families {
		var metrics []*dto.Metric
		for _, m := range f.Metric {
			for _, at := range []time.Time{wall.Add(-3 * time.Minute), wall.Add(-1 * time.Minute)} {
				c := proto.Clone(m).(*dto.Metric)
				c.TimestampMs = new(at.UnixMilli())
				metrics = append(metrics, c)
			}
		}
		f.Metric = metrics
		if _, err := expfmt.MetricFamilyToOpenMetrics(&om, f); err != nil {
			t.Fatalf("encode %s: %v", f.GetName(), err)
		}
	}
	om.WriteString("# EOF\n")
	prom := testprom.Start(t, om.String())

	vars := strings.NewReplacer("$namespace", ns, "$partnership", "valley-integrated-care", "$kpi", "vicn-readmission-rate-30d", "$__rate_interval", "5m")
	for _, e := range exprs {
		q := vars.Replace(e)
		resp, err := http.Get(prom.URL + "/api/v1/query?" + url.Values{"query": {q}, "time": {fmt.Sprint(wall.Unix())}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Status, Error string
			Data          struct{ Result []json.RawMessage }
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		_ = resp.Body.Close()
		if err != nil || body.Status != "success" {
			t.Errorf("query %q: %v %s %s", q, err, body.Status, body.Error)
			continue
		}
		if len(body.Data.Result) == 0 {
			t.Errorf("query %q returns nothing from what the manager exported", q)
		}
	}
}
