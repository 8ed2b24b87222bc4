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

package sources

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// HostAllowList is the set of hosts metric sources may reach, as the
// manager's --allowed-source-hosts flag gives it. The zero value allows
// every host: the restriction is opt-in, for clusters where whoever may
// create a MetricSource must not make the operator call arbitrary hosts.
type HostAllowList struct {
	patterns []hostPattern
	text     string
}

type hostPattern struct {
	// host is lower case; a leading "*." matches any subdomain (not the
	// domain itself).
	host string
	// port is empty to match any port.
	port string
}

// ParseHostAllowList parses comma-separated host patterns:
// "reports.partner.example" (any port), "prometheus.monitoring.svc:9090"
// (that port only), "*.partner.example" (any subdomain), "10.0.0.5",
// "[fd00::5]:443". An empty string allows every host.
func ParseHostAllowList(s string) (HostAllowList, error) {
	var l HostAllowList
	var kept []string
	for raw := range strings.SplitSeq(s, ",") {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			continue
		}
		p, err := parseHostPattern(entry)
		if err != nil {
			return HostAllowList{}, fmt.Errorf("--allowed-source-hosts entry %q: %w", entry, err)
		}
		l.patterns = append(l.patterns, p)
		kept = append(kept, entry)
	}
	l.text = strings.Join(kept, ",")
	return l, nil
}

func parseHostPattern(entry string) (hostPattern, error) {
	if strings.Contains(entry, "/") || strings.Contains(entry, "@") {
		return hostPattern{}, fmt.Errorf("give a host or host:port, such as reports.partner.example or prometheus.monitoring.svc:9090, not a URL")
	}
	host, port := entry, ""
	if h, p, err := net.SplitHostPort(entry); err == nil {
		host, port = h, p
		if port == "" {
			return hostPattern{}, fmt.Errorf("port is missing after the colon")
		}
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return hostPattern{}, fmt.Errorf("port %q is not a number from 1 to 65535", port)
		}
	} else if strings.Count(entry, ":") == 1 {
		return hostPattern{}, fmt.Errorf("port is missing after the colon")
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	name := strings.TrimPrefix(host, "*.")
	if name == "" || strings.Contains(name, "*") {
		return hostPattern{}, fmt.Errorf("a wildcard is allowed only as a leading \"*.\", as in *.partner.example")
	}
	if net.ParseIP(name) == nil {
		for label := range strings.SplitSeq(name, ".") {
			if label == "" || strings.Trim(label, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				return hostPattern{}, fmt.Errorf("%q is not a host name or IP address", name)
			}
		}
	} else if name != host {
		return hostPattern{}, fmt.Errorf("a wildcard cannot precede an IP address")
	}
	return hostPattern{host: host, port: port}, nil
}

// Empty reports whether the list allows every host.
func (l HostAllowList) Empty() bool { return len(l.patterns) == 0 }

// String is the list as the flag gave it, without empty entries.
func (l HostAllowList) String() string { return l.text }

// Allows reports whether a request to u may be made: its host, and its
// port (explicit or the scheme's default), match one of the patterns.
func (l HostAllowList) Allows(u *url.URL) bool {
	if l.Empty() {
		return true
	}
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	for _, p := range l.patterns {
		if p.port != "" && p.port != port {
			continue
		}
		if suffix, ok := strings.CutPrefix(p.host, "*"); ok {
			if strings.HasSuffix(host, suffix) && len(host) > len(suffix) {
				return true
			}
			continue
		}
		if host == p.host {
			return true
		}
	}
	return false
}

// notAllowed is the failure for an endpoint outside the allow-list; it
// names the host so that the owner of the MetricSource knows what to ask
// the cluster's operators for.
func (l HostAllowList) notAllowed(u *url.URL) error {
	return Errorf(ReasonSourceNotAllowed, "host %s is not among the hosts this operator may call (--allowed-source-hosts=%s); ask the cluster's administrators to allow it", u.Host, l.text)
}
