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
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/cli/portfoliotree"
	"github.com/accord-dev/accord/internal/cli/reviewpack"
	"github.com/accord-dev/accord/internal/portfolio"
	"github.com/accord-dev/accord/internal/portfolio/load"
	"github.com/accord-dev/accord/internal/portfolio/localeval"
	partnershipsnap "github.com/accord-dev/accord/internal/views/snapshot"
)

// defaultPeriod is the period of the pack when --period is not given.
const defaultPeriod = "365d"

// reportOptions are the flags of `accordctl report`.
type reportOptions struct {
	now, period, format, outputDir string
	portfolio                      string
	fromCluster, live              bool
	egress                         liveEgress
	fail                           failOn
	cluster                        *clusterFlags
}

func newReportCmd(s Streams) *cobra.Command {
	o := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report PARTNERSHIP [PATH...] | report --portfolio NAME [PATH...]",
		Short: "Write the joint-review pack of a partnership, or the board's pack of a portfolio, as Markdown, HTML or PDF",
		Long: `Write the pack a joint review meeting works from, for one partnership and a
period: the agreement and its partners; the objectives with their score
and progress toward target; each KPI's value against its baseline, target
and expected value, with its history in the period against the glide path
and the at-risk zone (a chart in HTML, a table in Markdown); the
conditions that need attention and their causes; the latest reviews and
their decisions; the changes to the agreement since the last review; and
the questions the review must decide (each at-risk objective or KPI:
continue, re-baseline or escalate; a review that is due; an agreement to
renew or exit; KPIs without data; the last review's overdue follow-ups).

The objects come from files (PATH..., read and judged offline as
'accordctl evaluate' does, with --live to read live sources) or, with
--from-cluster, from the cluster of the current kubeconfig, with the
status the operator wrote. Changes since the last review come from git:
the PATHs (optional with --from-cluster) are compared with the newest
commit made by the end of the last review's day. The pack says so when
the files are not in a git repository or there is no review yet.

--period is a number of days before --now ("90d") or two dates
("2026-01-01..2026-11-25"); the KPI history and the reviews listed are
those within it (the latest review is always listed). Default 365d.

Without --output-dir the pack is written to standard output in --format
(markdown, the default, or html). With --output-dir DIR it is written as
DIR/PARTNERSHIP.md, with each KPI's chart as an SVG file under
DIR/PARTNERSHIP-charts/, and DIR/PARTNERSHIP.html, one self-contained file;
--format then writes only that one; --format pdf writes DIR/PARTNERSHIP.html
and prints it to DIR/PARTNERSHIP.pdf with headless Chromium (chromium,
chromium-browser or google-chrome on the PATH, or the program
$ACCORD_CHROMIUM names).

With --portfolio NAME, the pack is the board's pack of the Portfolio NAME:
one page for the board (its partnerships worst first, the decisions
needed, what changed since each one's last review), then each
partnership's pack, each starting a new printed page; written as
DIR/NAME.md and DIR/NAME.html (and DIR/NAME.pdf with --format pdf), or to
standard output. Every argument is then a PATH.

Exit status: 0 when the pack was written (and nothing matched --fail-on),
1 when the partnership, one of its objectives or KPIs matched --fail-on
(the pack is still written), 2 on usage errors, unreadable files, an
unknown partnership (the message lists those that exist) or a cluster
that cannot be read.`,
		Example: `  accordctl report valley-integrated-care config/samples --now 2026-11-25
  accordctl report valley-integrated-care config/samples -o review-pack/
  accordctl report valley-integrated-care config/samples --period 2026-06-01..2026-11-25 --format html > pack.html
  kubectl accord report valley-integrated-care --from-cluster -n partnerships -o review-pack/
  kubectl accord report valley-integrated-care --from-cluster -n partnerships config/samples
  accordctl report --portfolio rural-network config/samples --now 2026-11-25 -o board-pack/ --format pdf`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.portfolio != "" {
				return nil
			}
			return cobra.MinimumNArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.portfolio != "" {
				return runPortfolioReport(cmd.Context(), s, o, args)
			}
			return runReport(cmd.Context(), s, o, args[0], args[1:])
		},
	}
	o.cluster = &clusterFlags{config: genericclioptions.NewConfigFlags(true)}
	o.cluster.config.AddFlags(cmd.Flags())
	f := cmd.Flags()
	f.StringVar(&o.now, "now", "", "report as of this date (YYYY-MM-DD, midnight UTC) or RFC 3339 time; default now")
	f.StringVar(&o.period, "period", defaultPeriod, `the period: days before --now ("90d") or "FROM..TO" dates`)
	f.StringVar(&o.format, "format", "", "markdown, html or pdf (with --output-dir); default markdown on standard output, markdown and html with --output-dir")
	f.StringVar(&o.portfolio, "portfolio", "", "write the board's pack of this Portfolio (then every argument is a PATH)")
	f.StringVarP(&o.outputDir, "output-dir", "o", "", "write PARTNERSHIP.md (with its charts) and PARTNERSHIP.html into this directory")
	f.BoolVar(&o.fromCluster, "from-cluster", false, "read the objects and their status from the cluster instead of files")
	f.BoolVar(&o.live, "live", false, "with files: also read live sources (Prometheus, HTTP JSON, FHIR), with Secrets from the given files")
	o.egress.register(f)
	f.Var(&o.fail, "fail-on", "exit 1 when the partnership, an objective or a KPI is AtRisk, ReviewDue or NotReady; comma-separated")
	return cmd
}

