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
	"testing"

	. "github.com/onsi/gomega"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

func coverage(ctx context.Context, pf *v1.Portfolio) func() *v1.PortfolioCoverage {
	return func() *v1.PortfolioCoverage {
		_ = env.Client.Get(ctx, key(pf), pf)
		return pf.Status.Coverage
	}
}

func TestCoverageShowsAGapAndAnOverlapAndAShortfallInHours(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.portfolio.Spec.Needs = []v1.OfficeNeed{
		{Name: "transport", Priority: 3},
		{Name: "care-transitions", Priority: 1},
		{Name: "behavioral-health", Priority: 2},
	}
	f.partnership.Spec.Addresses = []string{"care-transitions", "transport"}
	f.partnership.Spec.Partners[0].StaffCommitments = []v1.StaffCommitment{{Role: "Care coordinator", HoursPerMonth: 40,
		Delivered: []v1.DeliveredHours{{PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Hours: 52, ReportedBy: "Valley Regional HR"}}}}
	f.partnership.Spec.Partners[0].Contributes = []v1.Exchange{
		{Kind: v1.ExchangeMoney, Description: "Care coordination fund", Amount: new(resource.MustParse("120000")), Unit: "USD per year"},
		{Kind: v1.ExchangeMoney, Description: "Transport vouchers", Amount: new(resource.MustParse("30000")), Unit: "USD per year"},
	}
	f.partnership.Spec.Partners[1].Receives = []v1.Exchange{{Kind: v1.ExchangeData, Description: "ADT notifications"}}
	f.create(ctx, t, true)
	second := f.partnership.DeepCopy()
	second.ObjectMeta = metav1.ObjectMeta{Namespace: f.ns, Name: "pine-transitions", Labels: f.partnership.Labels}
	second.Spec.Addresses = []string{"care-transitions"}
	second.Spec.Partners[0].StaffCommitments = nil
	second.Spec.Partners[0].Contributes = nil
	g.Expect(env.Client.Create(ctx, second)).To(Succeed())

	// The gap and the overlap, with names, highest priority first.
	g.Eventually(coverage(ctx, f.portfolio)).WithTimeout(timeout).WithPolling(poll).Should(And(
		HaveField("Gaps", []string{"behavioral-health"}),
		HaveField("Overlaps", []string{"care-transitions"}),
	))
	g.Expect(f.portfolio.Status.Coverage.Needs).To(Equal([]v1.NeedCoverage{
		{Name: "care-transitions", Priority: 1, Partnerships: []string{"pine-transitions", "valley-care"}},
		{Name: "behavioral-health", Priority: 2},
		{Name: "transport", Priority: 3, Partnerships: []string{"valley-care"}},
	}))
	// What each side gives and receives: money summed in its one unit,
	// 40 hours a month committed, 52 of 120 given.
	g.Eventually(func() []v1.PartnerExchange {
		_ = env.Client.Get(ctx, key(f.portfolio), f.portfolio)
		for _, ex := range f.portfolio.Status.Coverage.Partnerships {
			if ex.Name == "valley-care" {
				return ex.Partners
			}
		}
		return nil
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal([]v1.PartnerExchange{
		{Name: "Valley Regional Hospital", Gives: []v1.ExchangeTotal{{Kind: v1.ExchangeMoney, Unit: "USD per year", Amount: "150000", Items: 2}},
			CommittedHoursPerMonth: 40, DeliveredHours: ptr.To[int32](52), CommittedHours: ptr.To[int32](120), ShortRoles: []string{"Care coordinator"}},
		{Name: "Pine Ridge CHC", Receives: []v1.ExchangeTotal{{Kind: v1.ExchangeData, Items: 1, Descriptions: []string{"ADT notifications"}}}},
	}))

	// The shortfall in hours, on the partnership, in a sentence.
	g.Eventually(cond(ctx, f.partnership, v1.ConditionHoursDelivered)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/HoursShortfall"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"Valley Regional Hospital (Care coordinator) gave 52 of 120 committed hours in the quarter to 30 September 2026 (43%): below the 75% of committed hours the partnership expects")))
	g.Expect(f.partnership.Status.StaffTime).To(Equal([]v1.StaffTimeDelivery{{Partner: "Valley Regional Hospital", Role: "Care coordinator",
		PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", CommittedHours: 120, DeliveredHours: 52, Percent: 43, Short: true}}))

	// A need the portfolio does not declare: Ready False, the field named;
	// declaring it in the portfolio clears it (the partnership watches
	// its portfolios' specs).
	g.Expect(env.Client.Get(ctx, key(second), second)).To(Succeed())
	second.Spec.Addresses = []string{"care-transitions", "dental"}
	g.Expect(env.Client.Update(ctx, second)).To(Succeed())
	g.Eventually(cond(ctx, second, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/NeedNotDeclared"))
	g.Expect(second.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring(
		`spec.addresses[1]: Not found: "dental": Portfolio rural declares only behavioral-health, care-transitions, transport (spec.needs)`))))
	g.Expect(env.Client.Get(ctx, key(f.portfolio), f.portfolio)).To(Succeed())
	f.portfolio.Spec.Needs = append(f.portfolio.Spec.Needs, v1.OfficeNeed{Name: "dental", Priority: 4})
	g.Expect(env.Client.Update(ctx, f.portfolio)).To(Succeed())
	g.Eventually(cond(ctx, second, v1.ConditionReady)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/Evaluated"))

	// A delivery at the threshold clears the shortfall: 90 of 120 is 75%.
	g.Expect(env.Client.Get(ctx, key(f.partnership), f.partnership)).To(Succeed())
	f.partnership.Spec.Partners[0].StaffCommitments[0].Delivered[0].Hours = 90
	g.Expect(env.Client.Update(ctx, f.partnership)).To(Succeed())
	g.Eventually(cond(ctx, f.partnership, v1.ConditionHoursDelivered)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/CommitmentsKept"))
}

func TestBadNeedsAreRefusedByTheAPIServer(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		edit  func(f *fixture)
		want  string
		onPfs bool
	}{
		{"a priority out of range", func(f *fixture) { f.portfolio.Spec.Needs = []v1.OfficeNeed{{Name: "transport", Priority: 6}} },
			"spec.needs[0].priority: Invalid value: 6: priority must be from 1 (highest) to 5 (lowest)", true},
		{"duplicate need names", func(f *fixture) {
			f.portfolio.Spec.Needs = []v1.OfficeNeed{{Name: "transport", Priority: 1}, {Name: "transport", Priority: 2}}
		}, `spec.needs[1]: Duplicate value: {"name":"transport"}`, true},
		{"a need name that is not a DNS label", func(f *fixture) { f.portfolio.Spec.Needs = []v1.OfficeNeed{{Name: "Transport", Priority: 1}} },
			"spec.needs[0].name: Invalid value", true},
		{"an amount without a unit", func(f *fixture) {
			f.partnership.Spec.Partners[0].Contributes = []v1.Exchange{{Kind: v1.ExchangeMoney, Description: "Grant", Amount: new(resource.MustParse("5"))}}
		}, "spec.partners[0].contributes[0].unit: Invalid value: unit is required with amount", false},
		{"staff time with an amount", func(f *fixture) {
			f.partnership.Spec.Partners[0].Contributes = []v1.Exchange{{Kind: v1.ExchangeStaffTime, Description: "Nurse", Amount: new(resource.MustParse("5")), Unit: "hours"}}
		}, "a StaffTime item takes no amount", false},
		{"delivered hours ending before they start", func(f *fixture) {
			f.partnership.Spec.Partners[0].StaffCommitments = []v1.StaffCommitment{{Role: "Nurse", HoursPerMonth: 10,
				Delivered: []v1.DeliveredHours{{PeriodStart: "2026-09-30", PeriodEnd: "2026-07-01", Hours: 5, ReportedBy: "HR"}}}}
		}, "delivered[].periodStart must not be after periodEnd", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewWithT(t)
			f := newFixture(namespace(t))
			tc.edit(f)
			var err error
			if tc.onPfs {
				err = env.Client.Create(ctx, f.portfolio)
			} else {
				err = env.Client.Create(ctx, f.partnership)
			}
			g.Expect(err).To(MatchError(ContainSubstring(tc.want)))
		})
	}
}
