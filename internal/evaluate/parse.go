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
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	durationRE     = regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w))+$`)
	durationPartRE = regexp.MustCompile(`([0-9]+)(ms|s|m|h|d|w)`)
	periodRE       = regexp.MustCompile(`^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)?$`)
)

var durationUnits = map[string]time.Duration{
	"ms": time.Millisecond, "s": time.Second, "m": time.Minute, "h": time.Hour,
	"d": 24 * time.Hour, "w": 7 * 24 * time.Hour,
}

// ParseDate parses YYYY-MM-DD as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return t, nil
}

// ParseDuration parses the API's Duration: one or more whole numbers each
// followed by ms, s, m, h, d (24h) or w (7d), e.g. "90d" or "1h30m".
func ParseDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf(`invalid duration %q: want whole numbers with units ms, s, m, h, d or w, e.g. "30s", "12h", "7d" or "2w"`, s)
	if !durationRE.MatchString(s) {
		return 0, bad
	}
	var total time.Duration
	for _, m := range durationPartRE.FindAllStringSubmatch(s, -1) {
		n, err := strconv.ParseInt(m[1], 10, 64)
		unit := durationUnits[m[2]]
		if err != nil || n > math.MaxInt64/int64(unit) {
			return 0, bad
		}
		part := time.Duration(n) * unit
		if total > math.MaxInt64-part {
			return 0, bad
		}
		total += part
	}
	return total, nil
}

// ParsePeriod parses "P" followed by any of nY, nM, nW, nD in that order,
// at least one of them, e.g. "P3M" or "P1Y2M".
func ParsePeriod(s string) (Period, error) {
	m := periodRE.FindStringSubmatch(s)
	if m == nil || s == "P" {
		return Period{}, fmt.Errorf(`invalid period %q: want ISO 8601 such as "P3M", "P1Y", "P6W" or "P90D"`, s)
	}
	var parts [4]int
	for i := range parts {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.Atoi(m[i+1])
		if err != nil || n > 100000 {
			return Period{}, fmt.Errorf("invalid period %q: component %q is too large", s, m[i+1])
		}
		parts[i] = n
	}
	return Period{Years: parts[0], Months: parts[1], Weeks: parts[2], Days: parts[3]}, nil
}

// AddTo returns t moved forward by the period, calendar-aware.
func (p Period) AddTo(t time.Time) time.Time {
	return t.AddDate(p.Years, p.Months, p.Weeks*7+p.Days)
}

// IsZero is true for the empty period.
func (p Period) IsZero() bool { return p == Period{} }

// Words renders the period for a sentence: "3 months", "1 year and 6
// months", "30 days"; "0 days" for the empty period. Programme managers
// read these, so never the ISO 8601 form.
func (p Period) Words() string {
	var parts []string
	for _, c := range []struct {
		n         int
		one, many string
	}{{p.Years, "year", "years"}, {p.Months, "month", "months"}, {p.Weeks, "week", "weeks"}, {p.Days, "day", "days"}} {
		if c.n != 0 {
			parts = append(parts, strconv.Itoa(c.n)+" "+plural(c.n, c.one, c.many))
		}
	}
	switch len(parts) {
	case 0:
		return "0 days"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// String renders the period in ISO 8601 form.
func (p Period) String() string {
	var s strings.Builder
	s.WriteString("P")
	for _, c := range []struct {
		n int
		u string
	}{{p.Years, "Y"}, {p.Months, "M"}, {p.Weeks, "W"}, {p.Days, "D"}} {
		if c.n != 0 {
			s.WriteString(strconv.Itoa(c.n) + c.u)
		}
	}
	if s.String() == "P" {
		return "P0D"
	}
	return s.String()
}
