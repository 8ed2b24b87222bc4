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
	"encoding/json"
	"testing"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// TestFloorStatusFitsEveryKind checks that the floor has a status for every
// kind and that it decodes as that kind's status with its Ready condition,
// so a new kind cannot silently be measured with an empty status.
func TestFloorStatusFitsEveryKind(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, kind := range v1.Kinds() {
		o := v1.New(kind)
		o.SetName("p00001")
		o.SetGeneration(3)
		b, err := json.Marshal(map[string]any{"status": floorStatus(o, now)})
		if err != nil {
			t.Fatal(err)
		}
		got := v1.New(kind)
		if err := json.Unmarshal(b, got); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if got.GetObservedGeneration() != 3 {
			t.Errorf("%s: floor status has observedGeneration %d, want 3", kind, got.GetObservedGeneration())
		}
		conds := got.GetConditions()
		if len(conds) < 2 || conds[0].Type != v1.ConditionReady {
			t.Errorf("%s: floor status has conditions %v, want Ready and the kind's own", kind, conds)
		}
	}
}
