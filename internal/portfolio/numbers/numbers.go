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

// Package numbers reads numbers the way people write them in reports and
// spreadsheets ("17.2%", "$1,200,000", "1.2M", "1,200") and turns them into
// the plain decimal quantities the portfolio stores ("17.2", "1200000"). It
// also knows the one Kubernetes quantity spelling that is almost always a
// slip in a portfolio: the milli suffix, which makes "1.5m" 0.0015.
package numbers

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// IsPercent reports whether a unit declares a percentage.
func IsPercent(unit string) bool {
	u := strings.ToLower(strings.TrimSpace(unit))
	return u == "%" || u == "percent" || u == "pct"
}

// currencySymbols are the symbols people put before an amount.
var currencySymbols = []string{"US$", "$", "€", "£", "¥", "₹"}

var isoCode = regexp.MustCompile(`^[A-Z]{3}$`)

// IsCurrency reports whether a unit declares money: an ISO 4217 code such
// as "USD" or a currency symbol.
func IsCurrency(unit string) bool {
	u := strings.TrimSpace(unit)
	if isoCode.MatchString(u) {
		return true
	}
	return slices.Contains(currencySymbols, u)
}

// multipliers are the magnitude suffixes people write, and the number of
// decimal places each shifts. "m" is deliberately absent: see Parse.
var multipliers = []struct {
	suffix string
	shift  int
}{
	{"thousand", 3}, {"million", 6}, {"billion", 9},
	{"bn", 9}, {"mn", 6}, {"MM", 6},
	{"k", 3}, {"K", 3}, {"M", 6}, {"B", 9}, {"G", 9}, {"T", 12},
}

var plainNumber = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)$`)
var grouped = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$`)

// Parse reads text written in unit (a KPI's unit, or a currency code for
// money) and returns the canonical quantity: a plain decimal with the
// digits as written ("17.20" stays "17.20"), shifted by a magnitude
// suffix ("1.2M" is "1200000"). A percent sign is allowed only when the
// unit is a percentage, a currency symbol or code only when it is money.
// The suffix "m" is refused: Kubernetes reads it as milli, people as
// million. Errors say what was wrong and what is allowed.
func Parse(text, unit string) (string, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return "", fmt.Errorf("empty: write a number such as 17.2")
	}
	orig := s
	neg := false
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		neg = s[0] == '-'
		s = strings.TrimSpace(s[1:])
	}
	// A currency symbol or code, before or after.
	money := ""
	for _, sym := range currencySymbols {
		if after, ok := strings.CutPrefix(s, sym); ok {
			money, s = sym, strings.TrimSpace(after)
			break
		}
	}
	if money == "" {
		if f := strings.Fields(s); len(f) == 2 && isoCode.MatchString(f[0]) {
			money, s = f[0], f[1]
		} else if len(f) == 2 && isoCode.MatchString(f[1]) {
			money, s = f[1], f[0]
		}
	}
	if money != "" {
		if !IsCurrency(unit) {
			return "", fmt.Errorf("%q is an amount of money, but the unit is %s; write a number in %s", orig, unitName(unit), unitName(unit))
		}
		if isoCode.MatchString(money) && isoCode.MatchString(unit) && money != unit {
			return "", fmt.Errorf("%q is in %s, but the amount is in %s", orig, money, unit)
		}
	}
	if strings.HasSuffix(s, "%") {
		if !IsPercent(unit) {
			return "", fmt.Errorf("%q is a percentage, but the unit is %s; write a number in %s", orig, unitName(unit), unitName(unit))
		}
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	shift := 0
	for _, m := range multipliers {
		if before, ok := strings.CutSuffix(s, m.suffix); ok {
			s, shift = strings.TrimSpace(before), m.shift
			break
		}
	}
	if shift == 0 && strings.HasSuffix(s, "m") && plainNumber.MatchString(strings.TrimSuffix(s, "m")) {
		n := strings.TrimSuffix(s, "m")
		return "", fmt.Errorf("%q is ambiguous: Kubernetes reads m as milli (%s); write %sM for %s million, or the number in full", orig, milli(n), n, n)
	}
	switch {
	case grouped.MatchString(s):
		s = strings.ReplaceAll(s, ",", "")
	case strings.Contains(s, ","):
		return "", fmt.Errorf("%q: a comma separates thousands (1,200,000) and the decimal separator is a point (17.2)", orig)
	}
	if !plainNumber.MatchString(s) {
		return "", fmt.Errorf("%q is not a number; write it like 17.2, 17.2%%, $1,200,000, 1.2M or 1,200", orig)
	}
	out := shiftPoint(s, shift)
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	if _, err := resource.ParseQuantity(out); err != nil {
		return "", fmt.Errorf("%q: %v", orig, err)
	}
	return out, nil
}

// shiftPoint multiplies a plain decimal by 10^shift without rounding.
func shiftPoint(s string, shift int) string {
	s = strings.TrimPrefix(s, "+")
	if strings.HasPrefix(s, ".") {
		s = "0" + s
	}
	if shift == 0 {
		return strings.TrimSuffix(s, ".")
	}
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < shift {
		frac += "0"
	}
	whole, frac = whole+frac[:shift], frac[shift:]
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// milli is n/1000 written in full, e.g. "1.5" -> "0.0015".
func milli(n string) string {
	whole, frac, _ := strings.Cut(n, ".")
	digits := strings.TrimLeft(whole, "0") + frac
	places := len(frac) + 3
	for len(digits) < places {
		digits = "0" + digits
	}
	w, f := digits[:len(digits)-places], strings.TrimRight(digits[len(digits)-places:], "0")
	if w == "" {
		w = "0"
	}
	if f == "" {
		return w
	}
	return w + "." + f
}

var milliQuantity = regexp.MustCompile(`^([+-]?(\d+(\.\d*)?|\.\d+))m$`)

// MilliSlip reports whether a quantity as written uses the milli suffix,
// and the value it then means: "1.5m" means "0.0015".
func MilliSlip(quantity string) (means string, ok bool) {
	m := milliQuantity.FindStringSubmatch(strings.TrimSpace(quantity))
	if m == nil {
		return "", false
	}
	n := strings.TrimLeft(m[1], "+")
	neg := strings.HasPrefix(n, "-")
	v := milli(strings.TrimPrefix(n, "-"))
	if neg {
		v = "-" + v
	}
	return v, true
}

func unitName(unit string) string {
	if strings.TrimSpace(unit) == "" {
		return "not declared"
	}
	return fmt.Sprintf("%q", unit)
}
