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

package fetch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
)

// zeros serves {"value":1,"pad":[0,0,...]} of about size bytes, written
// in chunks so that the server holds no copy of it: the array of zeros is
// the answer that costs the most heap per byte to decode.
func zeros(t *testing.T, size int) *httptest.Server {
	chunk := []byte(strings.Repeat("0,", 32<<10))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"value":1,"pad":[`)
		for n := 0; n < size; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		_, _ = fmt.Fprint(w, `0]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// peakHeap runs f and returns the most heap in use above what was in use
// before it, sampled every millisecond.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			var s runtime.MemStats
			runtime.ReadMemStats(&s)
			if s.HeapInuse > base && s.HeapInuse-base > peak.Load() {
				peak.Store(s.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return peak.Load()
}

func bigSource(endpoint string, maxBytes int64) *v1.MetricSource {
	src := plainSource("ns", "big", endpoint, "60s")
	src.Spec.MaxResponseBytes = maxBytes
	return src
}

// Issue 18, test 6: a 64 MiB array answer, with spec.maxResponseBytes at
// its 64 MiB maximum, is refused by the operator's ceiling, or with the
// ceiling raised to 64 MiB by the budget of bytes in flight, and the heap
// stays under a stated bound; an answer within the budget is decoded, and
// eight of them at once stay within the budget too.
func TestA64MiBArrayStaysWithinTheMemoryBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MiB")
	}
	const mib = 1 << 20
	huge := zeros(t, 64*mib)
	q := &v1.KPISource{Query: "/", JSONPath: "{.value}"}
	for _, c := range []struct {
		name              string
		ceiling, inFlight int64
		want              string
		bound             uint64
	}{
		// Refused once the answer passes the 4 MiB ceiling: the body read
		// so far is all the heap holds.
		{"the default ceiling", 0, 0, "--max-response-bytes", 32 * mib},
		// Refused once the body read would take more than the 256 MiB
		// budget decoded (about 7.8 MiB of it).
		{"the budget, with the ceiling at 64 MiB", 64 * mib, 0, "--max-bytes-in-flight", 64 * mib},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := poolFetcher(fetch.Options{MaxResponseBytes: c.ceiling, MaxBytesInFlight: c.inFlight, Wait: -1})
			var err error
			peak := peakHeap(func() { _, err = f.Fetch(context.Background(), bigSource(huge.URL, 64*mib), q) })
			var se *sources.Error
			if !errors.As(err, &se) || se.Reason() != sources.ReasonResponseTooLarge || !strings.Contains(se.Error(), c.want) {
				t.Fatalf("a 64 MiB answer: %v; want ResponseTooLarge naming %s", err, c.want)
			}
			t.Logf("64 MiB array refused by %s: peak heap above the start %d MiB (bound %d MiB)", c.want, peak/mib, c.bound/mib)
			if peak > c.bound {
				t.Errorf("peak heap %d MiB above the start; bound %d MiB", peak/mib, c.bound/mib)
			}
		})
	}

	t.Run("answers within the budget, one and eight at once", func(t *testing.T) {
		const size = 6 * mib
		srv := zeros(t, size)
		f := poolFetcher(fetch.Options{MaxResponseBytes: 8 * mib, Wait: -1})
		var obs float64
		var err error
		one := peakHeap(func() {
			r, e := f.Fetch(context.Background(), bigSource(srv.URL, 8*mib), q)
			obs, err = r.Value, e
		})
		if err != nil || obs != 1 {
			t.Fatalf("a 6 MiB answer within the budget: %v, %v", obs, err)
		}
		factor := float64(one) / size
		t.Logf("a 6 MiB array of zeros decoded: peak heap %d MiB above the start, %.1f bytes per byte received (sources.DecodeFactor is %d)", one/mib, factor, sources.DecodeFactor)
		if factor > sources.DecodeFactor+1 {
			t.Errorf("decoding took %.1f bytes per byte; the budget charges %d", factor, sources.DecodeFactor+1)
		}
		// Eight 1 MiB answers at once against a 64 MiB budget: each is
		// charged 41 MiB, so they are decoded one after another. The heap
		// also holds what the collector has not yet reclaimed of the ones
		// before, up to as much again as is live (GOGC=100): the bound is
		// twice the budget.
		const budget = 64 * mib
		small := zeros(t, mib)
		g := poolFetcher(fetch.Options{MaxBytesInFlight: budget, Wait: -1})
		eight := peakHeap(func() {
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Go(func() {
					if _, err := g.Fetch(context.Background(), bigSource(small.URL, 2*mib), &v1.KPISource{Query: fmt.Sprintf("/%d", i), JSONPath: "{.value}"}); err != nil {
						t.Errorf("answer %d: %v", i, err)
					}
				})
			}
			wg.Wait()
		})
		t.Logf("eight 1 MiB arrays at once, budget %d MiB: peak heap %d MiB above the start (bound %d MiB)", budget/mib, eight/mib, 2*budget/mib)
		if eight > 2*budget {
			t.Errorf("eight answers at once took %d MiB of heap; the budget is %d MiB", eight/mib, budget/mib)
		}
	})
}
