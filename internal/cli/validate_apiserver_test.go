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
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/dynamic"

	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/testsupport/testenv"
)

const (
	badInputDoc        = "../../docs/bad-input.md"
	badInputBlock      = "bad-input catalogue"
	badInputRegenerate = "go test ./internal/cli -run TestCatalogueAgreesWithTheAPIServer -update-docs"
)

// serverVerdict is what a real API server says to one catalogue document.
type serverVerdict struct {
	Rejected bool
	Message  string
}

// TestCatalogueAgreesWithTheAPIServer applies every document of the
// catalogue to a real kube-apiserver with the Accord CRDs, as
// `kubectl apply --server-side --validate=strict` would, and requires the
// offline verdict to agree document by document: what accordctl's schema,
// CEL and metadata checks reject, the API server rejects, and what they
// accept, it accepts (the portfolio-level entries: the server stores them,
// only accordctl validate sees the problem). It also keeps the table of
// docs/bad-input.md equal to what both say.
func TestCatalogueAgreesWithTheAPIServer(t *testing.T) {
	env, err := testenv.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.Stop() })
	dyn, err := dynamic.NewForConfig(env.Config)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a := &applier{t: t, env: env, dyn: dyn, namespaces: map[string]bool{}}

	var rows []badInputRow
	var docs, agree, bothReject, onlyOffline int
	for _, e := range loadCatalogue(t) {
		_, rep, _ := runCatalogue(t, e)
		f, ok := e.match(rep)
		if !ok {
			t.Errorf("%s: validate does not report the expected finding (see TestCatalogueEveryBrokenFileIsRejected)", e.File)
			continue
		}
		ns := catalogueNamespace(e.File)
		a.ensureNamespace(ctx, ns)
		var named serverVerdict
		for i, raw := range splitDocuments(t, e.File) {
			got := a.apply(ctx, raw, ns)
			offline := offlineRejects(rep, e.File, i)
			docs++
			if got.Rejected == offline {
				agree++
			} else {
				t.Errorf("%s#%d: accordctl rejects=%v, API server rejects=%v (%s)", e.File, i, offline, got.Rejected, got.Message)
			}
			if i == f.Index {
				named = got
			}
		}
		objectLevel := objectChecks[e.Check]
		switch {
		case objectLevel && !named.Rejected:
			t.Errorf("%s: a %s entry, but the API server accepts document %d", e.File, e.Check, f.Index)
		case !objectLevel && named.Rejected:
			t.Errorf("%s: a portfolio-level entry, but the API server rejects document %d: %s", e.File, f.Index, named.Message)
		case objectLevel:
			bothReject++
		default:
			onlyOffline++
		}
		rows = append(rows, badInputRow{entry: e, finding: f, server: named})
	}
	t.Logf("%d documents in %d files: %d verdicts agree; %d entries rejected by both, %d by accordctl validate only", docs, len(rows), agree, bothReject, onlyOffline)

	table := renderBadInputTable(rows, docs, agree)
	doc := diffReadFile(t, badInputDoc)
	if *updateDocs {
		doc = replaceDocBlock(t, doc, badInputBlock, table)
		if err := os.WriteFile(badInputDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := docBlock(t, doc, badInputBlock); got != table {
		t.Errorf("docs/bad-input.md catalogue is stale; run: %s", badInputRegenerate)
	}
}

// applier sends catalogue documents to the API server.
type applier struct {
	t          *testing.T
	env        *testenv.Env
	dyn        dynamic.Interface
	namespaces map[string]bool
}

func (a *applier) ensureNamespace(ctx context.Context, name string) {
	if a.namespaces[name] || name == "default" {
		return
	}
	a.namespaces[name] = true
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
	// An invalid name is refused here too; the object's own apply then
	// says why.
	if err := a.env.Client.Create(ctx, ns); err != nil && !apierrors.IsAlreadyExists(err) && !apierrors.IsInvalid(err) {
		a.t.Fatalf("create namespace %s: %v", name, err)
	}
}

var (
	rawAPIVersion = regexp.MustCompile(`(?m)^apiVersion:\s*(\S+)`)
	rawKind       = regexp.MustCompile(`(?m)^kind:\s*(\S+)`)
	rawName       = regexp.MustCompile(`(?m)^\s+name:\s*(\S+)`)
)

// apply sends one document as kubectl apply --server-side does: the raw
// YAML as an apply patch with strict field validation, so the server
// parses it itself. Documents without a name are created (POST) instead.
// Which resource receives a document is found from the server's discovery
// (kubectl's "no matches for kind" when it serves none); a document that
// does not parse is addressed by its apiVersion, kind and name lines, and
// one without kind is sent to the Portfolio resource, the kind its spec is.
func (a *applier) apply(ctx context.Context, raw []byte, ns string) serverVerdict {
	var apiVersion, kind, name, namespace string
	obj, decodeErr := load.Decode(raw)
	if decodeErr == nil {
		apiVersion, kind, name, namespace = obj.GetAPIVersion(), obj.GetKind(), obj.GetName(), obj.GetNamespace()
	} else {
		apiVersion, kind, name = firstMatch(rawAPIVersion, raw), firstMatch(rawKind, raw), firstMatch(rawName, raw)
		if kind == "" {
			kind = "Portfolio"
		}
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return serverVerdict{true, err.Error()}
	}
	mapping, err := a.env.Client.RESTMapper().RESTMapping(schema.GroupKind{Group: gv.Group, Kind: kind}, gv.Version)
	if err != nil {
		return serverVerdict{true, err.Error()}
	}
	if namespace == "" {
		namespace = ns
	}
	a.ensureNamespace(ctx, namespace)
	res := a.dyn.Resource(mapping.Resource).Namespace(namespace)
	force := true
	switch {
	case name != "":
		_, err = res.Patch(ctx, name, types.ApplyPatchType, raw, metav1.PatchOptions{
			FieldManager: "accordctl-catalogue", FieldValidation: "Strict", Force: &force})
	case decodeErr == nil:
		_, err = res.Create(ctx, obj, metav1.CreateOptions{FieldValidation: "Strict"})
	default:
		a.t.Fatalf("a document with neither a name nor valid YAML cannot be sent:\n%s", raw)
	}
	if err != nil {
		return serverVerdict{true, err.Error()}
	}
	return serverVerdict{}
}

func firstMatch(re *regexp.Regexp, raw []byte) string {
	if m := re.FindSubmatch(raw); m != nil {
		return strings.Trim(string(m[1]), `"'`)
	}
	return ""
}

// splitDocuments splits a file as internal/load does: documents holding
// only comments do not count, so indexes match validate's.
func splitDocuments(t *testing.T, file string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	for {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("split %s: %v", file, err)
		}
		empty := true
		for line := range strings.SplitSeq(string(raw), "\n") {
			l := strings.TrimSpace(line)
			if l != "" && !strings.HasPrefix(l, "#") && l != "---" {
				empty = false
			}
		}
		if !empty {
			out = append(out, raw)
		}
	}
}

