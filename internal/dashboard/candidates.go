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
	"k8s.io/apimachinery/pkg/util/validation"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/candidates"
)

// candidatesData is a Prospect's page: its candidates ranked, side by side.
type candidatesData struct {
	P *v1.Partnership
	// PartnershipURL is the partnership's own page.
	PartnershipURL string
	C              candidates.Comparison
}

// candidates serves a Prospect's candidates, ranked by the rule the
// operator writes into status.candidates (internal/views/candidates),
// at the dashboard's clock.
func (s *Server) candidates(w http.ResponseWriter, r *http.Request) {
	ns, name := r.PathValue("namespace"), r.PathValue("name")
	notFound := func() {
		s.fail(w, r, http.StatusNotFound, "Prospect not found",
			"There is no prospect partnership "+name+" in namespace "+ns+" that this dashboard can see. Check the address, or start from the portfolio overview.")
	}
	if len(validation.IsDNS1123Label(ns)) > 0 || len(validation.IsDNS1123Subdomain(name)) > 0 || !s.watched(ns) {
		notFound()
		return
	}
	// Ask before reading, as the partnership page does.
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
	p := &v1.Partnership{}
	err = s.reader.Get(r.Context(), client.ObjectKey{Namespace: ns, Name: name}, p)
	if apierrors.IsNotFound(err) || (err == nil && p.Spec.DesiredPhase != v1.PhaseProspect) {
		notFound()
		return
	}
	portfolios := &v1.PortfolioList{}
	if err == nil {
		err = s.reader.List(r.Context(), portfolios, client.InNamespace(ns))
	}
	if err != nil {
		s.log.Error(err, "read prospect for the dashboard", "namespace", ns, "name", name)
		s.fail(w, r, http.StatusInternalServerError, "Cannot read the prospect", "The operator's cache could not be read; see the manager's log.")
		return
	}
	d := candidatesData{P: p, PartnershipURL: partnershipURL(ns, name), C: candidates.Compare(p, portfolios.Items, s.clock.Now())}
	s.write(w, r, http.StatusOK, "candidates", page{Title: "Candidates for " + p.Spec.DisplayName,
		Crumbs: []crumb{{Href: "/", Label: portfolioLabel}, {Href: d.PartnershipURL, Label: p.Spec.DisplayName}, {Label: "Candidates"}}, Data: d})
}
