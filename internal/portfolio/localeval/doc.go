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

// Package localeval judges Accord objects read from files, without a
// cluster, exactly as the operator would: given a portfolio.Set read with
// portfolio.Options.AsStored (the CRDs' own defaults applied, as the API
// server applies them), it calls package assess (the code the reconcilers
// call) for every object in dependency order (KPIs, sources, objectives,
// partnerships, portfolios, reviews), reading values reported in git and,
// when asked, live sources. It backs `accordctl evaluate` and `accordctl
// report`.
package localeval
