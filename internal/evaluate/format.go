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
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// MaxMagnitude bounds the values Accord keeps: no KPI of a partnership
// (rates, counts, dollars, days) comes near a trillion, and every value
// within it formats to a few characters, well inside the status fields'
// 64. A value beyond it is a broken or hostile source, refused with a
// reason rather than stored (1e70 would format to 71 characters, and the
// API server would refuse every status patch of that KPI).
const MaxMagnitude = 1e12

// Representable reports whether v is a value Accord keeps: finite and
// within MaxMagnitude either side of zero.
func Representable(v float64) bool {
	return !math.IsNaN(v) && math.Abs(v) <= MaxMagnitude
}

// FormatNumber renders v as a plain decimal for status fields: at most two
// decimals with trailing zeros trimmed, whole numbers from 1000 up.
func FormatNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	prec := 2
	if math.Abs(v) >= 1000 {
		prec = 0
	}
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// FormatValue renders v with its unit for messages: "17.2%", "42 visits/1k",
// "USD 700,000".
func FormatValue(v float64, unit string) string {
	n := FormatNumber(v)
	if math.Abs(v) >= 1000 {
		n = thousands(n)
	}
	switch {
	case unit == "":
		return n
	case unit == "%":
		return n + "%"
	case currencyRE.MatchString(unit):
		return unit + " " + n
	default:
		return n + " " + unit
	}
}

// thousands inserts separators into a whole number.
func thousands(n string) string {
	sign := ""
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	var b strings.Builder
	for i, r := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return sign + b.String()
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// DayWords writes a date the way a programme manager reads it:
// "31 December 2026".
func DayWords(t time.Time) string { return t.UTC().Format("2 January 2006") }
