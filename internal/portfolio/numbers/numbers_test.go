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

package numbers

import (
	"strings"
	"testing"
)

func TestParseAcceptsWhatPeopleWrite(t *testing.T) {
	for _, tc := range []struct{ text, unit, want string }{
		{"17.2", "%", "17.2"},
		{"17.2%", "%", "17.2"},
		{" 17.20 % ", "%", "17.20"},
		{"$1,200,000", "USD", "1200000"},
		{"USD 1,200,000", "USD", "1200000"},
		{"1,200,000 USD", "USD", "1200000"},
		{"1.2M", "USD", "1200000"},
		{"$1.25M", "USD", "1250000"},
		{"420k", "USD", "420000"},
		{"2.5 million", "USD", "2500000"},
		{"1.2bn", "USD", "1200000000"},
		{"1,200", "visits/1k", "1200"},
		{"1,200.5", "visits/1k", "1200.5"},
		{"0.5k", "members", "500"},
		{"1.23456k", "members", "1234.56"},
		{"-3.5", "%", "-3.5"},
		{".5", "%", "0.5"},
		{"42.", "members/FTE", "42"},
		{"42.0", "members/FTE", "42.0"},
	} {
		got, err := Parse(tc.text, tc.unit)
		if err != nil {
			t.Errorf("Parse(%q, %q): %v", tc.text, tc.unit, err)
			continue
		}
		if got != tc.want {
			t.Errorf("Parse(%q, %q) = %q, want %q", tc.text, tc.unit, got, tc.want)
		}
	}
}

func TestParseRefusesWithTheReason(t *testing.T) {
	for _, tc := range []struct{ text, unit, want string }{
		{"1.5m", "USD", `"1.5m" is ambiguous: Kubernetes reads m as milli (0.0015); write 1.5M for 1.5 million`},
		{"17.2%", "visits/1k", `"17.2%" is a percentage, but the unit is "visits/1k"`},
		{"$1,200", "%", `"$1,200" is an amount of money, but the unit is "%"`},
		{"EUR 1,200", "USD", `"EUR 1,200" is in EUR, but the amount is in USD`},
		{"17,2", "%", `a comma separates thousands (1,200,000) and the decimal separator is a point`},
		{"1,20,000", "USD", `a comma separates thousands`},
		{"high", "%", `"high" is not a number; write it like 17.2`},
		{"", "%", "empty"},
		{"12Ki", "members", `"12Ki" is not a number`},
	} {
		_, err := Parse(tc.text, tc.unit)
		if err == nil {
			t.Errorf("Parse(%q, %q) accepted it", tc.text, tc.unit)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q, %q) = %v, want it to say %q", tc.text, tc.unit, err, tc.want)
		}
	}
}

func TestMilliSlipSaysWhatTheQuantityMeans(t *testing.T) {
	for _, tc := range []struct {
		q, means string
		ok       bool
	}{
		{"1.5m", "0.0015", true},
		{"500m", "0.5", true},
		{"1200m", "1.2", true},
		{"-2m", "-0.002", true},
		{"1.5M", "", false},
		{"1500000", "", false},
		{"17.2", "", false},
	} {
		means, ok := MilliSlip(tc.q)
		if ok != tc.ok || means != tc.means {
			t.Errorf("MilliSlip(%q) = %q, %v; want %q, %v", tc.q, means, ok, tc.means, tc.ok)
		}
	}
}

func TestUnits(t *testing.T) {
	for unit, want := range map[string][2]bool{
		"%": {true, false}, "percent": {true, false}, "USD": {false, true}, "$": {false, true},
		"visits/1k": {false, false}, "members/FTE": {false, false}, "": {false, false},
	} {
		if IsPercent(unit) != want[0] || IsCurrency(unit) != want[1] {
			t.Errorf("%q: IsPercent %v IsCurrency %v, want %v", unit, IsPercent(unit), IsCurrency(unit), want)
		}
	}
}