// offlineRejects reports whether validate found the document itself
// invalid, as opposed to the portfolio it belongs to.
func offlineRejects(rep report, file string, index int) bool {
	for _, f := range rep.Findings {
		if f.File == file && (f.Index == index || f.Index < 0) && f.Severity == severityError && objectChecks[f.Check] {
			return true
		}
	}
	return false
}

// catalogueNamespace gives each catalogue file a namespace of its own.
func catalogueNamespace(file string) string {
	name := "cat-" + strings.TrimSuffix(filepath.Base(file), ".yaml")
	if len(name) > 63 {
		name = strings.TrimRight(name[:63], "-")
	}
	return name
}

// badInputRow is one line of the docs/bad-input.md catalogue.
type badInputRow struct {
	entry   catalogueEntry
	finding finding
	server  serverVerdict
}

// rejectedBy names what refuses each check's problems, in table order.
var rejectedBy = []struct{ check, by string }{
	{checkParse, "YAML parser"},
	{"kind", "API discovery: no such kind or version"},
	{"unknown-field", "CRD schema, strict field validation"},
	{"metadata", "ObjectMeta rules"},
	{"schema", "CRD schema (OpenAPI)"},
	{"list-type", "CRD schema (list type)"},
	{"cel", "CEL rule (x-kubernetes-validations)"},
}

func rejectedByOf(check, severity string) (int, string) {
	for i, r := range rejectedBy {
		if r.check == check {
			return i, r.by
		}
	}
	if severity == severityWarning {
		return len(rejectedBy) + 1, "accordctl validate --strict (portfolio warning)"
	}
	return len(rejectedBy), "accordctl validate (portfolio)"
}

func renderBadInputTable(rows []badInputRow, docs, agree int) string {
	var b strings.Builder
	both, only := 0, 0
	for _, r := range rows {
		if objectChecks[r.entry.Check] {
			both++
		} else {
			only++
		}
	}
	fmt.Fprintf(&b, "%d broken files (%d documents; accordctl and the API server agree on %d of them): %d are rejected by both, %d only by `accordctl validate`.\n\n", len(rows), docs, agree, both, only)
	b.WriteString("| file | what is wrong | rejected by | `accordctl validate` says | API server (`kubectl apply --server-side`) |\n|---|---|---|---|---|\n")
	ordered := append([]badInputRow(nil), rows...)
	rank := func(r badInputRow) int { i, _ := rejectedByOf(r.entry.Check, r.entry.Severity); return i }
	slices.SortStableFunc(ordered, func(a, b badInputRow) int { return cmp.Compare(rank(a), rank(b)) })
	for _, r := range ordered {
		_, by := rejectedByOf(r.entry.Check, r.entry.Severity)
		server := "accepts"
		if r.server.Rejected {
			server = "rejects: " + cell(r.server.Message)
		}
		f := r.finding
		f.File = filepath.Base(f.File)
		fmt.Fprintf(&b, "| [%s](../internal/cli/%s) | %s | %s | `%s` | %s |\n",
			filepath.Base(r.entry.File), filepath.ToSlash(r.entry.File), cell(r.entry.Title), by, strings.ReplaceAll(f.String(), "|", `\|`), server)
	}
	return b.String()
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}
