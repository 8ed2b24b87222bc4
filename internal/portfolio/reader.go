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

package portfolio

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Reader returns the Secrets and ConfigMaps read with the set, for the
// credentials and CA bundles that live sources name. Nothing is read from
// a cluster.
func (s *Set) Reader() client.Reader { return fileReader{s} }

type fileReader struct{ s *Set }

var _ client.Reader = fileReader{}

// Get reads a Secret or ConfigMap by namespace and name.
func (r fileReader) Get(_ context.Context, k client.ObjectKey, obj client.Object, _ ...client.GetOption) error {
	var kind string
	switch obj.(type) {
	case *corev1.Secret:
		kind = "Secret"
	case *corev1.ConfigMap:
		kind = "ConfigMap"
	default:
		return fmt.Errorf("read %T %s: only Secrets and ConfigMaps are read from files", obj, k)
	}
	o, ok := r.s.others[Ref{kind, Key{k.Namespace, k.Name}}]
	if !ok || o.u.GetAPIVersion() != "v1" {
		return apierrors.NewNotFound(schema.GroupResource{Resource: kind}, k.Name)
	}
	raw, err := json.Marshal(o.u.Object)
	if err != nil {
		return fmt.Errorf("encode %s %s: %w", kind, k, err)
	}
	if err := json.Unmarshal(raw, obj); err != nil {
		return fmt.Errorf("decode %s %s: %w", kind, k, err)
	}
	// The API server folds stringData into data on write.
	if s, ok := obj.(*corev1.Secret); ok {
		for key, v := range s.StringData {
			if s.Data == nil {
				s.Data = map[string][]byte{}
			}
			s.Data[key] = []byte(v)
		}
	}
	return nil
}

// List is not needed by the sources and not supported.
func (fileReader) List(context.Context, client.ObjectList, ...client.ListOption) error {
	return fmt.Errorf("listing objects from files is not supported")
}
