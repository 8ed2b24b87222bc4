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

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/util/validation"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/coverage"
)

// coverageData is a portfolio's coverage page: its needs with the
// partnerships that address them, and what each partner gives and
// receives, as the operator wrote them in status.coverage.
type coverageData struct {
	PF           *v1.Portfolio
	Summary      string
	Needs        []needRow
	Capabilities []v1.OfficeCapability
	Exchanges    []exchangeView
}

type needRow struct {
	Name, Description, Covered string
	Priority                   int32
	Gap, Overlap               bool
	Partnerships               []partnershipLink
}

type partnershipLink struct{ Name, URL string }

type exchangeView struct {
	Link      partnershipLink
	Addresses []string
	Ended     bool
	Partners  []partnerView
}

type partnerView struct{ Name, Words string }

// coverageURL is the address of a portfolio's coverage page.
func coverageURL(namespace, name string) string {
	return "/portfolios/" + namespace + "/" + name + "/coverage"
}

func (s *Server) coverage(w http.ResponseWriter, r *http.Request) {
	ns, name := r.PathValue("namespace"), r.PathValue("name")
	notFound := func() {
		s.fail(w, r, http.StatusNotFound, "Portfolio not found",
			"There is no portfolio "+name+" in namespace "+ns+" that this dashboard can see. Check the address, or start from the portfolio overview.")
	}
	if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 || !s.watched(ns) {
		notFound()
		return
	}
	// The page names the namespace's partnerships: the reader must be
	// allowed to list them, asked before reading.
	ok, err := s.may(r, "list", ns, "")
	if err != nil {
		s.log.Error(err, "authorise dashboard reader")
		s.fail(w, r, http.StatusInternalServerError, "Cannot check access", "Access could not be checked with the API server; see the manager's log.")
		return
	}
	if !ok {
		s.fail(w, r, http.StatusForbidden, "Not allowed", "Your Kubernetes account may not list partnerships in namespace "+ns+".")
		return
	}
	pf := &v1.Portfolio{}
	if err := s.reader.Get(r.Context(), types.NamespacedName{Namespace: ns, Name: name}, pf); apierrors.IsNotFound(err) {
		notFound()
		return
	} else if err != nil {
		s.log.Error(err, "read portfolio for the dashboard", "namespace", ns, "name", name)
		s.fail(w, r, http.StatusInternalServerError, "Cannot read the portfolio", "The operator's cache could not be read; see the manager's log.")
		return
	}
	d := coverageData{PF: pf, Capabilities: pf.Spec.Capabilities}
	c := pf.Status.Coverage
	res := coverage.Result(c)
	d.Summary = res.CoverageSummary()
	if c == nil && len(pf.Spec.Needs) > 0 {
		d.Summary = "Not yet evaluated by the operator"
	}
	described := map[string]string{}
	for _, n := range pf.Spec.Needs {
		described[n.Name] = n.Description
	}
	for _, n := range res.Needs {
		row := needRow{Name: n.Name, Description: described[n.Name], Priority: n.Priority, Covered: coverage.NeedWords(n),
			Gap: len(n.Partnerships) == 0, Overlap: len(n.Partnerships) > 1}
		for _, p := range n.Partnerships {
			row.Partnerships = append(row.Partnerships, partnershipLink{Name: p, URL: partnershipURL(ns, p)})
		}
		d.Needs = append(d.Needs, row)
	}
	if c != nil {
		for _, ex := range c.Partnerships {
			v := exchangeView{Link: partnershipLink{Name: ex.Name, URL: partnershipURL(ns, ex.Name)}, Addresses: ex.Addresses, Ended: ex.Ended}
			for _, p := range ex.Partners {
				v.Partners = append(v.Partners, partnerView{Name: p.Name, Words: coverage.PartnerWords(p)})
			}
			d.Exchanges = append(d.Exchanges, v)
		}
	}
	title := "Coverage: " + pf.Spec.DisplayName
	s.write(w, r, http.StatusOK, "coverage", page{Title: title, Crumbs: []crumb{{Href: "/", Label: portfolioLabel}, {Label: title}}, Data: d})
}
