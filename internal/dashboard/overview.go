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
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/labels"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// filter is the overview's query string: ?label=...&condition=...&partner=...
type filter struct {
	Label     string
	Condition string
	Partner   string
	selector  labels.Selector
}

// conditionFilters are the values the condition filter accepts.
var conditionFilters = []struct{ Value, Label string }{
	{"", "Any"},
	{"AtRisk", "At risk"},
	{"ReviewDue", "Review due"},
	{"Healthy", "Healthy"}, //nolint:goconst // a list of the accepted values, read as data
	{"Unknown", "Neither healthy nor at risk"},
}

func parseFilter(r *http.Request) (filter, error) {
	q := r.URL.Query()
	f := filter{Label: strings.TrimSpace(q.Get("label")), Condition: q.Get("condition"), Partner: strings.TrimSpace(q.Get("partner"))}
	sel, err := labels.Parse(f.Label)
	if err != nil {
		return f, fmt.Errorf("label: %q is not a label selector (e.g. portfolio.accord.dev/programme=telehealth): %v", f.Label, err)
	}
	f.selector = sel
	for _, c := range conditionFilters {
		if c.Value == f.Condition {
			return f, nil
		}
	}
	return f, fmt.Errorf("condition: %q is not one of AtRisk, ReviewDue, Healthy or Unknown", f.Condition)
}

func (f filter) matches(p *v1.Partnership) bool {
	if !f.selector.Matches(labels.Set(p.Labels)) {
		return false
	}
	switch f.Condition {
	case "AtRisk", "ReviewDue", "Healthy":
		if !meta.IsStatusConditionTrue(p.Status.Conditions, f.Condition) {
			return false
		}
	case "Unknown":
		if meta.IsStatusConditionTrue(p.Status.Conditions, v1.ConditionHealthy) || meta.IsStatusConditionTrue(p.Status.Conditions, v1.ConditionAtRisk) {
			return false
		}
	}
	if f.Partner == "" {
		return true
	}
	for _, pt := range p.Spec.Partners {
		if strings.Contains(strings.ToLower(pt.Name), strings.ToLower(f.Partner)) {
			return true
		}
	}
	return false
}

// overviewData is the overview page.
type overviewData struct {
	Filter     filter
	Conditions []struct{ Value, Label string }
	Error      string
	Portfolios []portfolioRow
	Rows       []overviewRow
	// Calendar lists the upcoming expiries of the partnerships shown.
	Calendar []snapshot.CalendarEntry
	// Visible is how many partnerships the reader may see before filtering.
	Visible  int
	Filtered bool
}

type overviewRow struct {
	URL, Namespace, Name, DisplayName string
	Partners                          []string
	Health, Review                    snapshot.State
	Score                             *int32
	Objectives                        v1.ConditionCounts
	NextReview                        v1.Date
	DaysToExpiry                      *int32
	severity                          int
}

type portfolioRow struct {
	Namespace, Name, DisplayName string
	// CoverageURL is the portfolio's coverage page.
	CoverageURL string
	Health      snapshot.State
	Counts      v1.ConditionCounts
	ReviewDue   int32
	Score       *int32
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d := overviewData{Conditions: conditionFilters}
	status := http.StatusOK
	f, err := parseFilter(r)
	d.Filter = f
	if err != nil {
		d.Error, status = err.Error(), http.StatusBadRequest
		f.selector, f.Condition = labels.Everything(), ""
	}
	d.Filtered = f.Label != "" || f.Condition != "" || f.Partner != ""

	list := &v1.PartnershipList{}
	if err := s.reader.List(ctx, list); err != nil {
		s.log.Error(err, "list partnerships for the dashboard")
		s.fail(w, r, http.StatusInternalServerError, "Cannot read partnerships", "The operator's cache could not be read; see the manager's log.")
		return
	}
	allowed := map[string]bool{}
	may := func(ns string) (bool, error) {
		ok, seen := allowed[ns]
		if !seen {
			var err error
			if ok, err = s.may(r, "list", ns, ""); err != nil {
				return false, err
			}
			allowed[ns] = ok
		}
		return ok, nil
	}
	var shown []v1.Partnership
	for i := range list.Items {
		p := &list.Items[i]
		ok, err := may(p.Namespace)
		if err != nil {
			s.log.Error(err, "authorise dashboard reader")
			s.fail(w, r, http.StatusInternalServerError, "Cannot check access", "Access could not be checked with the API server; see the manager's log.")
			return
		}
		if !ok {
			continue
		}
		d.Visible++
		if !f.matches(p) {
			continue
		}
		row := overviewRow{URL: partnershipURL(p.Namespace, p.Name), Namespace: p.Namespace, Name: p.Name, DisplayName: p.Spec.DisplayName,
			Health: snapshot.Health(p.Status.Conditions), Review: snapshot.Review(p.Status.Conditions), Score: p.Status.Score,
			Objectives: p.Status.Objectives, NextReview: p.Status.NextReviewDate, DaysToExpiry: p.Status.DaysToExpiry}
		for _, pt := range p.Spec.Partners {
			row.Partners = append(row.Partners, pt.Name)
		}
		row.severity = row.Health.Severity()
		d.Rows = append(d.Rows, row)
		shown = append(shown, *p)
	}
	d.Calendar = snapshot.Calendar(shown, s.clock.Now())
	slices.SortStableFunc(d.Rows, func(a, b overviewRow) int {
		if c := cmp.Compare(a.severity, b.severity); c != 0 {
			return c
		}
		if a.Review.Class != b.Review.Class {
			switch {
			case a.Review.Class == "review-due":
				return -1
			case b.Review.Class == "review-due":
				return 1
			}
		}
		return strings.Compare(a.DisplayName, b.DisplayName)
	})

	portfolios := &v1.PortfolioList{}
	if err := s.reader.List(ctx, portfolios); err != nil {
		s.log.Error(err, "list portfolios for the dashboard")
	}
	for _, pf := range portfolios.Items {
		if ok, err := may(pf.Namespace); err != nil || !ok {
			continue
		}
		d.Portfolios = append(d.Portfolios, portfolioRow{Namespace: pf.Namespace, Name: pf.Name, DisplayName: pf.Spec.DisplayName, CoverageURL: coverageURL(pf.Namespace, pf.Name),
			Health: snapshot.Health(pf.Status.Conditions), Counts: pf.Status.Partnerships, ReviewDue: pf.Status.ReviewDue, Score: pf.Status.Score})
	}
	slices.SortFunc(d.Portfolios, func(a, b portfolioRow) int { return strings.Compare(a.DisplayName, b.DisplayName) })

	s.write(w, r, status, "overview", page{Title: "Partnership portfolio", Crumbs: []crumb{{Label: portfolioLabel}}, Data: d})
}

// partnershipURL is the stable address of a partnership's page.
func partnershipURL(namespace, name string) string {
	return "/partnerships/" + namespace + "/" + name
}
