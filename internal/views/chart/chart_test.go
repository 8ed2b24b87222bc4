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

package chart

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/evaluate"
)

func date(s string) time.Time {
	t, err := evaluate.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func obs(pairs ...any) []evaluate.Observation {
	var out []evaluate.Observation
	for i := 0; i < len(pairs); i += 2 {
		var v float64
		switch x := pairs[i+1].(type) {
		case int:
			v = float64(x)
		case float64:
			v = x
		}
		out = append(out, evaluate.Observation{Time: date(pairs[i].(string)), Value: v})
	}
	return out
}

// element is a parsed SVG element with the attributes tests look at.
type element struct {
	name  string
	attrs map[string]string
	text  string
	group string // data-series of the enclosing <g>
}

// parse reads the SVG as XML (so it is well-formed, as a standalone .svg
// file must be) and returns its elements in order.
func parse(t *testing.T, svg string) []element {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var out []element
	var groups []string
	var open []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v\n%s", err, svg)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			e := element{name: x.Name.Local, attrs: map[string]string{}}
			for _, a := range x.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			if len(groups) > 0 {
				e.group = groups[len(groups)-1]
			}
			if e.name == "g" {
				groups = append(groups, e.attrs["data-series"])
			}
			out = append(out, e)
			open = append(open, len(out)-1)
		case xml.CharData:
			if len(open) > 0 {
				out[open[len(open)-1]].text += string(x)
			}
		case xml.EndElement:
			if x.Name.Local == "g" {
				groups = groups[:len(groups)-1]
			}
			open = open[:len(open)-1]
		}
	}
	return out
}

