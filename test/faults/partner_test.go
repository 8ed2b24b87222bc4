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

package faults_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Secrets and patient identifiers the partner's answers and credentials
// carry; none may reach logs, events, status or metrics.
const (
	partnerToken   = "partner-api-token-7f3a9c"
	partnerAPIKey  = "x-api-key-51d2e8"
	patientID      = "MRN-00421337"
	otherPatientID = "PT-7731-ALPHA"
)

// mode is how the partner answers.
type mode string

const (
	healthy    mode = "healthy"
	erroring   mode = "erroring"  // 503 with a body naming a patient
	slow       mode = "slow"      // answers after the source's timeout
	flapping   mode = "flapping"  // healthy and erroring by turns
	malformed  mode = "malformed" // not JSON
	wrongTypes mode = "wrongTypes"
	notANumber mode = "NaN"
	infinite   mode = "Inf"
	huge       mode = "huge"     // far above maxResponseBytes
	redirected mode = "redirect" // 302 to another host
	expiredTLS mode = "expiredTLS"
	wrongCA    mode = "wrongCA"
	hugeValue  mode = "hugeValue" // 1e70: 71 characters as a status field
	future     mode = "future"    // dated a day after the request
)

// partner is a partner's HTTPS JSON API on 127.0.0.1 that can be broken
// in every way the suite needs, and stopped and started on the same port.
type partner struct {
	addr string
	// caPEM is the CA the MetricSource trusts.
	caPEM                    []byte
	good, expired, untrusted tls.Certificate
	// thief is another host a redirect points to; it must never be hit.
	thief     *http.Server
	thiefHits atomic.Int32

	mu       sync.Mutex
	mode     mode
	value    string
	observed time.Time
	requests int
	// lastOK says whether the latest answer was a good one.
	lastOK bool
	// inflight counts requests being answered right now: a slow answer
	// holds a reconcile open.
	inflight atomic.Int32
	srv      *http.Server
}

func newPartner(t *testing.T) *partner {
	t.Helper()
	trusted, trustedKey := newCA(t, "partner CA")
	other, otherKey := newCA(t, "someone else's CA")
	p := &partner{
		caPEM:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: trusted.Raw}),
		good:      leaf(t, trusted, trustedKey, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)),
		expired:   leaf(t, trusted, trustedKey, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)),
		untrusted: leaf(t, other, otherKey, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)),
		mode:      healthy, value: "16.2", observed: today.Add(-time.Hour),
	}
	p.addr = freeAddr(t)
	p.start(t)
	thiefAddr := freeAddr(t)
	p.thief = &http.Server{Addr: thiefAddr, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.thiefHits.Add(1)
	})}
	l, err := net.Listen("tcp", thiefAddr)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = p.thief.Serve(l) }()
	t.Cleanup(func() { _ = p.thief.Close(); p.stop() })
	return p
}

// URL is the endpoint a MetricSource declares.
func (p *partner) URL() string { return "https://" + p.addr }

func (p *partner) set(m mode) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
}

// publish makes the partner answer value, observed at the given time.
func (p *partner) publish(value string, observed time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.value, p.observed = value, observed
}

func (p *partner) requestCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.requests
}

func (p *partner) answeredOK() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastOK
}

// start listens on the partner's address (again, after stop).
func (p *partner) start(t *testing.T) {
	t.Helper()
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("partner listen on %s: %v", p.addr, err)
	}
	// Handshakes the operator refuses are the point of two faults, not news.
	srv := &http.Server{Handler: http.HandlerFunc(p.serve), ErrorLog: log.New(io.Discard, "", 0), TLSConfig: &tls.Config{
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			p.mu.Lock()
			defer p.mu.Unlock()
			switch p.mode {
			case expiredTLS:
				return &p.expired, nil
			case wrongCA:
				return &p.untrusted, nil
			}
			return &p.good, nil
		},
	}}
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
	go func() {
		if err := srv.ServeTLS(l, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("partner: %v", err)
		}
	}()
}

// stop takes the partner off the network: connections are refused.
func (p *partner) stop() {
	p.mu.Lock()
	srv := p.srv
	p.srv = nil
	p.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

func (p *partner) serve(w http.ResponseWriter, r *http.Request) {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	p.mu.Lock()
	p.requests++
	m, value, observed, n := p.mode, p.value, p.observed, p.requests
	if m == flapping {
		m = healthy
		if n%2 == 1 {
			m = erroring
		}
	}
	p.lastOK = m == healthy
	p.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+partnerToken || r.Header.Get("X-Api-Key") != partnerAPIKey {
		http.Error(w, "unauthorised", http.StatusUnauthorized)
		return
	}
	// Partner APIs send more than asked for; here, patient identifiers.
	switch m {
	case healthy:
		_, _ = fmt.Fprintf(w, `{"rate":%s,"observed":%q,"example":{"patient":%q}}`, value, observed.Format(time.RFC3339), patientID)
	case erroring:
		http.Error(w, "maintenance; last record "+patientID, http.StatusServiceUnavailable)
	case slow:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second): // the answer a slow partner would give, too late
			_, _ = fmt.Fprintf(w, `{"rate":%s,"observed":%q}`, value, observed.Format(time.RFC3339))
		}
	case malformed:
		_, _ = fmt.Fprintf(w, `{"rate":%s,"observed":%q,"patient":%s`, value, observed.Format(time.RFC3339), patientID)
	case wrongTypes:
		_, _ = fmt.Fprintf(w, `{"rate":{"value":%q},"observed":true}`, otherPatientID)
	case notANumber:
		_, _ = fmt.Fprintf(w, `{"rate":"NaN","observed":%q,"patient":%q}`, observed.Format(time.RFC3339), patientID)
	case hugeValue:
		_, _ = fmt.Fprintf(w, `{"rate":1e70,"observed":%q,"patient":%q}`, observed.Format(time.RFC3339), patientID)
	case future:
		_, _ = fmt.Fprintf(w, `{"rate":12.0,"observed":%q,"patient":%q}`, today.Add(48*time.Hour).Format(time.RFC3339), patientID)
	case infinite:
		_, _ = fmt.Fprintf(w, `{"rate":1e999,"observed":%q,"patient":%q}`, observed.Format(time.RFC3339), patientID)
	case huge:
		_, _ = fmt.Fprintf(w, `{"rate":%s,"observed":%q,"patients":[`, value, observed.Format(time.RFC3339))
		row := fmt.Sprintf("%q,", patientID+"/"+otherPatientID)
		_, _ = fmt.Fprint(w, strings.Repeat(row, (8<<20)/len(row)))
		_, _ = fmt.Fprint(w, `""]}`)
	case redirected:
		http.Redirect(w, r, fmt.Sprintf("http://%s/collect?patient=%s", p.thief.Addr, patientID), http.StatusFound)
	}
}

func newCA(t *testing.T, name string) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-72 * time.Hour), NotAfter: time.Now().Add(72 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return ca, key
}

var serial atomic.Int64

// leaf issues a serving certificate for 127.0.0.1, valid from notBefore to
// notAfter (real time: TLS verification does not use the fake clock).
func leaf(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, notBefore, notAfter time.Time) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(100 + serial.Add(1)), Subject: pkix.Name{CommonName: "partner"},
		NotBefore: notBefore, NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// ctxT is the background context the suite's API calls use.
var ctxT = context.Background()
