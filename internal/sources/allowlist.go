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
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// HostAllowList is what metric sources may reach, as the manager's
// --allowed-source-hosts and --allowed-source-cidrs flags state it. It
// fails closed: the zero value allows nothing, so that no MetricSource
// (which anyone with the edit role may create) makes the operator call a
// host before an administrator has said which. Entries may be limited to
// one namespace ("team-a=reports.partner.example"); a tenant cannot
// widen its allowance, which lives in the operator's flags.
//
// Two checks apply. Before any connection, the endpoint's host must match
// a host pattern (Allows). At connect time, for every connection and so
// every redirect, the address the name resolved to must be public
// (DialControl): loopback, link-local, private, CGNAT, multicast and
// unspecified addresses are refused unless an allowed CIDR or a listed IP
// literal covers them, and cloud metadata addresses always are.
type HostAllowList struct {
	patterns []hostPattern
	cidrs    []cidrEntry
	text     string
	cidrText string
	resolver *net.Resolver
}

type hostPattern struct {
	// namespace limits the entry to one namespace; empty is every one.
	namespace string
	// host is lower case; a leading "*." matches any subdomain (not the
	// domain itself); "*" alone matches every host (the address checks
	// still apply).
	host string
	// port is empty to match any port.
	port string
}

type cidrEntry struct {
	namespace string
	prefix    netip.Prefix
}

// ParseHostAllowList parses comma-separated host patterns:
// "reports.partner.example" (any port), "prometheus.monitoring.svc:9090"
// (that port only), "*.partner.example" (any subdomain), "*" (any host,
// public addresses only), "10.0.0.5", "[fd00::5]:443"; each may be
// prefixed with "namespace=" to apply to that namespace only. An empty
// string allows nothing.
func ParseHostAllowList(s string) (HostAllowList, error) {
	var l HostAllowList
	var kept []string
	for raw := range strings.SplitSeq(s, ",") {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			continue
		}
		ns, rest, err := splitNamespace(entry)
		if err != nil {
			return HostAllowList{}, fmt.Errorf("--allowed-source-hosts entry %q: %w", entry, err)
		}
		p, err := parseHostPattern(rest)
		if err != nil {
			return HostAllowList{}, fmt.Errorf("--allowed-source-hosts entry %q: %w", entry, err)
		}
		p.namespace = ns
		l.patterns = append(l.patterns, p)
		kept = append(kept, entry)
	}
	l.text = strings.Join(kept, ",")
	return l, nil
}

// WithCIDRs returns l that also lets sources connect to addresses in the
// comma-separated CIDRs (--allowed-source-cidrs), such as "10.20.0.0/16"
// for the partner VPN or "team-a=10.30.1.0/24" for one namespace, which
// would otherwise be refused as private. Cloud metadata addresses stay
// refused whatever the CIDRs say.
func (l HostAllowList) WithCIDRs(s string) (HostAllowList, error) {
	var kept []string
	l.cidrs = slices.Clone(l.cidrs)
	for raw := range strings.SplitSeq(s, ",") {
		entry := strings.TrimSpace(raw)
		if entry == "" {
			continue
		}
		ns, rest, err := splitNamespace(entry)
		if err != nil {
			return HostAllowList{}, fmt.Errorf("--allowed-source-cidrs entry %q: %w", entry, err)
		}
		prefix, err := netip.ParsePrefix(rest)
		if err != nil {
			return HostAllowList{}, fmt.Errorf("--allowed-source-cidrs entry %q: give an address range such as 10.20.0.0/16 or fd00:1::/64", entry)
		}
		l.cidrs = append(l.cidrs, cidrEntry{namespace: ns, prefix: prefix.Masked()})
		kept = append(kept, entry)
	}
	l.cidrText = strings.Join(kept, ",")
	return l, nil
}

// WithResolver returns l resolving names with r at connect time (tests
// point it at a DNS server of their own); nil is the system's resolver.
func (l HostAllowList) WithResolver(r *net.Resolver) HostAllowList {
	l.resolver = r
	return l
}

// AllowLoopbackForTests allows every host and the loopback addresses
// (127.0.0.0/8, ::1): what tests, the demo and benchmarks need for
// sources on 127.0.0.1, stated explicitly. Never for a cluster.
func AllowLoopbackForTests() HostAllowList {
	l, err := ParseHostAllowList("*")
	if err == nil {
		l, err = l.WithCIDRs("127.0.0.0/8,::1/128")
	}
	if err != nil {
		panic(err) // constant input
	}
	return l
}

