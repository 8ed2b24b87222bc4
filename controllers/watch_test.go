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

package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

func TestOnlySpecChangesAndReconcileRequestsTriggerAReconcile(t *testing.T) {
	kpi := func(gen int64, annotations map[string]string, labels map[string]string) *v1.KPI {
		return &v1.KPI{ObjectMeta: metav1.ObjectMeta{Name: "k", Generation: gen, Annotations: annotations, Labels: labels}}
	}
	req := func(v string) map[string]string { return map[string]string{v1.ReconcileRequestAnnotation: v} }
	withStatus := kpi(1, req("a"), nil)
	withStatus.Status.LastValue = "17.2"
	for _, c := range []struct {
		name     string
		old, new *v1.KPI
		want     bool
	}{
		{"a spec change", kpi(1, nil, nil), kpi(2, nil, nil), true},
		{"a first reconcile request", kpi(1, nil, nil), kpi(1, req("a"), nil), true},
		{"a new reconcile request", kpi(1, req("a"), nil), kpi(1, req("b"), nil), true},
		{"the same request again", kpi(1, req("a"), nil), kpi(1, req("a"), nil), false},
		{"the request removed", kpi(1, req("a"), nil), kpi(1, nil, nil), false},
		{"the operator's own status write", kpi(1, req("a"), nil), withStatus, false},
		{"another annotation", kpi(1, req("a"), nil), kpi(1, map[string]string{v1.ReconcileRequestAnnotation: "a", "example.com/note": "x"}, nil), false},
		{"a label", kpi(1, nil, nil), kpi(1, nil, map[string]string{"team": "x"}), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := specOrRequestChanged().Update(event.UpdateEvent{ObjectOld: c.old, ObjectNew: c.new}); got != c.want {
				t.Errorf("update passes = %v, want %v", got, c.want)
			}
		})
	}
	if !specOrRequestChanged().Create(event.CreateEvent{Object: kpi(1, nil, nil)}) || !specOrRequestChanged().Delete(event.DeleteEvent{Object: kpi(1, nil, nil)}) {
		t.Error("creations and deletions must pass")
	}
}

func TestARequestIsAcknowledgedOnceAndOnlyWhenSet(t *testing.T) {
	p := func(annotation, handled string) *v1.Partnership {
		o := &v1.Partnership{}
		if annotation != "" {
			o.Annotations = map[string]string{v1.ReconcileRequestAnnotation: annotation}
		}
		o.Status.LastHandledReconcileAt = handled
		return o
	}
	for _, c := range []struct {
		name            string
		before, obj     *v1.Partnership
		changed         bool
		handledAfterAck string
	}{
		{"no request", p("", ""), p("", ""), false, ""},
		{"a new request", p("t1", ""), p("t1", ""), true, "t1"},
		{"a request handled before", p("t1", "t1"), p("t1", "t1"), false, "t1"},
		{"a newer request", p("t2", "t1"), p("t2", "t1"), true, "t2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := acknowledgeRequest(c.before, c.obj); got != c.changed {
				t.Errorf("acknowledgeRequest changed = %v, want %v", got, c.changed)
			}
			if got := c.obj.Status.LastHandledReconcileAt; got != c.handledAfterAck {
				t.Errorf("lastHandledReconcileAt = %q, want %q", got, c.handledAfterAck)
			}
		})
	}
}
