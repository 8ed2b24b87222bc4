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
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/views/snapshot"
)

// PortfolioPack is the board's pack of a portfolio: one page for the
// board (the partnerships worst first, what changed since each one's last
// review, the decisions needed) and then each partnership's own pack.
type PortfolioPack struct {
	Namespace, Name, DisplayName string
	Generated                    string // the day of the report
	From, To                     string // the period, YYYY-MM-DD
	// Summary is the portfolio in a sentence, from its status.
	Summary string
	// Rows are the partnerships, worst first.
	Rows []BoardRow
	// Decisions are the questions of every partnership's pack, worst
	// partnership first.
	Decisions []BoardDecision
	// Changed lists, per partnership, what changed since its last review.
	Changed []BoardChange
	// Packs are the partnerships' packs, in the order of Rows.
	Packs []*Pack
}

// BoardRow is one partnership on the board's page.
type BoardRow struct {
	Name, DisplayName, Anchor string
	Health, Review            snapshot.State
	Score                     string
	// Decisions counts the questions its pack asks.
	Decisions int
}

// BoardDecision is one decision the board is asked for.
type BoardDecision struct {
	Partnership, Anchor string
	Question
}

// BoardChange is what changed in one partnership since its last review,
// in a sentence.
type BoardChange struct {
	Partnership, Anchor, Summary string
}

// BuildPortfolio makes the board's pack of pf from its partnerships' packs
// (built by Build).
func BuildPortfolio(pf *v1.Portfolio, packs []*Pack) *PortfolioPack {
	pp := &PortfolioPack{Namespace: pf.Namespace, Name: pf.Name, DisplayName: pf.Spec.DisplayName, Summary: portfolioSummary(pf, len(packs))}
	if pp.DisplayName == "" {
		pp.DisplayName = pf.Name
	}
	packs = slices.Clone(packs)
	slices.SortStableFunc(packs, func(a, b *Pack) int {
		return cmp.Or(cmp.Compare(a.Health.Severity(), b.Health.Severity()),
			cmp.Compare(reviewRank(a.Review), reviewRank(b.Review)),
			cmp.Compare(scoreRank(a.Score), scoreRank(b.Score)),
			strings.Compare(a.Name, b.Name))
	})
	for _, pk := range packs {
		anchor := "partnership-" + pk.Name
		pp.Rows = append(pp.Rows, BoardRow{Name: pk.Name, DisplayName: pk.DisplayName, Anchor: anchor,
			Health: pk.Health, Review: pk.Review, Score: pk.Score, Decisions: len(pk.Questions)})
		for _, q := range pk.Questions {
			pp.Decisions = append(pp.Decisions, BoardDecision{Partnership: pk.DisplayName, Anchor: anchor, Question: q})
		}
		pp.Changed = append(pp.Changed, BoardChange{Partnership: pk.DisplayName, Anchor: anchor, Summary: changeSummary(pk.Changes)})
		if pp.Generated == "" {
			pp.Generated, pp.From, pp.To = pk.Generated, pk.From, pk.To
		}
	}
	pp.Packs = packs
	return pp
}

// reviewRank puts a partnership whose review is due before one whose is
// not, within the same health.
func reviewRank(s snapshot.State) int {
	if s.Class == "review-due" {
		return 0
	}
	return 1
}

// scoreRank orders the lower score first and "not scored" last.
func scoreRank(s string) int {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil {
		return 1 << 30
	}
	return n
}

