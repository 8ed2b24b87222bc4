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

package portfoliocheck

import (
	"fmt"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// owners finds objectives whose owner is not a partner of their
// partnership; the API asks that it match one.
func (p *rules) owners() {
	for _, obj := range p.s.Objectives {
		if obj.Spec.Owner == "" {
			continue
		}
		ps := p.s.Partnership(portfolio.Key{Namespace: obj.Namespace, Name: obj.Spec.PartnershipRef.Name})
		if ps == nil {
			continue
		}
		names := make([]string, 0, len(ps.Spec.Partners))
		partner := false
		for _, pa := range ps.Spec.Partners {
			partner = partner || pa.Name == obj.Spec.Owner
			names = append(names, pa.Name)
		}
		if partner {
			continue
		}
		msg := fmt.Sprintf("Invalid value: %q: not a partner of Partnership %q", obj.Spec.Owner, obj.Spec.PartnershipRef.Name)
		if s := suggest.Closest(obj.Spec.Owner, names); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		} else {
			quoted := make([]string, len(names))
			for i, n := range names {
				quoted[i] = fmt.Sprintf("%q", n)
			}
			msg += "; partners: " + strings.Join(quoted, ", ")
		}
		p.add(portfolio.KindObjective, obj, Warning, RuleOwnerNotPartner, "spec.owner", msg)
	}
}

// reportedValues finds KPIs whose reported values and metric source
// disagree: values listed for a KPI read from a live source are ignored,
// and a KPI read from a Reported source without values never has data.
func (p *rules) reportedValues() {
	for _, kpi := range p.s.KPIs {
		if kpi.Spec.Source == nil {
			continue
		}
		src := p.s.MetricSource(portfolio.Key{Namespace: kpi.Namespace, Name: kpi.Spec.Source.SourceRef.Name})
		if src == nil {
			continue
		}
		typ := src.Spec.Type
		switch {
		case typ == v1.SourceReported && len(kpi.Spec.Reported) == 0:
			p.add(portfolio.KindKPI, kpi, Warning, RuleReportedValues, "spec.reported",
				fmt.Sprintf("Required value: MetricSource %q has type Reported, so the KPI's values must be listed here; without them it never has data", src.Name))
		case typ != v1.SourceReported && len(kpi.Spec.Reported) > 0:
			p.add(portfolio.KindKPI, kpi, Warning, RuleReportedValues, "spec.reported",
				fmt.Sprintf("Forbidden: the KPI reads MetricSource %q of type %s, so the operator ignores its %d reported values", src.Name, typ, len(kpi.Spec.Reported)))
		}
	}
}

// contractTargets finds KPIs that read a value-based contract (their
// target, spec.source.contractTarget, or the contract's Measure,
// spec.source.contractMeasure) from a source that is not FHIR: the API
// server cannot see the source's type, and the operator would refuse the
// query (InvalidQuery); this says so before anything is applied.
func (p *rules) contractTargets() {
	for _, kpi := range p.s.KPIs {
		if kpi.Spec.Source == nil || kpi.Spec.Source.ContractTarget == nil && kpi.Spec.Source.ContractMeasure == "" {
			continue
		}
		src := p.s.MetricSource(portfolio.Key{Namespace: kpi.Namespace, Name: kpi.Spec.Source.SourceRef.Name})
		if src == nil || src.Spec.Type == v1.SourceFHIR {
			continue
		}
		if kpi.Spec.Source.ContractTarget != nil {
			p.add(portfolio.KindKPI, kpi, Error, RuleContractTarget, "spec.source.contractTarget",
				fmt.Sprintf("Forbidden: the contract's threshold is read from a FHIR MeasureReport, and MetricSource %q has type %s; set spec.target.value instead", src.Name, src.Spec.Type))
		}
		if kpi.Spec.Source.ContractMeasure != "" {
			p.add(portfolio.KindKPI, kpi, Error, RuleContractTarget, "spec.source.contractMeasure",
				fmt.Sprintf("Forbidden: the contract's Measure is read from a FHIR server, and MetricSource %q has type %s; remove spec.source.contractMeasure", src.Name, src.Spec.Type))
		}
	}
}
