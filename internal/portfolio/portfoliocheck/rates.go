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
	"errors"

	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/portfolio"
)

// RuleRateValue: a rate's reported value that disagrees with its counts.
// The API server cannot check it (the CEL would exceed its cost budget),
// so accordctl validate does, with the operator's own conversion, and
// the operator reports the same as Ready=False InvalidSpec.
const RuleRateValue Rule = "rate-value" // error

// rateValues checks every rate KPI's reported values against their counts.
func (p *rules) rateValues() {
	for _, kpi := range p.s.KPIs {
		if kpi.Spec.RatePer == nil || len(kpi.Spec.Reported) == 0 {
			continue
		}
		_, err := assess.ReportedObservations(kpi)
		if fe, ok := errors.AsType[*assess.FieldError](err); ok {
			p.add(portfolio.KindKPI, kpi, Error, RuleRateValue, fe.Field, "Invalid value: "+fe.Detail)
		}
	}
}
