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

	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/portfolio"
)

// prospectDates refuses a Prospect's draft agreement dated in the past: a
// partnership still choosing its partners cannot have an agreement in
// force already (or ended). The schema cannot say so, having no clock; the
// operator raises ReviewDue for the same dates (assess.ProspectDatesPassed).
func (p *rules) prospectDates() {
	if p.now.IsZero() {
		return
	}
	for _, ps := range p.s.Partnerships {
		for _, d := range assess.ProspectDatesPassed(ps, p.now) {
			p.add(portfolio.KindPartnership, ps, Error, RuleProspectDates, d.Field,
				fmt.Sprintf("Invalid value: %q: a Prospect's draft agreement must not be dated in the past (today is %s); move the date, or sign the agreement and set spec.desiredPhase to Active",
					d.Date, p.now.UTC().Format(time.DateOnly)))
		}
	}
}