func runReport(ctx context.Context, s Streams, o *reportOptions, name string, paths []string) error {
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

	var snap *partnershipsnap.Partnership
	if o.fromCluster {
		snap, err = o.fromClusterSnapshot(ctx, name)
	} else {
		snap, err = o.fromFiles(ctx, s, name, paths, now)
	}
	if err != nil {
		return err
	}
	changes, err := reviewpack.FromGit(ctx, paths, name, snap.Reviews)
	if err != nil {
		return usageError(fmt.Errorf("changes since the last review: %w", err))
	}
	pk := reviewpack.Build(snap, reviewpack.Options{Now: now, From: from, To: to, Changes: changes})
	if err := writePack(s, o, pk); err != nil {
		return err
	}
	return o.fail.check(portfoliotreeOf(packObjects(snap)))
}

// checkFlags refuses flags that do not go together, before anything is
// read.
func (o *reportOptions) checkFlags(paths []string) error {
	switch {
	case o.format != "" && o.format != formatMarkdown && o.format != formatHTML && o.format != formatPDF:
		return usageError(fmt.Errorf("--format %q: want markdown, html or pdf", o.format))
	case o.format == formatPDF && o.outputDir == "":
		return usageError(errors.New("--format pdf writes files: give --output-dir"))
	case !o.fromCluster && len(paths) == 0:
		return usageError(errors.New("give the files to read (PATH...), or --from-cluster to read the cluster"))
	case o.fromCluster && o.live:
		return usageError(errors.New("--live reads live sources for files; with --from-cluster the operator has read them"))
	}
	return nil
}

// fromFiles reads and judges the files, as evaluate does, and returns the
// partnership's snapshot.
func (o *reportOptions) fromFiles(ctx context.Context, s Streams, name string, paths []string, now time.Time) (*partnershipsnap.Partnership, error) {
	objs, namespace, err := o.judgeFiles(ctx, s, paths, now)
	if err != nil {
		return nil, err
	}
	key := portfolio.Key{Namespace: namespace, Name: name}
	if objs.Partnership(key) == nil {
		var names []string
		for _, x := range objs.PartnershipsIn(namespace) {
			names = append(names, x.Name)
		}
		return nil, unknownPartnership(name, "namespace "+namespace+" of the files", names)
	}
	return snapshotOf(objs, key), nil
}

