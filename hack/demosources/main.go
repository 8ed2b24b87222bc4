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

// Command demosources is part of `make demo`: it serves the made-up live
// metric sources on 127.0.0.1 (a partner's HTTP JSON API, a health plan's
// FHIR server, and telehealth metrics for Prometheus to scrape), or with
// -history writes the telehealth history for promtool to backfill.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/accord-dev/accord/internal/demodata"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:9091", "address to serve on")
	tokenFile := flag.String("token-file", "", "file holding the bearer token the partner API and FHIR server require")
	history := flag.String("history", "", "write OpenMetrics history to this file and exit")
	days := flag.Int("days", 180, "days of history to write")
	flag.Parse()
	if err := run(*listen, *tokenFile, *history, *days); err != nil {
		fmt.Fprintln(os.Stderr, "demosources:", err)
		os.Exit(1)
	}
}

func run(listen, tokenFile, history string, days int) error {
	if history != "" {
		return os.WriteFile(history, []byte(demodata.History(time.Now(), days)), 0o644)
	}
	if tokenFile == "" {
		return errors.New("-token-file is required")
	}
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		return fmt.Errorf("read token: %w", err)
	}
	s := &demodata.Server{Token: strings.TrimSpace(string(token)), Now: time.Now}
	srv := &http.Server{Addr: listen, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("serving the demo partner API, FHIR server and telehealth metrics on http://%s", listen)
	return srv.ListenAndServe()
}
