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

package v1alpha1_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	. "github.com/onsi/gomega"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/openapi"
	"sigs.k8s.io/yaml"
)

// undocumented lists the schema paths under spec and status that have no
// description, walking every property, array item and map value.
func undocumented(path string, s *apiextensionsv1.JSONSchemaProps, out *[]string) {
	for name, p := range s.Properties {
		child := path + "." + name
		if strings.TrimSpace(p.Description) == "" {
			*out = append(*out, child)
		}
		undocumented(child, &p, out)
	}
	if s.Items != nil && s.Items.Schema != nil {
		undocumented(path+"[]", s.Items.Schema, out)
	}
}

func TestEveryCRDFieldHasADescription(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(env.Root, "config", "crd", "bases", "*.yaml"))
	if err != nil || len(files) != 6 {
		t.Fatalf("want 6 CRDs, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd apiextensionsv1.CustomResourceDefinition
		if err := yaml.Unmarshal(b, &crd); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !contains(crd.Spec.Names.Categories, "accord") || len(crd.Spec.Names.ShortNames) == 0 {
			t.Errorf("%s: want the accord category and a short name, got %v %v", crd.Name, crd.Spec.Names.Categories, crd.Spec.Names.ShortNames)
		}
		for _, v := range crd.Spec.Versions {
			if len(v.AdditionalPrinterColumns) < 3 {
				t.Errorf("%s: only %d printer columns", crd.Name, len(v.AdditionalPrinterColumns))
			}
			var missing []string
			root := v.Schema.OpenAPIV3Schema
			for _, top := range []string{"spec", "status"} {
				p := root.Properties[top]
				if p.Description == "" {
					missing = append(missing, top)
				}
				undocumented(top, &p, &missing)
			}
			slices.Sort(missing)
			for _, m := range missing {
				// metav1.Condition and LabelSelector are documented upstream;
				// their own descriptions are in the schema already.
				t.Errorf("%s: %s has no description for kubectl explain", crd.Spec.Names.Kind, m)
			}
		}
	}
}

func contains(list []string, s string) bool {
	return slices.Contains(list, s)
}

// kubectl explain reads the API server's published OpenAPI v3 document; the
// descriptions must survive the trip.
func TestExplainSeesAgreementDescriptions(t *testing.T) {
	dc := discovery.NewDiscoveryClientForConfigOrDie(env.Config)
	// The API server publishes a new CRD's schema asynchronously.
	var gv openapi.GroupVersion
	NewWithT(t).Eventually(func() error {
		paths, err := dc.OpenAPIV3().Paths()
		if err != nil {
			return err
		}
		var ok bool
		if gv, ok = paths["apis/portfolio.accord.dev/v1alpha1"]; !ok {
			return fmt.Errorf("no OpenAPI v3 document for portfolio.accord.dev/v1alpha1 yet")
		}
		return nil
	}).WithTimeout(30 * time.Second).WithPolling(200 * time.Millisecond).Should(Succeed())
	b, err := gv.Schema("application/json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	raw, ok := doc.Components.Schemas["dev.accord.portfolio.v1alpha1.Partnership"]
	if !ok {
		t.Fatalf("no Partnership schema in the published document")
	}
	var s apiextensionsv1.JSONSchemaProps
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	agreement := s.Properties["spec"].Properties["agreement"]
	for field, want := range map[string]string{
		"":                  "terms the partners signed",
		"renewalNoticeDays": "raises ReviewDue",
		"dataSharing":       "legal instruments",
		"effectiveDate":     "comes into force",
	} {
		got := agreement.Description
		if field != "" {
			got = agreement.Properties[field].Description
		}
		if !strings.Contains(got, want) {
			t.Errorf("spec.agreement.%s description %q lacks %q", field, got, want)
		}
	}
}