// judgeFiles reads the files and judges them, as evaluate does; namespace
// is --namespace, "default" when unset.
func (o *reportOptions) judgeFiles(ctx context.Context, s Streams, paths []string, now time.Time) (*portfolio.Set, string, error) {
	namespace := *o.cluster.config.Namespace
	if namespace == "" {
		namespace = "default"
	}
	docs, bad, err := load.Paths(paths, s.In)
	if err != nil {
		return nil, "", usageError(err)
	}
	docs, unknown := refuseUnknownFields(docs)
	bad = append(bad, unknown...)
	objs, decodeErrs := portfolio.Read(docs, portfolio.Options{Namespace: namespace, AsStored: true})
	bad = append(bad, decodeErrs...)
	if len(bad) > 0 {
		var msgs []string
		for _, b := range bad {
			msgs = append(msgs, b.Error())
		}
		return nil, "", usageError(fmt.Errorf("%d document(s) could not be read:\n  %s", len(bad), strings.Join(msgs, "\n  ")))
	}
	var fetcher localeval.Fetcher
	if o.live {
		f, err := o.egress.fetcher(objs, fixedClock{now})
		if err != nil {
			return nil, "", err
		}
		fetcher = f
	}
	localeval.Evaluate(ctx, objs, now, fetcher)
	return objs, namespace, nil
}

// snapshotOf is the partnership key of objs with its objectives, KPIs
// and reviews.
func snapshotOf(objs *portfolio.Set, key portfolio.Key) *partnershipsnap.Partnership {
	objectives := make([]v1.Objective, 0, len(objs.ObjectivesOf(key)))
	var kpis []v1.KPI
	reviews := make([]v1.Review, 0, len(objs.ReviewsOf(key)))
	for _, o := range objs.ObjectivesOf(key) {
		objectives = append(objectives, *o)
		for _, k := range objs.KPIsOf(o) {
			if k != nil {
				kpis = append(kpis, *k)
			}
		}
	}
	for _, r := range objs.ReviewsOf(key) {
		reviews = append(reviews, *r)
	}
	return partnershipsnap.Build(objs.Partnership(key), objectives, kpis, reviews)
}

// fromClusterSnapshot reads the partnership and its objects, with the
// status the operator wrote.
func (o *reportOptions) fromClusterSnapshot(ctx context.Context, name string) (*partnershipsnap.Partnership, error) {
	c, err := o.cluster.connect()
	if err != nil {
		return nil, err
	}
	snap, err := partnershipsnap.Load(ctx, c.client, c.namespace, name)
	if apierrors.IsNotFound(err) {
		list := &v1.PartnershipList{}
		if err := c.client.List(ctx, list, client.InNamespace(c.namespace)); err != nil {
			return nil, c.explain(err)
		}
		var names []string
		for _, p := range list.Items {
			names = append(names, p.Name)
		}
		return nil, unknownPartnership(name, "namespace "+c.namespace+" of the cluster at "+c.host, names)
	}
	if err != nil {
		return nil, c.explain(err)
	}
	return snap, nil
}

func unknownPartnership(name, where string, names []string) error {
	if len(names) == 0 {
		return usageError(fmt.Errorf("partnership %q not found: %s has no partnerships", name, where))
	}
	slices.Sort(names)
	return usageError(fmt.Errorf("partnership %q not found in %s; it has: %s", name, where, strings.Join(names, ", ")))
}

