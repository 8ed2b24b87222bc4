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

package portfoliocheck

import (
	"strconv"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
)

// Object is one object of a test portfolio: Key is the test's handle for
// it, which its findings carry back; Origin is where it claims to be
// defined ("f.yaml#2"); Partial makes its spec unreadable.
type Object struct {
	Key     int
	Origin  string
	Obj     metav1.Object
	Partial bool
}

// keyed is a finding with the Key of its object.
type keyed struct {
	Finding
	Key int
}

// check reads the objects as accordctl validate does, as documents in
// their order, and runs Check.
func check(t *testing.T, objs []Object) []keyed {
	t.Helper()
	docs := make([]load.Document, len(objs))
	for i, o := range objs {
		m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(o.Obj)
		if err != nil {
			t.Fatal(err)
		}
		u := &unstructured.Unstructured{Object: m}
		u.SetAPIVersion(v1.GroupVersion.String())
		u.SetKind(v1.KindOf(o.Obj.(client.Object)))
		if o.Partial {
			u.Object["spec"] = "unreadable"
		}
		docs[i] = load.Document{Object: u}
		if file, index, ok := strings.Cut(o.Origin, "#"); ok {
			docs[i].File = file
			docs[i].Index, _ = strconv.Atoi(index)
		}
	}
	set, _ := portfolio.Read(docs, portfolio.Options{KeepPartial: true})
	found := Check(set)
	out := make([]keyed, 0, len(found))
	for _, f := range found {
		out = append(out, keyed{f, objs[f.At.Seq].Key})
	}
	return out
}
