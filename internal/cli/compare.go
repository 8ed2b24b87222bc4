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

package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/views/candidates"
)

const formatYAML = "yaml"

func newCompareCmd(s Streams) *cobra.Command {
	var output, nowFlag, namespace string
	cmd := &cobra.Command{
		Use:   "compare PARTNERSHIP [PATH...]",
		Short: "Rank a Prospect's candidate partners, with their scores side by side",
		Long: `Compare reads the portfolio files (YAML files, directories read recursively,
or "-" for standard input; the current directory by default) and ranks the
candidate partners of the Prospect partnership named PARTNERSHIP: each
candidate's score on the six criteria (mission and values alignment,
geographic reach, populations served, financial stability, reputation and
culture), its weighted score out of 100 by the candidateWeights of the
Portfolio that selects the partnership, and its rank. Assessments that are
missing, undated, incomplete or older than the portfolio's
assessmentMaxAge are flagged. The ranking is the one the operator writes
into the partnership's status.candidates.

--now sets the day of the comparison (YYYY-MM-DD or RFC 3339), which decides
which assessments are outdated; it defaults to now.

Exit status: 0 when the candidates were compared, 2 when the files cannot be
read or PARTNERSHIP is not a Prospect among them.`,
		Example: `  accordctl compare behavioral-health-partner config/samples
  accordctl compare behavioral-health-partner portfolio/ -o json
  kustomize build portfolio/ | accordctl compare behavioral-health-partner -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			switch output {
			case formatText, formatJSON, formatYAML:
			default:
				return usageError(fmt.Errorf("--output %q: must be text, json or yaml", output))
			}
			now, err := parseNow(nowFlag)
			if err != nil {
				return err
			}
			paths := args[1:]
			if len(paths) == 0 {
				paths = []string{"."}
			}
			docs, bad, err := load.Paths(paths, s.In)
			if err != nil {
				return usageError(err)
			}
			docs, unknown := refuseUnknownFields(docs)
			bad = append(bad, unknown...)
			objs, decodeErrs := portfolio.Read(docs, portfolio.Options{Namespace: namespace, AsStored: true})
			bad = append(bad, decodeErrs...)
			p, err := prospectNamed(objs, namespace, args[0])
			if err != nil {
				for _, b := range bad {
					say(s.Err, "%s\n", b.Error())
				}
				return usageError(err)
			}
			portfolios := make([]v1.Portfolio, 0, len(objs.Portfolios))
			for _, pf := range objs.Portfolios {
				portfolios = append(portfolios, *pf)
			}
			return writeComparison(s.Out, output, candidates.Compare(p, portfolios, now))
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", formatText, "output format: text, json or yaml")
	cmd.Flags().StringVar(&nowFlag, "now", "", "compare as of this date (YYYY-MM-DD, midnight UTC) or RFC 3339 time; default now")
	cmd.Flags().StringVarP(&namespace, "namespace", "n", "default", "namespace of the partnership, and of the objects whose files name none")
	return cmd
}

// prospectNamed finds the Prospect to compare, or says what the files
// hold instead.
func prospectNamed(objs *portfolio.Set, namespace, name string) (*v1.Partnership, error) {
	p := objs.Partnership(portfolio.Key{Namespace: namespace, Name: name})
	var prospects []string
	for _, q := range objs.Partnerships {
		if q.Namespace == namespace && q.Spec.DesiredPhase == v1.PhaseProspect {
			prospects = append(prospects, q.Name)
		}
	}
	slices.Sort(prospects)
	among := "the files hold no Prospect partnership in namespace " + namespace
	if len(prospects) > 0 {
		among = "the Prospects in namespace " + namespace + " are " + strings.Join(prospects, ", ")
	}
	switch {
	case p == nil:
		return nil, fmt.Errorf("no Partnership %q in namespace %s; %s", name, namespace, among)
	case p.Spec.DesiredPhase != v1.PhaseProspect:
		return nil, fmt.Errorf("partnership %q is not a Prospect (spec.desiredPhase is %s), so it has no candidates to compare; %s", name, p.Spec.DesiredPhase, among)
	}
	return p, nil
}

func writeComparison(w io.Writer, output string, c candidates.Comparison) error {
	switch output {
	case formatJSON:
		b, err := json.MarshalIndent(c, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case formatYAML:
		b, err := yaml.Marshal(c)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return comparisonText(w, c)
}

// comparisonText is the table: a row per candidate, best first, a column
// per criterion with the office's weight in the heading row below it.
func comparisonText(w io.Writer, c candidates.Comparison) error {
	ranked := "not ranked: no portfolio that selects it declares candidateWeights"
	if c.RankedBy != "" {
		ranked = "ranked by the candidateWeights of portfolio " + c.RankedBy
	}
	say(w, "Partnership/%s (%s), a Prospect on %s: %s; assessments older than %s are outdated.\n\n",
		c.Partnership, c.DisplayName, c.Date, ranked, c.AssessmentMaxAge)
	if len(c.Candidates) == 0 {
		say(w, "%s\n", c.Message)
		return nil
	}
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	head := []string{"RANK", "CANDIDATE"}
	weights := []string{"", "weight (%)"}
	for _, k := range c.Criteria {
		head = append(head, strings.ToUpper(criterionHeading[k.Field]))
		weights = append(weights, orDash(k.Weight))
	}
	head = append(head, "SCORE", "ASSESSED", "ASSESSMENT")
	weights = append(weights, "", "", "") // cells all rows share keep the columns aligned
	say(tw, "%s\n", strings.Join(head, "\t"))
	if c.RankedBy != "" {
		say(tw, "%s\n", strings.Join(weights, "\t"))
	}
	for _, r := range c.Candidates {
		row := []string{orDash(r.Rank), r.Name}
		for _, k := range c.Criteria {
			if s, ok := r.Scores[k.Field]; ok {
				row = append(row, strconv.Itoa(int(s)))
			} else {
				row = append(row, "-")
			}
		}
		on := r.AssessedOn
		if on == "" {
			on = "-"
		}
		row = append(row, orDash(r.Score), on, r.Assessment)
		say(tw, "%s\n", strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for line := range strings.Lines(table.String()) {
		say(w, "%s\n", strings.TrimRight(line, " \n"))
	}
	say(w, "\n%s\n", c.Message)
	return nil
}

// criterionHeading is a criterion's column heading, short enough for a
// terminal.
var criterionHeading = map[string]string{
	"missionAlignment": "mission", "reach": "reach", "populationsServed": "populations",
	"financialStability": "finances", "reputation": "reputation", "culture": "culture",
}

func orDash(p *int32) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(int(*p))
}
