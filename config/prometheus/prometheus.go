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

// Package prometheus is Accord's alerting for Prometheus: the alert rules
// (accord.rules.yaml, the source), the same rules as prometheus-operator's
// PrometheusRule (prometheusrule.yaml, generated from it) and promtool
// unit tests for every alert (tests/). Its Go tests run promtool on them
// and deliver a real alert through a real Alertmanager.
package prometheus

import (
	_ "embed"
	"fmt"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

//go:generate go run ../../hack/promrule -rules accord.rules.yaml -out prometheusrule.yaml

// Rules is the Prometheus rules file, as shipped.
//
//go:embed accord.rules.yaml
var Rules []byte

// DefaultDashboardURL is the placeholder for the dashboard's address in
// the rules' annotations; installs replace it with their own.
const DefaultDashboardURL = "https://accord.example.org"

// ruleFile is the shape of a Prometheus rules file, with
// prometheus-operator's types for the groups so that a field the
// PrometheusRule could not carry is an error.
type ruleFile struct {
	Groups []monitoringv1.RuleGroup `json:"groups"`
}

// ParseRules reads a rules file strictly: unknown fields are errors.
func ParseRules(src []byte) ([]monitoringv1.RuleGroup, error) {
	var f ruleFile
	if err := yaml.UnmarshalStrict(src, &f); err != nil {
		return nil, fmt.Errorf("parse rules: %w", err)
	}
	if len(f.Groups) == 0 {
		return nil, fmt.Errorf("parse rules: no groups")
	}
	return f.Groups, nil
}

// PrometheusRule wraps the groups of a rules file in a PrometheusRule
// named accord-alerts in accord-system, the namespace config/default
// installs into.
func PrometheusRule(src []byte) ([]byte, error) {
	groups, err := ParseRules(src)
	if err != nil {
		return nil, err
	}
	pr := monitoringv1.PrometheusRule{
		TypeMeta: metav1.TypeMeta{APIVersion: "monitoring.coreos.com/v1", Kind: "PrometheusRule"},
		ObjectMeta: metav1.ObjectMeta{
			Name:      "accord-alerts",
			Namespace: "accord-system",
			Labels: map[string]string{
				"app.kubernetes.io/name":      "accord",
				"app.kubernetes.io/part-of":   "accord",
				"app.kubernetes.io/component": "alerts",
			},
		},
		Spec: monitoringv1.PrometheusRuleSpec{Groups: groups},
	}
	b, err := yaml.Marshal(pr)
	if err != nil {
		return nil, err
	}
	header := "# Generated from accord.rules.yaml by `go generate ./config/prometheus`; do not edit.\n" +
		"# The Accord alert rules as a prometheus-operator PrometheusRule (docs/alerts.md).\n"
	return append([]byte(header), b...), nil
}
