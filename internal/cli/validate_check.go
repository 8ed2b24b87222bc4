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

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/portfoliocheck"
	"github.com/accord-dev/accord/internal/portfolio/schemacheck"
)

// Checks of accordctl validate beyond those of schemacheck and
// portfoliocheck.
const (
	checkParse      = "parse"      // error: the document is not YAML, or has no apiVersion or kind
	checkSkipped    = "skipped"    // note: not an Accord object
	checkIncomplete = "incomplete" // note: CEL rules not evaluated, as on the API server
	checkNamespace  = "namespace"  // error: namespace differs from an explicit --namespace
)

// validate checks every document, then the Accord objects as a portfolio.
func (o *validateOptions) validate(docs []load.Document, bad []*load.Error) (*report, error) {
	checker, err := schemacheck.Embedded()
	if err != nil {
		return nil, fmt.Errorf("load the embedded CRDs: %w", err)
	}
	scheme := runtime.NewScheme()
	if err := v1.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("register the Accord kinds: %w", err)
	}
	rep := newReport(o.strict)
	for _, b := range bad {
		rep.add(finding{Severity: severityError, Check: checkParse, File: b.File, Index: b.Index, Message: b.Err.Error()})
	}
	var objs []portfoliocheck.Object
	namespaces := make([]string, len(docs)) // as defaulted, for portfolio findings
	for i, d := range docs {
		rep.document(d)
		res := checker.Check(d.Object, o.namespace)
		at := func(f finding) finding {
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
			rep.add(at(finding{Severity: severityNote, Check: checkSkipped, Message: "skipped: " + res.Skipped}))
			continue
		}
		rep.Summary.Objects++
		for _, p := range res.Problems {
			rep.add(at(finding{Severity: severityError, Check: string(p.Check), Field: p.Field, Message: p.Message}))
		}
		if ns := d.Object.GetNamespace(); o.namespaceSet && ns != "" && ns != o.namespace {
			rep.add(at(finding{Severity: severityError, Check: checkNamespace, Field: "metadata.namespace",
				Message: fmt.Sprintf("Invalid value: %q: differs from --namespace %q; kubectl apply -n %s would refuse it", ns, o.namespace, o.namespace)}))
		}
		if res.Incomplete {
			rep.add(at(finding{Severity: severityNote, Check: checkIncomplete,
				Message: "the CEL rules were not evaluated because the errors above block them; the API server does the same: fix them and validate again"}))
		}
		if po, ok := portfolioObject(scheme, i, d, res.Object); ok {
			objs = append(objs, po)
		}
	}
	for _, f := range portfoliocheck.Check(objs) {
		d := docs[f.Key]
		rep.add(finding{
			Severity: severity(f.Severity), Check: string(f.Rule), File: d.File, Index: d.Index,
			APIVersion: d.Object.GetAPIVersion(), Kind: d.Object.GetKind(), Namespace: namespaces[f.Key], Name: d.Object.GetName(),
			Field: f.Field, Message: f.Message,
		})
	}
	rep.finish()
	return rep, nil
}

// portfolioObject converts a checked object into its typed form for the
// portfolio rules. An object whose spec does not convert still takes part
// by its identity; one without a name cannot.
func portfolioObject(scheme *runtime.Scheme, key int, d load.Document, u *unstructured.Unstructured) (portfoliocheck.Object, bool) {
	if u == nil || u.GetName() == "" {
		return portfoliocheck.Object{}, false
	}
	po := portfoliocheck.Object{Key: key, Origin: fmt.Sprintf("%s#%d", d.File, d.Index)}
	typed, err := scheme.New(u.GroupVersionKind())
	if err != nil {
		return po, false
	}
	obj, ok := typed.(metav1.Object)
	if !ok {
		return po, false
	}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, typed); err != nil {
		// A field the schema refused (e.g. a quantity "high"): keep the
		// identity only, which is what references need.
		fresh, _ := scheme.New(u.GroupVersionKind())
		obj = fresh.(metav1.Object)
		obj.SetName(u.GetName())
		obj.SetNamespace(u.GetNamespace())
		obj.SetLabels(u.GetLabels())
		po.Partial = true
	}
	po.Obj = obj
	return po, true
}
