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

// Package dashboard is Accord's read-only web dashboard, served by the
// manager on its own port: a portfolio overview at / and a page per
// partnership at /partnerships/<namespace>/<name>, rendered on the server
// with html/template and inline SVG charts from the manager's informer
// cache. It never queries a metric source, and it has no script: pages
// reload themselves with a meta refresh and answer conditional requests
// with 304, so leaving a page open in a meeting room costs one cache read
// a minute.
package dashboard

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/client-go/rest"
	certutil "k8s.io/client-go/util/cert"
	"k8s.io/utils/clock"
	"sigs.k8s.io/controller-runtime/pkg/certwatcher"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Server serves the dashboard. It is a controller-runtime Runnable that
// runs on every replica, leader or not, since it only reads.
type Server struct {
	reader  client.Reader
	clock   clock.PassiveClock
	opts    Options
	auth    *kubeAuth
	forms   *forms
	log     logr.Logger
	handler http.Handler
}

// New builds a dashboard that reads through reader (the manager's cache)
// and, with opts.Auth, checks callers against the API server at cfg.
func New(reader client.Reader, clk clock.PassiveClock, cfg *rest.Config, log logr.Logger, opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.RefreshSeconds == 0 {
		opts.RefreshSeconds = 60
	}
	if clk == nil {
		clk = clock.RealClock{}
	}
	s := &Server{reader: reader, clock: clk, opts: opts, log: log}
	if opts.Auth {
		a, err := newKubeAuth(cfg, opts.TokenAudience)
		if err != nil {
			return nil, err
		}
		s.auth = a
	}
	mux := http.NewServeMux()
	// GET patterns also answer HEAD; any other method gets 405 with an
	// Allow header from the mux.
	mux.HandleFunc("GET /{$}", s.overview)
	mux.HandleFunc("GET /partnerships/{namespace}/{name}", s.partnership)
	mux.HandleFunc("GET /portfolios/{namespace}/{name}/coverage", s.coverage)
	mux.HandleFunc("GET /partnerships/{namespace}/{name}/candidates", s.candidates)
	if opts.Forms.Enabled() {
		f, err := newForms(opts.Forms)
		if err != nil {
			return nil, err
		}
		s.forms = f
		mux.HandleFunc("GET /partnerships/{namespace}/{name}/propose", s.showForms)
		mux.HandleFunc("POST /partnerships/{namespace}/{name}/propose/{action}", s.submit)
	}
	var h http.Handler = mux
	if s.auth != nil {
		h = s.auth.authenticate(log, h)
	} else {
		h = loopbackHost(opts.BindAddress, h)
	}
	s.handler = securityHeaders(h)
	return s, nil
}

// Handler returns the dashboard's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// NeedLeaderElection is false: every replica serves the dashboard.
func (s *Server) NeedLeaderElection() bool { return false }

// Start listens on the bind address until ctx is done.
func (s *Server) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.opts.BindAddress)
	if err != nil {
		return fmt.Errorf("dashboard: listen on %s: %w", s.opts.BindAddress, err)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	scheme := "http"
	if s.opts.Auth {
		cfg, err := s.tlsConfig(ctx)
		if err != nil {
			_ = ln.Close()
			return err
		}
		ln, scheme = tls.NewListener(ln, cfg), "https"
	}
	s.log.Info("serving the dashboard", "address", scheme+"://"+ln.Addr().String(), "auth", s.opts.Auth)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("dashboard: shut down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("dashboard: %w", err)
	}
	return nil
}

// tlsConfig serves the certificate in CertDir (reloaded on change) or,
// when Options.SelfSignedCertificate says so, a self-signed one.
func (s *Server) tlsConfig(ctx context.Context) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.opts.CertDir != "" {
		w, err := certwatcher.New(filepath.Join(s.opts.CertDir, "tls.crt"), filepath.Join(s.opts.CertDir, "tls.key"))
		if err != nil {
			return nil, fmt.Errorf("dashboard: certificate in %s: %w", s.opts.CertDir, err)
		}
		go func() {
			if err := w.Start(ctx); err != nil {
				s.log.Error(err, "dashboard certificate watcher stopped")
			}
		}()
		cfg.GetCertificate = w.GetCertificate
		return cfg, nil
	}
	certPEM, keyPEM, err := certutil.GenerateSelfSignedCertKey("accord-dashboard", nil, nil)
	if err != nil {
		return nil, fmt.Errorf("dashboard: self-signed certificate: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("dashboard: self-signed certificate: %w", err)
	}
	cfg.Certificates = []tls.Certificate{pair}
	return cfg, nil
}

// may reports whether the request may verb partnerships in namespace.
// Without authentication the dashboard is on loopback only and shows
// everything the manager watches.
func (s *Server) may(r *http.Request, verb, namespace, name string) (bool, error) {
	if s.auth == nil {
		return true, nil
	}
	return s.auth.may(r, verb, namespace, name)
}

// watched reports whether namespace is in the manager's cache.
func (s *Server) watched(namespace string) bool {
	return len(s.opts.Namespaces) == 0 || slices.Contains(s.opts.Namespaces, namespace)
}

// securityHeaders forbid scripts, framing and sniffing: the pages need
// none of them, and a display name that slipped past escaping still could
// not run.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src "+styleHash+"; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}
