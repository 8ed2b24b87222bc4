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

package reviewpack

import (
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/assess"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/views/coverage"
)

// StaffTime is one commitment's latest reported period: hours committed
// and given.
type StaffTime struct {
	Partner, Role, Period string
	Committed, Given      int32
	Share                 string // "43%"
	Short                 bool
}

// Exchange is what one partner gives and receives, in words.
type Exchange struct {
	Partner, Gives, Receives string
}

// addExchange fills the needs the partnership addresses, what each
// partner gives and receives, and the hours given against those
// committed, from the status the operator wrote.
func addExchange(pk *Pack, p *v1.Partnership) {
	pk.Addresses = p.Spec.Addresses
	for _, pt := range p.Spec.Partners {
		var hours int32
		for _, c := range pt.StaffCommitments {
			hours += c.HoursPerMonth
		}
		gives := coverage.TotalsWords(assess.ExchangeTotals(pt.Contributes))
		if hours > 0 {
			gives = append(gives, evaluate.FormatNumber(float64(hours))+" staff hours a month committed")
		}
		receives := coverage.TotalsWords(assess.ExchangeTotals(pt.Receives))
		if len(gives) > 0 || len(receives) > 0 {
			pk.Exchange = append(pk.Exchange, Exchange{Partner: pt.Name, Gives: strings.Join(gives, "; "), Receives: strings.Join(receives, "; ")})
		}
	}
	for _, d := range p.Status.StaffTime {
		start, _ := time.Parse(time.DateOnly, string(d.PeriodStart))
		end, _ := time.Parse(time.DateOnly, string(d.PeriodEnd))
		pk.StaffTime = append(pk.StaffTime, StaffTime{Partner: d.Partner, Role: d.Role, Period: evaluate.PeriodWords(start, end),
			Committed: d.CommittedHours, Given: d.DeliveredHours, Share: evaluate.FormatNumber(float64(d.Percent)) + "%", Short: d.Short})
	}
}
