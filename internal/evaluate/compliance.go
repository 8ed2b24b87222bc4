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

package evaluate

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// InstrumentSpec is the term of a legal instrument that goes with the
// agreement: a business associate agreement (BAA) or a data-sharing
// agreement (DSA).
type InstrumentSpec struct {
	Ref       string
	Effective time.Time
	// Expiry is the last day in force; zero when it runs until terminated.
	Expiry time.Time
	// NoticeDays opens the notice period that many days before Expiry.
	NoticeDays int32
}

// DataSharingSpec is what the compliance check needs of the agreement's
// data sharing.
type DataSharingSpec struct {
	SharesPHI bool
	BAARef    string
	// BAA and DSA are the instruments' terms; nil when not recorded.
	BAA, DSA *InstrumentSpec
}

// Instrument names an entry of the compliance calendar, as in the API.
type Instrument string

// Instruments.
const (
	InstrumentAgreement Instrument = "Agreement"
	InstrumentBAA       Instrument = "BAA"
	InstrumentDSA       Instrument = "DSA"
)

// ExpiryState is where now falls against an instrument's expiry, as in
// the API.
type ExpiryState string

// Expiry states.
const (
	ExpiryNotYetInForce ExpiryState = "NotYetInForce"
	ExpiryInForce       ExpiryState = "InForce"
	ExpiryExpiringSoon  ExpiryState = "ExpiringSoon"
	ExpiryLapsed        ExpiryState = "Lapsed"
)

// Expiry is one entry of a partnership's compliance calendar.
type Expiry struct {
	Instrument Instrument
	Ref        string
	// Expiry is the last day in force; Notice the first day of the notice
	// period (zero without one).
	Expiry, Notice time.Time
	State          ExpiryState
}

// ComplianceStatus is the verdict of the compliance check.
type ComplianceStatus string

// Compliance statuses: the Compliant condition's True, False, Unknown.
const (
	Compliant         ComplianceStatus = "True"
	NotCompliant      ComplianceStatus = "False"
	ComplianceUnknown ComplianceStatus = "Unknown"
)

// ComplianceReason is the cause of the compliance verdict; it becomes the
// reason of the partnership's Compliant condition.
type ComplianceReason string

// Compliance reasons.
const (
	ReasonNoPHIShared               ComplianceReason = "NoPHIShared"               // no PHI shared, and no DSA lapsed
	ReasonBAACoversAgreement        ComplianceReason = "BAACoversAgreement"        // the BAA is in force to the end of the agreement's term
	ReasonBAATermNotRecorded        ComplianceReason = "BAATermNotRecorded"        // PHI shared, BAA dates unknown (Unknown)
	ReasonBAALapsed                 ComplianceReason = "BAALapsed"                 // PHI shared after the BAA's expiry date
	ReasonBAANotYetInForce          ComplianceReason = "BAANotYetInForce"          // PHI shared under an agreement in force, before the BAA is
	ReasonBAAExpiresBeforeAgreement ComplianceReason = "BAAExpiresBeforeAgreement" // the BAA ends before the agreement's term does
	ReasonDSALapsed                 ComplianceReason = "DSALapsed"                 // the data-sharing agreement's expiry date has passed
)

// ReviewDue reasons of the compliance calendar.
const (
	ReasonBAAExpiring ReviewReason = "BAAExpiring" // inside the BAA's notice period, or lapsed
	ReasonDSAExpiring ReviewReason = "DSAExpiring" // inside the DSA's notice period, or lapsed
)

// instrumentNames are the words for each instrument in messages.
var instrumentNames = map[Instrument]string{
	InstrumentAgreement: "the agreement",
	InstrumentBAA:       "the business associate agreement",
	InstrumentDSA:       "the data-sharing agreement",
}

func (e Expiry) name() string {
	n := instrumentNames[e.Instrument]
	if e.Ref != "" {
		n += " " + e.Ref
	}
	return n
}

