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

package fhir

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/accord-dev/accord/internal/evaluate"
	"github.com/accord-dev/accord/internal/sources"
)

// The HL7 Da Vinci Value-Based Performance Reporting (VBPR) guide,
// STU 1.1 (hl7.fhir.us.davinci-vbpr 1.1.0), puts a value-based
// contract's terms on the MeasureReport as extensions. Accord reads the
// ones a KPI can be judged by or a reviewer needs: threshold and score
// (on the report), baseline and payment stream (on the group, else the
// report), the score given as an amount of money (alternate-
// measurescore), and, from the contract's own Measure when a KPI names
// it, the weight and contractual status of the report's measure.
const (
	vbprBase            = "http://hl7.org/fhir/us/davinci-vbpr/"
	vbprThreshold       = vbprBase + "StructureDefinition/threshold"
	vbprScore           = vbprBase + "StructureDefinition/score"
	vbprBaseline        = vbprBase + "StructureDefinition/baseline"
	vbprPaymentStream   = vbprBase + "StructureDefinition/payment-stream"
	vbprAlternateScore  = vbprBase + "StructureDefinition/alternate-measurescore"
	vbprWeight          = vbprBase + "StructureDefinition/weight"
	vbprContractual     = vbprBase + "StructureDefinition/contractual-status"
	vbprContractualCS   = vbprBase + "CodeSystem/measure-contractual-status"
	vbprThresholdTypeCS = vbprBase + "CodeSystem/threshold-type"
	vbprPaymentStreamCS = vbprBase + "CodeSystem/payment-stream"
	vbprIncentiveCS     = vbprBase + "CodeSystem/vbp-incentive"
	vbprThresholdPart   = "threshold"
	vbprTypePart        = "type"
	vbprGapPart         = "gapToThreshold"
	vbprBaselinePart    = "baseline"
	vbprPeriodPart      = "period"
	vbprIncentivePart   = "incentive"
)

// vbprDisplays are the displays of the guide's code systems
// (input/fsh/CS-CodeSystems.fsh), for codings that carry none, as the
// guide's own examples do.
var vbprDisplays = map[string]map[string]string{
	vbprThresholdTypeCS: {
		"star-1": "Star 1", "star-2": "Star 2", "star-3": "Star 3", "star-4": "Star 4", "star-5": "Star 5",
		"hedis-50-percentile": "HEDIS 50 Percentile", "hedis-75-percentile": "HEDIS 75 Percentile",
		"hedis-90-percentile": "HEDIS 90 Percentile",
	},
	vbprPaymentStreamCS: {
		"ccf": "Care coordination fee", "ccf-with-risk": "Care coordination fee with risk adjustment",
		"eoc": "Episode of care", "pcpcp": "Primary Care Physician (PCP) capitation payment",
		"ssq": "Shared savings gated on quality", "ssl": "Shared savings loss percent",
		"ssp": "Shared savings percent", "tcoc": "Total cost of care", "qip": "Quality incentive payment",
		"aha": "Annual health assessment", "cdm": "Chronic Disease Management", "p4r": "Pay for reporting",
		"p4p": "Pay for performance", "sip": "Stars incentive payment", "sst": "Star score threshold",
		"ubip": "Utilization incentive payment",
	},
	vbprIncentiveCS: {"chronic-care-mgmt": "Chronic care management", "annual-visit": "Annual office visit"},
	vbprContractualCS: {
		"contractual": "Contractual", "contractual-alternate": "Contractual alternate", "reporting-only": "Reporting only",
	},
}

// currencyCode is an ISO 4217 code as FHIR's Money.currency holds it.
var currencyCode = regexp.MustCompile(`^[A-Z]{3}$`)

// moneyScore reads a score given as an amount of money (VBPR's
// alternate-measurescore with a valueMoney, as the guide's payment
// reports give an incentive earned or a cost per member per month). ok
// is false when the score carries no such extension.
func moneyScore(q *quantity, name string) (obs evaluate.Observation, ok bool, err error) {
	for _, e := range q.Extension {
		if e.URL != vbprAlternateScore || e.ValueMoney == nil {
			continue
		}
		v, finiteOK := finite(e.ValueMoney.Value)
		switch {
		case !finiteOK:
			return obs, true, sources.Errorf(sources.ReasonMalformedResponse, "the amount that is the score of %s is not a finite number", name)
		case !currencyCode.MatchString(e.ValueMoney.Currency):
			return obs, true, sources.Errorf(sources.ReasonMalformedResponse, "the amount that is the score of %s has no ISO 4217 currency code", name)
		}
		return evaluate.Observation{Value: v, Currency: e.ValueMoney.Currency}, true, nil
	}
	return obs, false, nil
}

