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

package fetch

import (
	"context"
	"sync"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// defaultConcurrency is a source's slots when spec.maxConcurrency is unset.
const defaultConcurrency = 4

// slots bounds the requests in flight per source (spec.maxConcurrency).
type slots struct {
	mu sync.Mutex
	m  map[string]chan struct{} // by "namespace/name"
}

// acquire waits for a free slot of src; release it with the returned
// function. It fails when ctx ends first.
func (s *slots) acquire(ctx context.Context, src *v1.MetricSource) (release func(), err error) {
	slot := s.of(src)
	select {
	case slot <- struct{}{}:
		return func() { <-slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *slots) of(src *v1.MetricSource) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]chan struct{}{}
	}
	k := sourceName(src)
	n := int(src.Spec.MaxConcurrency)
	if n < 1 {
		n = defaultConcurrency
	}
	c, ok := s.m[k]
	if !ok || cap(c) != n {
		// A new limit takes a new channel; requests holding the old one
		// release it, and it is garbage once they have.
		c = make(chan struct{}, n)
		s.m[k] = c
	}
	return c
}

// forget drops the slots of a deleted source.
func (s *slots) forget(source string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, source)
}

func (s *slots) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
