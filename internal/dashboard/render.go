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

package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

//go:embed templates
var templateFS embed.FS

var (
	css = func() string {
		b, err := templateFS.ReadFile("templates/style.css")
		if err != nil {
			panic(err)
		}
		return string(b)
	}()
	// styleHash lets the Content-Security-Policy allow exactly the page's
	// one inline stylesheet.
	styleHash = func() string {
		sum := sha256.Sum256([]byte(css))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}()

	funcs = template.FuncMap{
		"words":    func(v any) string { return snapshot.Words(fmt.Sprint(v)) },
		"num":      evaluate.FormatNumber,
		"value":    evaluate.FormatValue,
		"partners": func(names []string) string { return strings.Join(names, ", ") },
		"period":   snapshot.PeriodWords,
		// The CRD's default, for an objective that reached the page without
		// it (the API server sets it on every stored one).
		"atRiskBelowDefault": func() int32 { return v1.DefaultAtRiskBelow },
	}
	pages = map[string]*template.Template{
		"overview":    parsePage("overview.html"),
		"partnership": parsePage("partnership.html"),
		"candidates":  parsePage("candidates.html"),
		"error":       parsePage("error.html"),
		"propose":     parsePage("propose.html"),
		"coverage":    parsePage("coverage.html"),
	}
)

// parsePage pairs the layout with one page's "content".
func parsePage(file string) *template.Template {
	return template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+file))
}

// page is what the layout needs, with the page's own data in Data.
type page struct {
	Title   string
	Refresh int
	CSS     template.CSS
	Crumbs  []crumb
	Data    any
}

// crumb is one step of the breadcrumb trail; the last has no link.
type crumb struct {
	Href  string
	Label string
}

// write renders a page, tags it with an ETag of its bytes, and answers a
// matching If-None-Match with 304 so that refreshing an unchanged page
// sends nothing.
func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, p page) {
	p.CSS = template.CSS(css) //nolint:gosec // our own embedded stylesheet
	if p.Refresh == 0 {
		p.Refresh = s.opts.RefreshSeconds
	}
	var buf bytes.Buffer
	if err := pages[name].Execute(&buf, p); err != nil {
		s.log.Error(err, "render dashboard page", "page", name)
		http.Error(w, "Internal error rendering the page; see the manager's log", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(buf.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	// Revalidate every time; "private" because with authentication the
	// page depends on who asks.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Authorization")
	if status == http.StatusOK && etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

func etagMatches(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// errorData is the body of an error page.
type errorData struct {
	Status  int
	Heading string
	Message string
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, heading, message string) {
	s.write(w, r, status, "error", page{Title: heading, Refresh: -1,
		Crumbs: []crumb{{Href: "/", Label: portfolioLabel}, {Label: heading}},
		Data:   errorData{Status: status, Heading: heading, Message: message}})
}
