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

package snapshot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
)

// Win is a KPI that met its target or an objective that was achieved.
type Win struct {
	Date time.Time
	// Sentence says it with its date in words.
	Sentence string
}

// Wins lists the partnership's wins dated on or after its last review
// (all of them before the first review), newest first: the KPIs whose
// status.targetMetDate and the objectives whose Achieved status.outcomeDate
// fall then. Every date comes from the status the operator wrote.
func (p *Partnership) Wins() []Win {
	var since time.Time
	if d, err := evaluate.ParseDate(string(p.Object.Status.LastReviewDate)); err == nil && p.Object.Status.LastReviewDate != "" {
		since = d
	}
	var out []Win
	for _, k := range p.KPIs {
		d, err := evaluate.ParseDate(string(k.Object.Status.TargetMetDate))
		if k.Object.Status.TargetMetDate == "" || err != nil || d.Before(since) || k.SpecErr != nil {
			continue
		}
		out = append(out, Win{Date: d, Sentence: evaluate.TargetMetSentence(k.Spec, d) + "."})
	}
	for _, o := range p.Objectives {
		st := o.Object.Status
		d, err := evaluate.ParseDate(string(st.OutcomeDate))
		if st.ProjectedOutcome != v1.OutcomeAchieved || err != nil || d.Before(since) {
			continue
		}
		out = append(out, Win{Date: d, Sentence: evaluate.OutcomeSentence(o.Object.Name, evaluate.OutcomeAchieved, d) + "."})
	}
	slices.SortStableFunc(out, func(a, b Win) int { return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.Sentence, b.Sentence)) })
	return out
}

// WinsHeading says what the wins are counted from: "since the review of
// 15 October 2026", or "so far" before the first review.
func (p *Partnership) WinsHeading() string {
	d, err := evaluate.ParseDate(string(p.Object.Status.LastReviewDate))
	if p.Object.Status.LastReviewDate == "" || err != nil {
		return "so far"
	}
	return "since the review of " + evaluate.DayWords(d)
}

// CalendarEntry is one expiry on a compliance calendar.
type CalendarEntry struct {
	Namespace, Partnership, DisplayName string
	// What names the instrument in words: "Agreement", "BAA BAA-2026-014".
	What string
	Date time.Time
	// When is the date in words with how far it is from now: "31
	// December 2026 (in 36 days)".
	When string
	// State is the entry's state in words; Warn marks one expiring soon
	// or lapsed.
	State string
	Warn  bool
}

var instrumentWords = map[v1.Instrument]string{
	v1.InstrumentAgreement: "Agreement",
	v1.InstrumentBAA:       "Business associate agreement",
	v1.InstrumentDSA:       "Data-sharing agreement",
}

var expiryWords = map[v1.ExpiryState]string{
	v1.ExpiryNotYetInForce: "not yet in force",
	v1.ExpiryInForce:       "in force",
	v1.ExpiryExpiringSoon:  "expiring soon: in its notice period",
	v1.ExpiryLapsed:        "lapsed",
}

// Calendar is the compliance calendar of the partnerships: every expiry
// their status lists (status.expiries; Exited partnerships list none),
// earliest first, with the days from now in words.
func Calendar(ps []v1.Partnership, now time.Time) []CalendarEntry {
	today := now.UTC().Truncate(24 * time.Hour)
	var out []CalendarEntry
	for i := range ps {
		p := &ps[i]
		for _, e := range p.Status.Expiries {
			d, err := evaluate.ParseDate(string(e.ExpiryDate))
			if err != nil {
				continue
			}
			what := instrumentWords[e.Instrument]
			if e.Ref != "" {
				what += " " + e.Ref
			}
			days := int(d.Sub(today).Hours() / 24)
			when := evaluate.DayWords(d)
			switch {
			case days > 1:
				when += fmt.Sprintf(" (in %d days)", days)
			case days == 1:
				when += " (tomorrow)"
			case days == 0:
				when += " (today)"
			case days == -1:
				when += " (yesterday)"
			default:
				when += fmt.Sprintf(" (%d days ago)", -days)
			}
			name := p.Spec.DisplayName
			if name == "" {
				name = p.Name
			}
			out = append(out, CalendarEntry{Namespace: p.Namespace, Partnership: p.Name, DisplayName: name, What: what, Date: d,
				When: when, State: expiryWords[e.State], Warn: e.State == v1.ExpiryExpiringSoon || e.State == v1.ExpiryLapsed})
		}
	}
	slices.SortStableFunc(out, func(a, b CalendarEntry) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Partnership, b.Partnership))
	})
	return out
}
