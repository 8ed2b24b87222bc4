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
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	model "github.com/accord-dev/accord/internal/portfolio"
)

// Policy rules, by their stable identifiers.
const (
	// RuleUnreviewedLoosening: a target, tolerance or at-risk threshold
	// loosened, or an objective deadline or KPI target date moved later,
	// without a Review of the partnership that decided Revise added in the
	// same change. Error.
	RuleUnreviewedLoosening = "unreviewed-loosening"
	// RulePHIWithoutBAA: a partnership shares PHI but names no business
	// associate agreement. Error.
	RulePHIWithoutBAA = "phi-without-baa"
	// RuleExpiresBeforeDeadline: the agreement expires before an
	// objective's deadline or a KPI's target date. Error, or a warning when
	// the agreement renews automatically.
	RuleExpiresBeforeDeadline = "agreement-expires-before-deadline"
	// RuleRemovedKPIReferenced: the change removes a KPI that an objective
	// still lists. Error.
	RuleRemovedKPIReferenced = "removed-kpi-referenced"
	// RuleExitWithoutDate: a Review decided Exit but sets no exit date.
	// Error.
	RuleExitWithoutDate = "exit-without-date"
	// RuleMeasureChanged: a KPI's spec.measure changed its id, system or
	// version without a Review of the partnership that decided Revise
	// added in the same change. Error: a rate compared across a measure
	// version change (CMS165v12 to CMS165v13 changes exclusions and value
	// sets) is a classic quality-reporting mistake, so the baseline and
	// target must be agreed again, like a moved goalpost.
	RuleMeasureChanged = "measure-changed"
	// RuleFollowUpDropped: the change drops an action agreed at a review
	// (its state, or a later review's followUpUpdates, turns Dropped).
	// Warning: a decision the reviewers should see.
	RuleFollowUpDropped = "follow-up-dropped"
	// RuleFollowUpDeleted: the change deletes a follow-up from a review
	// already recorded. Error: the record of what was agreed is kept, and
	// an action not done is marked Dropped instead.
	RuleFollowUpDeleted = "follow-up-deleted"
	// RuleBAALapsed: a partnership shares PHI while its business associate
	// agreement's expiry date (baaTerm.expiryDate) has passed. Error: the
	// operator marks it Compliant=False (BAALapsed).
	RuleBAALapsed = "baa-lapsed"
	// RuleBAADateRemoved: the change removes the BAA's term or its expiry
	// date from a partnership that shares PHI. Error: its lapse could no
	// longer be seen.
	RuleBAADateRemoved = "baa-date-removed"
)

// Policy returns the findings on HEAD for the partnerships the change
// touches (touched, by key), given the changes between base and head.
// Partnerships the change leaves alone are not judged, so an unrelated
// pull request is never blocked by someone else's debt; `accordctl
// validate` judges the whole portfolio.
func Policy(base, head *model.Set, changes []Change, touched map[string]bool) []Finding {
	return PolicyAt(base, head, changes, touched, time.Time{})
}

// PolicyAt is Policy judged on the day of now, which adds the rules that
// depend on the date (RuleBAALapsed); a zero now leaves them out.
func PolicyAt(base, head *model.Set, changes []Change, touched map[string]bool, now time.Time) []Finding {
	out := unreviewedLoosening(base, head, changes)
	for _, p := range sortedKeys(touched) {
		out = append(out, baaLapsedOrRemoved(base, head, p, now)...)
		out = append(out, phiWithoutBAA(head, p)...)
		out = append(out, expiresBeforeDeadline(head, p)...)
		out = append(out, exitWithoutDate(head, p)...)
	}
	out = append(out, removedKPIReferenced(base, head)...)
	out = append(out, contractTargets(base, head, touched)...)
	out = append(out, followUpsDroppedOrDeleted(base, head)...)
	out = append(out, needFindings(base, head)...)
	out = append(out, candidateRankings(base, head)...)
	slices.SortStableFunc(out, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			strings.Compare(a.Partnership, b.Partnership), strings.Compare(a.Rule, b.Rule))
	})
	if out == nil {
		out = []Finding{}
	}
	return out
}

