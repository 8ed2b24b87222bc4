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

package demodata

import (
	"fmt"
	"strings"
	"time"
)

// History renders the telehealth gauge's past as OpenMetrics for
// `promtool tsdb create-blocks-from openmetrics`: one sample every six
// hours for the given number of days, ending three hours before now so the
// backfilled blocks never overlap what Prometheus scrapes live.
func History(now time.Time, days int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# HELP %s Share of telehealth video consults that connect on the first attempt, in percent.\n", VideoConnectMetric)
	fmt.Fprintf(&b, "# TYPE %s gauge\n", VideoConnectMetric)
	end := now.UTC().Add(-3 * time.Hour).Truncate(6 * time.Hour)
	for t := end.AddDate(0, 0, -days); !t.After(end); t = t.Add(6 * time.Hour) {
		fmt.Fprintf(&b, "%s{program=\"tele-consults\"} %g %d\n", VideoConnectMetric, VideoConnect.At(t), t.Unix())
	}
	b.WriteString("# EOF\n")
	return b.String()
}