// instrumentExpiry places an instrument with an expiry date on the
// calendar at now.
func instrumentExpiry(kind Instrument, in *InstrumentSpec, now time.Time) Expiry {
	e := Expiry{Instrument: kind, Ref: in.Ref, Expiry: in.Expiry}
	if in.NoticeDays > 0 {
		e.Notice = in.Expiry.AddDate(0, 0, -int(in.NoticeDays))
	}
	switch {
	case now.Before(in.Effective):
		e.State = ExpiryNotYetInForce
	case !now.Before(in.Expiry.Add(dayLength)):
		e.State = ExpiryLapsed
	case !e.Notice.IsZero() && !now.Before(e.Notice):
		e.State = ExpiryExpiringSoon
	default:
		e.State = ExpiryInForce
	}
	return e
}

// calendar lists the expiries of the agreement's current term and of the
// instruments that have an expiry date, earliest first.
func calendar(a AgreementSpec, state AgreementState, window time.Time, ds DataSharingSpec, now time.Time) []Expiry {
	var out []Expiry
	if !a.Expiry.IsZero() {
		e := Expiry{Instrument: InstrumentAgreement, Expiry: a.Expiry, Notice: window}
		switch state {
		case NotYetInForce:
			e.State = ExpiryNotYetInForce
		case RenewalWindow:
			e.State = ExpiryExpiringSoon
		case Expired:
			e.State = ExpiryLapsed
		default:
			e.State = ExpiryInForce
		}
		out = append(out, e)
	}
	if ds.BAA != nil && !ds.BAA.Expiry.IsZero() {
		out = append(out, instrumentExpiry(InstrumentBAA, ds.BAA, now))
	}
	if ds.DSA != nil && !ds.DSA.Expiry.IsZero() {
		out = append(out, instrumentExpiry(InstrumentDSA, ds.DSA, now))
	}
	slices.SortStableFunc(out, func(x, y Expiry) int { return cmp.Compare(x.Expiry.Unix(), y.Expiry.Unix()) })
	return out
}

