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

// Package assess is the operator's judgement on one Accord object: it
// converts the object and what it depends on (its KPIs, objectives,
// reviews, source) into the inputs of the evaluate package, calls it, and
// writes the verdict into the object's status and conditions.
//
// The reconcilers gather those inputs from the cluster; `accordctl
// evaluate` gathers them from files. Both call this package, so the
// conditions the CLI prints are the ones the operator would write.
package assess
