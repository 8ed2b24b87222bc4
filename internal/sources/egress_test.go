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

package sources_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	clocktesting "k8s.io/utils/clock/testing"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/manager"
	"github.com/accord-dev/accord/internal/sources"
	"github.com/accord-dev/accord/internal/sources/fetch"
	"github.com/accord-dev/accord/internal/sources/httpjson"
	"github.com/accord-dev/accord/internal/sources/sourcestest"
)

var nov25 = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

// counting is a server on 127.0.0.1 that counts what reaches it: every
// connection, not only every request, so that a refusal at connect time
// is told apart from one after the request.
type counting struct {
	addr  string
	conns atomic.Int32
}

func listenCounting(t *testing.T, network, addr string) *counting {
	t.Helper()
	l, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	c := &counting{addr: l.Addr().String()}
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			c.conns.Add(1)
			_, _ = fmt.Fprint(conn, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"value\":1}")
			_ = conn.Close()
		}
	}()
	t.Cleanup(func() { _ = l.Close() })
	return c
}

func egressFetcher(t *testing.T, allowed sources.HostAllowList, objs ...client.Object) *fetch.Fetcher {
	t.Helper()
	return fetch.New(fetch.Options{
		Reader: fake.NewClientBuilder().WithScheme(manager.NewScheme()).WithObjects(objs...).Build(),
		Clock:  clocktesting.NewFakeClock(nov25), AllowedHosts: allowed,
		Providers: map[v1.SourceType]sources.Provider{v1.SourceHTTPJSON: httpjson.Provider{}},
	})
}

func httpSource(endpoint string) *v1.MetricSource {
	return &v1.MetricSource{
		ObjectMeta: metav1.ObjectMeta{Namespace: "tenant", Name: "partner-api", UID: "u1", Generation: 1},
		Spec:       v1.MetricSourceSpec{Type: v1.SourceHTTPJSON, Endpoint: endpoint, Timeout: "2s"},
	}
}

func reasonOf(err error) sources.Reason {
	if se, ok := errors.AsType[*sources.Error](err); ok {
		return se.Reason()
	}
	return ""
}