// parsePeriod reads --period: "90d" before now, or "FROM..TO" dates
// (both days included).
func parsePeriod(s string, now time.Time) (from, to time.Time, err error) {
	bad := func() error {
		return usageError(fmt.Errorf("--period %q: want a number of days such as 90d, or two dates such as 2026-06-01..2026-11-25", s))
	}
	if a, b, ok := strings.Cut(s, ".."); ok {
		from, err1 := time.Parse(time.DateOnly, a)
		to, err2 := time.Parse(time.DateOnly, b)
		if err1 != nil || err2 != nil || to.Before(from) {
			return time.Time{}, time.Time{}, bad()
		}
		return from, to.Add(24*time.Hour - time.Nanosecond), nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
	if !strings.HasSuffix(s, "d") || err != nil || n <= 0 {
		return time.Time{}, time.Time{}, bad()
	}
	return now.AddDate(0, 0, -n), now, nil
}

// writePack writes the pack to standard output or into --output-dir.
func writePack(s Streams, o *reportOptions, pk *reviewpack.Pack) error {
	if o.outputDir == "" {
		if o.format == formatHTML {
			return usageErrorIf(reviewpack.WriteHTML(s.Out, pk))
		}
		return usageErrorIf(reviewpack.WriteMarkdown(s.Out, pk, nil))
	}
	if err := safeFileNames(pk); err != nil {
		return err
	}
	if err := os.MkdirAll(o.outputDir, 0o755); err != nil {
		return usageError(fmt.Errorf("--output-dir: %w", err))
	}
	var written []string
	if o.format != formatHTML && o.format != formatPDF {
		charts := map[string]string{}
		chartDir := pk.Name + "-charts"
		for _, k := range pk.KPIs {
			if k.ChartErr != "" {
				continue
			}
			rel := chartDir + "/" + k.Name + ".svg"
			if err := os.MkdirAll(filepath.Join(o.outputDir, chartDir), 0o755); err != nil {
				return usageError(fmt.Errorf("--output-dir: %w", err))
			}
			if err := os.WriteFile(filepath.Join(o.outputDir, filepath.FromSlash(rel)), []byte(string(k.Chart.SVG)+"\n"), 0o644); err != nil {
				return usageError(fmt.Errorf("write chart: %w", err))
			}
			charts[k.Anchor] = rel
		}
		p := filepath.Join(o.outputDir, pk.Name+".md")
		if err := writeFileWith(p, func(f *os.File) error { return reviewpack.WriteMarkdown(f, pk, charts) }); err != nil {
			return err
		}
		written = append(written, p)
	}
	if o.format != formatMarkdown {
		files, err := o.writeHTML(pk.Name, func(f *os.File) error { return reviewpack.WriteHTML(f, pk) })
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

// writeHTML writes --output-dir/NAME.html with write and, with --format
// pdf, prints it to NAME.pdf; it returns the files written.
func (o *reportOptions) writeHTML(name string, write func(*os.File) error) ([]string, error) {
	p := filepath.Join(o.outputDir, name+".html")
	if err := writeFileWith(p, write); err != nil {
		return nil, err
	}
	if o.format != formatPDF {
		return []string{p}, nil
	}
	pdf, err := printPDF(p)
	if err != nil {
		return nil, err
	}
	return []string{p, pdf}, nil
}

// safeFileNames checks, before anything is written, that the names that
// become file names are Kubernetes object names (DNS-1123 subdomains: no
// slash, no "..", no leading dot), so that a partnership or KPI named
// "../../x" in a file read offline cannot write outside --output-dir.
func safeFileNames(pk *reviewpack.Pack) error {
	if err := safeName("Partnership", pk.Name); err != nil {
		return err
	}
	for _, k := range pk.KPIs {
		if err := safeName("KPI", k.Name); err != nil {
			return err
		}
	}
	return nil
}

// safeName refuses a name of kind that is not a Kubernetes object name.
func safeName(kind, name string) error {
	if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
		return usageError(fmt.Errorf("%s name %q is not a Kubernetes object name (%s); nothing was written", kind, name, strings.Join(errs, "; ")))
	}
	return nil
}

func writeFileWith(p string, write func(*os.File) error) error {
	f, err := os.Create(p)
	if err != nil {
		return usageError(fmt.Errorf("write %s: %w", p, err))
	}
	if err := write(f); err != nil {
		_ = f.Close() // the write's error is the one to report
		return usageError(fmt.Errorf("write %s: %w", p, err))
	}
	if err := f.Close(); err != nil {
		return usageError(fmt.Errorf("write %s: %w", p, err))
	}
	return nil
}

func usageErrorIf(err error) error {
	if err != nil {
		return usageError(err)
	}
	return nil
}

// portfoliotreeOf is the tree --fail-on checks.
func portfoliotreeOf(objs []client.Object) []*portfoliotree.Node {
	return portfoliotree.Build(portfolio.New(objs...))
}

// packObjects are the partnership and its objectives and KPIs, for
// --fail-on.
func packObjects(snap *partnershipsnap.Partnership) []client.Object {
	objs := make([]client.Object, 0, 1+len(snap.Objectives)+len(snap.KPIs))
	objs = append(objs, snap.Object)
	for _, o := range snap.Objectives {
		objs = append(objs, o.Object)
	}
	for _, k := range snap.KPIs {
		objs = append(objs, k.Object)
	}
	return objs
}
