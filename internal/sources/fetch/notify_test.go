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
	"fmt"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/event"
)

func TestAFullNotifierCoalescesAndNeverDropsAPair(t *testing.T) {
	ctx := t.Context()
	var n Notifier[Pair]
	ch := n.Subscribe(ctx, 1)
	pairs := make([]Pair, 1000)
	for i := range pairs {
		pairs[i] = Pair{Namespace: "ns", Source: "partner", Key: fmt.Sprintf("q%d", i)}
	}
	// Five rounds of news for every pair while nobody reads: 5,000
	// notifications into a buffer of one. None may block.
	for range 5 {
		for _, p := range pairs {
			n.Notify(p)
		}
	}
	// The buffer holds the first; every pair waits once, coalesced.
	if w := n.waiting(); w != len(pairs) {
		t.Fatalf("%d messages waiting after 5 rounds of %d pairs; want each pair once", w, len(pairs))
	}
	seen := map[Pair]int{}
	for range 1 + len(pairs) {
		select {
		case e := <-ch:
			seen[e.Object]++
		case <-time.After(10 * time.Second): // a hang, not a sleep: the messages are due at once
			t.Fatalf("only %d pairs delivered", len(seen))
		}
	}
	for _, p := range pairs {
		if seen[p] == 0 {
			t.Errorf("pair %s was dropped", p.Key)
		}
	}
	if seen[pairs[0]] != 2 {
		t.Errorf("the first pair came %d times; want twice (once in the buffer, once coalesced after it)", seen[pairs[0]])
	}
	select {
	case e := <-ch:
		t.Errorf("an extra message %+v: 5,000 notifications must coalesce into %d", e.Object, 1+len(pairs))
	default:
	}
}

func TestANotifierDeliversToEverySubscriberInOrder(t *testing.T) {
	ctx := t.Context()
	var n Notifier[string]
	a, b := n.Subscribe(ctx, 4), n.Subscribe(ctx, 4)
	for _, s := range []string{"x", "y", "z"} {
		n.Notify(s)
	}
	for name, ch := range map[string]<-chan event.TypedGenericEvent[string]{"first": a, "second": b} {
		for _, want := range []string{"x", "y", "z"} {
			if got := (<-ch).Object; got != want {
				t.Errorf("%s subscriber got %q; want %q", name, got, want)
			}
		}
	}
}
