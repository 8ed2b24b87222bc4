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
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/accord-dev/accord/internal/views/snapshot"
)

// WriteMarkdown writes the pack as Markdown. charts maps a KPI's Anchor to
// the relative path of its chart as an .svg file, when the caller wrote
// one; every KPI's history is also a table, so the pack reads without
// them.
//
//nolint:gocyclo // split once the lifecycle and verdict work settles (tracked in issue 15)
func WriteMarkdown(w io.Writer, pk *Pack, charts map[string]string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Joint review: %s\n\n", text(pk.DisplayName))
	fmt.Fprintf(&b, "Partnership %s in namespace %s · period %s to %s · generated %s by `accordctl report`\n\n",
		code(pk.Name), code(pk.Namespace), pk.From, pk.To, pk.Generated)
	fmt.Fprintf(&b, "**%s %s**%s · score %s · %s %s\n\n", pk.Health.Icon, pk.Health.Word, reasonSuffix(pk.Health.Reason),
		pk.Score, pk.Review.Icon, pk.Review.Word)
	if pk.Purpose != "" {
		b.WriteString(text(pk.Purpose) + "\n\n")
	}

	b.WriteString("## Questions the review must decide\n\n")
	if len(pk.Questions) == 0 {
		b.WriteString("None: every objective and KPI is on track, no review is overdue and the agreement is not up for renewal.\n\n")
	}
	for i, q := range pk.Questions {
		fmt.Fprintf(&b, "%d. **%s**: %s  \n   %s\n", i+1, text(q.Topic), text(q.Ask), text(q.Why))
	}
	if len(pk.Questions) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## Wins %s\n\n", pk.WinsSince)
	if len(pk.Wins) == 0 {
		fmt.Fprintf(&b, "No KPI has met its target and no objective has been achieved %s.\n\n", pk.WinsSince)
	}
	for _, w := range pk.Wins {
		fmt.Fprintf(&b, "- %s\n", text(w))
	}
	if len(pk.Wins) > 0 {
		b.WriteString("\n")
	}

	b.WriteString("## Agreement\n\n| Term | Value |\n|---|---|\n")
	for _, f := range pk.Agreement {
		fmt.Fprintf(&b, "| %s | %s |\n", f.Label, text(f.Value))
	}
	if len(pk.Documents) > 0 {
		b.WriteString("\nDocuments:\n\n")
		for _, d := range pk.Documents {
			fmt.Fprintf(&b, "- %s\n", link(d.Title, d.URL))
		}
	}
	b.WriteString("\n### Compliance calendar\n\n")
	if len(pk.Calendar) == 0 {
		b.WriteString("No expiry dates are recorded.\n")
	} else {
		b.WriteString("| Expires | Instrument | State |\n|---|---|---|\n")
		for _, c := range pk.Calendar {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", c.When, text(c.What), c.State)
		}
	}
	b.WriteString("\n### Partners\n\n| Partner | Role | Lead |\n|---|---|---|\n")
	for _, p := range pk.Partners {
		lead := ""
		if p.Lead {
			lead = "lead"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", text(p.Name), text(p.Role), lead)
	}

	writeExchange(&b, pk)

	b.WriteString("\n## Objectives\n\n| Objective | State | Score | Progress toward target | Deadline | KPIs |\n|---|---|---|---|---|---|\n")
	for _, o := range pk.Objectives {
		kpis := make([]string, 0, len(o.KPIs))
		for _, k := range o.KPIs {
			kpis = append(kpis, code(k))
		}
		fmt.Fprintf(&b, "| %s: %s | %s %s | %s | %s | %s | %s |\n", code(o.Name), text(o.Statement), o.Health.Icon, o.Health.Word,
			o.Score, o.Progress, text(o.Deadline), strings.Join(kpis, ", "))
	}

	b.WriteString("\n## KPIs\n")
	for _, k := range pk.KPIs {
		fmt.Fprintf(&b, "\n### %s (%s)\n\n", text(k.DisplayName), code(k.Name))
		if k.Description != "" {
			b.WriteString(text(k.Description) + "\n\n")
		}
		if k.Measure != "" {
			fmt.Fprintf(&b, "Measure **%s**", text(k.Measure))
			if k.MeasureDetails != "" {
				fmt.Fprintf(&b, " (%s)", text(k.MeasureDetails))
			}
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "**%s %s**%s · score %s", k.Health.Icon, k.Health.Word, reasonSuffix(k.Health.Reason), k.Score)
		if k.Health.Message != "" {
			b.WriteString(": " + text(k.Health.Message))
		}
		b.WriteString("\n\n| Latest | Expected now | Projected at target date | Baseline | Target | Tolerance | Direction | Source |\n|---|---|---|---|---|---|---|---|\n")
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n\n", text(k.Latest), orDash(text(k.Expected)), orDash(text(k.Projected)),
			text(k.Baseline), text(k.Target), text(k.Tolerance), k.Direction, text(k.Source))
		if k.Contract != "" {
			b.WriteString(text(k.Contract) + "\n\n")
		}
		if k.ChartErr != "" {
			b.WriteString(text(k.ChartErr) + "\n")
			continue
		}
		if p, ok := charts[k.Anchor]; ok {
			fmt.Fprintf(&b, "![%s](%s)\n\n", text(k.Chart.Title), p)
		}
		if len(k.Chart.Rows) == 0 {
			b.WriteString("No values in the period.\n")
			continue
		}
		writeRows(&b, k)
	}

	b.WriteString("\n## Conditions and their causes\n\n")
	b.WriteString("The partnership's conditions, then every objective's and KPI's condition that needs attention.\n\n")
	b.WriteString("| Object | Condition | Status | Reason | Since | Message |\n|---|---|---|---|---|---|\n")
	for _, c := range pk.Conditions {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", text(c.Object), c.Type, c.Status, text(c.Reason), c.Since, text(c.Message))
	}

	b.WriteString("\n## Reviews\n")
	if len(pk.Reviews) == 0 {
		b.WriteString("\nNo review has been recorded.\n")
	}
	for _, r := range pk.Reviews {
		fmt.Fprintf(&b, "\n### %s: %s (%s)\n\n", text(r.Date), text(r.Decision), code(r.Name))
		if r.ExitDate != "" {
			fmt.Fprintf(&b, "Exit on %s.\n\n", text(r.ExitDate))
		}
		if len(r.Attendees) > 0 {
			as := make([]string, 0, len(r.Attendees))
			for _, a := range r.Attendees {
				as = append(as, text(a))
			}
			b.WriteString("Attendees: " + strings.Join(as, "; ") + "\n\n")
		}
		if r.Notes != "" {
			b.WriteString(text(r.Notes) + "\n\n")
		}
		if len(r.FollowUps) > 0 {
			b.WriteString("| Follow-up | Owner | Due | State |\n|---|---|---|---|\n")
			for _, f := range r.FollowUps {
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", text(f.Action), text(f.Owner), text(f.Due), text(f.State))
			}
		}
	}
	if pk.OlderReviews > 0 {
		fmt.Fprintf(&b, "\n%d earlier review(s) before the period are not listed.\n", pk.OlderReviews)
	}

	b.WriteString("\n## Changes to the agreement since the last review\n\n")
	b.WriteString(text(pk.Changes.Note) + "\n")
	if pk.Changes.State == ChangesListed {
		if len(pk.Changes.Items) == 0 {
			b.WriteString("\nNothing changed.\n")
		} else {
			b.WriteString("\n| Object | Field | Change | Before | After |\n|---|---|---|---|---|\n")
			for _, c := range pk.Changes.Items {
				change := string(c.Change)
				if c.Note != "" {
					change += " (" + text(c.Note) + ")"
				}
				fmt.Fprintf(&b, "| %s %s | %s | %s | %s | %s |\n", c.Kind, code(c.Name), code(c.Field), change, text(c.Before), text(c.After))
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write Markdown: %w", err)
	}
	return nil
}

// text makes free text safe in Markdown, in a paragraph or a table cell:
// one line, markup characters escaped, HTML as text.
func text(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return mdEscaper.Replace(s)
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`,
	"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", `\#`, "!", `\!`,
)

// code is a name as a code span, which Markdown shows as text.
func code(s string) string {
	if s == "" {
		return ""
	}
	return "`" + strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "`", "'") + "`"
}

// link is a Markdown link for http(s) addresses; anything else (a
// javascript: address) is shown as text.
func link(title, address string) string {
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return text(title) + " (" + code(address) + ")"
	}
	return "[" + text(title) + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20").Replace(u.String()) + ">)"
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + text(snapshot.Words(reason)) + ")"
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// writeRows writes a KPI's values in the period as a table, with its
// counts and who reported each value when any row has them.
func writeRows(b *strings.Builder, k KPI) {
	head, rule := "| Date | Value |", "|---|---|"
	if k.HasCounts {
		head, rule = head+" Counts |", rule+"---|"
	}
	head, rule = head+" Expected | At-risk zone | Status |", rule+"---|---|---|"
	if k.HasReporters {
		head, rule = head+" Reported by |", rule+"---|"
	}
	b.WriteString(head + "\n" + rule + "\n")
	for _, r := range k.Rows {
		status := r.Status
		if r.Breach {
			status = "⚠ " + status
		}
		fmt.Fprintf(b, "| %s | %s |", r.Date, text(r.Value))
		if k.HasCounts {
			fmt.Fprintf(b, " %s |", text(r.Counts))
		}
		fmt.Fprintf(b, " %s | %s | %s |", text(r.Expected), text(r.Threshold), status)
		if k.HasReporters {
			who := text(r.ReportedBy)
			if d := r.Document; d != nil {
				who += ", from " + link(d.Title, d.URL)
			}
			fmt.Fprintf(b, " %s |", who)
		}
		b.WriteString("\n")
	}
}

