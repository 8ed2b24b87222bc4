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

package sources

import (
	"context"
	"io"
	"sync"

	"golang.org/x/sync/semaphore"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Memory limits on answers, the operator's flags.
const (
	// DefaultMaxResponseBytes is spec.maxResponseBytes when unset.
	DefaultMaxResponseBytes = 1 << 20
	// DefaultResponseCeiling is --max-response-bytes: no source's answer
	// may be larger, whatever its spec.maxResponseBytes (at most 64 MiB).
	DefaultResponseCeiling = 4 << 20
	// DefaultBytesInFlight is --max-bytes-in-flight: the memory every
	// answer being read or decoded may take at once, counted as
	// DecodeFactor+1 bytes per byte received.
	DefaultBytesInFlight = 256 << 20
	// DecodeFactor is how many bytes of heap reading and decoding one byte
	// of JSON may take beyond the byte itself: an array of zeros, the worst
	// case measured, took 34.7 in all, the body and the decoder's copy of
	// it included (internal/sources/fetch/memory_test.go).
	DecodeFactor = 40
)

// MaxBytes is the largest answer src may send: its spec.maxResponseBytes
// (DefaultMaxResponseBytes when unset), never over ceiling (when
// positive).
func MaxBytes(src *v1.MetricSource, ceiling int64) int64 {
	n := src.Spec.MaxResponseBytes
	if n <= 0 {
		n = DefaultMaxResponseBytes
	}
	if ceiling > 0 {
		n = min(n, ceiling)
	}
	return n
}

// Budget bounds the memory answers take at once, across every request:
// each byte received is charged DecodeFactor+1 bytes, for the body and
// what decoding it builds, until the request is closed. A request that
// would need more than the whole budget fails with ResponseTooLarge; one
// that needs what others hold waits for them, within its deadline.
type Budget struct {
	size int64
	sem  *semaphore.Weighted
}

// NewBudget makes a budget of size bytes (DefaultBytesInFlight if not
// positive).
func NewBudget(size int64) *Budget {
	if size <= 0 {
		size = DefaultBytesInFlight
	}
	return &Budget{size: size, sem: semaphore.NewWeighted(size)}
}

// Size is the budget in bytes.
func (b *Budget) Size() int64 { return b.size }

// WithBudget returns req charging what it reads to b; Close gives it back.
func (req Request) WithBudget(b *Budget) Request {
	req.charge = &charge{budget: b}
	return req
}

// charge is what one request holds of a Budget.
type charge struct {
	budget *Budget
	mu     sync.Mutex
	held   int64
}

// errOverBudget is a read that would take more than the whole budget.
var errOverBudget = Errorf(ReasonResponseTooLarge, "the answer needs more memory than the operator allows for answers in flight (--max-bytes-in-flight); it was refused")

// take charges n bytes received.
func (c *charge) take(ctx context.Context, n int) error {
	if c == nil || n <= 0 {
		return nil
	}
	cost := int64(n) * (DecodeFactor + 1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held+cost > c.budget.size {
		return errOverBudget
	}
	if c.budget.sem.TryAcquire(cost) {
		c.held += cost
		return nil
	}
	// Wait holding nothing, for all of it at once: requests that each held
	// part of the budget while waiting for more could wait for each other
	// until their deadlines.
	c.budget.sem.Release(c.held)
	want := c.held + cost
	c.held = 0
	if err := c.budget.sem.Acquire(ctx, want); err != nil {
		return Errorf(ReasonTimeout, "the request timed out waiting for memory to read the answer (--max-bytes-in-flight)")
	}
	c.held = want
	return nil
}

// release gives back everything charged.
func (c *charge) release() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held > 0 { // nothing while it waits in take
		c.budget.sem.Release(c.held)
		c.held = 0
	}
}

// chargedReader charges every byte read from r.
type chargedReader struct {
	ctx context.Context
	r   io.Reader
	c   *charge
}

func (cr chargedReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	if cerr := cr.c.take(cr.ctx, n); cerr != nil {
		return 0, cerr
	}
	return n, err
}
