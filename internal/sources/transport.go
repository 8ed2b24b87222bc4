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
	"io"
	"net/http"
)

// HTTPClient returns req's client with a transport that adds the source's
// credentials and headers to every request and caps every answer at
// MaxBytes, for providers that hand it to an ecosystem client library.
func (req Request) HTTPClient() *http.Client {
	c := *req.Client
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = &sourceTransport{base: base, authorize: req.authorize, maxBytes: req.maxBytes(), tooLarge: req.tooLarge(), charge: req.charge}
	return &c
}

func (req Request) maxBytes() int64 {
	if req.MaxBytes > 0 {
		return req.MaxBytes
	}
	return DefaultMaxResponseBytes
}

// tooLarge is the error of an answer beyond maxBytes, naming the limit.
func (req Request) tooLarge() *Error {
	if req.Ceiling > 0 && req.maxBytes() == req.Ceiling && req.Source != nil && req.Source.Spec.MaxResponseBytes > req.Ceiling {
		return Errorf(ReasonResponseTooLarge, "the answer is larger than %d bytes, the most the operator accepts from any source (--max-response-bytes; spec.maxResponseBytes asks for %d)",
			req.Ceiling, req.Source.Spec.MaxResponseBytes)
	}
	return Errorf(ReasonResponseTooLarge, "the answer is larger than maxResponseBytes (%d)", req.maxBytes())
}

type sourceTransport struct {
	base      http.RoundTripper
	authorize func(*http.Request) error
	maxBytes  int64
	tooLarge  error
	charge    *charge
}

func (t *sourceTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if t.authorize != nil {
		if err := t.authorize(r); err != nil {
			return nil, err
		}
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > t.maxBytes {
		_ = resp.Body.Close()
		return nil, t.tooLarge
	}
	resp.Body = &cappedBody{ReadCloser: resp.Body, left: t.maxBytes, tooLarge: t.tooLarge,
		charged: chargedReader{ctx: r.Context(), r: resp.Body, c: t.charge}}
	return resp, nil
}

// cappedBody fails a read that goes past the cap instead of truncating
// silently, so a huge answer is an error, not a wrong value.
type cappedBody struct {
	io.ReadCloser
	left     int64
	tooLarge error
	charged  chargedReader // reads ReadCloser, charging a Budget
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, b.tooLarge
		}
		return b.ReadCloser.Read(p)
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.charged.Read(p)
	b.left -= int64(n)
	return n, err
}
