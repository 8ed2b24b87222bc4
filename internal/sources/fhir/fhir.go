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

// Package fhir reads KPI values from FHIR R4 MeasureReport resources: a
// report read by id ("MeasureReport/123") or the latest report a search
// returns ("MeasureReport?measure=<canonical>&subject=<reference>").
//
// From the report's group (the only one, or the one spec.source.group
// names) it reads the populations and combines them as FHIR R4 defines
// the score of a proportion measure:
//
//	(numerator - numerator-exclusion) / (denominator - denominator-exclusion - denominator-exception)
//
// giving the rate's counts, and the measureScore with its unit, so that a
// 0-1 proportion and a percentage are never confused. The observation
// covers the report's period and is observed at its end. A report the KPI
// cannot read unambiguously is MalformedResponse with a sentence saying
// why; the sentence never quotes the report.
//
// Reports are decoded into typed structs holding only the fields Accord
// reads (see docs/sources.md for why not a full FHIR model library):
// everything else, including any patient-level content, is never decoded.
package fhir

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"time"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// Provider reads FHIR sources.
type Provider struct{}

type quantity struct {
	Value  *json.Number `json:"value"`
	Unit   string       `json:"unit"`
	System string       `json:"system"`
	Code   string       `json:"code"`
	// Extension carries VBPR's alternate-measurescore: a score that is
	// an amount of money.
	Extension []extension `json:"extension"`
}

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display"`
}

type codeableConcept struct {
	Coding []coding `json:"coding"`
	Text   string   `json:"text"`
}

type period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type money struct {
	Value    *json.Number `json:"value"`
	Currency string       `json:"currency"`
}

// extension holds the value types Accord reads; nested extensions carry
// the parts of a complex one (VBPR's threshold, baseline, payment stream).
type extension struct {
	URL                  string           `json:"url"`
	Extension            []extension      `json:"extension"`
	ValueCodeableConcept *codeableConcept `json:"valueCodeableConcept"`
	ValueDecimal         *json.Number     `json:"valueDecimal"`
	ValueInteger         *json.Number     `json:"valueInteger"`
	ValueQuantity        *quantity        `json:"valueQuantity"`
	ValueMoney           *money           `json:"valueMoney"`
	ValuePeriod          *period          `json:"valuePeriod"`
}

type population struct {
	Code  codeableConcept `json:"code"`
	Count *json.Number    `json:"count"`
}

type group struct {
	ID           string           `json:"id"`
	Code         *codeableConcept `json:"code"`
	Extension    []extension      `json:"extension"`
	MeasureScore *quantity        `json:"measureScore"`
	Population   []population     `json:"population"`
}

type measureReport struct {
	ResourceType string      `json:"resourceType"`
	Status       string      `json:"status"`
	Type         string      `json:"type"`
	Extension    []extension `json:"extension"`
	Measure      string      `json:"measure"`
	Date         string      `json:"date"`
	Period       period      `json:"period"`
	Group        []group     `json:"group"`
}

type bundle struct {
	ResourceType string `json:"resourceType"`
	Entry        []struct {
		Resource json.RawMessage `json:"resource"`
	} `json:"entry"`
}

// Fetch reads the report (or searches for the latest) and takes its score.
func (Provider) Fetch(ctx context.Context, req sources.Request) (evaluate.Observation, error) {
	if err := sources.CheckQueryFields(v1.SourceFHIR, req.Query); err != nil {
		return evaluate.Observation{}, err
	}
	q := strings.TrimPrefix(req.Query.Query, "/")
	if !strings.HasPrefix(q, "MeasureReport/") && !strings.HasPrefix(q, "MeasureReport?") {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, `the query must be "MeasureReport/<id>" or "MeasureReport?<search>"`)
	}
	ref, err := url.Parse(q)
	if err != nil || strings.Contains(ref.Path, "..") {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonInvalidQuery, "the query is not a valid FHIR path")
	}
	u := *req.Endpoint
	u.Path = strings.TrimSuffix(req.Endpoint.Path, "/") + "/" + ref.Path
	u.RawQuery = ref.RawQuery
	body, err := req.Get(ctx, &u, "application/fhir+json")
	if err != nil {
		return evaluate.Observation{}, err
	}
	obs, measure, err := parseReport(body, req.Query.Group)
	if err != nil || req.Query.ContractMeasure == "" {
		return obs, err
	}
	return withComponent(ctx, req, obs, measure)
}