// unreviewedLoosening holds moved goalposts to a decision: the Review that
// decided Revise is committed with the revision, so the pull request shows
// both. A Review counts when this change adds it; an older one does not,
// because it has already been acted upon.
//
// A KPI's measure changing id, system or version is held to the same
// decision (RuleMeasureChanged): the values before and after measure
// different things.
func unreviewedLoosening(base, head *model.Set, changes []Change) []Finding {
	revised := map[string]bool{}
	for _, r := range head.Reviews {
		if base.Review(model.KeyOf(r)) == nil && r.Spec.Decision == v1.DecisionRevise {
			revised[partnershipKey(r.Namespace, r.Spec.PartnershipRef)] = true
		}
	}
	var out []Finding
	for _, c := range changes {
		var what string
		rule := RuleUnreviewedLoosening
		advice := "commit the Review that agreed it in the same pull request"
		switch {
		case c.Change == Loosened:
			what = fmt.Sprintf("%s loosened from %s to %s", c.Field, c.Before, c.After)
		case c.Change == Later && isDeadline(c):
			what = fmt.Sprintf("%s moved later from %s to %s (%s)", c.Field, c.Before, c.After, c.Note)
		case c.Kind == model.KindKPI && c.Field == "spec.measure" && c.Change == Changed && measureMoved(base, head, c.Name):
			rule = RuleMeasureChanged
			what = fmt.Sprintf("measure changed from %s to %s, so values before and after are not comparable", c.Before, c.After)
			advice = "agree the baseline and target under the new measure and commit the Review that decided it in the same pull request"
		default:
			continue
		}
		var owners []string
		switch c.Kind {
		case model.KindKPI:
			owners = kpiUsers(head, c.Name)
		case model.KindObjective:
			if o := head.Objective(model.ParseKey(c.Name)); o != nil {
				owners = []string{partnershipKey(o.Namespace, o.Spec.PartnershipRef)}
			}
		}
		for _, p := range dedupe(owners) {
			if revised[p] {
				continue
			}
			out = append(out, Finding{
				Severity: SeverityError, Rule: rule, Partnership: p, Kind: c.Kind, Name: c.Name,
				Message: fmt.Sprintf("%s %s: %s, but this change adds no Review of %s that decided Revise; %s",
					c.Kind, c.Name, what, p, advice),
			})
		}
	}
	return out
}

// measureMoved says whether the KPI key names another measure, or another
// version of it, in head than in base (a new steward alone does not).
func measureMoved(base, head *model.Set, key string) bool {
	b, h := base.KPI(model.ParseKey(key)), head.KPI(model.ParseKey(key))
	return b != nil && h != nil && !sameMeasure(b.Spec.Measure, h.Spec.Measure)
}

func phiWithoutBAA(head *model.Set, p string) []Finding {
	ps := head.Partnership(model.ParseKey(p))
	if ps == nil || !ps.Spec.Agreement.DataSharing.SharesPHI || strings.TrimSpace(ps.Spec.Agreement.DataSharing.BAARef) != "" {
		return nil
	}
	return []Finding{{
		Severity: SeverityError, Rule: RulePHIWithoutBAA, Partnership: p, Kind: model.KindPartnership, Name: p,
		Message: fmt.Sprintf("Partnership %s shares PHI (spec.agreement.dataSharing.sharesPHI: true) but names no business associate agreement in spec.agreement.dataSharing.baaRef", p),
	}}
}

