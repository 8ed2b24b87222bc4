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
	"errors"
	"sync"
	"time"

	"github.com/accord-dev/accord/internal/sources"
)

// outcomes keeps the result of the latest request to each source, for its
// MetricSource status.
type outcomes struct {
	mu sync.Mutex
	m  map[string]sources.Outcome // by "namespace/name"
}

// record keeps the outcome of a request to source made at at, and
// reports whether it differs from the one before for the source's status:
// success to failure, another reason or message, or back.
func (o *outcomes) record(source string, at time.Time, err error) (changed bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string]sources.Outcome{}
	}
	prev := o.m[source]
	cur := prev
	cur.LastAttempt = at
	cur.Reason, cur.Error = "", ""
	if err != nil {
		cur.Reason, cur.Error = string(sources.ReasonSourceUnreachable), err.Error()
		if se, ok := errors.AsType[*sources.Error](err); ok {
			cur.Reason = string(se.Reason())
		}
	} else {
		cur.LastSuccess = at
	}
	o.m[source] = cur
	return prev.Reason != cur.Reason || prev.Error != cur.Error || prev.LastSuccess.IsZero() != cur.LastSuccess.IsZero()
}

func (o *outcomes) get(source string) (sources.Outcome, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	out, ok := o.m[source]
	return out, ok
}

func (o *outcomes) forget(source string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	delete(o.m, source)
}

func (o *outcomes) len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.m)
}