func mustAllow(t *testing.T, hosts, cidrs string) sources.HostAllowList {
	t.Helper()
	l, err := sources.ParseHostAllowList(hosts)
	if err == nil {
		l, err = l.WithCIDRs(cidrs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Issue 18, test 1: the operator's own ports, loopback in IPv4 and IPv6
// and the cloud metadata addresses are refused, with the allow-list unset
// (nothing is allowed) and set (even to "*" with loopback names listed):
// no connection is made.
func TestInternalEndpointsAreRefusedWithTheAllowListUnsetAndSet(t *testing.T) {
	dashboard := listenCounting(t, "tcp", "127.0.0.1:0") // stands for the dashboard's port
	_, dashboardPort, _ := net.SplitHostPort(dashboard.addr)
	probes := listenCounting(t, "tcp", "127.0.0.1:0") // stands for localhost:8081
	_, probesPort, _ := net.SplitHostPort(probes.addr)
	v6 := listenCounting(t, "tcp6", "[::1]:0")
	_, v6Port, _ := net.SplitHostPort(v6.addr)
	endpoints := []string{
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"http://[::1]:" + v6Port + "/",
		"http://[fd00:ec2::254]/latest/meta-data/",
		"http://localhost:" + probesPort + "/healthz",
		"http://127.0.0.1:" + dashboardPort + "/",
		"http://[::ffff:127.0.0.1]:" + dashboardPort + "/",
		"http://0.0.0.0:" + dashboardPort + "/",
	}
	lists := map[string]sources.HostAllowList{
		"unset":                 {},
		"a partner's hosts":     mustAllow(t, "reports.partner.example,*.partner.example", ""),
		"any host":              mustAllow(t, "*", ""),
		"the names listed":      mustAllow(t, "localhost,169.254.169.254.nip.io", ""),
		"link-local range open": mustAllow(t, "*", "169.254.0.0/16,fd00::/8"),
	}
	for name, allowed := range lists {
		for _, endpoint := range endpoints {
			t.Run(name+" "+endpoint, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, err := egressFetcher(t, allowed).Fetch(ctx, httpSource(endpoint), &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
				if reasonOf(err) != sources.ReasonSourceNotAllowed {
					t.Fatalf("got %v; want %s", err, sources.ReasonSourceNotAllowed)
				}
			})
		}
	}
	for _, c := range []*counting{dashboard, probes, v6} {
		if n := c.conns.Load(); n != 0 {
			t.Errorf("%s received %d connections", c.addr, n)
		}
	}
}

// Issue 18, test 2: a name the allow-list allows, whose DNS answer is
// 127.0.0.1 or 169.254.169.254, is refused when the connection is made:
// the check is on the resolved address, not the text of the URL.
func TestAnAllowedNameResolvingInsideIsRefusedAtDialTime(t *testing.T) {
	target := listenCounting(t, "tcp", "127.0.0.1:0")
	_, port, _ := net.SplitHostPort(target.addr)
	resolver := sourcestest.DNSServer(t, map[string]netip.Addr{
		"rebind.partner.example": netip.MustParseAddr("127.0.0.1"),
		"meta.partner.example":   netip.MustParseAddr("169.254.169.254"),
		"vpn.partner.example":    netip.MustParseAddr("127.0.0.1"),
	})
	allowed := mustAllow(t, "*.partner.example", "").WithResolver(resolver)
	for _, c := range []struct{ host, want string }{
		{"rebind.partner.example", "resolves to 127.0.0.1, a loopback address"},
		{"meta.partner.example", "resolves to 169.254.169.254, a cloud metadata address"},
	} {
		t.Run(c.host, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err := egressFetcher(t, allowed).Fetch(ctx, httpSource("http://"+c.host+":"+port+"/"), &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
			if reasonOf(err) != sources.ReasonSourceNotAllowed || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (%s); want %s saying %q", err, reasonOf(err), sources.ReasonSourceNotAllowed, c.want)
			}
		})
	}
	if n := target.conns.Load(); n != 0 {
		t.Fatalf("the internal address received %d connections", n)
	}
	// The resolver and server work: with the range allowed, the same
	// name is read. So the refusals came from the address check.
	open := mustAllow(t, "*.partner.example", "127.0.0.0/8").WithResolver(resolver)
	obs, err := egressFetcher(t, open).Fetch(context.Background(), httpSource("http://vpn.partner.example:"+port+"/"), &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
	if err != nil || obs.Value != 1 || target.conns.Load() != 1 {
		t.Fatalf("with 127.0.0.0/8 allowed: %v, %v after %d connections", obs.Value, err, target.conns.Load())
	}
}

// bothSchemes serves TLS and plain HTTP on one port, telling them apart
// by the first byte (a TLS handshake starts with 0x16): the only way to
// have a same-host (same host:port) redirect from https to http on
// 127.0.0.1.
type bothSchemes struct {
	net.Listener
	tls *tls.Config
}

type peekedConn struct {
	net.Conn
	r *bufio.Reader
}

func (c peekedConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func (l bothSchemes) Accept() (net.Conn, error) {
	conn, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	r := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	first, err := r.Peek(1)
	_ = conn.SetReadDeadline(time.Time{})
	pc := peekedConn{conn, r}
	if err == nil && first[0] == 0x16 {
		return tls.Server(pc, l.tls), nil
	}
	return pc, nil
}

// Issue 18, test 3: an https source that redirects to http on its own
// host and port: the redirect is not followed and the token never travels
// in clear.
func TestAnHTTPSToHTTPRedirectOnTheSameHostNeverSendsTheToken(t *testing.T) {
	const token = "bearer-token-4b1d"
	var clear, secure atomic.Int32
	var tokenInClear atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			clear.Add(1)
			if strings.Contains(r.Header.Get("Authorization"), token) {
				tokenInClear.Store(true)
			}
			_, _ = fmt.Fprint(w, `{"value":1}`)
			return
		}
		secure.Add(1)
		http.Redirect(w, r, "http://"+r.Host+"/plain", http.StatusFound)
	}))
	srv.StartTLS() // makes the certificate and TLS config
	_ = srv.Listener.Close()
	l, err := net.Listen("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Config.Serve(bothSchemes{Listener: l, tls: srv.TLS}) }()
	defer func() { _ = l.Close() }()

	// The server does answer plain HTTP on this port.
	resp, err := http.Get("http://" + l.Addr().String() + "/probe")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the plain-HTTP side does not answer: %v", err)
	}
	_ = resp.Body.Close()
	clear.Store(0)

	ca := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "tenant", Name: "partner-ca",
		Labels: map[string]string{sources.CredentialLabel: "true"}, Annotations: map[string]string{sources.CredentialHostsAnnotation: "127.0.0.1"}},
		Data: map[string][]byte{"ca.crt": pemOf(srv.Certificate().Raw), "token": []byte(token)}}
	src := httpSource("https://" + l.Addr().String())
	src.Spec.TLS = &v1.SourceTLS{CASecretRef: &v1.SecretKeySelector{Name: "partner-ca", Key: "ca.crt"}}
	src.Spec.Auth = &v1.SourceAuth{BearerToken: &v1.SecretKeySelector{Name: "partner-ca", Key: "token"}}
	_, err = egressFetcher(t, sources.AllowLoopbackForTests(), ca).Fetch(context.Background(), src, &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
	if reasonOf(err) != sources.ReasonSourceNotAllowed || !strings.Contains(err.Error(), "from https to http") {
		t.Fatalf("got %v (%s); want %s naming the downgrade", err, reasonOf(err), sources.ReasonSourceNotAllowed)
	}
	if secure.Load() != 1 {
		t.Fatalf("%d requests over https; want the one that redirected", secure.Load())
	}
	if clear.Load() != 0 || tokenInClear.Load() {
		t.Fatalf("%d requests in clear (token sent: %v)", clear.Load(), tokenInClear.Load())
	}
}

