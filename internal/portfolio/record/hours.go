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

package record

import (
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/accord-dev/accord/internal/portfolio/edit"
	"github.com/accord-dev/accord/internal/portfolio/propose"
	"github.com/accord-dev/accord/internal/portfolio/suggest"
)

// keySpec is the spec key of an object's document, where every edit goes.
const keySpec = "spec"

// Input keys of hours given.
const (
	InPartner = "partner"
	InRole    = "role"
	InHours   = "hours"
)

// HoursInput is the staff time a partner gave in a period, as a person
// wrote it.
type HoursInput struct {
	Partnership, Partner, Role string
	Period, Hours, ReportedBy  string
}

// NewHours is the change accordctl record hours makes: one period of hours
// given added to a staff commitment's delivered list (the partnership's
// HoursDelivered condition compares it with the hours committed).
func NewHours(root string, in HoursInput, names Names, tool string) (*Change, error) {
	docs, _, err := Load(root)
	if err != nil {
		return nil, err
	}
	d, err := findObject(docs, root, "Partnership", in.Partnership)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.ReportedBy) == "" {
		return nil, refuseAt(InReportedBy, "%s is required: the person or team that reported the hours", names.of(InReportedBy))
	}
	partners, _, _ := unstructured.NestedSlice(d.Object.Object, "spec", "partners")
	pi, partnerNames := -1, []string{}
	for i, p := range partners {
		m, _ := p.(map[string]any)
		n, _ := m["name"].(string)
		partnerNames = append(partnerNames, n)
		if n == in.Partner {
			pi = i
		}
	}
	if pi < 0 {
		hint := "its partners are " + strings.Join(partnerNames, ", ")
		if c := suggest.Closest(in.Partner, partnerNames); c != "" {
			hint = fmt.Sprintf("did you mean %q?", c)
		}
		return nil, refuseAt(InPartner, "%s %q: Partnership %s has no such partner; %s", names.of(InPartner), in.Partner, in.Partnership, hint)
	}
	pm, _ := partners[pi].(map[string]any)
	commitments, _, _ := unstructured.NestedSlice(pm, "staffCommitments")
	ci, roles := -1, []string{}
	for i, c := range commitments {
		m, _ := c.(map[string]any)
		r, _ := m["role"].(string)
		roles = append(roles, r)
		if r == in.Role || (in.Role == "" && len(commitments) == 1) {
			ci = i
		}
	}
	switch {
	case len(commitments) == 0:
		return nil, refuseAt(InPartner, "%s %q commits no staff time in Partnership %s (spec.partners[%d].staffCommitments): add the commitment first", names.of(InPartner), in.Partner, in.Partnership, pi)
	case ci < 0 && in.Role == "":
		return nil, refuseAt(InRole, "%s is required: %s commits time in %d roles (%s)", names.of(InRole), in.Partner, len(roles), strings.Join(roles, ", "))
	case ci < 0:
		return nil, refuseAt(InRole, "%s %q: %s commits no time in that role; its roles are %s", names.of(InRole), in.Role, in.Partner, strings.Join(roles, ", "))
	}
	cm, _ := commitments[ci].(map[string]any)
	role, _ := cm["role"].(string)
	hours, err := strconv.Atoi(strings.TrimSpace(in.Hours))
	if err != nil || hours < 0 || hours > 8784 {
		return nil, refuseAt(InHours, "%s %q: want whole hours from 0 to 8784", names.of(InHours), in.Hours)
	}
	if in.Period == "" {
		return nil, refuseAt(InPeriod, "%s is required: a quarter (2026-Q3), a month (2026-09) or a year (2026)", names.of(InPeriod))
	}
	start, end, err := ParsePeriod(in.Period)
	if err != nil {
		return nil, refuseAt(InPeriod, "%s %q: %v", names.of(InPeriod), in.Period, err)
	}
	delivered, _, _ := unstructured.NestedSlice(cm, "delivered")
	field := fmt.Sprintf("spec.partners[%d].staffCommitments[%d].delivered", pi, ci)
	for i, x := range delivered {
		m, _ := x.(map[string]any)
		if e, _ := m["periodEnd"].(string); e == end {
			return nil, refuseAt(InPeriod, "%s (%s) already reports %v hours for the period ending %s (%s[%d]); a second entry for one period is refused: correct the existing one in %s",
				in.Partner, role, m["hours"], end, field, i, d.File)
		}
	}
	c := New(root)
	f, err := c.File(d.File)
	if err != nil {
		return nil, err
	}
	obj := edit.Object{Kind: "Partnership", Namespace: d.Object.GetNamespace(), Name: in.Partnership}
	item := edit.Map("periodStart", edit.Str(start), "periodEnd", edit.Str(end), "hours", edit.Int(int64(hours)), "reportedBy", edit.Str(in.ReportedBy))
	if err := f.Append(obj, edit.Path{keySpec, "partners", pi, "staffCommitments", ci, "delivered"}, item); err != nil {
		return nil, err
	}
	perMonth, _ := cm["hoursPerMonth"].(int64)
	label := strings.ToUpper(strings.TrimSpace(in.Period))
	c.Subject = fmt.Sprintf("Report %s staff time of %s (%s) for %s: %d hours", label, in.Partner, role, partnershipTitle(docs, in.Partnership), hours)
	c.Details = []string{
		fmt.Sprintf("Partnership %s (%s), %s: %d hours given from %s to %s, reported by %s; %d hours a month committed.", in.Partnership, d.File, field, hours, start, end, in.ReportedBy, perMonth),
		"", "Recorded with " + tool + "; accordctl validate passed on the result.",
	}
	c.Branch = propose.BranchName("hours", in.Partnership, label)
	return c, nil
}
