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
	"math/rand/v2"
	"time"
)

// Backoff after consecutive failures: 30s doubling to 30m, with up to 20%
// jitter so that many KPIs on one broken source do not retry in lockstep.
const (
	backoffBase = 30 * time.Second
	backoffMax  = 30 * time.Minute
)

// backoff is how long to wait after the given number of consecutive
// failures (at least 1) before asking the source again.
func backoff(failures int) time.Duration {
	d := backoffBase
	for i := 1; i < failures && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}
