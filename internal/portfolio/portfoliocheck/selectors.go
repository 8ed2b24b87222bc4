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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/accord-dev/accord/internal/portfolio"
)

// selectors finds portfolios whose selector the operator cannot parse or
// that select no partnership in their namespace.
func (p *rules) selectors() {
	for _, pf := range p.s.Portfolios {
		sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
		if err != nil {
			p.add(portfolio.KindPortfolio, pf, Error, RuleSelector, "spec.selector", fmt.Sprintf("Invalid value: %v", err))
			continue
		}
		// Partnerships whose spec could not be read still have labels.
		selects := false
		for _, po := range p.s.Identities(portfolio.KindPartnership, pf.Namespace) {
			selects = selects || sel.Matches(labels.Set(po.GetLabels()))
		}
		if !selects {
			p.add(portfolio.KindPortfolio, pf, Warning, RuleEmptyPortfolio, "spec.selector",
				fmt.Sprintf("selects no Partnership in namespace %s among the objects validated (selector %q)", pf.Namespace, sel.String()))
		}
	}
}