// writeExchange writes the needs addressed, what each partner gives and
// receives, and the hours given against those committed.
func writeExchange(b *strings.Builder, pk *Pack) {
	if len(pk.Addresses) > 0 {
		codes := make([]string, 0, len(pk.Addresses))
		for _, a := range pk.Addresses {
			codes = append(codes, code(a))
		}
		fmt.Fprintf(b, "\nAddresses the office's needs: %s.\n", strings.Join(codes, ", "))
	}
	if len(pk.Exchange) > 0 {
		b.WriteString("\n### What each partner gives and receives\n\n| Partner | Gives | Receives |\n|---|---|---|\n")
		for _, e := range pk.Exchange {
			fmt.Fprintf(b, "| %s | %s | %s |\n", text(e.Partner), text(e.Gives), text(e.Receives))
		}
	}
	if len(pk.StaffTime) > 0 {
		b.WriteString("\n### Staff time: committed and given\n\n| Partner | Role | Period | Committed hours | Given | Share |\n|---|---|---|---:|---:|---:|\n")
		for _, s := range pk.StaffTime {
			share := s.Share
			if s.Short {
				share = "**" + share + "** (short)"
			}
			fmt.Fprintf(b, "| %s | %s | %s | %d | %d | %s |\n", text(s.Partner), text(s.Role), s.Period, s.Committed, s.Given, share)
		}
	}
}
