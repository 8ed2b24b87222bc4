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

package dashboard

import (
	"fmt"
	"net"
	"strconv"
)

// Options configure the dashboard server.
type Options struct {
	// BindAddress is host:port to listen on; "0" or "" turns the dashboard
	// off. Without Auth it must be a loopback address.
	BindAddress string
	// Auth serves HTTPS and requires a bearer token, authenticated with
	// TokenReview; every read is authorised with SubjectAccessReview as
	// "list partnerships" (overview) or "get partnerships" (a
	// partnership's page) in the partnership's namespace.
	Auth bool
	// CertDir holds tls.crt and tls.key for HTTPS, reloaded when they
	// change. With Auth it is required unless SelfSignedCertificate.
	CertDir string
	// SelfSignedCertificate lets Auth serve a certificate generated at
	// start when CertDir is empty. Readers cannot verify it, so they
	// cannot tell the dashboard from an impostor they would hand their
	// tokens to: it must be asked for.
	SelfSignedCertificate bool
	// TokenAudience is the audience bearer tokens must be minted for
	// (kubectl create token NAME --audience accord-dashboard), checked by
	// TokenReview, so that a token for the API server, which could do
	// anything its owner may, is not accepted here and so never sent
	// here. Empty means DefaultTokenAudience.
	TokenAudience string
	// RefreshSeconds is how often pages reload themselves; 0 means 60.
	RefreshSeconds int
	// Namespaces the manager watches; empty means all. Other namespaces
	// are answered with 404, as they are not in the cache.
	Namespaces []string
	// Forms turn on the office's forms, which propose changes as pull
	// requests in the portfolio's repository; off unless configured.
	Forms FormsOptions
}

// DefaultTokenAudience is the audience dashboard tokens are minted for:
// the dashboard's own name.
const DefaultTokenAudience = "accord-dashboard"

// Enabled reports whether addr turns the dashboard on.
func Enabled(addr string) bool { return addr != "" && addr != "0" }

// Validate checks the options before the manager starts: without
// authentication the dashboard may only listen on a loopback address, so
// that nobody else on the network can read the portfolio.
func (o Options) Validate() error {
	if !Enabled(o.BindAddress) {
		return nil
	}
	host, port, err := net.SplitHostPort(o.BindAddress)
	if err != nil {
		return fmt.Errorf("--dashboard-bind-address %q: want host:port, e.g. 127.0.0.1:8082: %w", o.BindAddress, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("--dashboard-bind-address %q: port %q is not a number from 0 to 65535", o.BindAddress, port)
	}
	if o.RefreshSeconds < 0 {
		return fmt.Errorf("dashboard refresh interval %d: must be zero (the default, 60 seconds) or positive", o.RefreshSeconds)
	}
	if err := o.Forms.validate(o.Auth); err != nil {
		return err
	}
	if o.Auth && o.CertDir == "" && !o.SelfSignedCertificate {
		return fmt.Errorf("--dashboard-auth needs a certificate its readers can verify before they send it their tokens: " +
			"--dashboard-cert-dir with tls.crt and tls.key (from cert-manager, for example), " +
			"or --dashboard-self-signed-certificate to serve one generated at start, which no browser can tell from an impostor's")
	}
	if o.Auth || isLoopback(host) {
		return nil
	}
	if host == "" {
		host = "every interface"
	}
	return fmt.Errorf("--dashboard-bind-address %q listens on %s without authentication: bind to a loopback address such as 127.0.0.1:%s, or add --dashboard-auth to require Kubernetes credentials", o.BindAddress, host, port)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
