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

package controllers_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/packaging/manifests"
)

// shardOf assigns the samples to two shards by partnership: the Medicaid
// programme and the sources only it could use go to shard b, the rest to
// shard a. One extra object carries no shard label at all.
func shardOf(u *unstructured.Unstructured) string {
	name := u.GetName()
	switch {
	case strings.HasPrefix(name, "mpop-") || name == "medicaid-population-health" ||
		name == "network-prometheus" || name == "heartland-quality-fhir":
		return "b"
	default:
		return "a"
	}
}

// statusWriters lists the field managers that wrote an object's status.
func statusWriters(u *unstructured.Unstructured) []string {
	var out []string
	for _, m := range u.GetManagedFields() {
		if m.Subresource == "status" {
			out = append(out, m.Manager)
		}
	}
	slices.Sort(out)
	return out
}

func TestTwoShardsConvergeAPortfolioAndNeverWriteTheSameObject(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	ns := namespace(t)
	objs, err := manifests.Build(filepath.Join(env.Root, "config", "samples"))
	g.Expect(err).NotTo(HaveOccurred())
	var all []*unstructured.Unstructured
	for _, u := range objs {
		u.SetNamespace(ns)
		setLabel(u, shardOf(u))
		all = append(all, u)
		// Each shard rolls up its own portfolio: give shard b a copy.
		if u.GetKind() == "Portfolio" {
			b := u.DeepCopy()
			b.SetName(u.GetName() + "-b")
			setLabel(b, "b")
			all = append(all, b)
		}
	}
	// An object no shard owns stays untouched.
	orphan := all[0].DeepCopy()
	orphan.SetName("no-shard-" + orphan.GetName())
	labels := orphan.GetLabels()
	delete(labels, manager.ShardLabel)
	orphan.SetLabels(labels)
	for _, u := range append(all, orphan) {
		g.Expect(env.Client.Create(ctx, u)).To(Succeed(), "%s/%s", u.GetKind(), u.GetName())
	}

	clk := newClock()
	// Each shard elects its own leader; both must win for both to work.
	_, a := startManagerWith(t, clk, managerSpec{namespaces: []string{ns}, shard: manager.ShardLabel + "=a", userAgent: "accord-shard-a", leaderElection: true})
	_, b := startManagerWith(t, clk, managerSpec{namespaces: []string{ns}, shard: manager.ShardLabel + "=b", userAgent: "accord-shard-b", leaderElection: true})
	for _, m := range []interface{ Elected() <-chan struct{} }{a, b} {
		g.Eventually(m.Elected()).WithTimeout(timeout).Should(BeClosed())
	}

	// Converged: every sharded object has a Ready condition for its
	// generation, written by its own shard only.
	g.Eventually(func() []string {
		var pending []string
		for _, u := range all {
			got := &unstructured.Unstructured{}
			got.SetGroupVersionKind(u.GroupVersionKind())
			if err := env.Client.Get(ctx, client.ObjectKeyFromObject(u), got); err != nil {
				return []string{err.Error()}
			}
			og, _, _ := unstructured.NestedInt64(got.Object, "status", "observedGeneration")
			if og != got.GetGeneration() || !hasCondition(got, "Ready") {
				pending = append(pending, u.GetKind()+"/"+u.GetName())
			}
		}
		return pending
	}).WithTimeout(timeout).WithPolling(poll).Should(BeEmpty())

	for _, u := range all {
		got := &unstructured.Unstructured{}
		got.SetGroupVersionKind(u.GroupVersionKind())
		g.Expect(env.Client.Get(ctx, client.ObjectKeyFromObject(u), got)).To(Succeed())
		want := []string{"accord-shard-" + got.GetLabels()[manager.ShardLabel]}
		g.Expect(statusWriters(got)).To(Equal(want), "status writers of %s/%s", u.GetKind(), u.GetName())
	}
	got := &unstructured.Unstructured{}
	got.SetGroupVersionKind(orphan.GroupVersionKind())
	g.Expect(env.Client.Get(ctx, client.ObjectKeyFromObject(orphan), got)).To(Succeed())
	g.Expect(statusWriters(got)).To(BeEmpty(), "an object outside every shard was written")

	// Each shard's portfolio counts only its own partnerships.
	for name, want := range map[string]int64{"rural-network": 4, "rural-network-b": 1} { // shard a holds the prospect too
		pf := &unstructured.Unstructured{}
		pf.SetGroupVersionKind(orphan.GroupVersionKind().GroupVersion().WithKind("Portfolio"))
		pf.SetNamespace(ns)
		pf.SetName(name)
		g.Eventually(func() int64 {
			_ = env.Client.Get(ctx, client.ObjectKeyFromObject(pf), pf)
			n, _, _ := unstructured.NestedInt64(pf.Object, "status", "partnerships", "total")
			return n
		}).WithTimeout(timeout).WithPolling(poll).Should(Equal(want), "portfolio %s", name)
	}
}

// setLabel puts u in a shard, keeping its other labels.
func setLabel(u *unstructured.Unstructured, shard string) {
	l := u.GetLabels()
	if l == nil {
		l = map[string]string{}
	}
	l[manager.ShardLabel] = shard
	u.SetLabels(l)
}

func hasCondition(u *unstructured.Unstructured, typ string) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok && m["type"] == typ {
			return true
		}
	}
	return false
}