// parse reads the observation from a MeasureReport or a search Bundle of
// them; groupSel is spec.source.group. It touches no network, so it can be
// fuzzed on its own; its errors never quote the answer.
func parse(body []byte, groupSel string) (evaluate.Observation, error) {
	obs, _, err := parseReport(body, groupSel)
	return obs, err
}

// parseReport is parse that also returns the canonical URL of the measure
// the chosen report is of (MeasureReport.measure).
func parseReport(body []byte, groupSel string) (evaluate.Observation, string, error) {
	var head struct {
		ResourceType string `json:"resourceType"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return evaluate.Observation{}, "", sources.Errorf(sources.ReasonMalformedResponse, "the answer is not FHIR JSON")
	}
	var reports []measureReport
	switch head.ResourceType {
	case "MeasureReport":
		var r measureReport
		if err := decode(body, &r); err != nil {
			return evaluate.Observation{}, "", err
		}
		reports = append(reports, r)
	case "Bundle":
		var b bundle
		if err := decode(body, &b); err != nil {
			return evaluate.Observation{}, "", err
		}
		for _, e := range b.Entry {
			var r measureReport
			if err := decode(e.Resource, &r); err == nil && r.ResourceType == "MeasureReport" {
				reports = append(reports, r)
			}
		}
	default:
		return evaluate.Observation{}, "", sources.Errorf(sources.ReasonMalformedResponse, "the answer is a %s, not a MeasureReport or a Bundle", safeType(head.ResourceType))
	}
	return latest(reports, groupSel)
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return sources.Errorf(sources.ReasonMalformedResponse, "the answer does not match the FHIR R4 MeasureReport structure")
	}
	return nil
}

// latest picks the complete report with the latest period end and reads
// it; measure is that report's MeasureReport.measure.
func latest(reports []measureReport, groupSel string) (obs evaluate.Observation, measure string, err error) {
	var best *evaluate.Observation
	var firstErr error
	for _, r := range reports {
		o, err := read(r, groupSel)
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if best == nil || o.Time.After(best.Time) {
			best, measure = &o, r.Measure
		}
	}
	switch {
	case best != nil:
		return *best, measure, nil
	case firstErr != nil:
		return evaluate.Observation{}, "", firstErr
	default:
		return evaluate.Observation{}, "", sources.Errorf(sources.ReasonQueryReturnedNoData, "the search found no MeasureReport")
	}
}

func read(r measureReport, groupSel string) (evaluate.Observation, error) {
	if r.Status != "complete" {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "the MeasureReport is %s, not complete", safeType(r.Status))
	}
	if r.Type == "individual" {
		// One patient's result: patient-level data, and no rate.
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse,
			"the MeasureReport is an individual report, about one patient; a KPI reads summary or subject-list reports")
	}
	end, err := fhirTime(r.Period.End)
	if err != nil {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the MeasureReport's period.end is not a FHIR date or dateTime")
	}
	var start time.Time
	if r.Period.Start != "" {
		if start, err = fhirStart(r.Period.Start); err != nil {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the MeasureReport's period.start is not a FHIR date or dateTime")
		}
		if start.After(end) {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the MeasureReport's period starts after it ends")
		}
	}
	g, name, err := pick(r.Group, groupSel)
	if err != nil {
		return evaluate.Observation{}, err
	}
	obs, err := score(g, scoring(r, g), name)
	if err != nil {
		return evaluate.Observation{}, err
	}
	obs.Time, obs.PeriodStart = end, start
	obs.Contract = contract(r, g)
	return obs, nil
}

// pick chooses the group to read: the only one, or the one groupSel names
// by code ("code" or "system|code") or, when no group has that code, by
// id. name is how messages call it.
func pick(groups []group, groupSel string) (g group, name string, err error) {
	if groupSel == "" {
		switch len(groups) {
		case 0:
			return group{}, "", sources.Errorf(sources.ReasonQueryReturnedNoData, "the MeasureReport has no group")
		case 1:
			return groups[0], "the MeasureReport's group", nil
		default:
			return group{}, "", sources.Errorf(sources.ReasonMalformedResponse,
				"the MeasureReport has %d groups; set spec.source.group to the code of the one this KPI reads", len(groups))
		}
	}
	var byCode, byID []group
	for _, g := range groups {
		if g.hasCode(groupSel) {
			byCode = append(byCode, g)
		}
		if g.ID == groupSel {
			byID = append(byID, g)
		}
	}
	found := byCode
	if len(found) == 0 {
		found = byID
	}
	name = fmt.Sprintf("group %q of the MeasureReport", groupSel)
	switch len(found) {
	case 0:
		return group{}, "", sources.Errorf(sources.ReasonQueryReturnedNoData, "the MeasureReport has no group with code or id %q (spec.source.group)", groupSel)
	case 1:
		return found[0], name, nil
	default:
		return group{}, "", sources.Errorf(sources.ReasonMalformedResponse,
			"%d groups of the MeasureReport have code %q, so spec.source.group does not say which one to read", len(found), groupSel)
	}
}

func (g group) hasCode(sel string) bool {
	if g.Code == nil {
		return false
	}
	system, code, withSystem := strings.Cut(sel, "|")
	if !withSystem {
		code = sel
	}
	for _, c := range g.Code.Coding {
		if c.Code == code && (!withSystem || c.System == system) {
			return true
		}
	}
	return false
}

// scoringExtension carries a report's measure scoring (proportion, ratio,
// continuous-variable, cohort): R4's MeasureReport has no element for it,
// the Da Vinci DEQM guide adds this extension to the report and its groups.
const scoringExtension = "http://hl7.org/fhir/us/davinci-deqm/StructureDefinition/extension-measureScoring"

// scoring is the measure scoring the group or its report declares, or "".
func scoring(r measureReport, g group) string {
	for _, exts := range [][]extension{g.Extension, r.Extension} {
		for _, e := range exts {
			if e.URL == scoringExtension && e.ValueCodeableConcept != nil {
				for _, c := range e.ValueCodeableConcept.Coding {
					if c.Code != "" {
						return c.Code
					}
				}
			}
		}
	}
	return ""
}

// Population codes of FHIR R4's measure-population code system that a
// proportion's score is made of.
const (
	initialPopulation    = "initial-population"
	numerator            = "numerator"
	numeratorExclusion   = "numerator-exclusion"
	denominator          = "denominator"
	denominatorExclusion = "denominator-exclusion"
	denominatorException = "denominator-exception"
)

// score reads the group's value: its counts (when its populations give a
// proportion) and its measureScore with the scale its unit states.
func score(g group, scoring, name string) (evaluate.Observation, error) {
	var rate *evaluate.Observation
	if scoring == "" || scoring == "proportion" {
		r, err := proportion(g, name)
		if err != nil {
			return evaluate.Observation{}, err
		}
		rate = r
	}
	if g.MeasureScore != nil && g.MeasureScore.Value == nil && rate == nil {
		if obs, ok, err := moneyScore(g.MeasureScore, name); ok {
			return obs, err
		}
	}
	if g.MeasureScore == nil || g.MeasureScore.Value == nil {
		if rate == nil {
			return evaluate.Observation{}, sources.Errorf(sources.ReasonQueryReturnedNoData, "%s has neither a measureScore nor numerator and denominator counts", name)
		}
		return *rate, nil
	}
	raw := *g.MeasureScore.Value
	v, err := raw.Float64()
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse, "the measureScore.value of %s is not a finite number", name)
	}
	obs := evaluate.Observation{Value: v, Scale: unitScale(g.MeasureScore)}
	if rate == nil {
		if obs.Scale == evaluate.ScaleUnstated && scoring == "proportion" {
			// A proportion's score is a fraction from 0 to 1 (FHIR R4
			// Measure scoring); anything above is not one.
			if v < 0 || v > 1 {
				return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse,
					"the measureScore of %s has no unit and lies outside 0 to 1, though the report declares proportion scoring", name)
			}
			obs.Scale = evaluate.ScaleProportion
		}
		return obs, nil
	}
	// Both counts and a score: they must tell the same rate. The counts
	// settle an unstated scale, and a score computed another way (say,
	// without the exclusions) is caught instead of judged.
	p := rate.Value
	tol := halfLastDigit(raw)
	asProportion, asPercent := math.Abs(v-p) <= tol, math.Abs(v-100*p) <= tol
	switch {
	case obs.Scale == evaluate.ScaleProportion && !asProportion,
		obs.Scale == evaluate.ScalePercent && !asPercent,
		obs.Scale == evaluate.ScaleUnstated && !asProportion && !asPercent:
		return evaluate.Observation{}, sources.Errorf(sources.ReasonMalformedResponse,
			"the measureScore of %s disagrees with its populations combined as FHIR R4 defines a proportion, (numerator - numerator-exclusion) / (denominator - denominator-exclusion - denominator-exception)", name)
	case obs.Scale == evaluate.ScaleUnstated && (p == 0 || asProportion != asPercent):
		obs.Scale = evaluate.ScaleProportion
		if !asProportion {
			obs.Scale = evaluate.ScalePercent
		}
	}
	obs.Counts = rate.Counts
	return obs, nil
}

// proportion combines the group's populations into a proportion's counts,
// or returns nil when it has no numerator and denominator counts.
func proportion(g group, name string) (*evaluate.Observation, error) {
	counts := map[string]float64{}
	for _, p := range g.Population {
		code, ok := populationCode(p.Code)
		if !ok || p.Count == nil {
			continue
		}
		if _, dup := counts[code]; dup {
			return nil, sources.Errorf(sources.ReasonMalformedResponse, "%s has two %s populations", name, code)
		}
		c, err := p.Count.Float64()
		if err != nil || !sources.WholeNumber(c) || c < 0 {
			return nil, sources.Errorf(sources.ReasonMalformedResponse, "the %s count of %s is not a whole number of 0 or more", code, name)
		}
		counts[code] = c
	}
	num, hasNum := counts[numerator]
	den, hasDen := counts[denominator]
	if !hasNum || !hasDen {
		return nil, nil
	}
	if ip, ok := counts[initialPopulation]; ok && den > ip {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the populations of %s do not add up: the denominator is larger than the initial population it is drawn from", name)
	}
	if counts[denominatorExclusion]+counts[denominatorException] > den {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the populations of %s do not add up: there are more denominator exclusions and exceptions than denominator members", name)
	}
	if counts[numeratorExclusion] > num {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the populations of %s do not add up: there are more numerator exclusions than numerator members", name)
	}
	obs, err := sources.RateCounts(num-counts[numeratorExclusion], den-counts[denominatorExclusion]-counts[denominatorException],
		name+", after exclusions and exceptions,")
	if err != nil {
		return nil, err
	}
	return &obs, nil
}

// measurePopulation is FHIR R4's code system for population types; codes
// are also accepted without a system, as HL7's own R4 examples give them.
const measurePopulation = "http://terminology.hl7.org/CodeSystem/measure-population"

func populationCode(c codeableConcept) (string, bool) {
	for _, cd := range c.Coding {
		if cd.System != "" && cd.System != measurePopulation {
			continue
		}
		switch cd.Code {
		case initialPopulation, numerator, numeratorExclusion, denominator, denominatorExclusion, denominatorException:
			return cd.Code, true
		}
	}
	return "", false
}

// ucum is the system of UCUM units, which FHIR Quantity codes use.
const ucum = "http://unitsofmeasure.org"

// unitScale is how a measureScore's unit expresses a rate: UCUM "%" a
// percentage, UCUM "1" (the unity) a 0-1 proportion, anything else or
// nothing unstated.
func unitScale(q *quantity) evaluate.Scale {
	unit := q.Unit
	if q.Code != "" && (q.System == "" || q.System == ucum) {
		unit = q.Code
	}
	switch strings.TrimSpace(unit) {
	case "%":
		return evaluate.ScalePercent
	case "1":
		return evaluate.ScaleProportion
	}
	return evaluate.ScaleUnstated
}

// halfLastDigit is half a unit of the last decimal a score was written
// with (0.5 for a whole number): how far a score rounded to the precision
// written may lie from the rate its counts give.
func halfLastDigit(n json.Number) float64 {
	s := strings.TrimLeft(string(n), "+-")
	if strings.ContainsAny(s, "eE") {
		return 1e-9
	}
	i := strings.IndexByte(s, '.')
	if i < 0 || i == len(s)-1 {
		return 0.5
	}
	return 0.5*math.Pow10(-(len(s)-i-1)) + 1e-12
}

// fhirTime parses a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD) or dateTime. A
// partial date means the end of that day, month or year.
func fhirTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil {
			return f.next(t).Add(-time.Second), nil
		}
	}
	return time.Time{}, sources.Errorf(sources.ReasonMalformedResponse, "bad FHIR date")
}

// fhirStart parses a period's start: a dateTime, or the first instant of
// a partial date's day, month or year.
func fhirStart(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, sources.Errorf(sources.ReasonMalformedResponse, "bad FHIR date")
}

// safeType names a resource type or status in a message only when it has
// the shape FHIR gives them (a resource type is one capitalised word, a
// status a lower-case code); anything else may be data that was put in the
// wrong field, so it is not repeated.
func safeType(s string) string {
	switch {
	case s == "":
		return "unknown"
	case len(s) <= 40 && (resourceType.MatchString(s) || statusCode.MatchString(s)):
		return s
	default:
		return "an unexpected value"
	}
}

var (
	resourceType = regexp.MustCompile(`^[A-Z][A-Za-z]*$`)
	statusCode   = regexp.MustCompile(`^[a-z][a-z-]*$`)
)