// portfolioSummary says what the portfolio's status counts, in a sentence.
func portfolioSummary(pf *v1.Portfolio, members int) string {
	c := pf.Status.Partnerships
	if c.Total == 0 {
		return fmt.Sprintf("%s selected; the operator has not evaluated the portfolio yet.", plural(members, "partnership"))
	}
	parts := []string{fmt.Sprintf("%d healthy", c.Healthy)}
	if c.AtRisk > 0 {
		parts = append([]string{fmt.Sprintf("%d at risk", c.AtRisk)}, parts...)
	}
	if other := c.Total - c.Healthy - c.AtRisk - c.Exited - c.Prospects; other > 0 {
		parts = append(parts, fmt.Sprintf("%d not judged healthy or at risk", other))
	}
	if c.Exited > 0 {
		parts = append(parts, fmt.Sprintf("%d ended", c.Exited))
	}
	if c.Prospects > 0 {
		parts = append(parts, plural(int(c.Prospects), "prospect")+" not yet under way")
	}
	s := fmt.Sprintf("%s: %s.", plural(int(c.Total), "partnership"), strings.Join(parts, ", "))
	if pf.Status.ReviewDue > 0 {
		s += fmt.Sprintf(" %s a review.", needs(int(pf.Status.ReviewDue)))
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func needs(n int) string {
	if n == 1 {
		return "1 needs"
	}
	return fmt.Sprintf("%d need", n)
}

// changeSummary says in a sentence what changed since the last review.
func changeSummary(c Changes) string {
	if c.State != ChangesListed {
		return c.Note
	}
	if len(c.Items) == 0 {
		return "Nothing changed since the review of " + c.ReviewDate + "."
	}
	return fmt.Sprintf("%s since the review of %s.", plural(len(c.Items), "change"), c.ReviewDate)
}

// WritePortfolioMarkdown writes the board's page and then each
// partnership's pack, separated by rules.
func WritePortfolioMarkdown(w io.Writer, pp *PortfolioPack) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Portfolio review: %s\n\n", pp.DisplayName)
	fmt.Fprintf(&b, "Portfolio `%s` in namespace `%s` · period %s to %s · generated %s by `accordctl report --portfolio`\n\n", pp.Name, pp.Namespace, pp.From, pp.To, pp.Generated)
	fmt.Fprintf(&b, "%s\n\n## Partnerships, worst first\n\n", pp.Summary)
	b.WriteString("| Partnership | Health | Review | Score | Decisions |\n|---|---|---|---|---:|\n")
	for _, r := range pp.Rows {
		fmt.Fprintf(&b, "| %s (`%s`) | %s %s | %s %s | %s | %d |\n", cell(r.DisplayName), r.Name, r.Health.Icon, r.Health.Word, r.Review.Icon, r.Review.Word, r.Score, r.Decisions)
	}
	b.WriteString("\n## Decisions needed\n\n")
	if len(pp.Decisions) == 0 {
		b.WriteString("None: every partnership is on track, no review is overdue and no agreement is up for renewal.\n")
	}
	for i, d := range pp.Decisions {
		fmt.Fprintf(&b, "%d. **%s, %s**: %s %s\n", i+1, d.Partnership, d.Topic, d.Ask, d.Why)
	}
	b.WriteString("\n## What changed since each partnership's last review\n\n")
	for _, c := range pp.Changed {
		fmt.Fprintf(&b, "- **%s**: %s\n", c.Partnership, c.Summary)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write Markdown: %w", err)
	}
	for _, pk := range pp.Packs {
		if _, err := io.WriteString(w, "\n---\n\n"); err != nil {
			return fmt.Errorf("write Markdown: %w", err)
		}
		if err := WriteMarkdown(w, pk, nil); err != nil {
			return err
		}
	}
	return nil
}

// cell keeps a table cell on one line.
func cell(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

// WritePortfolioHTML writes the board's page and every partnership's pack
// as one standalone HTML page, each partnership starting a new printed
// page: what `--format pdf` prints.
func WritePortfolioHTML(w io.Writer, pp *PortfolioPack) error {
	var b bytes.Buffer
	if err := page.ExecuteTemplate(&b, "portfolio", struct {
		P   *PortfolioPack
		CSS any
	}{pp, css}); err != nil {
		return fmt.Errorf("render the HTML pack: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write HTML: %w", err)
	}
	return nil
}
