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
	"fmt"
	"html/template"
)

// svgData is what the SVG template draws.
type svgData struct {
	ID                       string
	Width, Height            float64
	Left, Right, Top, Bottom float64
	Title, Desc              string
	XTicks, YTicks           []tick
	Zones, Thresholds, Glide []string
	Actual                   string
	Count                    int
	Points                   []point
	Target                   *point
	Today                    *today
}

// today is the "today" line; its label goes left of it near the right edge.
type today struct {
	X         float64
	LabelLeft bool
}

// point is a marker with a tooltip.
type point struct {
	X, Y   float64
	Breach bool
	Label  string
}

// The chart is html/template, so every text (a display name, a unit) is
// escaped; it is also well-formed XML, so the report can write it as a
// standalone .svg file. Series are tagged with data-series for tests and
// for readers of the source.
var svgTemplate = template.Must(template.New("svg").Funcs(template.FuncMap{
	"f":   func(v float64) string { return fmt.Sprintf("%.1f", v) },
	"add": func(a, b float64) float64 { return a + b },
}).Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" viewBox="0 0 {{f .Width}} {{f .Height}}" width="{{f .Width}}" height="{{f .Height}}" role="img" aria-labelledby="{{.ID}}-title {{.ID}}-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">
<title id="{{.ID}}-title">{{.Title}}</title>
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
<defs><pattern id="{{.ID}}-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fdecee"/><line x1="0" y1="0" x2="0" y2="8" stroke="#b3261e" stroke-width="2" stroke-opacity="0.45"/></pattern></defs>
<g data-series="grid">{{range .YTicks}}<line x1="{{f $.Left}}" x2="{{f $.Right}}" y1="{{f .Pos}}" y2="{{f .Pos}}" stroke="#e3e3e3"/><text x="{{f (add $.Left -6)}}" y="{{f (add .Pos 4)}}" text-anchor="end" fill="#333">{{.Label}}</text>{{end}}
{{range .XTicks}}<line x1="{{f .Pos}}" x2="{{f .Pos}}" y1="{{f $.Bottom}}" y2="{{f (add $.Bottom 5)}}" stroke="#777"/><text x="{{f .Pos}}" y="{{f (add $.Bottom 19)}}" text-anchor="middle" fill="#333">{{.Label}}</text>{{end}}
<line x1="{{f .Left}}" x2="{{f .Right}}" y1="{{f .Bottom}}" y2="{{f .Bottom}}" stroke="#777"/><line x1="{{f .Left}}" x2="{{f .Left}}" y1="{{f .Top}}" y2="{{f .Bottom}}" stroke="#777"/></g>
<g data-series="at-risk-zone">{{range .Zones}}<polygon points="{{.}}" fill="url(#{{$.ID}}-hatch)"/>{{end}}</g>
<g data-series="at-risk-threshold">{{range .Thresholds}}<polyline points="{{.}}" fill="none" stroke="#b3261e" stroke-width="1.2" stroke-dasharray="2 3"/>{{end}}</g>
<g data-series="glide-path">{{range .Glide}}<polyline points="{{.}}" fill="none" stroke="#4d4d4d" stroke-width="2" stroke-dasharray="8 5"/>{{end}}</g>
{{with .Today}}<g data-series="today"><line x1="{{f .X}}" x2="{{f .X}}" y1="{{f $.Top}}" y2="{{f $.Bottom}}" stroke="#555" stroke-dasharray="1 3"/>{{if .LabelLeft}}<text x="{{f (add .X -4)}}" y="{{f (add $.Top 12)}}" text-anchor="end" fill="#333">today</text>{{else}}<text x="{{f (add .X 4)}}" y="{{f (add $.Top 12)}}" fill="#333">today</text>{{end}}</g>{{end}}
{{with .Target}}<g data-series="target"><path d="M{{f .X}},{{f (add .Y -7)}} l7,7 l-7,7 l-7,-7 z" fill="#fff" stroke="#4d4d4d" stroke-width="2"><title>{{.Label}}</title></path></g>{{end}}
<g data-series="actual" data-points="{{.Count}}">{{if .Actual}}<polyline points="{{.Actual}}" fill="none" stroke="#1f4e79" stroke-width="2.5"/>{{end}}{{range .Points}}{{if .Breach}}<path data-breach="true" d="M{{f .X}},{{f (add .Y -7)}} l6.5,11 h-13 z" fill="#b3261e" stroke="#fff"><title>{{.Label}}</title></path>{{else}}<circle data-breach="false" cx="{{f .X}}" cy="{{f .Y}}" r="4.5" fill="#1f4e79" stroke="#fff"><title>{{.Label}}</title></circle>{{end}}{{end}}</g>
<g data-series="legend" transform="translate({{f .Left}},14)"><line x1="0" x2="22" y1="0" y2="0" stroke="#1f4e79" stroke-width="2.5"/><circle cx="11" cy="0" r="4" fill="#1f4e79"/><text x="28" y="4" fill="#222">Actual</text>
<line x1="84" x2="106" y1="0" y2="0" stroke="#4d4d4d" stroke-width="2" stroke-dasharray="8 5"/><text x="112" y="4" fill="#222">Glide path</text>
<rect x="190" y="-7" width="22" height="14" fill="url(#{{.ID}}-hatch)" stroke="#b3261e" stroke-dasharray="2 3"/><text x="218" y="4" fill="#222">At-risk zone</text>
<path d="M310,-7 l6.5,11 h-13 z" fill="#b3261e"/><text x="322" y="4" fill="#222">Value in at-risk zone</text>
{{if .Target}}<path d="M462,-7 l7,7 l-7,7 l-7,-7 z" fill="#fff" stroke="#4d4d4d" stroke-width="2"/><text x="474" y="4" fill="#222">Target</text>{{end}}</g>
</svg>`))
