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
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"net/url"

	"github.com/accord-dev/accord/internal/views/snapshot"
)

//go:embed templates/report.html templates/portfolio.html templates/report.css
var templates embed.FS

var page = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"words": snapshot.Words,
	"safeURL": func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "https" || u.Scheme == "http")
	},
}).ParseFS(templates, "templates/report.html", "templates/portfolio.html"))

var css = func() template.CSS {
	b, err := templates.ReadFile("templates/report.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(b) //nolint:gosec // our own embedded style sheet
}()

// WriteHTML writes the pack as one standalone HTML page: the style sheet
// and the charts (SVG) are inline, nothing is fetched, no script runs.
// html/template escapes every text.
func WriteHTML(w io.Writer, pk *Pack) error {
	var b bytes.Buffer
	if err := page.Execute(&b, struct {
		P   *Pack
		CSS template.CSS
	}{pk, css}); err != nil {
		return fmt.Errorf("render the HTML pack: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write HTML: %w", err)
	}
	return nil
}
