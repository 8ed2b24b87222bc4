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

package portfoliodiff

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	model "github.com/accord-dev/accord/internal/portfolio"
)

// RuleContractTargetDisagrees: a KPI takes its target from a value-based
// contract (spec.source.contractTarget) and also writes spec.target.value,
// and the threshold the operator recorded from the contract
// (status.contract, present in YAML exported from a cluster) differs:
// the YAML says one target, the operator judges against another. A
// warning: the contract's threshold is in force either way.
const RuleContractTargetDisagrees = "contract-target-disagrees"

// contractTargets finds, on HEAD, the KPIs of touched partnerships whose
// written target differs from the contract's recorded threshold. The
// recorded terms are HEAD's status.contract, else BASE's (a base exported
// from the cluster carries the status, a pull request's head seldom does).
func contractTargets(base, head *model.Set, touched map[string]bool) []Finding {
	var out []Finding
	for _, k := range head.KPIs {
		src := k.Spec.Source
		if src == nil || src.ContractTarget == nil || k.Spec.Target.Value == nil {
			continue
		}
		st := k.Status.Contract
		if st == nil {
			if b := base.KPI(model.KeyOf(k)); b != nil {
				st = b.Status.Contract
			}
		}
		if st == nil || st.TargetThresholdType != src.ContractTarget.ThresholdType || st.Target == "" {
			continue
		}
		recorded, err := resource.ParseQuantity(st.Target)
		if err != nil || recorded.Cmp(*k.Spec.Target.Value) == 0 {
			continue
		}
		key := model.KeyOf(k).String()
		for _, p := range kpiUsers(head, key) {
			if !touched[p] {
				continue
			}
			unit := k.Spec.Unit
			report := ""
			if d, err := evaluate.ParseDate(string(st.ReportDate)); err == nil {
				report = " (report of " + d.Format("2 January 2006") + ")"
			}
			out = append(out, Finding{Severity: SeverityWarning, Rule: RuleContractTargetDisagrees, Partnership: p, Kind: model.KindKPI, Name: key,
				Message: fmt.Sprintf("KPI %s: spec.target.value says %s, but the contract's %s threshold the operator recorded is %s%s, and the operator aims at the contract's; drop spec.target.value or bring it in line",
					key, evaluate.FormatValue(k.Spec.Target.Value.AsApproximateFloat64(), unit), src.ContractTarget.ThresholdType,
					evaluate.FormatValue(recorded.AsApproximateFloat64(), unit), report)})
		}
	}
	return out
}

// contractNote marks a change to spec.target.value of a KPI whose target
// the contract gives: the written value is not the one in force.
func contractNote(ch *Change, k *v1.KPI) {
	if k.Spec.Source != nil && k.Spec.Source.ContractTarget != nil {
		ch.Note = fmt.Sprintf("not in force: the target is the contract's %s threshold (spec.source.contractTarget)", k.Spec.Source.ContractTarget.ThresholdType)
	}
}