// expiresBeforeDeadline finds objectives and KPIs that would be judged
// after the agreement behind them has ended.
func expiresBeforeDeadline(head *model.Set, p string) []Finding {
	ps := head.Partnership(model.ParseKey(p))
	if ps == nil || ps.Spec.Agreement.ExpiryDate == "" {
		return nil
	}
	expiry, err := evaluate.ParseDate(string(ps.Spec.Agreement.ExpiryDate))
	if err != nil {
		return nil // validate reports the bad date
	}
	sev, why := SeverityError, ""
	if ps.Spec.Agreement.AutoRenew {
		sev, why = SeverityWarning, " (a warning because the agreement renews automatically)"
	}
	var out []Finding
	check := func(kind, name, field string, d v1.Date) {
		t, err := evaluate.ParseDate(string(d))
		if err != nil || !t.After(expiry) {
			return
		}
		out = append(out, Finding{
			Severity: sev, Rule: RuleExpiresBeforeDeadline, Partnership: p, Kind: kind, Name: name,
			Message: fmt.Sprintf("%s %s: %s %s is after the agreement of %s expires on %s; extend spec.agreement.expiryDate or move the date%s",
				kind, name, field, d, p, ps.Spec.Agreement.ExpiryDate, why),
		})
	}
	kpis := map[string]bool{}
	for _, key := range keys(head, model.KindObjective) {
		o := head.Objective(model.ParseKey(key))
		if partnershipKey(o.Namespace, o.Spec.PartnershipRef) != p {
			continue
		}
		check(model.KindObjective, key, "spec.deadline", o.Spec.Deadline)
		for _, k := range o.Spec.KPIs {
			kpis[model.Key{Namespace: o.Namespace, Name: k.Name}.String()] = true
		}
	}
	for _, key := range sortedKeys(kpis) {
		if k := head.KPI(model.ParseKey(key)); k != nil {
			check(model.KindKPI, key, "spec.target.date", k.Spec.Target.Date)
		}
	}
	return out
}

func exitWithoutDate(head *model.Set, p string) []Finding {
	var out []Finding
	for _, key := range keys(head, model.KindReview) {
		r := head.Review(model.ParseKey(key))
		if partnershipKey(r.Namespace, r.Spec.PartnershipRef) != p || r.Spec.Decision != v1.DecisionExit || r.Spec.ExitDate != "" {
			continue
		}
		out = append(out, Finding{
			Severity: SeverityError, Rule: RuleExitWithoutDate, Partnership: p, Kind: model.KindReview, Name: key,
			Message: fmt.Sprintf("Review %s decided Exit but sets no spec.exitDate: say when the partnership ends", key),
		})
	}
	return out
}

