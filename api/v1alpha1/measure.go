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

package v1alpha1

import "strings"

// Label is the measure as quality teams cite it: "CMS165v12" for a CMS
// eCQM at version 12.0.000 (CMS's own form), "CBE 0018", "HEDIS CBP
// MY2026", or the id and version for another steward's measure. It is
// the one rendering of a measure's identity, used by the dashboard, the
// report and accordctl diff alike, so a changed version reads the same
// everywhere ("measure changed from CMS165v12 to CMS165v13"). A nil
// measure is "".
func (m *MeasureIdentity) Label() string {
	if m == nil {
		return ""
	}
	v := strings.TrimSpace(m.Version)
	switch m.System {
	case MeasureCMSeCQM:
		if v == "" {
			return m.ID
		}
		return m.ID + "v" + shortVersion(v)
	}
	if v != "" && v[0] >= '0' && v[0] <= '9' {
		v = "v" + v // "0018 v3", not "0018 3"
	}
	if m.System == MeasureCBE || m.System == MeasureHEDIS {
		return joinNonEmpty(string(m.System), m.ID, v)
	}
	return joinNonEmpty(m.ID, v)
}

// Details says what the label leaves out, for a reader who wants to look
// the measure up: "CMS eCQM, version 12.0.000, steward NCQA".
func (m *MeasureIdentity) Details() string {
	if m == nil {
		return ""
	}
	parts := []string{measureSystemWords[m.System]}
	if m.Version != "" {
		parts = append(parts, "version "+m.Version)
	}
	if m.Steward != "" {
		parts = append(parts, "steward "+m.Steward)
	}
	return joinWith(", ", parts...)
}

var measureSystemWords = map[MeasureSystem]string{
	MeasureCMSeCQM: "CMS eCQM",
	MeasureCBE:     "CBE (formerly NQF) number",
	MeasureHEDIS:   "NCQA HEDIS measure",
	MeasureOther:   "local or other steward's measure",
}

// shortVersion drops a leading "v" and trailing zero parts: "12.0.000"
// and "v12" are 12, "13.1.000" is 13.1.
func shortVersion(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	parts := strings.Split(v, ".")
	for len(parts) > 1 && strings.Trim(parts[len(parts)-1], "0") == "" {
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}

func joinNonEmpty(parts ...string) string { return joinWith(" ", parts...) }

func joinWith(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