// measureResource is the part of a FHIR Measure Accord reads: a VBPR
// vbp-measure lists the contract's measures as relatedArtifact entries
// of type composed-of, each with its weight and contractual status.
type measureResource struct {
	ResourceType    string `json:"resourceType"`
	Title           string `json:"title"`
	Name            string `json:"name"`
	RelatedArtifact []struct {
		Type      string      `json:"type"`
		Display   string      `json:"display"`
		Resource  string      `json:"resource"`
		Extension []extension `json:"extension"`
	} `json:"relatedArtifact"`
}

// withComponent reads the contract's Measure that spec.source.
// contractMeasure names and adds to obs what it says of measure, the
// canonical URL of the measure the report is of.
func withComponent(ctx context.Context, req sources.Request, obs evaluate.Observation, measure string) (evaluate.Observation, error) {
	ref := strings.TrimPrefix(req.Query.ContractMeasure, "/")
	if !strings.HasPrefix(ref, "Measure/") || strings.ContainsAny(ref[len("Measure/"):], "/?#") || strings.Contains(ref, "..") {
		return obs, sources.Errorf(sources.ReasonInvalidQuery, `spec.source.contractMeasure must be "Measure/<id>"`)
	}
	u := *req.Endpoint
	u.Path = strings.TrimSuffix(req.Endpoint.Path, "/") + "/" + ref
	u.RawQuery = ""
	body, err := req.Get(ctx, &u, "application/fhir+json")
	if err != nil {
		return obs, err
	}
	c, err := component(body, measure)
	if err != nil {
		return obs, err
	}
	if obs.Contract == nil {
		obs.Contract = &evaluate.Contract{}
	}
	obs.Contract.Component = c
	return obs, nil
}

// component finds measure among the components of the contract Measure
// in body. It touches no network; its errors never quote the answer.
func component(body []byte, measure string) (*evaluate.ContractComponent, error) {
	var m measureResource
	if err := decode(body, &m); err != nil || m.ResourceType != "Measure" {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the contract named by spec.source.contractMeasure is not a FHIR Measure")
	}
	if measure == "" {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the MeasureReport does not say which measure it is of (MeasureReport.measure), so its weight in the contract (spec.source.contractMeasure) cannot be found")
	}
	c := &evaluate.ContractComponent{Contract: clip(m.Title)}
	if c.Contract == "" {
		c.Contract = clip(m.Name)
	}
	found := false
	for _, ra := range m.RelatedArtifact {
		if ra.Type != "composed-of" {
			continue
		}
		var weight *float64
		status, statusDisplay := "", ""
		for _, e := range ra.Extension {
			switch e.URL {
			case vbprWeight:
				if v, ok := finite(e.ValueDecimal); ok && v >= 0 && evaluate.Representable(v) {
					weight = &v
				}
			case vbprContractual:
				if e.ValueCodeableConcept != nil {
					status, _, statusDisplay = firstCode(e.ValueCodeableConcept, vbprContractualCS)
				}
			}
		}
		if status == "contractual" && weight != nil {
			c.ContractualWeight += *weight
		}
		if !found && sameMeasure(ra.Resource, measure) {
			found = true
			c.Display, c.Weight, c.Status, c.StatusDisplay = clip(ra.Display), weight, status, statusDisplay
		}
	}
	if !found {
		return nil, sources.Errorf(sources.ReasonMalformedResponse, "the contract named by spec.source.contractMeasure does not list the measure this MeasureReport is of among its components")
	}
	return c, nil
}

// sameMeasure compares two canonical references, "url|version": equal, or
// equal URLs when either leaves the version out.
func sameMeasure(a, b string) bool {
	if a == b {
		return true
	}
	ua, va, _ := strings.Cut(a, "|")
	ub, vb, _ := strings.Cut(b, "|")
	return ua == ub && (va == "" || vb == "")
}

