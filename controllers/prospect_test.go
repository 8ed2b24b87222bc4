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
	"strconv"
	"testing"
	"time"

	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
)

// standings reads a partnership's ranking as "name rank score state".
func standings(ctx context.Context, p *v1.Partnership) func() []string {
	return func() []string {
		if err := env.Client.Get(ctx, key(p), p); err != nil {
			return []string{"get: " + err.Error()}
		}
		var out []string
		for _, c := range p.Status.Candidates {
			out = append(out, c.Name+" "+itoa(c.Rank)+" "+itoa(c.Score)+" "+string(c.Assessment))
		}
		return out
	}
}

func itoa(p *int32) string {
	if p == nil {
		return "-"
	}
	return strconv.Itoa(int(*p))
}

func TestAProspectRanksItsCandidatesByThePortfoliosWeightsAndFlagsAnOldAssessment(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.portfolio.Spec.CandidateWeights = &v1.CandidateWeights{MissionAlignment: 30, Reach: 15, PopulationsServed: 20, FinancialStability: 15, Reputation: 10, Culture: 10}
	prospect := &v1.Partnership{
		ObjectMeta: metav1.ObjectMeta{Namespace: f.ns, Name: "behavioral-health", Labels: map[string]string{"portfolio.accord.dev/portfolio": "rural"}},
		Spec: v1.PartnershipSpec{
			DisplayName:  "Behavioral health partner",
			DesiredPhase: v1.PhaseProspect,
			Partners:     []v1.Partner{{Name: "Valley Regional Hospital", Role: "Convener", Lead: true}},
			Candidates: []v1.Candidate{
				// 30×4 + 15×5 + 20×5 + 15×4 + 10×3 + 10×3 = 415 → 4.15 of 5 → 83.
				{Name: "Basin Community Clinics", Assessment: &v1.PartnerAssessment{MissionAlignment: 4, Reach: 5, PopulationsServed: 5,
					FinancialStability: 4, Reputation: 3, Culture: ptr.To[int32](3), AssessedOn: "2026-06-10"}},
				// 30×5 + 15×4 + 20×4 + 15×3 + 10×4 + 10×5 = 425 → 4.25 of 5 → 85;
				// a year old on 2026-11-26, outdated from 2026-11-27.
				{Name: "Frontier Behavioral Health", Assessment: &v1.PartnerAssessment{MissionAlignment: 5, Reach: 4, PopulationsServed: 4,
					FinancialStability: 3, Reputation: 4, Culture: ptr.To[int32](5), AssessedOn: "2025-11-26"}},
			},
		},
	}
	// Created without agreement terms: none exist yet.
	g.Expect(env.Client.Create(ctx, prospect)).To(Succeed())
	g.Expect(env.Client.Create(ctx, f.portfolio)).To(Succeed())

	g.Eventually(standings(ctx, prospect)).WithTimeout(timeout).WithPolling(poll).Should(Equal([]string{
		"Frontier Behavioral Health 1 85 Current", "Basin Community Clinics 2 83 Current"}))
	g.Expect(prospect.Status.Phase).To(Equal(v1.PhaseProspect))
	g.Expect(prospect.Status.RankedBy).To(Equal("rural"))
	g.Expect(prospect.Status.NextReviewDate).To(BeEmpty())
	g.Expect(cond(ctx, prospect, v1.ConditionHealthy)()).To(Equal("False/Prospect"))
	g.Expect(cond(ctx, prospect, v1.ConditionAtRisk)()).To(Equal("False/Prospect"))
	g.Expect(cond(ctx, prospect, v1.ConditionReviewDue)()).To(Equal("False/Prospect"))
	g.Expect(prospect.Status.Conditions).To(ContainElement(HaveField("Message",
		"A prospect, before its agreement: not judged. Candidates ranked by the weights of portfolio rural: "+
			"1. Frontier Behavioral Health (85 of 100), 2. Basin Community Clinics (83 of 100).")))
	g.Eventually(func() v1.ConditionCounts {
		_ = env.Client.Get(ctx, key(f.portfolio), f.portfolio)
		return f.portfolio.Status.Partnerships
	}).WithTimeout(timeout).WithPolling(poll).Should(Equal(v1.ConditionCounts{Total: 1, Prospects: 1}))
	g.Expect(cond(ctx, f.portfolio, v1.ConditionAtRisk)()).To(Equal("False/NoPartnerships"))

	// Two days on, Frontier's assessment is more than a year old: still
	// first, flagged in the status and the condition's message.
	clk.SetTime(time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, prospect)
	g.Eventually(standings(ctx, prospect)).WithTimeout(timeout).WithPolling(poll).Should(Equal([]string{
		"Frontier Behavioral Health 1 85 Outdated", "Basin Community Clinics 2 83 Current"}))
	g.Expect(prospect.Status.Conditions).To(ContainElement(HaveField("Message", ContainSubstring(
		"The assessment of Frontier Behavioral Health, made on 2025-11-26, is older than 1 year: reassess it."))))

	// The office changes its priorities on the Portfolio: the prospect is
	// ranked again without being touched. Reach 40, populations 30:
	// Basin 40+200+150+40+15+15 = 460 → 92; Frontier 50+160+120+30+20+25
	// = 405 → 81.
	g.Expect(env.Client.Get(ctx, key(f.portfolio), f.portfolio)).To(Succeed())
	f.portfolio.Spec.CandidateWeights = &v1.CandidateWeights{MissionAlignment: 10, Reach: 40, PopulationsServed: 30, FinancialStability: 10, Reputation: 5, Culture: 5}
	g.Expect(env.Client.Update(ctx, f.portfolio)).To(Succeed())
	g.Eventually(standings(ctx, prospect)).WithTimeout(timeout).WithPolling(poll).Should(Equal([]string{
		"Basin Community Clinics 1 92 Current", "Frontier Behavioral Health 2 81 Outdated"}))
	// Nothing was announced: a prospect has no verdict to change.
	for _, reason := range []string{"AtRisk", "Recovered", "ReviewDue", "PhaseChanged"} {
		g.Expect(events(ctx, f.ns, prospect.Name, reason)()).To(BeZero(), reason)
	}
}

func TestAProspectWhoseDraftTermsArePastDatedAsksForAReview(t *testing.T) {
	ctx, g := context.Background(), NewWithT(t)
	clk := newClock() // 2026-11-25
	startManager(t, clk)
	f := newFixture(namespace(t))
	f.partnership.Spec.DesiredPhase = v1.PhaseProspect
	f.partnership.Spec.Agreement.EffectiveDate = "2026-12-01"
	f.partnership.Spec.Agreement.ExpiryDate = "2028-11-30"
	g.Expect(env.Client.Create(ctx, f.partnership)).To(Succeed())
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("False/Prospect"))
	g.Expect(f.partnership.Status.AgreementState).To(BeEmpty())

	clk.SetTime(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	kick(ctx, t, f.partnership)
	g.Eventually(cond(ctx, f.partnership, v1.ConditionReviewDue)).WithTimeout(timeout).WithPolling(poll).Should(Equal("True/ProspectDatesPassed"))
	g.Expect(f.partnership.Status.Conditions).To(ContainElement(HaveField("Message",
		"The draft agreement was to come into force on 2026-12-01, which has passed while the partnership is still a prospect: sign it and set spec.desiredPhase to Active, or move the dates")))
}
