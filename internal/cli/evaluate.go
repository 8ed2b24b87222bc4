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
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"k8s.io/utils/clock"

	"github.com/accord-dev/accord/internal/cli/portfoliotree"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/localeval"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

func newEvaluateCmd(s Streams) *cobra.Command {
	output := treeOutput(formatText)
	var nowFlag, namespace string
	var live, coverage bool
	var egress liveEgress
	var fail failOn
	cmd := &cobra.Command{
		Use:   "evaluate PATH...",
		Short: "Judge portfolio files offline and print the conditions the operator would set",
		Long: `Judge the Accord objects in YAML files, directories (read recursively) or
standard input ("-") without a cluster, with the operator's own evaluation
code, and print the tree that 'accordctl status' would show once the
operator has evaluated them: each object's verdict, score, conditions and
messages.

KPIs whose values are reported in git (spec.reported) are judged on them.
KPIs on live sources (Prometheus, HTTP JSON, FHIR) are read only with
--live, with credentials from Secrets given among the files; without it
they show MetricsAvailable=False (LiveSourceNotRead) and are judged on the
history in their status, if the files carry one. Fields the files omit get
the CRDs' defaults, as the API server would give them.

--now sets the date of the judgement (YYYY-MM-DD for midnight UTC, or an
RFC 3339 time), so the output is reproducible; it defaults to now.

--fail-on AtRisk,ReviewDue,NotReady (any of them) makes the judgement a
gate: the command exits 1 after printing the tree when some object has
AtRisk=True, ReviewDue=True or Ready=False, and names those objects on
standard error.

Exit status: 0 when every document was judged (and nothing matched
--fail-on), 1 when some documents could not be read (the others are still
judged and printed) or something matched --fail-on, 2 on usage errors and
unreadable paths.`,
		Example: `  accordctl evaluate config/samples --now 2026-11-25
  accordctl evaluate portfolio/ -o json
  accordctl evaluate portfolio/ --fail-on AtRisk,NotReady
  kustomize build portfolio/ | accordctl evaluate -
  accordctl evaluate portfolio/ secrets.yaml --live`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, paths []string) error {
			now, err := parseNow(nowFlag)
			if err != nil {
				return err
			}
			docs, bad, err := load.Paths(paths, s.In)
			if err != nil {
				return usageError(err)
			}
			docs, unknown := refuseUnknownFields(docs)
			bad = append(bad, unknown...)
			objs, decodeErrs := portfolio.Read(docs, portfolio.Options{Namespace: namespace, AsStored: true})
			bad = append(bad, decodeErrs...)
			var fetcher localeval.Fetcher
			if live {
				f, err := egress.fetcher(objs, fixedClock{now})
				if err != nil {
					return err
				}
				fetcher = f
			}
			localeval.Evaluate(cmd.Context(), objs, now, fetcher)
			roots := portfoliotree.Build(objs)
			print := func() error { return output.print(s.Out, roots, false) }
			if coverage {
				print = func() error { return output.printCoverage(s.Out, objs, false) }
			}
			if err := print(); err != nil {
				return err
			}
			for _, b := range bad {
				say(s.Err, "%s\n", b.Error())
			}
			if len(bad) > 0 {
				return findings("%d document(s) could not be read; the others were judged", len(bad))
			}
			return fail.check(roots)
		},
	}
	cmd.Flags().VarP(&output, "output", "o", "output format: text or json")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "show each portfolio's coverage instead of the tree, as accordctl status --coverage would")
	cmd.Flags().StringVar(&nowFlag, "now", "", "judge as of this date (YYYY-MM-DD, midnight UTC) or RFC 3339 time; default now")
	cmd.Flags().StringVarP(&namespace, "namespace", "n", "default", "namespace of the objects whose files name none")
	cmd.Flags().Var(&fail, "fail-on", "exit 1 when an object is AtRisk (AtRisk=True), ReviewDue (ReviewDue=True) or NotReady (Ready=False); comma-separated")
	cmd.Flags().BoolVar(&live, "live", false, "also read live sources (Prometheus, HTTP JSON, FHIR), with Secrets from the given files")
	egress.register(cmd.Flags())
	return cmd
}

// refuseUnknownFields keeps the documents whose fields their schema
// declares and returns an error for each other one: a misspelt field
// (say "tolerence") would otherwise be judged as if it were absent,
// where accordctl validate and the API server refuse it.
func refuseUnknownFields(docs []load.Document) ([]load.Document, []*load.Error) {
	checker, err := schemacheck.Embedded()
	if err != nil {
		// The CRDs are compiled in: this is a build error.
		panic(fmt.Sprintf("load the embedded CRDs: %v", err))
	}
	kept := docs[:0:0]
	var bad []*load.Error
	for _, d := range docs {
		if unknown := checker.UnknownFields(d.Object); len(unknown) > 0 {
			bad = append(bad, &load.Error{File: d.File, Index: d.Index, Err: fmt.Errorf(
				"%s %s: unknown field %s: the schema does not declare it (accordctl validate names what is allowed); not judged",
				d.Object.GetKind(), d.Object.GetName(), strings.Join(unknown, ", "))})
			continue
		}
		kept = append(kept, d)
	}
	return kept, bad
}

// parseNow reads --now: a date means midnight UTC that day.
func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usageError(fmt.Errorf("--now %q: want a date (YYYY-MM-DD) or an RFC 3339 time such as 2026-11-25T09:00:00Z", s))
	}
	return t.UTC(), nil
}

// fixedClock is the clock of an evaluation at one moment.
type fixedClock struct{ t time.Time }

var _ clock.PassiveClock = fixedClock{}

// Now returns the moment of the evaluation.
func (c fixedClock) Now() time.Time { return c.t }

// Since returns the time elapsed since t at that moment.
func (c fixedClock) Since(t time.Time) time.Duration { return c.t.Sub(t) }
