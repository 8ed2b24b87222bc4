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

// Package cli is accordctl, the command line for reviewers and CI of
// portfolio repositories. The same binary installs as the kubectl plugin
// kubectl-accord.
package cli

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes shared by every command, so CI can tell a finding from a
// broken invocation.
const (
	ExitOK       = 0 // valid, no findings
	ExitFindings = 1 // invalid input or policy findings
	ExitUsage    = 2 // usage, I/O or cluster access error
)

// Streams are the command's standard streams; tests pass buffers.
type Streams struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// say writes a line the user reads after the work it reports is done or
// decided (files written, a branch pushed, a finding already counted in the
// exit code). A terminal that cannot show it must not turn that outcome into
// a different one, so the write error is dropped here, in one place.
func say(w io.Writer, format string, args ...any) {
	_, _ = fmt.Fprintf(w, format, args...)
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// findings returns an error that exits 1 after the command has printed its
// report; the message goes to stderr.
func findings(format string, args ...any) error {
	return &exitError{code: ExitFindings, err: fmt.Errorf(format, args...)}
}

// usageError returns an error that exits 2.
func usageError(err error) error {
	return &exitError{code: ExitUsage, err: err}
}

// commandName is "kubectl accord" when the binary runs as the kubectl
// plugin, so help text shows what the user typed.
func commandName(argv0 string) string {
	base := filepath.Base(argv0)
	if after, ok := strings.CutPrefix(base, "kubectl-"); ok {
		return "kubectl " + strings.ReplaceAll(after, "_", "-")
	}
	return "accordctl"
}

// NewRoot builds the command tree.
func NewRoot(argv0 string, s Streams) *cobra.Command {
	name := commandName(argv0)
	root := &cobra.Command{
		Use: strings.ReplaceAll(name, " ", "-"),
		// Help shows the name as typed, "kubectl accord status", which
		// Use cannot hold: cobra takes its first word as the name.
		Annotations:   map[string]string{cobra.CommandDisplayNameAnnotation: name},
		Short:         "Validate, diff, evaluate and inspect Accord partnership portfolios",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(s.In)
	root.SetOut(s.Out)
	root.SetErr(s.Err)
	root.AddCommand(subcommands(s)...)
	return root
}

// subcommands lists the commands; each lives in its own file.
func subcommands(s Streams) []*cobra.Command {
	return []*cobra.Command{
		newVersionCmd(s),
		newDiffCmd(s),
		newValidateCmd(s),
		newStatusCmd(s),
		newEvaluateCmd(s),
		newCompareCmd(s),
		newReportCmd(s),
		newRecordCmd(s),
		newImportCmd(s),
	}
}

// Execute runs the CLI and returns the process exit code.
func Execute(argv []string, s Streams) int {
	root := NewRoot(argv[0], s)
	root.SetArgs(argv[1:])
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	say(s.Err, "Error: %v\n", err)
	if ee, ok := errors.AsType[*exitError](err); ok {
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong argument count.
	return ExitUsage
}
