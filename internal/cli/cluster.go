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
	"time"

	"github.com/spf13/cobra"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "github.com/accord-dev/accord/api/v1alpha1"
	"github.com/accord-dev/accord/internal/portfolio"
)

// defaultRequestTimeout bounds each request when --request-timeout is not
// given, so an unreachable address fails in seconds, not minutes.
const defaultRequestTimeout = 20 * time.Second

// clusterFlags are kubectl's connection flags (--kubeconfig, --context,
// -n/--namespace, --request-timeout, ...) and -A/--all-namespaces.
type clusterFlags struct {
	config        *genericclioptions.ConfigFlags
	allNamespaces bool
}

func addClusterFlags(cmd *cobra.Command) *clusterFlags {
	f := &clusterFlags{config: genericclioptions.NewConfigFlags(true)}
	f.config.AddFlags(cmd.Flags())
	cmd.Flags().BoolVarP(&f.allNamespaces, "all-namespaces", "A", false, "read every namespace instead of one")
	return f
}

// cluster is a connection to the cluster the flags name.
type cluster struct {
	client    client.Reader
	host      string
	context   string
	namespace string // empty with --all-namespaces
}

// connect builds a client from the kubeconfig; errors are usage errors
// (exit 2) that say which configuration failed.
func (f *clusterFlags) connect() (*cluster, error) {
	loader := f.config.ToRawKubeConfigLoader()
	// Without any configuration client-go would quietly try
	// http://localhost:8080; say what is missing instead. Inside a pod the
	// service account configures the client.
	raw, rawErr := loader.RawConfig()
	if rawErr == nil && len(raw.Clusters) == 0 && *f.config.APIServer == "" && os.Getenv("KUBERNETES_SERVICE_HOST") == "" {
		return nil, usageError(errors.New("no cluster is configured: set KUBECONFIG or pass --kubeconfig"))
	}
	cfg, err := f.config.ToRESTConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, usageError(errors.New("no cluster is configured: set KUBECONFIG or pass --kubeconfig"))
		}
		return nil, usageError(fmt.Errorf("kubeconfig: %w", err))
	}
	if *f.config.Timeout == "0" || *f.config.Timeout == "" {
		cfg.Timeout = defaultRequestTimeout
	}
	c := &cluster{host: cfg.Host}
	if *f.config.Context != "" {
		c.context = *f.config.Context
	} else if rawErr == nil {
		c.context = raw.CurrentContext
	}
	if !f.allNamespaces {
		if c.namespace, _, err = loader.Namespace(); err != nil {
			return nil, usageError(fmt.Errorf("kubeconfig: namespace: %w", err))
		}
	}
	scheme := runtime.NewScheme()
	if err := v1.AddToScheme(scheme); err != nil {
		return nil, fmt.Errorf("register the Accord API: %w", err)
	}
	if c.client, err = client.New(cfg, client.Options{Scheme: scheme}); err != nil {
		return nil, c.explain(err)
	}
	return c, nil
}

// listAccord reads every Accord object in the cluster's namespace (or all
// namespaces).
func (c *cluster) listAccord(ctx context.Context) (*portfolio.Set, error) {
	s, err := portfolio.List(ctx, c.client, client.InNamespace(c.namespace))
	if err != nil {
		return nil, c.explain(err)
	}
	return s, nil
}

// explain turns a failed request into a usage error (exit 2) that says
// which cluster failed and what to do.
func (c *cluster) explain(err error) error {
	where := fmt.Sprintf("the cluster at %s", c.host)
	if c.context != "" {
		where += fmt.Sprintf(" (context %q)", c.context)
	}
	switch {
	case meta.IsNoMatchError(err):
		return usageError(fmt.Errorf("the Accord CRDs are not installed in %s: install them with `kubectl apply -k config/crd` (make install)", where))
	case apierrors.IsNotFound(err):
		return usageError(fmt.Errorf("%s does not serve the Accord API (are the CRDs installed, with `kubectl apply -k config/crd`?): %w", where, err))
	case apierrors.IsUnauthorized(err):
		return usageError(fmt.Errorf("%s refused the credentials: %w", where, err))
	case apierrors.IsForbidden(err):
		return usageError(fmt.Errorf("%s does not allow reading Accord objects: %w", where, err))
	default:
		return usageError(fmt.Errorf("cannot reach %s: %w", where, err))
	}
}
