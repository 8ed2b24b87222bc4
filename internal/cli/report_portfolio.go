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

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/cli/reviewpack"
	"github.com/accord-dev/accord/internal/portfolio"
	partnershipsnap "github.com/accord-dev/accord/internal/views/snapshot"
)

// runPortfolioReport writes the board's pack of the Portfolio --portfolio.
func runPortfolioReport(ctx context.Context, s Streams, o *reportOptions, paths []string) error {
	now, err := parseNow(o.now)
	if err != nil {
		return err
	}
	from, to, err := parsePeriod(o.period, now)
	if err != nil {
		return err
	}
	if err := o.checkFlags(paths); err != nil {
		return err
	}
	var pf *v1.Portfolio
	var snaps []*partnershipsnap.Partnership
	if o.fromCluster {
		pf, snaps, err = o.portfolioFromCluster(ctx)
	} else {
		pf, snaps, err = o.portfolioFromFiles(ctx, s, paths, now)
	}
	if err != nil {
		return err
	}
	packs := make([]*reviewpack.Pack, 0, len(snaps))
	var objs []client.Object
	for _, snap := range snaps {
		changes, err := reviewpack.FromGit(ctx, paths, snap.Object.Name, snap.Reviews)
		if err != nil {
			return usageError(fmt.Errorf("changes since the last review of %s: %w", snap.Object.Name, err))
		}
		packs = append(packs, reviewpack.Build(snap, reviewpack.Options{Now: now, From: from, To: to, Changes: changes}))
		objs = append(objs, packObjects(snap)...)
	}
	pp := reviewpack.BuildPortfolio(pf, packs)
	if pp.Generated == "" {
		pp.Generated = now.UTC().Format(time.DateOnly)
		pp.From, pp.To = from.UTC().Format(time.DateOnly), to.UTC().Format(time.DateOnly)
	}
	if err := writePortfolioPack(s, o, pp); err != nil {
		return err
	}
	return o.fail.check(portfoliotreeOf(objs))
}

// portfolioFromFiles reads and judges the files and returns the
// portfolio's partnerships.
func (o *reportOptions) portfolioFromFiles(ctx context.Context, s Streams, paths []string, now time.Time) (*v1.Portfolio, []*partnershipsnap.Partnership, error) {
	objs, namespace, err := o.judgeFiles(ctx, s, paths, now)
	if err != nil {
		return nil, nil, err
	}
	pf := objs.Portfolio(portfolio.Key{Namespace: namespace, Name: o.portfolio})
	if pf == nil {
		return nil, nil, unknownPortfolio(o.portfolio, "namespace "+namespace+" of the files", objs.Names(portfolio.KindPortfolio, namespace))
	}
	members, err := objs.PartnershipsOf(pf)
	if err != nil {
		return nil, nil, usageError(fmt.Errorf("portfolio %s: spec.selector: %w", pf.Name, err))
	}
	snaps := make([]*partnershipsnap.Partnership, 0, len(members))
	for _, p := range members {
		snaps = append(snaps, snapshotOf(objs, portfolio.Key{Namespace: p.Namespace, Name: p.Name}))
	}
	return pf, snaps, nil
}

// portfolioFromCluster reads the portfolio and its partnerships with the
// status the operator wrote.
func (o *reportOptions) portfolioFromCluster(ctx context.Context) (*v1.Portfolio, []*partnershipsnap.Partnership, error) {
	c, err := o.cluster.connect()
	if err != nil {
		return nil, nil, err
	}
	pf := &v1.Portfolio{}
	if err := c.client.Get(ctx, client.ObjectKey{Namespace: c.namespace, Name: o.portfolio}, pf); err != nil {
		list := &v1.PortfolioList{}
		if lerr := c.client.List(ctx, list, client.InNamespace(c.namespace)); lerr != nil {
			return nil, nil, c.explain(err)
		}
		names := make([]string, 0, len(list.Items))
		for _, p := range list.Items {
			names = append(names, p.Name)
		}
		return nil, nil, unknownPortfolio(o.portfolio, "namespace "+c.namespace+" of the cluster at "+c.host, names)
	}
	sel, err := metav1.LabelSelectorAsSelector(&pf.Spec.Selector)
	if err != nil {
		return nil, nil, usageError(fmt.Errorf("portfolio %s: spec.selector: %w", pf.Name, err))
	}
	list := &v1.PartnershipList{}
	if err := c.client.List(ctx, list, client.InNamespace(c.namespace), client.MatchingLabelsSelector{Selector: sel}); err != nil {
		return nil, nil, c.explain(err)
	}
	snaps := make([]*partnershipsnap.Partnership, 0, len(list.Items))
	for _, p := range list.Items {
		snap, err := partnershipsnap.Load(ctx, c.client, c.namespace, p.Name)
		if err != nil {
			return nil, nil, c.explain(err)
		}
		snaps = append(snaps, snap)
	}
	return pf, snaps, nil
}

