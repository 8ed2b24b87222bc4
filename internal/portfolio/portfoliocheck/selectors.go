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

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// selectors finds portfolios whose selector the operator cannot parse or
// that select no partnership in their namespace.
func selectors(p *portfolio) []Finding {
	var out []Finding
	p.each(func(o *Object) {
		pf, ok := o.Obj.(*v1.Portfolio)
		if !ok {
			return
		}
		sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
		if err != nil {
			out = append(out, Finding{Key: o.Key, Severity: Error, Rule: RuleSelector, Field: "spec.selector",
				Message: fmt.Sprintf("Invalid value: %v", err)})
			return
		}
		for k, po := range p.byID {
			if k.kind == "Partnership" && k.namespace == pf.Namespace && sel.Matches(labels.Set(po.Obj.GetLabels())) {
				return
			}
		}
		out = append(out, Finding{Key: o.Key, Severity: Warning, Rule: RuleEmptyPortfolio, Field: "spec.selector",
			Message: fmt.Sprintf("selects no Partnership in namespace %s among the objects validated (selector %q)", pf.Namespace, sel.String())})
	})
	return out
}
