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

package portfoliodiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// MarkdownMarker starts every Markdown report, so a CI job can find and
// replace its previous comment on a pull request.
const MarkdownMarker = "<!-- accordctl-diff -->"

// maxCell is the longest value a Markdown cell shows; JSON has it all.
const maxCell = 120

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// WriteMarkdown writes the report for a pull-request comment: a summary,
// a table of changes per partnership, then the findings.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n## Accord portfolio diff: %s → %s\n\n", MarkdownMarker, sourceLabel(r.Base), sourceLabel(r.Head))
	if r.Head.Path != "" {
		fmt.Fprintf(&b, "Compared `%s`.\n\n", r.Head.Path)
	}
	if len(r.Partnerships) == 0 {
		b.WriteString("No changes to the portfolio.\n\n")
	} else {
		fmt.Fprintf(&b, "%s\n\n", summaryLine(r.Summary))
	}
	switch r.Summary.Errors + r.Summary.Warnings {
	case 0:
		b.WriteString("**Policy: no findings.**\n")
	default:
		fmt.Fprintf(&b, "**Policy: %s, %s.**\n", plural(r.Summary.Errors, "error"), plural(r.Summary.Warnings, "warning"))
	}
	for _, p := range r.Partnerships {
		b.WriteString("\n### " + groupTitle(p) + "\n\n")
		b.WriteString("| Object | Field | Change | Before | After |\n|---|---|---|---|---|\n")
		for _, c := range p.Changes {
			change := string(c.Change)
			if c.Note != "" {
				change += " (" + c.Note + ")"
			}
			fmt.Fprintf(&b, "| %s `%s` | %s | %s | %s | %s |\n", c.Kind, c.Name, code(c.Field), change, cell(c.Before), cell(c.After))
		}
	}
	if len(r.Findings) > 0 {
		b.WriteString("\n### Findings\n\n| Severity | Rule | Partnership | Finding |\n|---|---|---|---|\n")
		for _, f := range r.Findings {
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", f.Severity, f.Rule, code(f.Partnership), escape(f.Message))
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write Markdown: %w", err)
	}
	return nil
}

func sourceLabel(s Source) string {
	l := "`" + s.Name + "`"
	if s.Commit != "" {
		l += " (" + s.Commit[:min(7, len(s.Commit))] + ")"
	}
	return l
}

func groupTitle(p PartnershipDiff) string {
	switch {
	case p.Name == "":
		return "Not linked to a partnership"
	case p.DisplayName != "":
		return fmt.Sprintf("%s (`%s`): %s", cell(p.DisplayName), p.Name, p.Status)
	}
	return fmt.Sprintf("`%s`: %s", p.Name, p.Status)
}

// summaryLine names the counts that are not zero.
func summaryLine(s Summary) string {
	var parts []string
	add := func(n int, noun, verb string) {
		if n > 0 {
			parts = append(parts, plural(n, noun)+" "+verb)
		}
	}
	add(s.PartnershipsAdded, "partnership", "added")
	add(s.PartnershipsRemoved, "partnership", "removed")
	add(s.PartnershipsChanged, "partnership", "changed")
	add(s.ObjectivesAdded, "objective", "added")
	add(s.ObjectivesRemoved, "objective", "removed")
	add(s.KPIsAdded, "KPI", "added")
	add(s.KPIsRemoved, "KPI", "removed")
	add(s.TargetsTightened, "target", "tightened")
	add(s.TargetsLoosened, "target", "loosened")
	add(s.DeadlinesEarlier, "deadline", "moved earlier")
	add(s.DeadlinesLater, "deadline", "moved later")
	add(s.ReviewsRecorded, "review", "recorded")
	return strings.Join(parts, ", ") + "; " + plural(s.Changes, "change") + " in all."
}

// plural is "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

// cell makes a value safe in a table cell and at most maxCell characters
// long. Findings are never shortened: they say what to do.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxCell {
		s = string(r[:maxCell-1]) + "…"
	}
	return escape(s)
}

// escape makes text safe in a table cell: one line, no pipes, no HTML.
func escape(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
