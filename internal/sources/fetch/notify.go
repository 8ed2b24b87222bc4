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
	"context"
	"sync"

	"sigs.k8s.io/controller-runtime/pkg/event"
)

// Notifier tells its subscribers about messages of type T (a changed
// answer, a changed source outcome) without ever blocking the sender and
// without losing a message: while a subscriber is behind, a message equal
// to one still waiting for it is coalesced with it rather than queued
// twice, and nothing is dropped. Messages are events so that a subscriber
// can hand its channel to controller-runtime's source.Channel as is.
type Notifier[T comparable] struct {
	mu   sync.Mutex
	subs []*subscriber[T]
}

type subscriber[T comparable] struct {
	out chan event.TypedGenericEvent[T]
	// wake holds a token when queue has messages for the forwarder.
	wake chan struct{}

	mu sync.Mutex
	// waiting holds every message not yet handed to out, including the
	// one the forwarder is sending: equal messages coalesce with it.
	waiting map[T]struct{}
	queue   []T
}

// Subscribe returns a channel that receives every message notified from
// now on, until ctx ends. buffer is the channel's capacity; messages
// beyond it wait, coalesced, until the receiver catches up.
func (n *Notifier[T]) Subscribe(ctx context.Context, buffer int) <-chan event.TypedGenericEvent[T] {
	s := &subscriber[T]{
		out:     make(chan event.TypedGenericEvent[T], buffer),
		wake:    make(chan struct{}, 1),
		waiting: map[T]struct{}{},
	}
	n.mu.Lock()
	n.subs = append(n.subs, s)
	n.mu.Unlock()
	go func() {
		s.forward(ctx)
		n.mu.Lock()
		defer n.mu.Unlock()
		for i, o := range n.subs {
			if o == s {
				n.subs = append(n.subs[:i], n.subs[i+1:]...)
				break
			}
		}
	}()
	return s.out
}

// Notify hands v to every subscriber. It never blocks.
func (n *Notifier[T]) Notify(v T) {
	n.mu.Lock()
	subs := n.subs
	n.mu.Unlock()
	for _, s := range subs {
		s.add(v)
	}
}

func (s *subscriber[T]) add(v T) {
	s.mu.Lock()
	if _, ok := s.waiting[v]; ok {
		s.mu.Unlock()
		return // coalesced with the one waiting
	}
	if len(s.waiting) == 0 {
		// Nothing waits before it: straight into the channel if there is
		// room, so a receiver that keeps up sees it when Notify returns.
		select {
		case s.out <- event.TypedGenericEvent[T]{Object: v}:
			s.mu.Unlock()
			return
		default:
		}
	}
	s.waiting[v] = struct{}{}
	s.queue = append(s.queue, v)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default: // a token is there already
	}
}

// forward moves waiting messages to out, oldest first, until ctx ends.
func (s *subscriber[T]) forward(ctx context.Context) {
	for {
		s.mu.Lock()
		if len(s.queue) == 0 {
			s.queue = nil // let a burst's backing array go
			s.mu.Unlock()
			select {
			case <-s.wake:
				continue
			case <-ctx.Done():
				return
			}
		}
		v := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		select {
		case s.out <- event.TypedGenericEvent[T]{Object: v}:
		case <-ctx.Done():
			return
		}
		s.mu.Lock()
		delete(s.waiting, v)
		s.mu.Unlock()
	}
}

// waiting counts the messages not yet handed to out, for tests.
func (n *Notifier[T]) waiting() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	total := 0
	for _, s := range n.subs {
		s.mu.Lock()
		total += len(s.waiting)
		s.mu.Unlock()
	}
	return total
}
