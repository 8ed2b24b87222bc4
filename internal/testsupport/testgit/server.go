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

package testgit

import (
	"crypto/subtle"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Server is a real git server over HTTP on 127.0.0.1: Debian's git
// http-backend run as a CGI program behind net/http/cgi, serving the bare
// repositories under Root with push (receive-pack) enabled.
type Server struct {
	t testing.TB
	// Root holds the bare repositories, e.g. Root/acme/portfolio.git.
	Root string
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Refused counts the requests refused for want of the token.
	Refused atomic.Int32

	token atomic.Pointer[string]
}

// httpBackend finds git http-backend in git's exec path.
func httpBackend(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Fatalf("git --exec-path: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("git http-backend is required (Debian: package git): %v", err)
	}
	return p
}

// NewServer starts the server; it stops when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, Root: t.TempDir()}
	h := &cgi.Handler{
		Path: httpBackend(t),
		Env: []string{
			"GIT_PROJECT_ROOT=" + s.Root,
			"GIT_HTTP_EXPORT_ALL=1",
			"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME=" + s.Root,
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := s.token.Load(); tok != nil && !tokenSent(r, *tok) {
			s.Refused.Add(1)
			w.Header().Set("WWW-Authenticate", `Basic realm="portfolio"`)
			http.Error(w, "a token is required", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// RequireToken makes the server answer 401 to every request that does not
// carry token as the password of Basic authentication, as GitHub's and
// GitLab's HTTPS remotes take a token; Refused counts those requests. An
// empty token lifts the requirement.
func (s *Server) RequireToken(token string) {
	if token == "" {
		s.token.Store(nil)
		return
	}
	s.token.Store(&token)
}

func tokenSent(r *http.Request, token string) bool {
	_, pass, ok := r.BasicAuth()
	return ok && subtle.ConstantTimeCompare([]byte(pass), []byte(token)) == 1
}

// Bare creates an empty bare repository at path (e.g. "acme/portfolio.git")
// that accepts pushes, and returns its URL.
func (s *Server) Bare(path string) string {
	s.t.Helper()
	dir := filepath.Join(s.Root, filepath.FromSlash(path))
	s.git("init", "--quiet", "--bare", "--initial-branch=main", dir)
	// Without an authenticated user git http-backend refuses pushes unless
	// the repository enables receive-pack.
	s.git("-C", dir, "config", "http.receivepack", "true")
	return s.URL + "/" + path
}

// Git runs git in the bare repository at path and returns its trimmed
// output; a failure fails the test.
func (s *Server) Git(path string, args ...string) string {
	s.t.Helper()
	return s.git(append([]string{"-C", filepath.Join(s.Root, filepath.FromSlash(path))}, args...)...)
}

func (s *Server) git(args ...string) string {
	s.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null", "HOME="+s.Root)
	out, err := cmd.CombinedOutput()
	if err != nil {
		s.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}
