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

	"github.com/spf13/cobra"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/validate"
)

// The report's types, from the library that accordctl record and the
// dashboard's forms share.
type (
	finding = validate.Finding
	report  = validate.Report
)

const (
	severityError   = validate.SeverityError
	severityWarning = validate.SeverityWarning
	severityNote    = validate.SeverityNote
	checkParse      = validate.CheckParse
	checkSkipped    = validate.CheckSkipped
	checkIncomplete = validate.CheckIncomplete
	checkNamespace  = validate.CheckNamespace
)

// validate runs the library's checks with the command's flags.
func (o *validateOptions) validate(docs []load.Document, bad []*load.Error) (*report, error) {
	now, err := parseNow(o.now)
	if err != nil {
		return nil, err
	}
	return validate.Run(docs, bad, validate.Options{Namespace: o.namespace, NamespaceSet: o.namespaceSet, Strict: o.strict, Now: now})
}

// validateOptions are the flags of accordctl validate.
type validateOptions struct {
	output       string
	namespace    string
	namespaceSet bool
	strict       bool
	now          string
}

func newValidateCmd(s Streams) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check portfolio YAML offline against the CRD schemas, CEL rules and cross-object rules",
		Long: `Validate reads the YAML files and directories given (or "-" for standard
input, e.g. kustomize build output) and checks every Accord object offline:

  - against the OpenAPI schemas and CEL rules of the Accord CRDs, with the
    API server's own validation libraries, as a create with strict field
    validation would: unknown fields, missing or malformed fields, enum and
    pattern violations, and the cross-field rules;
  - as a portfolio: references that point at nothing, objects defined twice,
    KPIs no objective uses, objectives without KPIs, deadlines past the
    agreement's expiry, a Prospect's draft agreement dated in the past, and
    more (see docs/cli.md).

Objects of other API groups (ConfigMaps, Secrets, ...) are skipped with a
note. Objects without a namespace are checked in --namespace, as kubectl
would apply them.

Exit status: 0 valid (warnings allowed unless --strict), 1 invalid,
2 usage or I/O error.`,
		Example: `  accordctl validate config/samples
  kustomize build overlays/prod | accordctl validate -
  accordctl validate --strict -o json portfolio/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.namespaceSet = cmd.Flags().Changed("namespace")
			return o.run(s, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "text", `output format: "text" (one line per finding) or "json"`)
	f.StringVarP(&o.namespace, "namespace", "n", "default", "namespace of objects that name none")
	f.BoolVar(&o.strict, "strict", false, "treat warnings as errors (exit 1)")
	f.StringVar(&o.now, "now", "", "today, for the rules that need it (a Prospect's draft agreement must not be dated in the past): YYYY-MM-DD or RFC 3339; default now")
	return cmd
}

func (o *validateOptions) run(s Streams, paths []string) error {
	if o.output != "text" && o.output != "json" {
		return usageError(fmt.Errorf("--output %q: must be text or json", o.output))
	}
	if msgs := validation.IsDNS1123Label(o.namespace); len(msgs) > 0 {
		return usageError(fmt.Errorf("--namespace %q: %s", o.namespace, strings.Join(msgs, "; ")))
	}
	docs, bad, err := load.Paths(paths, s.In)
	if err != nil {
		return usageError(err)
	}
	if len(docs) == 0 && len(bad) == 0 {
		return usageError(fmt.Errorf("no YAML or JSON documents found in %s", strings.Join(paths, ", ")))
	}
	rep, err := o.validate(docs, bad)
	if err != nil {
		return usageError(err)
	}
	if o.output == "json" {
		err = rep.WriteJSON(s.Out)
	} else {
		err = rep.WriteText(s.Out)
	}
	if err != nil {
		return usageError(fmt.Errorf("write report: %w", err))
	}
	switch {
	case rep.Summary.Errors > 0:
		return findings("validation failed: %s", plural(rep.Summary.Errors, "error"))
	case o.strict && rep.Summary.Warnings > 0:
		return findings("validation failed: %s (--strict)", plural(rep.Summary.Warnings, "warning"))
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
