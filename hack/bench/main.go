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

// Command bench is `make bench`: the scale benchmark of the Accord
// manager (test/bench). It prints the figures of one run as markdown
// tables, or with -sizes runs each size in a fresh process and adds a
// table of how the figures grow. docs/benchmarks.md explains the figures.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	ctrl "sigs.k8s.io/controller-runtime"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/accord-dev/accord/internal/testsupport/testenv"
	"github.com/accord-dev/accord/test/bench"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(args []string) (runErr error) {
	cfg := bench.DefaultConfig()
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(
		&cfg.Partnerships,
		"partnerships",
		cfg.Partnerships,
		"partnerships in the portfolio; each has 3 objectives of 3 KPIs and a review",
	)
	sizes := fs.String(
		"sizes",
		"",
		"comma-separated partnership counts to run one after another, each in a fresh process, for the growth table "+
			"(e.g. 111,1111,4444)",
	)
	fs.DurationVar(
		&cfg.Rest,
		"rest",
		cfg.Rest,
		"rest window after convergence in which writes, events and upstream requests are counted",
	)
	fs.DurationVar(
		&cfg.Interval,
		"interval",
		cfg.Interval,
		"evaluation interval of live KPIs and minimum interval of live sources (whole seconds)",
	)
	fs.IntVar(
		&cfg.MaxConcurrentReconciles,
		"max-concurrent-reconciles",
		cfg.MaxConcurrentReconciles,
		"the manager's --max-concurrent-reconciles",
	)
	fs.IntVar(
		&cfg.Workers,
		"workers",
		cfg.Workers,
		"requests in flight when applying the portfolio and measuring the floor",
	)
	qps := fs.Float64("qps", float64(cfg.QPS), "client-side QPS of the plain client that applies the portfolio")
	fs.IntVar(&cfg.Burst, "burst", cfg.Burst, "client-side burst of the plain client")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "bound on each wait (convergence, re-convergence)")
	fs.DurationVar(&cfg.Quiet, "quiet", cfg.Quiet, "time without any object changing that counts as settled")
	fs.Float64Var(&cfg.ChangeFraction, "change", cfg.ChangeFraction, "fraction of KPI values changed after convergence")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (manager included) to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile at steady state to this file")
	managerLog := fs.String("manager-log", "", "write the manager's logs to this file (default: discard)")
	jsonOut := fs.String("json", "", "also write the figures as JSON to this file")
	pprofAddr := fs.String(
		"pprof",
		"",
		"serve net/http/pprof and the manager's /metrics on this address (e.g. 127.0.0.1:6060) to inspect a run while "+
			"it runs",
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; all settings are flags (see -h)", fs.Args())
	}
	cfg.QPS = float32(*qps)
	if *pprofAddr != "" {
		// Goroutine and block profiles of a live run are how a stall is
		// told apart from slow work; the listener lives as long as the run.
		ln, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return fmt.Errorf("-pprof: %w", err)
		}
		runtime.SetBlockProfileRate(int(time.Millisecond))
		runtime.SetMutexProfileFraction(10)
		http.Handle("/metrics", promhttp.HandlerFor(crmetrics.Registry, promhttp.HandlerOpts{}))
		go func() { _ = http.Serve(ln, nil) }() //nolint:gosec // local diagnostics only
	}
	if *sizes != "" {
		return runSizes(fs, *sizes)
	}

	root, err := testenv.RepoRoot()
	if err != nil {
		return err
	}
	if cfg.Assets, err = testenv.Assets(root); err != nil {
		return err
	}
	cfg.Root, cfg.Progress = root, os.Stderr
	if *managerLog != "" {
		f, err := os.Create(*managerLog)
		if err != nil {
			return fmt.Errorf("-manager-log: %w", err)
		}
		defer closeInto(&runErr, f, "-manager-log")
		cfg.ManagerLog = f
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer closeInto(&runErr, f, "-cpuprofile")
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("-cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		cfg.AtSteadyState = func() {
			if err := writeHeapProfile(*memProfile); err != nil {
				fmt.Fprintln(os.Stderr, "bench: -memprofile:", err)
			}
		}
	}
	res, err := bench.Run(ctrl.SetupSignalHandler(), cfg)
	if err != nil {
		return err
	}
	fmt.Printf("### %d partnerships, --max-concurrent-reconciles=%d, interval %s, rest %s\n\n%s\n",
		cfg.Partnerships, cfg.MaxConcurrentReconciles, cfg.Interval, cfg.Rest, res.Markdown())
	if *jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			return fmt.Errorf("-json: %w", err)
		}
	}
	return nil
}

func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// closeInto closes a file this command wrote and reports a failure into
// *err unless an earlier error is there: a log or profile whose Close fails
// may be cut short.
func closeInto(err *error, f *os.File, name string) {
	if cerr := f.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("%s: %w", name, cerr)
	}
}

// runSizes runs this command once per size, each in its own process so
// that heap, RSS and metrics start clean, then prints the growth table.
func runSizes(fs *flag.FlagSet, sizes string) error {
	var inherited []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "sizes", "partnerships", "json", "cpuprofile", "memprofile", "manager-log":
		default:
			inherited = append(inherited, "-"+f.Name+"="+f.Value.String())
		}
	})
	// An interrupt reaches each size's process too, whose own handler
	// stops its control plane and Prometheus; without it they outlived a
	// stopped run started outside a terminal's process group.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := os.MkdirTemp("", "accord-bench-sizes-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	var results []*bench.Result
	for s := range strings.SplitSeq(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-sizes %q: %q is not a positive whole number", sizes, s)
		}
		out := filepath.Join(tmp, fmt.Sprintf("%d.json", n))
		args := append([]string{"-partnerships=" + strconv.Itoa(n), "-json=" + out}, inherited...)
		for _, name := range []string{"cpuprofile", "memprofile", "manager-log"} {
			if v := fs.Lookup(name).Value.String(); v != "" {
				args = append(args, fmt.Sprintf("-%s=%s.%d", name, v, n))
			}
		}
		fmt.Fprintf(os.Stderr, "bench: size %d partnerships: %s %s\n", n, os.Args[0], strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, os.Args[0], args...)
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = time.Minute
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("size %d: %w", n, err)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		res := &bench.Result{}
		if err := json.Unmarshal(b, res); err != nil {
			return fmt.Errorf("size %d: read figures: %w", n, err)
		}
		results = append(results, res)
	}
	_, err = io.WriteString(os.Stdout, "### Growth across sizes\n\n"+bench.Growth(results)+"\n")
	return err
}
