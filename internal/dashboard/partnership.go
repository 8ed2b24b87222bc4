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

package dashboard

import (
	"net/http"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/views/chart"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// reviewsShown is how many of the latest reviews a partnership page lists.
const reviewsShown = 5

// partnershipData is a partnership's page.
type partnershipData struct {
	P              *v1.Partnership
	URL            string
	Health, Review snapshot.State
	Conditions     []conditionRow
	Agreement      agreementView
	Objectives     []objectiveView
	KPIs           []kpiView
	Reviews        []v1.Review
	MoreReviews    int
	// Wins are the KPIs that met their target and the objectives achieved
	// since the last review, WinsSince says since when.
	Wins      []snapshot.Win
	WinsSince string
	// Calendar is the partnership's compliance calendar.
	Calendar []snapshot.CalendarEntry
	// ProposeURL is the page of the office's forms, for users allowed to
	// propose changes when the forms are on.
	ProposeURL string
	// CandidatesURL is a Prospect's page of ranked candidates.
	CandidatesURL string
}

type conditionRow struct {
	Type   string
	State  snapshot.State
	Since  string
	Reason string
}

type agreementView struct {
	A           v1.Agreement
	AnnualValue string
}

type objectiveView struct {
	O        *v1.Objective
	Health   snapshot.State
	Progress int // clamped to 0..100 for the meter
	KPIs     []objectiveKPI
}

type objectiveKPI struct {
	snapshot.KPIRef
	Health snapshot.State
}

type kpiView struct {
	*snapshot.KPI
	Anchor   string
	Health   snapshot.State
	Data     snapshot.State
	Chart    chart.Chart
	ChartErr string
}

func (s *Server) partnership(w http.ResponseWriter, r *http.Request) {
	ns, name := r.PathValue("namespace"), r.PathValue("name")
	notFound := func() {
		s.fail(w, r, http.StatusNotFound, "Partnership not found",
			"There is no partnership "+name+" in namespace "+ns+" that this dashboard can see. Check the address, or start from the portfolio overview.")
	}
	if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 || !s.watched(ns) {
		notFound()
		return
	}
	// Ask before reading, so the answer does not reveal whether a
	// partnership the caller may not see exists.
	ok, err := s.may(r, "get", ns, name)
	if err != nil {
		s.log.Error(err, "authorise dashboard reader")
		s.fail(w, r, http.StatusInternalServerError, "Cannot check access", "Access could not be checked with the API server; see the manager's log.")
		return
	}
	if !ok {
		s.fail(w, r, http.StatusForbidden, "Not allowed", "Your Kubernetes account may not get partnerships in namespace "+ns+".")
		return
	}
	snap, err := snapshot.Load(r.Context(), s.reader, ns, name)
	if apierrors.IsNotFound(err) {
		notFound()
		return
	}
	if err != nil {
		s.log.Error(err, "read partnership for the dashboard", "namespace", ns, "name", name)
		s.fail(w, r, http.StatusInternalServerError, "Cannot read the partnership", "The operator's cache could not be read; see the manager's log.")
		return
	}
	d := s.partnershipView(snap)
	if s.forms != nil {
		if allowed, err := s.allowed(r, ns); err == nil && (allowed[actionValue.Path] || allowed[actionReview.Path] || allowed[actionFollowUp.Path]) {
			d.ProposeURL = d.URL + "/propose"
		}
	}
	s.write(w, r, http.StatusOK, "partnership", page{Title: snap.Object.Spec.DisplayName,
		Crumbs: []crumb{{Href: "/", Label: portfolioLabel}, {Label: snap.Object.Spec.DisplayName}}, Data: d})
}

func (s *Server) partnershipView(snap *snapshot.Partnership) partnershipData {
	p := snap.Object
	d := partnershipData{P: p, URL: partnershipURL(p.Namespace, p.Name),
		Health: snapshot.Health(p.Status.Conditions), Review: snapshot.Review(p.Status.Conditions)}
	for _, typ := range []string{v1.ConditionHealthy, v1.ConditionAtRisk, v1.ConditionReviewDue, v1.ConditionHoursDelivered, v1.ConditionCompliant, v1.ConditionReady} {
		c := meta.FindStatusCondition(p.Status.Conditions, typ)
		if c == nil {
			continue
		}
		d.Conditions = append(d.Conditions, conditionRow{Type: typ, State: conditionState(c), Since: c.LastTransitionTime.UTC().Format(time.DateOnly), Reason: snapshot.Words(c.Reason)})
	}
	if p.Spec.DesiredPhase == v1.PhaseProspect {
		d.CandidatesURL = d.URL + "/candidates"
	}
	d.Agreement = agreementView{A: p.Spec.Agreement}
	if v := p.Spec.Agreement.Financial.AnnualValue; v != nil {
		cur := p.Spec.Agreement.Financial.Currency
		if cur == "" {
			cur = "USD"
		}
		d.Agreement.AnnualValue = evaluate.FormatValue(v.AsApproximateFloat64(), cur)
	}

	health := map[string]snapshot.State{}
	// Charts end at today; whole days keep the page, and its ETag, the
	// same between refreshes.
	today := s.clock.Now().UTC().Truncate(24 * time.Hour)
	for _, k := range snap.KPIs {
		v := kpiView{KPI: k, Anchor: "kpi-" + k.Object.Name, Health: snapshot.Health(k.Object.Status.Conditions)}
		if c := meta.FindStatusCondition(k.Object.Status.Conditions, v1.ConditionMetricsAvailable); c != nil {
			v.Data = conditionState(c)
		}
		health[k.Object.Name] = v.Health
		if k.SpecErr != nil {
			v.ChartErr = "No chart: " + k.SpecErr.Error()
		} else if c, err := chart.Render(chart.Input{ID: v.Anchor, Spec: k.Spec, History: k.History, Now: today}); err != nil {
			s.log.Error(err, "draw KPI chart", "kpi", k.Object.Name)
			v.ChartErr = "The chart could not be drawn; see the manager's log."
		} else {
			v.Chart = c
		}
		d.KPIs = append(d.KPIs, v)
	}
	for _, o := range snap.Objectives {
		ov := objectiveView{O: o.Object, Health: snapshot.Health(o.Object.Status.Conditions)}
		if pp := o.Object.Status.ProgressPercent; pp != nil {
			ov.Progress = int(max(0, min(100, *pp)))
		}
		for _, kr := range o.KPIs {
			ov.KPIs = append(ov.KPIs, objectiveKPI{KPIRef: kr, Health: health[kr.Name]})
		}
		d.Objectives = append(d.Objectives, ov)
	}
	d.Wins, d.WinsSince = snap.Wins(), snap.WinsHeading()
	d.Calendar = snapshot.Calendar([]v1.Partnership{*p}, s.clock.Now())
	d.Reviews = snap.Reviews
	if len(d.Reviews) > reviewsShown {
		d.MoreReviews = len(d.Reviews) - reviewsShown
		d.Reviews = d.Reviews[:reviewsShown]
	}
	return d
}

// conditionState shows any single condition in words, with an icon that
// says whether its status is good news: True is good for Healthy, Ready
// and MetricsAvailable, False is good for AtRisk and ReviewDue.
func conditionState(c *metav1.Condition) snapshot.State {
	s := snapshot.State{Word: string(c.Status), Reason: c.Reason, Message: c.Message}
	if c.Status == metav1.ConditionUnknown {
		s.Class, s.Icon = "unknown", "?"
		return s
	}
	bad := c.Type == v1.ConditionAtRisk || c.Type == v1.ConditionReviewDue
	if (c.Status == metav1.ConditionTrue) == bad {
		s.Class, s.Icon = "at-risk", "⚠"
		if c.Type == v1.ConditionHealthy {
			s.Class, s.Icon = "behind", "▼"
		}
		return s
	}
	s.Class, s.Icon = "healthy", "✔"
	return s
}