func pemOf(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// Issue 18, test 4: a header whose value comes from a Secret its owner did
// not give to metric sources (no label), or gave for other hosts, is not
// sent: the server the MetricSource names receives no request at all.
func TestASecretNotGivenToThisHostIsNeverSent(t *testing.T) {
	const key = "api-key-9c2e"
	var requests, withKey atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("X-Api-Key") == key {
			withKey.Add(1)
		}
		_, _ = fmt.Fprint(w, `{"value":1}`)
	}))
	defer srv.Close()
	secret := func(labelled bool, hosts string) *corev1.Secret {
		s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: "tenant", Name: "shared-key"}, Data: map[string][]byte{"key": []byte(key)}}
		if labelled {
			sources.MarkCredential(s, hosts)
		}
		return s
	}
	cases := []struct {
		name   string
		secret *corev1.Secret
		want   string
	}{
		{"unlabelled", secret(false, ""), "is not labelled portfolio.accord.dev/credential=true"},
		{"labelled for no host", secret(true, ""), "names no hosts"},
		{"labelled for another host", secret(true, "reports.partner.example,*.partner.example"), "may be sent only to reports.partner.example"},
		{"labelled with a bare wildcard", secret(true, "*"), "is not a host"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := httpSource(srv.URL)
			src.Spec.Headers = []v1.Header{{Name: "X-Api-Key", ValueFrom: &v1.SecretKeySelector{Name: "shared-key", Key: "key"}}}
			_, err := egressFetcher(t, sources.AllowLoopbackForTests(), c.secret).Fetch(context.Background(), src, &v1.KPISource{Query: "/v", JSONPath: "{.value}"})
			if reasonOf(err) != sources.ReasonCredentialsNotAllowed || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v (%s); want %s saying %q", err, reasonOf(err), sources.ReasonCredentialsNotAllowed, c.want)
			}
			if strings.Contains(err.Error(), key) {
				t.Fatal("the error carries the Secret's value")
			}
			if n := requests.Load(); n != 0 {
				t.Fatalf("the server received %d requests", n)
			}
		})
	}
	// Given to this host: sent. So the refusals came from the consent.
	src := httpSource(srv.URL)
	src.Spec.Headers = []v1.Header{{Name: "X-Api-Key", ValueFrom: &v1.SecretKeySelector{Name: "shared-key", Key: "key"}}}
	if _, err := egressFetcher(t, sources.AllowLoopbackForTests(), secret(true, "127.0.0.1")).Fetch(context.Background(), src, &v1.KPISource{Query: "/v", JSONPath: "{.value}"}); err != nil || withKey.Load() != 1 {
		t.Fatalf("labelled for 127.0.0.1: %v, %d requests with the key", err, withKey.Load())
	}
}
