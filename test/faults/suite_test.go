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

package faults_test

// allFaults lists the suite, in the order it runs.
func allFaults() []fault {
	var out []fault
	for _, f := range sourceFaults {
		out = append(out, fault{name: f.name, short: f.short, run: runSourceFault(f)})
	}
	return append(out,
		fault{name: "PrometheusDown", run: runPrometheusDown},
		fault{name: "HostNotAllowed", short: true, run: runHostNotAllowed},
		fault{name: "EgressRefused", short: true, run: runEgressRefused},
		fault{name: "DNSRebinding", short: true, run: runDNSRebinding},
		fault{name: "SecretNotGiven", short: true, run: runSecretNotGiven},
		fault{name: "ReportedHugeValue", short: true, run: runReportedHugeValue},
		fault{name: "PrometheusBadData", short: true, run: runPrometheusBadData},
		fault{name: "Tarpit", short: true, run: runTarpit},
		fault{name: "HugeArray", run: runHugeArray},
		fault{name: "ManagerKilled", run: runManagerKilled},
		fault{name: "APIServerRestart", run: runAPIServerRestart},
		fault{name: "EtcdCompaction", run: runEtcdCompaction},
		fault{name: "ConflictingWriters", short: true, run: runConflictingWriters},
		fault{name: "ClockJump", short: true, run: runClockJump},
		fault{name: "Burst", short: true, run: runBurst},
	)
}
