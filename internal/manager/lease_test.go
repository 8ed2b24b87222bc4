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

package manager_test

import (
	"testing"
	"time"

	"github.com/accord-dev/accord/internal/manager"
)

func TestLeaseTimingsClientGoWouldRejectAreRefusedByName(t *testing.T) {
	for _, tc := range []struct {
		name                string
		lease, renew, retry time.Duration
		wantErr             string
	}{
		{name: "defaults", wantErr: ""},
		{name: "short timings the fault suite uses", lease: 4 * time.Second, renew: 3 * time.Second, retry: 500 * time.Millisecond},
		{name: "negative lease", lease: -time.Second, wantErr: "--leader-elect-lease-duration -1s: must be positive (or zero for the default)"},
		{name: "lease shorter than the default renew deadline", lease: 5 * time.Second,
			wantErr: "--leader-elect-lease-duration (5s) must be longer than --leader-elect-renew-deadline (10s)"},
		{name: "renew deadline within the retry period's jitter", lease: 4 * time.Second, renew: 3 * time.Second, retry: 2600 * time.Millisecond,
			wantErr: "--leader-elect-renew-deadline (3s) must be longer than 1.2 x --leader-elect-retry-period (2.6s)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := manager.DefaultOptions()
			opts.MetricsBindAddress, opts.HealthProbeBindAddress = "0", "0"
			opts.LeaderElection, opts.LeaderElectionNamespace = true, "default"
			opts.LeaseDuration, opts.RenewDeadline, opts.RetryPeriod = tc.lease, tc.renew, tc.retry
			_, err := manager.New(env.Config, opts)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("refused valid timings: %v", err)
			case tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr):
				t.Fatalf("got error %v, want %q", err, tc.wantErr)
			}
		})
	}
}
