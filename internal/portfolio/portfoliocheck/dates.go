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
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
)

// dates finds deadlines the agreement or the objective cannot honour:
// an objective due after its partnership's agreement expires, a KPI whose
// target date falls after that expiry, or after the deadline of an
// objective judged on it. Agreements that renew automatically have no
// effective end, so they are not compared.
func (p *rules) dates() {
	for _, obj := range p.s.Objectives {
		if end, pname, ok := p.agreementEnd(obj); ok && after(obj.Spec.Deadline, end) {
			p.add(portfolio.KindObjective, obj, Warning, RuleAfterExpiry, "spec.deadline",
				fmt.Sprintf("Invalid value: %q: after the agreement of Partnership %q expires on %s (and it does not renew automatically)", obj.Spec.Deadline, pname, end))
		}
	}
	for _, k := range p.s.KPIs {
		target := k.Spec.Target.Date
		seen := map[string]bool{}
		for _, objective := range p.s.ObjectivesUsing(portfolio.KeyOf(k)) {
			if after(target, objective.Spec.Deadline) {
				p.add(portfolio.KindKPI, k, Warning, RuleAfterDeadline, "spec.target.date",
					fmt.Sprintf("Invalid value: %q: after the deadline %s of Objective %q, which is judged on this KPI", target, objective.Spec.Deadline, objective.Name))
			}
			end, pname, ok := p.agreementEnd(objective)
			if ok && !seen[pname] && after(target, end) {
				seen[pname] = true
				p.add(portfolio.KindKPI, k, Warning, RuleAfterExpiry, "spec.target.date",
					fmt.Sprintf("Invalid value: %q: after the agreement of Partnership %q expires on %s (and it does not renew automatically)", target, pname, end))
			}
		}
	}
}

// agreementEnd returns the expiry date of the agreement of an objective's
// partnership, when it has one and does not renew automatically.
func (p *rules) agreementEnd(obj *v1.Objective) (v1.Date, string, bool) {
	name := obj.Spec.PartnershipRef.Name
	ps := p.s.Partnership(portfolio.Key{Namespace: obj.Namespace, Name: name})
	if ps == nil {
		return "", "", false
	}
	a := ps.Spec.Agreement
	if a.ExpiryDate == "" || a.AutoRenew {
		return "", "", false
	}
	return a.ExpiryDate, name, true
}

// after reports whether date a is after date b; dates that do not parse
// (the schema reports them) compare as not after.
func after(a, b v1.Date) bool {
	ta, errA := time.Parse(time.DateOnly, string(a))
	tb, errB := time.Parse(time.DateOnly, string(b))
	return errA == nil && errB == nil && ta.After(tb)
}