// clip keeps a name from the answer to 128 bytes, the status field's
// bound, cut at a rune boundary.
func clip(s string) string {
	if len(s) <= 128 {
		return s
	}
	s = s[:128]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// contract reads the VBPR terms for group g of report r, or nil when the
// report carries none. A term that cannot be read (a threshold given as
// a Range, a value that is not a finite number) is left out rather than
// failing the score: a KPI that asks for it is told it is missing.
func contract(r measureReport, g group) *evaluate.Contract {
	c := &evaluate.Contract{}
	found := false
	for _, e := range r.Extension {
		switch e.URL {
		case vbprThreshold:
			found = true
			if t, ok := threshold(e); ok {
				c.Thresholds = append(c.Thresholds, t)
			}
		case vbprScore:
			found = true
			if v, ok := finite(e.ValueDecimal); ok {
				c.StarScore = &v
			}
		}
	}
	// Baseline and payment stream may sit on the group or the report; the
	// group's are the more specific.
	for _, exts := range [][]extension{g.Extension, r.Extension} {
		for _, e := range exts {
			switch e.URL {
			case vbprBaseline:
				found = true
				if c.Baseline == nil {
					c.Baseline = baseline(e)
				}
			case vbprPaymentStream:
				found = true
				if p, ok := paymentStream(e); ok && !slices.Contains(c.PaymentStreams, p) {
					c.PaymentStreams = append(c.PaymentStreams, p)
				}
			}
		}
	}
	if !found {
		return nil
	}
	if d, err := fhirStart(r.Date); r.Date != "" && err == nil {
		c.ReportDate = d
	}
	return c
}

func part(e extension, url string) (extension, bool) {
	for _, p := range e.Extension {
		if p.URL == url {
			return p, true
		}
	}
	return extension{}, false
}

func finite(n *json.Number) (float64, bool) {
	if n == nil {
		return 0, false
	}
	v, err := n.Float64()
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// value reads a decimal, integer, Quantity or Money value with its scale.
func value(e extension) (evaluate.ContractValue, bool) {
	switch {
	case e.ValueDecimal != nil:
		v, ok := finite(e.ValueDecimal)
		return evaluate.ContractValue{Value: v, Scale: evaluate.ScaleUnstated}, ok
	case e.ValueInteger != nil:
		v, ok := finite(e.ValueInteger)
		return evaluate.ContractValue{Value: v, Scale: evaluate.ScaleUnstated}, ok
	case e.ValueQuantity != nil:
		v, ok := finite(e.ValueQuantity.Value)
		unit := e.ValueQuantity.Unit
		if e.ValueQuantity.Code != "" {
			unit = e.ValueQuantity.Code
		}
		return evaluate.ContractValue{Value: v, Scale: unitScale(e.ValueQuantity), Unit: unit}, ok
	case e.ValueMoney != nil:
		v, ok := finite(e.ValueMoney.Value)
		return evaluate.ContractValue{Value: v, Scale: evaluate.ScaleUnstated, Unit: e.ValueMoney.Currency}, ok
	}
	return evaluate.ContractValue{}, false
}

func threshold(e extension) (evaluate.ContractThreshold, bool) {
	v, okV := part(e, vbprThresholdPart)
	typ, okT := part(e, vbprTypePart)
	if !okV || !okT || typ.ValueCodeableConcept == nil || v.ValueDecimal == nil && v.ValueQuantity == nil {
		return evaluate.ContractThreshold{}, false // a Range, or an incomplete threshold
	}
	cv, ok := value(v)
	code, system, display := firstCode(typ.ValueCodeableConcept, vbprThresholdTypeCS)
	if !ok || code == "" {
		return evaluate.ContractThreshold{}, false
	}
	t := evaluate.ContractThreshold{ContractValue: cv, Type: code, TypeSystem: system, TypeDisplay: display}
	if gp, ok := part(e, vbprGapPart); ok {
		var gv evaluate.ContractValue
		if gv, ok = value(gp); ok {
			t.Gap = &gv.Value
		}
	}
	return t, true
}

func baseline(e extension) *evaluate.ContractBaseline {
	v, ok := part(e, vbprBaselinePart)
	if !ok {
		return nil
	}
	cv, ok := value(v)
	if !ok {
		return nil
	}
	b := &evaluate.ContractBaseline{ContractValue: cv}
	if p, ok := part(e, vbprPeriodPart); ok && p.ValuePeriod != nil {
		b.PeriodStart, _ = fhirStart(p.ValuePeriod.Start)
		b.PeriodEnd, _ = fhirTime(p.ValuePeriod.End)
	}
	return b
}

func paymentStream(e extension) (evaluate.PaymentStream, bool) {
	typ, ok := part(e, vbprTypePart)
	if !ok || typ.ValueCodeableConcept == nil {
		return evaluate.PaymentStream{}, false
	}
	p := evaluate.PaymentStream{}
	p.Type, _, p.TypeDisplay = firstCode(typ.ValueCodeableConcept, vbprPaymentStreamCS)
	if inc, ok := part(e, vbprIncentivePart); ok && inc.ValueCodeableConcept != nil {
		p.Incentive, _, p.IncentiveDisplay = firstCode(inc.ValueCodeableConcept, vbprIncentiveCS)
	}
	return p, p.Type != "" || p.TypeDisplay != ""
}

// firstCode is a CodeableConcept's first code, preferring one of the
// guide's code system cs, with its display: the guide's own for its codes
// (its examples give none), else the coding's display or the concept's
// text, at most 64 characters.
func firstCode(cc *codeableConcept, cs string) (code, system, display string) {
	for i, c := range cc.Coding {
		if c.Code == "" || (c.System != cs && hasSystem(cc.Coding[i+1:], cs)) {
			continue
		}
		code, system, display = c.Code, c.System, c.Display
		break
	}
	if d, ok := vbprDisplays[cs][code]; ok && (system == cs || system == "") {
		return code, system, d
	}
	if display == "" {
		display = cc.Text
	}
	if len(display) > 64 {
		display = display[:64]
	}
	return code, system, display
}

func hasSystem(cs []coding, system string) bool {
	for _, c := range cs {
		if c.System == system && c.Code != "" {
			return true
		}
	}
	return false
}
