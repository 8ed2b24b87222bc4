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

	"github.com/spf13/cobra"

	"github.com/accord-dev/accord/internal/cli/portfoliotree"
)

func newStatusCmd(s Streams) *cobra.Command {
	output := treeOutput(formatText)
	var flags *clusterFlags
	var fail failOn
	var coverage bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the live portfolio as a tree with its conditions",
		Long: `Show the portfolio in the cluster of the current kubeconfig as a tree:
each portfolio, the partnerships it selects, their objectives and the
objectives' KPIs, each with its verdict, score, conditions (Ready,
MetricsAvailable, Healthy, AtRisk, ReviewDue) and the messages that explain
them. Partnerships in no portfolio, objectives and reviews whose partnership
does not exist, KPIs no objective uses and the metric sources follow.

With --coverage it shows, instead of the tree, each portfolio's needs with
the partnerships that address them (gaps and overlaps) and what each
partner gives and receives, from the portfolio's status.coverage.

With --fail-on AtRisk,ReviewDue,NotReady (any of them) the command exits 1
after printing the tree when some object has AtRisk=True, ReviewDue=True or
Ready=False, and names those objects on standard error.

Exit status: 0 when the portfolio was read (and nothing matched
--fail-on), 1 when something matched --fail-on, 2 when the cluster cannot
be reached or the Accord CRDs are not installed.`,
		Example: `  accordctl status
  kubectl accord status -n partnerships
  accordctl status -A -o json
  accordctl status --coverage
  kubectl accord status --fail-on AtRisk`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := flags.connect()
			if err != nil {
				return err
			}
			objs, err := c.listAccord(cmd.Context())
			if err != nil {
				return err
			}
			roots := portfoliotree.Build(objs)
			if len(roots) == 0 && output == formatText {
				where := "namespace " + c.namespace
				if c.namespace == "" {
					where = "any namespace"
				}
				_, err := fmt.Fprintf(s.Err, "No Accord objects found in %s.\n", where)
				return err
			}
			print := func() error { return output.print(s.Out, roots, flags.allNamespaces) }
			if coverage {
				print = func() error { return output.printCoverage(s.Out, objs, flags.allNamespaces) }
			}
			if err := print(); err != nil {
				return err
			}
			return fail.check(roots)
		},
	}
	flags = addClusterFlags(cmd)
	cmd.Flags().VarP(&output, "output", "o", "output format: text or json")
	cmd.Flags().BoolVar(&coverage, "coverage", false, "show each portfolio's coverage instead of the tree: its needs with the partnerships that address them (gaps, overlaps) and what each partner gives and receives")
	cmd.Flags().Var(&fail, "fail-on", "exit 1 when an object is AtRisk (AtRisk=True), ReviewDue (ReviewDue=True) or NotReady (Ready=False); comma-separated")
	return cmd
}
