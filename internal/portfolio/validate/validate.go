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

// Package validate is accordctl validate's checks as a library: every
// document against the CRDs' schemas and CEL rules (schemacheck), then the
// Accord objects as a portfolio (portfoliocheck). accordctl validate,
// accordctl record and import, and the dashboard's forms run the same
// checks through Run.
package validate

import (
	"fmt"
	"time"

	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/portfoliocheck"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

// Checks of validate beyond those of schemacheck and
// portfoliocheck.
const (
	CheckParse      = "parse"      // error: the document is not YAML, or has no apiVersion or kind
	CheckSkipped    = "skipped"    // note: not an Accord object
	CheckIncomplete = "incomplete" // note: CEL rules not evaluated, as on the API server
	CheckNamespace  = "namespace"  // error: namespace differs from an explicit --namespace
)

// Options are accordctl validate's settings.
type Options struct {
	// Namespace is where objects that name none are checked, as kubectl
	// apply would place them.
	Namespace string
	// NamespaceSet: Namespace was given explicitly, so an object naming
	// another namespace is an error.
	NamespaceSet bool
	// Strict makes warnings invalidate the report.
	Strict bool
	// Now is today, for the rules that need it (a Prospect's draft
	// agreement must not be dated in the past); zero means the clock's.
	Now time.Time
}

// Run checks every document, then the Accord objects as a portfolio: the
// checks of accordctl validate, shared by accordctl record and the
// dashboard's forms.
func Run(docs []load.Document, bad []*load.Error, o Options) (*Report, error) {
	checker, err := schemacheck.Embedded()
	if err != nil {
		return nil, fmt.Errorf("load the embedded CRDs: %w", err)
	}
	rep := newReport(o.Strict)
	for _, b := range bad {
		rep.add(Finding{Severity: SeverityError, Check: CheckParse, File: b.File, Index: b.Index, Message: b.Err.Error()})
	}
	// The objects as the API server would store them, for the portfolio
	// rules; docOf maps their position back to the document.
	var checked []load.Document
	var docOf []int
	namespaces := make([]string, len(docs)) // as defaulted, for portfolio findings
	for i, d := range docs {
		rep.document(d)
		res := checker.Check(d.Object, o.Namespace)
		at := func(f Finding) Finding {
			f.File, f.Index = d.File, d.Index
			f.APIVersion, f.Kind, f.Namespace, f.Name = d.Object.GetAPIVersion(), d.Object.GetKind(), d.Object.GetNamespace(), d.Object.GetName()
			if res.Object != nil {
				f.Namespace = res.Object.GetNamespace()
			}
			return f
		}
		if res.Object != nil {
			namespaces[i] = res.Object.GetNamespace()
		}
		if res.Skipped != "" {
			rep.Summary.Skipped++
			rep.add(at(Finding{Severity: SeverityNote, Check: CheckSkipped, Message: "skipped: " + res.Skipped}))
			continue
		}
		rep.Summary.Objects++
		for _, p := range res.Problems {
			rep.add(at(Finding{Severity: SeverityError, Check: string(p.Check), Field: p.Field, Message: p.Message}))
		}
		for _, f := range portfoliocheck.MilliSuffixes(d.Object.GetKind(), d.Object.Object) {
			rep.add(at(Finding{Severity: severity(f.Severity), Check: string(f.Rule), Field: f.Field, Message: f.Message}))
		}
		if ns := d.Object.GetNamespace(); o.NamespaceSet && ns != "" && ns != o.Namespace {
			rep.add(at(Finding{Severity: SeverityError, Check: CheckNamespace, Field: "metadata.namespace",
				Message: fmt.Sprintf("Invalid value: %q: differs from --namespace %q; kubectl apply -n %s would refuse it", ns, o.Namespace, o.Namespace)}))
		}
		if res.Incomplete {
			rep.add(at(Finding{Severity: SeverityNote, Check: CheckIncomplete,
				Message: "the CEL rules were not evaluated because the errors above block them; the API server does the same: fix them and validate again"}))
		}
		// One without a name cannot take part.
		if res.Object != nil && res.Object.GetName() != "" {
			checked = append(checked, load.Document{File: d.File, Index: d.Index, Object: res.Object})
			docOf = append(docOf, i)
		}
	}
	// The schema findings above already say why a spec does not decode,
	// and portfoliocheck reports duplicates: the read's errors add nothing.
	set, _ := portfolio.Read(checked, portfolio.Options{KeepPartial: true})
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	for _, f := range portfoliocheck.CheckAt(set, now) {
		key := docOf[f.At.Seq]
		d := docs[key]
		rep.add(Finding{
			Severity: severity(f.Severity), Check: string(f.Rule), File: d.File, Index: d.Index,
			APIVersion: d.Object.GetAPIVersion(), Kind: d.Object.GetKind(), Namespace: namespaces[key], Name: d.Object.GetName(),
			Field: f.Field, Message: f.Message,
		})
	}
	rep.finish()
	return rep, nil
}