// splitNamespace splits "namespace=entry"; a namespace must be a DNS label.
func splitNamespace(entry string) (ns, rest string, err error) {
	ns, rest, ok := strings.Cut(entry, "=")
	if !ok {
		return "", entry, nil
	}
	if !isDNSLabel(ns) {
		return "", "", fmt.Errorf("%q before \"=\" is not a namespace name", ns)
	}
	return ns, strings.TrimSpace(rest), nil
}

func isDNSLabel(s string) bool {
	if s == "" || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == ""
}

func parseHostPattern(entry string) (hostPattern, error) {
	if entry == "*" {
		return hostPattern{host: "*"}, nil
	}
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
		return hostPattern{}, fmt.Errorf("a wildcard is allowed only as a leading \"*.\", as in *.partner.example, or alone as \"*\"")
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

// Empty reports whether the list allows nothing.
func (l HostAllowList) Empty() bool { return len(l.patterns) == 0 }

// String is the list as the flag gave it, without empty entries.
func (l HostAllowList) String() string { return l.text }

// CIDRs is the --allowed-source-cidrs list as given.
func (l HostAllowList) CIDRs() string { return l.cidrText }

// Allows reports whether a source in namespace may be asked for u: its
// host, and its port (explicit or the scheme's default), match one of the
// patterns for every namespace or for this one. The address checks come
// later, at connect time.
func (l HostAllowList) Allows(namespace string, u *url.URL) bool {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case schemeHTTPS:
			port = "443"
		case "http":
			port = "80"
		}
	}
	for _, p := range l.patterns {
		if p.namespace != "" && p.namespace != namespace {
			continue
		}
		if p.port != "" && p.port != port {
			continue
		}
		if p.host == "*" {
			return true
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
	if l.Empty() {
		return Errorf(ReasonSourceNotAllowed, "host %s is not allowed: this operator may call no host until its administrators list the hosts sources may reach (--allowed-source-hosts)", u.Host)
	}
	return Errorf(ReasonSourceNotAllowed, "host %s is not among the hosts this operator may call for this namespace (--allowed-source-hosts=%s); ask the cluster's administrators to allow it", u.Host, l.text)
}

const schemeHTTPS = "https"

// Addresses no source may reach, whatever the flags say: the instance
// metadata services of the clouds (AWS, GCP, Azure, OpenStack on
// 169.254.169.254; AWS's IPv6 fd00:ec2::254; ECS task metadata on
// 169.254.170.2), which hand out the node's credentials.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("169.254.170.2"), netip.MustParseAddr("fd00:ec2::254"),
}

// internalRanges are refused unless an allowed CIDR or listed IP covers
// the address: shared address space (CGNAT, often pods) and the
// IPv4/IPv6 private ranges beside what netip classifies.
var internalRanges = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("240.0.0.0/4"),
}

// addrProblem says why a source in namespace may not connect to a ("" when
// it may), and whether no allowance could change that.
func (l HostAllowList) addrProblem(namespace string, a netip.Addr) (problem string, never bool) {
	a = a.Unmap()
	switch {
	case slices.Contains(metadataAddrs, a):
		return "a cloud metadata address", true
	case a.IsUnspecified():
		return "the unspecified address", true
	}
	if l.addrAllowed(namespace, a) {
		return "", false
	}
	switch {
	case a.IsLoopback():
		return "a loopback address (the operator's own pod)", false
	case a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast():
		return "a link-local address", false
	case a.IsPrivate():
		return "a private address (pods, services and internal networks)", false
	case a.IsMulticast() || a.IsInterfaceLocalMulticast():
		return "a multicast address", false
	}
	for _, p := range internalRanges {
		if p.Contains(a) {
			return "an internal address", false
		}
	}
	return "", false
}

// addrAllowed: an allowed CIDR, or a listed IP literal, covers a.
func (l HostAllowList) addrAllowed(namespace string, a netip.Addr) bool {
	for _, c := range l.cidrs {
		if (c.namespace == "" || c.namespace == namespace) && c.prefix.Contains(a) {
			return true
		}
	}
	for _, p := range l.patterns {
		if p.namespace != "" && p.namespace != namespace {
			continue
		}
		if ip, err := netip.ParseAddr(p.host); err == nil && ip.Unmap() == a {
			return true
		}
	}
	return false
}