func TestChartsMarkEveryObservationByItsZoneWithShapeAndWords(t *testing.T) {
	now := date("2026-11-25")
	cases := []struct {
		name        string
		spec        evaluate.KPISpec
		history     []evaluate.Observation
		wantBreach  []bool
		wantGlide   int // glide-path lines: two bounds for a range
		wantZones   int
		wantTarget  bool
		wantDescHas string
	}{
		{
			name: "lower is better: values above the path plus tolerance breach",
			spec: evaluate.KPISpec{DisplayName: "30-day readmission rate", Unit: "%", Direction: evaluate.LowerIsBetter,
				BaselineDate: date("2025-06-30"), Baseline: 18, TargetDate: date("2027-06-30"), Target: 15.3, Tolerance: 0.5},
			history:     obs("2025-09-30", 17.9, "2026-03-31", 17.4, "2026-09-30", 17.2, "2026-10-31", 17.6),
			wantBreach:  []bool{false, false, true, true},
			wantGlide:   1,
			wantZones:   1,
			wantTarget:  true,
			wantDescHas: "4 values from 2025-09-30 to 2026-10-31, 2 in the at-risk zone",
		},
		{
			name: "higher is better: values below the path minus tolerance breach",
			spec: evaluate.KPISpec{DisplayName: "Care gaps closed", Unit: "%", Direction: evaluate.HigherIsBetter,
				BaselineDate: date("2025-03-31"), Baseline: 52, TargetDate: date("2027-12-31"), Target: 80, Tolerance: 2},
			history:     obs("2025-09-30", 56, "2026-09-30", 62),
			wantBreach:  []bool{false, true},
			wantGlide:   1,
			wantZones:   1,
			wantTarget:  true,
			wantDescHas: "higher is better",
		},
		{
			name: "in range: two bounds, two zones, no single target",
			spec: evaluate.KPISpec{DisplayName: "Members per care coordinator", Unit: "members/FTE", Direction: evaluate.InRange,
				BaselineDate: date("2025-06-30"), Baseline: 72, TargetDate: date("2026-06-30"), TargetMin: 40, TargetMax: 60, Tolerance: 3},
			history:     obs("2025-09-30", 73, "2026-09-30", 55, "2026-10-31", 66),
			wantBreach:  []bool{true, false, true},
			wantGlide:   2,
			wantZones:   2,
			wantDescHas: "to the range 40 to 60 members/FTE",
		},
		{
			name: "no data yet: path and zone only",
			spec: evaluate.KPISpec{DisplayName: "Consults", Direction: evaluate.HigherIsBetter,
				BaselineDate: date("2025-12-31"), Baseline: 150, TargetDate: date("2026-12-31"), Target: 300, Tolerance: 20},
			wantGlide:   1,
			wantZones:   1,
			wantTarget:  true,
			wantDescHas: "No values yet.",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Render(Input{ID: "k", Spec: tc.spec, History: tc.history, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			els := parse(t, string(c.SVG))
			var markers []bool
			count := map[string]int{}
			var title, desc string
			for _, e := range els {
				switch {
				case e.name == "title" && e.attrs["id"] == "k-title":
					title = e.text
				case e.name == "desc":
					desc = e.text
				case e.group == "actual" && e.attrs["data-breach"] != "":
					markers = append(markers, e.attrs["data-breach"] == "true")
					// A breach is a triangle, never only a different colour.
					if want := map[bool]string{true: "path", false: "circle"}[e.attrs["data-breach"] == "true"]; e.name != want {
						t.Errorf("marker %q drawn as <%s>, want <%s>", e.attrs["data-breach"], e.name, want)
					}
				case e.group == "glide-path" && e.name == "polyline":
					count["glide"]++
				case e.group == "at-risk-zone" && e.name == "polygon":
					count["zone"]++
				case e.group == "target" && e.name == "path":
					count["target"]++
				}
			}
			if title != tc.spec.DisplayName+" against its glide path" {
				t.Errorf("title = %q", title)
			}
			if !strings.Contains(desc, tc.wantDescHas) || desc != c.Desc {
				t.Errorf("desc = %q, want it to contain %q", desc, tc.wantDescHas)
			}
			if len(markers) != len(tc.wantBreach) {
				t.Fatalf("markers = %v, want %v", markers, tc.wantBreach)
			}
			for i := range markers {
				if markers[i] != tc.wantBreach[i] || c.Rows[i].Breach != tc.wantBreach[i] {
					t.Errorf("observation %d: marker breach %v, row breach %v, want %v", i, markers[i], c.Rows[i].Breach, tc.wantBreach[i])
				}
				wantStatus := map[bool]string{true: "At-risk zone", false: "Within tolerance"}[tc.wantBreach[i]]
				if c.Rows[i].Status != wantStatus {
					t.Errorf("row %d status %q, want %q", i, c.Rows[i].Status, wantStatus)
				}
			}
			if count["glide"] != tc.wantGlide || count["zone"] != tc.wantZones {
				t.Errorf("glide lines %d zones %d, want %d and %d", count["glide"], count["zone"], tc.wantGlide, tc.wantZones)
			}
			if (count["target"] == 1) != tc.wantTarget {
				t.Errorf("target markers %d, want present=%v", count["target"], tc.wantTarget)
			}
		})
	}
}

func TestChartRowsShowExpectedAndThresholdOnTheObservationDate(t *testing.T) {
	spec := evaluate.KPISpec{DisplayName: "Readmissions", Unit: "%", Direction: evaluate.LowerIsBetter,
		BaselineDate: date("2025-06-30"), Baseline: 18, TargetDate: date("2027-06-30"), Target: 15.3, Tolerance: 0.5}
	c, err := Render(Input{ID: "r", Spec: spec, History: obs("2026-06-30", 17.4), Now: date("2026-11-25")})
	if err != nil {
		t.Fatal(err)
	}
	// Halfway along a two-year path from 18 to 15.3 (2026-06-30 is day
	// 365 of 730): 16.65, breaching above 17.15.
	want := Row{Date: "2026-06-30", Value: "17.4%", Expected: "16.65%", Threshold: "above 17.15%", Breach: true, Status: "At-risk zone"}
	if len(c.Rows) != 1 || c.Rows[0] != want {
		t.Errorf("rows = %+v, want %+v", c.Rows, want)
	}
}

func TestChartTextIsEscaped(t *testing.T) {
	spec := evaluate.KPISpec{DisplayName: `<script>alert("x")</script> & 'co'`, Unit: `<b>u</b>`, Direction: evaluate.HigherIsBetter,
		BaselineDate: date("2025-01-01"), Baseline: 1, TargetDate: date("2026-01-01"), Target: 2}
	c, err := Render(Input{ID: "e", Spec: spec, History: obs("2025-06-01", 1.5), Now: date("2025-07-01")})
	if err != nil {
		t.Fatal(err)
	}
	svg := string(c.SVG)
	for _, raw := range []string{"<script>", "<b>", `"x"`, "'co'"} {
		if strings.Contains(svg, raw) {
			t.Errorf("SVG contains unescaped %q", raw)
		}
	}
	parse(t, svg) // still well-formed
	if !strings.Contains(svg, "&lt;script&gt;") {
		t.Errorf("SVG lost the display name instead of escaping it")
	}
}

func TestNiceStepRoundsUpToOneTwoTwoAndAHalfOrFive(t *testing.T) {
	for raw, want := range map[float64]float64{0.7: 1, 1.3: 2, 2.2: 2.5, 3: 5, 7: 10, 130: 200, 240000: 250000, 0: 1} {
		if got := niceStep(raw); got != want {
			t.Errorf("niceStep(%v) = %v, want %v", raw, got, want)
		}
	}
}
