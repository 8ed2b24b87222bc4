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

package bench

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Gatherer reads the manager's metrics: in-process, controller-runtime's
// global registry (sigs.k8s.io/controller-runtime/pkg/metrics.Registry).
type Gatherer = prometheus.Gatherer

// Sum adds up the counter and gauge samples of a metric family whose
// labels include want.
func Sum(g Gatherer, name string, want map[string]string) (float64, error) {
	families, err := g.Gather()
	if err != nil {
		return 0, fmt.Errorf("gather metrics: %w", err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !hasLabels(m, want) {
				continue
			}
			total += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return total, nil
}

func hasLabels(m *dto.Metric, want map[string]string) bool {
	got := map[string]string{}
	for _, l := range m.GetLabel() {
		got[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// Histogram is a cumulative histogram: the count of observations at or
// below each upper bound, as Prometheus keeps them.
type Histogram struct {
	Bounds []float64
	Counts []float64
	Count  float64
}

// ReadHistogram returns the histogram of a metric family for the samples
// whose labels include want (summed when several match).
func ReadHistogram(g Gatherer, name string, want map[string]string) (Histogram, error) {
	families, err := g.Gather()
	if err != nil {
		return Histogram{}, fmt.Errorf("gather metrics: %w", err)
	}
	var h Histogram
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if !hasLabels(m, want) || m.GetHistogram() == nil {
				continue
			}
			mh := m.GetHistogram()
			if h.Bounds == nil {
				for _, b := range mh.GetBucket() {
					h.Bounds = append(h.Bounds, b.GetUpperBound())
				}
				h.Counts = make([]float64, len(h.Bounds))
			}
			for i, b := range mh.GetBucket() {
				if i < len(h.Counts) {
					h.Counts[i] += float64(b.GetCumulativeCount())
				}
			}
			h.Count += float64(mh.GetSampleCount())
		}
	}
	return h, nil
}

// Sub returns the observations h holds beyond earlier's, for a window.
func (h Histogram) Sub(earlier Histogram) Histogram {
	out := Histogram{Bounds: h.Bounds, Counts: make([]float64, len(h.Counts)), Count: h.Count - earlier.Count}
	for i := range h.Counts {
		out.Counts[i] = h.Counts[i]
		if i < len(earlier.Counts) {
			out.Counts[i] -= earlier.Counts[i]
		}
	}
	return out
}

// Quantile estimates the q-quantile (0 < q < 1) by linear interpolation
// within the bucket that holds it, as PromQL's histogram_quantile does.
// It is NaN without observations; observations above the last bound
// report that bound.
func (h Histogram) Quantile(q float64) float64 {
	if h.Count == 0 || len(h.Bounds) == 0 {
		return math.NaN()
	}
	rank := q * h.Count
	i, _ := slices.BinarySearch(h.Counts, rank)
	if i == len(h.Counts) {
		return h.Bounds[len(h.Bounds)-1]
	}
	lower, below := 0.0, 0.0
	if i > 0 {
		lower, below = h.Bounds[i-1], h.Counts[i-1]
	}
	inBucket := h.Counts[i] - below
	if inBucket == 0 {
		return h.Bounds[i]
	}
	return lower + (h.Bounds[i]-lower)*(rank-below)/inBucket
}

// Memory is the process's memory after a full garbage collection.
type Memory struct {
	// HeapInuse is runtime.MemStats.HeapInuse: bytes in in-use spans.
	HeapInuse uint64
	// RSS is VmRSS from /proc/self/status, after returning free memory
	// to the operating system.
	RSS uint64
}

// ReadMemory collects garbage, returns free memory to the OS and reads
// the heap and resident set.
func ReadMemory() (Memory, error) {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss, err := vmRSS("/proc/self/status")
	if err != nil {
		return Memory{}, err
	}
	return Memory{HeapInuse: ms.HeapInuse, RSS: rss}, nil
}

// vmRSS reads the VmRSS line ("VmRSS:   123456 kB") of a proc status file.
func vmRSS(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && fields[0] == "VmRSS:" && fields[2] == "kB" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: VmRSS %q: %w", path, fields[1], err)
			}
			return kb * 1024, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	return 0, fmt.Errorf("%s has no VmRSS line", path)
}

// CPUTime is the CPU time (user plus system) this process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