func removedKPIReferenced(base, head *model.Set) []Finding {
	var out []Finding
	for _, kpi := range keys(base, model.KindKPI) {
		if head.KPI(model.ParseKey(kpi)) != nil {
			continue
		}
		for _, key := range keys(head, model.KindObjective) {
			o := head.Objective(model.ParseKey(key))
			if !slices.Contains(head.ObjectivesUsing(model.ParseKey(kpi)), o) {
				continue
			}
			out = append(out, Finding{
				Severity: SeverityError, Rule: RuleRemovedKPIReferenced, Partnership: partnershipKey(o.Namespace, o.Spec.PartnershipRef), Kind: model.KindObjective, Name: key,
				Message: fmt.Sprintf("Objective %s still lists KPI %s in spec.kpis, but this change removes that KPI; drop it from the objective or keep the KPI", key, kpi),
			})
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func dedupe(l []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// followUpsDroppedOrDeleted finds actions agreed at reviews that the
// change drops (a warning) or deletes from a recorded review (an error).
func followUpsDroppedOrDeleted(base, head *model.Set) []Finding {
	type key struct{ review, action string }
	was := map[key]v1.FollowUpState{}
	wasUpdated := map[key]bool{}
	for _, r := range base.Reviews {
		for _, f := range r.Spec.FollowUps {
			was[key{model.KeyOf(r).String(), f.Action}] = f.State
		}
		for _, u := range r.Spec.FollowUpUpdates {
			if u.State == v1.FollowUpDropped {
				wasUpdated[key{model.Key{Namespace: r.Namespace, Name: u.Review}.String(), u.Action}] = true
			}
		}
	}
	var out []Finding
	add := func(sev Severity, rule string, r *v1.Review, msg string) {
		p := partnershipKey(r.Namespace, r.Spec.PartnershipRef)
		out = append(out, Finding{Severity: sev, Rule: rule, Partnership: p, Kind: model.KindReview, Name: model.KeyOf(r).String(), Message: msg})
	}
	for _, r := range head.Reviews {
		k := model.KeyOf(r).String()
		for _, f := range r.Spec.FollowUps {
			if f.State == v1.FollowUpDropped && was[key{k, f.Action}] != v1.FollowUpDropped && !wasUpdated[key{k, f.Action}] {
				add(SeverityWarning, RuleFollowUpDropped, r, fmt.Sprintf("Review %s: the action %q (owner %s, due %s) is dropped in this change", r.Name, f.Action, orDash(f.Owner), orDash(string(f.Due))))
			}
		}
		for _, u := range r.Spec.FollowUpUpdates {
			target := model.Key{Namespace: r.Namespace, Name: u.Review}.String()
			if u.State == v1.FollowUpDropped && !wasUpdated[key{target, u.Action}] && was[key{target, u.Action}] != v1.FollowUpDropped {
				add(SeverityWarning, RuleFollowUpDropped, r, fmt.Sprintf("Review %s drops the action %q agreed at review %s", r.Name, u.Action, u.Review))
			}
		}
	}
	for _, r := range base.Reviews {
		h := head.Review(model.KeyOf(r))
		if h == nil {
			continue // a removed review is a change of its own
		}
		kept := map[string]bool{}
		for _, f := range h.Spec.FollowUps {
			kept[f.Action] = true
		}
		for _, f := range r.Spec.FollowUps {
			if !kept[f.Action] {
				add(SeverityError, RuleFollowUpDeleted, h, fmt.Sprintf("Review %s: the action %q is deleted from the record; set its state to Dropped (or Done) instead, so the record of what was agreed stays", r.Name, f.Action))
			}
		}
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// baaLapsedOrRemoved holds a PHI-sharing partnership to a business
// associate agreement in force whose dates stay on record.
func baaLapsedOrRemoved(base, head *model.Set, p string, now time.Time) []Finding {
	k := model.ParseKey(p)
	ps := head.Partnership(k)
	if ps == nil || !ps.Spec.Agreement.DataSharing.SharesPHI {
		return nil
	}
	ds := ps.Spec.Agreement.DataSharing
	var out []Finding
	if b := base.Partnership(k); b != nil && b.Spec.Agreement.DataSharing.BAATerm != nil && b.Spec.Agreement.DataSharing.BAATerm.ExpiryDate != "" &&
		(ds.BAATerm == nil || ds.BAATerm.ExpiryDate == "") {
		out = append(out, Finding{
			Severity: SeverityError, Rule: RuleBAADateRemoved, Partnership: p, Kind: model.KindPartnership, Name: p,
			Message: fmt.Sprintf("Partnership %s shares PHI, and this change removes the expiry date of its business associate agreement %s (spec.agreement.dataSharing.baaTerm.expiryDate, %s), so its lapse could no longer be seen; keep the date, or record the new one",
				p, ds.BAARef, b.Spec.Agreement.DataSharing.BAATerm.ExpiryDate),
		})
	}
	if now.IsZero() || ds.BAATerm == nil || ds.BAATerm.ExpiryDate == "" {
		return out
	}
	exp, err := evaluate.ParseDate(string(ds.BAATerm.ExpiryDate))
	if err != nil || now.Before(exp.AddDate(0, 0, 1)) {
		return out
	}
	return append(out, Finding{
		Severity: SeverityError, Rule: RuleBAALapsed, Partnership: p, Kind: model.KindPartnership, Name: p,
		Message: fmt.Sprintf("Partnership %s shares PHI, but its business associate agreement %s lapsed after %s (spec.agreement.dataSharing.baaTerm.expiryDate); renew it and record the new expiry date",
			p, ds.BAARef, evaluate.DayWords(exp)),
	})
}
