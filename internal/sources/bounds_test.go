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
	"testing"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// Objects stored before the CRD's bounds existed (or read from files
// offline) are clamped: a "5200w" timeout cannot hold a fetch worker for
// a century, a "0s" minInterval cannot make every evaluation a request.
func TestDurationsOutsideTheCRDBoundsAreClamped(t *testing.T) {
	cases := []struct {
		timeout, minInterval v1.Duration
		wantTimeout, wantMin time.Duration
	}{
		{"", "", DefaultTimeout, time.Minute},
		{"5s", "5m", 5 * time.Second, 5 * time.Minute},
		{"5200w", "0s", MaxTimeout, MinMinInterval},
		{"61s", "1ms", MaxTimeout, MinMinInterval},
		{"0s", "10s", DefaultTimeout, 10 * time.Second},
	}
	for _, c := range cases {
		src := &v1.MetricSource{Spec: v1.MetricSourceSpec{Timeout: c.timeout, MinInterval: c.minInterval}}
		if got := Timeout(src); got != c.wantTimeout {
			t.Errorf("timeout %q: %s, want %s", c.timeout, got, c.wantTimeout)
		}
		if got := MinInterval(src); got != c.wantMin {
			t.Errorf("minInterval %q: %s, want %s", c.minInterval, got, c.wantMin)
		}
	}
}