// compliance checks the instruments against the agreement at now: the
// Compliant verdict, and the ReviewDue the calendar asks for (reason ""
// when none). a is the agreement with its current term's end.
func compliance(a AgreementSpec, state AgreementState, ds DataSharingSpec, expiries []Expiry, now time.Time) (ComplianceStatus, ComplianceReason, string, ReviewReason, string) {
	find := func(k Instrument) *Expiry {
		for i := range expiries {
			if expiries[i].Instrument == k {
				return &expiries[i]
			}
		}
		return nil
	}
	baa, dsa := find(InstrumentBAA), find(InstrumentDSA)
	baaName := "the business associate agreement"
	if ds.BAARef != "" {
		baaName += " " + ds.BAARef
	}

	status, reason, msg := Compliant, ReasonNoPHIShared, "No protected health information is shared, so no business associate agreement is needed"
	switch {
	case !ds.SharesPHI:
	case ds.BAA == nil:
		status, reason = ComplianceUnknown, ReasonBAATermNotRecorded
		msg = fmt.Sprintf("Protected health information is shared under %s, but its dates are not recorded (spec.agreement.dataSharing.baaTerm), so a lapse cannot be seen", baaName)
	case baa != nil && baa.State == ExpiryLapsed:
		status, reason = NotCompliant, ReasonBAALapsed
		msg = fmt.Sprintf("Protected health information is shared, but %s lapsed after %s: renew it, and record its new expiry date in spec.agreement.dataSharing.baaTerm.expiryDate", baaName, DayWords(baa.Expiry))
	case state != NotYetInForce && now.Before(ds.BAA.Effective):
		status, reason = NotCompliant, ReasonBAANotYetInForce
		msg = fmt.Sprintf("Protected health information is shared under the agreement in force since %s, but %s only comes into force on %s", DayWords(a.Effective), baaName, DayWords(ds.BAA.Effective))
	case baa != nil && (a.Expiry.IsZero() || baa.Expiry.Before(a.Expiry)):
		status, reason = NotCompliant, ReasonBAAExpiresBeforeAgreement
		until := "the agreement is open-ended"
		if !a.Expiry.IsZero() {
			until = "the agreement runs until " + DayWords(a.Expiry)
		}
		msg = fmt.Sprintf("%s expires on %s, but %s: protected health information shared after that would not be covered; extend it to the agreement's end", capitalise(baaName), DayWords(baa.Expiry), until)
	default:
		reason = ReasonBAACoversAgreement
		msg = fmt.Sprintf("Protected health information is shared under %s, in force from %s", baaName, DayWords(ds.BAA.Effective))
		if baa != nil {
			msg += " to " + DayWords(baa.Expiry) + ", which covers the agreement's term"
		} else {
			msg += " until terminated"
		}
	}
	if dsa != nil && dsa.State == ExpiryLapsed {
		lapsed := fmt.Sprintf("%s lapsed after %s: renew it, and record its new expiry date in spec.agreement.dataSharing.dsaTerm.expiryDate", capitalise(dsa.name()), DayWords(dsa.Expiry))
		if status == NotCompliant {
			msg += ". " + lapsed
		} else {
			status, reason, msg = NotCompliant, ReasonDSALapsed, lapsed
		}
	}

	// ReviewDue ahead of an expiry (and after it), for the instruments
	// that matter: the BAA while PHI is shared, the DSA always.
	var due ReviewReason
	var dueMsgs []string
	for _, e := range []*Expiry{baa, dsa} {
		if e == nil || (e.Instrument == InstrumentBAA && !ds.SharesPHI) {
			continue
		}
		var s string
		switch e.State {
		case ExpiryExpiringSoon:
			s = fmt.Sprintf("%s expires on %s; renew it in a review before it lapses", capitalise(e.name()), DayWords(e.Expiry))
		case ExpiryLapsed:
			s = fmt.Sprintf("%s lapsed after %s; decide in a review how to renew it", capitalise(e.name()), DayWords(e.Expiry))
		default:
			continue
		}
		if due == "" {
			due = ReasonBAAExpiring
			if e.Instrument == InstrumentDSA {
				due = ReasonDSAExpiring
			}
		}
		dueMsgs = append(dueMsgs, s)
	}
	return status, reason, msg, due, strings.Join(dueMsgs, ". ")
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// complianceChanges are the moments the calendar can change without any
// input changing: instruments coming into force, notice periods opening,
// expiries lapsing.
func complianceChanges(ds DataSharingSpec, expiries []Expiry) []time.Time {
	var out []time.Time
	for _, in := range []*InstrumentSpec{ds.BAA, ds.DSA} {
		if in != nil {
			out = append(out, in.Effective)
		}
	}
	for _, e := range expiries {
		out = append(out, e.Notice, e.Expiry.Add(dayLength))
	}
	return out
}

// TargetMetSentence announces a KPI's win: "30-day readmission rate met
// its target of 15.3% on 30 September 2026".
func TargetMetSentence(spec KPISpec, since time.Time) string {
	if spec.Direction == InRange {
		return fmt.Sprintf("%s came inside its target range of %s to %s on %s", spec.DisplayName,
			FormatNumber(spec.TargetMin), FormatValue(spec.TargetMax, spec.Unit), DayWords(since))
	}
	return fmt.Sprintf("%s met its target of %s on %s", spec.DisplayName, FormatValue(spec.Target, spec.Unit), DayWords(since))
}

// OutcomeSentence announces an objective that was Achieved or Missed;
// "" for the other outcomes.
func OutcomeSentence(name string, outcome Outcome, on time.Time) string {
	switch outcome {
	case OutcomeAchieved:
		return fmt.Sprintf("Objective %s was achieved on %s: every KPI met its target", name, DayWords(on))
	case OutcomeMissed:
		return fmt.Sprintf("Objective %s missed its deadline of %s: not every KPI met its target", name, DayWords(on))
	}
	return ""
}