func unknownPortfolio(name, where string, names []string) error {
	if len(names) == 0 {
		return usageError(fmt.Errorf("portfolio %q not found: %s has no portfolios", name, where))
	}
	slices.Sort(names)
	return usageError(fmt.Errorf("portfolio %q not found in %s; it has: %s", name, where, strings.Join(names, ", ")))
}

// writePortfolioPack writes the board's pack to standard output or into
// --output-dir as NAME.md, NAME.html and, with --format pdf, NAME.pdf.
func writePortfolioPack(s Streams, o *reportOptions, pp *reviewpack.PortfolioPack) error {
	if o.outputDir == "" {
		if o.format == formatHTML {
			return usageErrorIf(reviewpack.WritePortfolioHTML(s.Out, pp))
		}
		return usageErrorIf(reviewpack.WritePortfolioMarkdown(s.Out, pp))
	}
	if err := safeName("Portfolio", pp.Name); err != nil {
		return err
	}
	for _, pk := range pp.Packs {
		if err := safeFileNames(pk); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(o.outputDir, 0o755); err != nil {
		return usageError(fmt.Errorf("--output-dir: %w", err))
	}
	var written []string
	if o.format == "" || o.format == formatMarkdown {
		p := filepath.Join(o.outputDir, pp.Name+".md")
		if err := writeFileWith(p, func(f *os.File) error { return reviewpack.WritePortfolioMarkdown(f, pp) }); err != nil {
			return err
		}
		written = append(written, p)
	}
	if o.format != formatMarkdown {
		files, err := o.writeHTML(pp.Name, func(f *os.File) error { return reviewpack.WritePortfolioHTML(f, pp) })
		if err != nil {
			return err
		}
		written = append(written, files...)
	}
	for _, p := range written {
		say(s.Out, "Wrote %s\n", p)
	}
	return nil
}

// chromiumNames are the programs printPDF looks for on the PATH, after
// $ACCORD_CHROMIUM.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// printPDF prints the HTML file at htmlPath to a PDF next to it with
// headless Chromium, which lays out the pack (its print style sheet, page
// breaks) exactly as a browser's "Print" would; the pack runs no script
// and fetches nothing. It returns the PDF's path.
func printPDF(htmlPath string) (string, error) {
	bin := os.Getenv("ACCORD_CHROMIUM")
	if bin == "" {
		for _, n := range chromiumNames {
			if p, err := exec.LookPath(n); err == nil {
				bin = p
				break
			}
		}
	}
	if bin == "" {
		return "", usageError(fmt.Errorf("--format pdf prints the HTML pack with headless Chromium, and none was found (looked for %s on the PATH, and $ACCORD_CHROMIUM): install Chromium, or write --format html and print it from a browser",
			strings.Join(chromiumNames, ", ")))
	}
	abs, err := filepath.Abs(htmlPath)
	if err != nil {
		return "", usageError(err)
	}
	pdf := strings.TrimSuffix(abs, ".html") + ".pdf"
	profile, err := os.MkdirTemp("", "accordctl-chromium-")
	if err != nil {
		return "", usageError(err)
	}
	defer func() { _ = os.RemoveAll(profile) }()
	args := []string{"--headless", "--disable-gpu", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + profile, "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + filepath.ToSlash(abs)}
	if os.Geteuid() == 0 {
		// Chromium refuses to run as root with its sandbox; the page is
		// our own, with no script.
		args = append([]string{"--no-sandbox"}, args...)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...) //nolint:gosec // the user's own browser, on the file just written
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", usageError(fmt.Errorf("print %s to PDF with %s: %w: %s", htmlPath, bin, err, lastLine(stderr.String())))
	}
	if st, err := os.Stat(pdf); err != nil || st.Size() == 0 {
		return "", usageError(errors.New("print to PDF: Chromium wrote no PDF"))
	}
	return filepath.Join(filepath.Dir(htmlPath), filepath.Base(pdf)), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
