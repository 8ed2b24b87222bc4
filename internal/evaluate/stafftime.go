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

package evaluate

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// DefaultDeliveryThresholdPercent is the share of committed hours a
// partner must give when the partnership declares none.
const DefaultDeliveryThresholdPercent = 75

// StaffCommitment is one partner's committed staff time and the hours it
// reported giving.
type StaffCommitment struct {
	Partner       string
	Role          string
	HoursPerMonth int32
	Delivered     []HoursReport
}

// HoursReport is the hours given in one period, from Start to End
// inclusive (dates at midnight UTC).
type HoursReport struct {
	Start, End time.Time
	Hours      int32
}

// StaffTimeDelivery is one commitment's latest reported period judged
// against what was committed for it.
type StaffTimeDelivery struct {
	Partner, Role string
	Start, End    time.Time
	Committed     float64
	Delivered     int32
	Percent       int32
	Short         bool
}

// StaffTimeResult is the verdict on a partnership's staff time.
type StaffTimeResult struct {
	// Judged is false when no staff time is committed: there is nothing
	// to compare, and no condition.
	Judged bool
	// Reported is false when time is committed but no hours have been
	// reported.
	Reported   bool
	Deliveries []StaffTimeDelivery
	// Short is true when any partner gave less than the threshold.
	Short   bool
	Message string
}

// CommittedHours is hoursPerMonth over the days from start to end
// inclusive: every calendar month counts in proportion to the share of
// its days the period covers, so a quarter at 40 hours a month is 120
// hours and the first half of a 30-day month is 20.
func CommittedHours(hoursPerMonth int32, start, end time.Time) float64 {
	start, end = startOfDay(start), startOfDay(end)
	total := 0.0
	for d := start; !d.After(end); {
		first := time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
		next := first.AddDate(0, 1, 0)
		inMonth := next.Sub(first).Hours() / 24
		last := next.AddDate(0, 0, -1)
		if end.Before(last) {
			last = end
		}
		days := last.Sub(d).Hours()/24 + 1
		total += float64(hoursPerMonth) * days / inMonth
		d = next
	}
	return total
}

// StaffTime judges each commitment's latest reported period (the latest
// end): a partner is short when it gave less than thresholdPercent of the
// hours committed for that period. Periods are compared with the
// commitment as written today.
func StaffTime(commitments []StaffCommitment, thresholdPercent int32) StaffTimeResult {
	if thresholdPercent <= 0 {
		thresholdPercent = DefaultDeliveryThresholdPercent
	}
	var res StaffTimeResult
	var committedMonthly int32
	for _, c := range commitments {
		if c.HoursPerMonth <= 0 {
			continue
		}
		res.Judged = true
		committedMonthly += c.HoursPerMonth
		if len(c.Delivered) == 0 {
			continue
		}
		latest := c.Delivered[0]
		for _, d := range c.Delivered[1:] {
			if d.End.After(latest.End) {
				latest = d
			}
		}
		committed := CommittedHours(c.HoursPerMonth, latest.Start, latest.End)
		d := StaffTimeDelivery{Partner: c.Partner, Role: c.Role, Start: latest.Start, End: latest.End,
			Committed: committed, Delivered: latest.Hours}
		if committed > 0 {
			d.Percent = int32(math.Floor(100 * float64(latest.Hours) / committed))
			d.Short = 100*float64(latest.Hours) < float64(thresholdPercent)*committed
		}
		res.Reported = true
		res.Short = res.Short || d.Short
		res.Deliveries = append(res.Deliveries, d)
	}
	switch {
	case !res.Judged:
	case !res.Reported:
		res.Message = fmt.Sprintf("%s of staff time %s committed, but no hours given have been reported (spec.partners[].staffCommitments[].delivered)",
			hoursWords(float64(committedMonthly))+" a month", plural(int(committedMonthly), "is", "are"))
	default:
		var short, kept []string
		for _, d := range res.Deliveries {
			s := d.Sentence()
			if d.Short {
				short = append(short, s)
			} else {
				kept = append(kept, s)
			}
		}
		if len(short) > 0 {
			res.Message = strings.Join(short, "; ") + fmt.Sprintf(": below the %d%% of committed hours the partnership expects", thresholdPercent)
		} else {
			res.Message = fmt.Sprintf("Every partner gave at least %d%% of its committed hours: ", thresholdPercent) + strings.Join(kept, "; ")
		}
	}
	return res
}

// Sentence says what was given: "Valley Regional Hospital (Care
// coordinator) gave 52 of 120 committed hours in the quarter to 30
// September 2026 (43%)".
func (d StaffTimeDelivery) Sentence() string {
	return fmt.Sprintf("%s (%s) gave %d of %s committed hours in %s (%d%%)",
		d.Partner, d.Role, d.Delivered, FormatNumber(math.Round(d.Committed)), PeriodWords(d.Start, d.End), d.Percent)
}

func hoursWords(h float64) string {
	return FormatNumber(h) + " " + plural(int(h), "hour", "hours")
}

// PeriodWords names a period for people: "the month of July 2026", "the
// quarter to 30 September 2026", "the year to 31 December 2026", else
// "1 July to 15 August 2026".
func PeriodWords(start, end time.Time) string {
	start, end = startOfDay(start), startOfDay(end)
	monthStart := start.Day() == 1
	monthEnd := end.AddDate(0, 0, 1).Day() == 1
	if monthStart && monthEnd {
		months := (end.Year()-start.Year())*12 + int(end.Month()-start.Month()) + 1
		switch {
		case months == 1:
			return "the month of " + end.Format("January 2006")
		case months == 3 && int(end.Month())%3 == 0:
			return "the quarter to " + LongDate(end)
		case months == 12:
			return "the year to " + LongDate(end)
		default:
			return fmt.Sprintf("the %d months to %s", months, LongDate(end))
		}
	}
	if start.Year() == end.Year() {
		return start.Format("2 January") + " to " + LongDate(end)
	}
	return LongDate(start) + " to " + LongDate(end)
}

// LongDate is a date in words: "30 September 2026".
func LongDate(t time.Time) string { return t.UTC().Format("2 January 2006") }
