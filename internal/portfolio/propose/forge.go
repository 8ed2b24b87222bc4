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

package propose

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Forge is the kind of server a remote is on.
type Forge string

// Forges.
const (
	GitHub Forge = "github"
	GitLab Forge = "gitlab"
	// None: a plain git server; no API, no compare page.
	None Forge = "none"
)

// Remote is a pushed-to repository on a forge.
type Remote struct {
	Forge Forge
	// Web is the forge's web address, e.g. https://github.com.
	Web string
	// Project is the repository's path on the forge: owner/repo on
	// GitHub, group/subgroup/repo on GitLab.
	Project string
	// API is the base of the forge's REST API, e.g. https://api.github.com
	// or https://gitlab.com/api/v4.
	API string
}

// ParseRemote reads a git remote URL (https, ssh or scp-like
// git@host:path). forge forces the kind (empty: github.com and GitHub-like
// hosts are GitHub, gitlab.com and hosts named gitlab.* are GitLab,
// anything else None); api overrides the API base (GitHub Enterprise,
// self-managed GitLab, tests). Credentials in the URL are dropped.
func ParseRemote(raw string, forge Forge, api string) (Remote, error) {
	scheme, host, path := "https", "", ""
	switch {
	case strings.Contains(raw, "://"):
		u, err := url.Parse(raw)
		if err != nil {
			return Remote{}, fmt.Errorf("remote URL cannot be read: %v", redact(err))
		}
		if u.Scheme == "http" || u.Scheme == "https" {
			scheme = u.Scheme
			host = u.Host
		} else {
			host = u.Hostname()
		}
		path = u.Path
	case strings.Contains(raw, ":"):
		// scp-like: git@github.com:owner/repo.git
		h, p, _ := strings.Cut(raw, ":")
		if i := strings.LastIndex(h, "@"); i >= 0 {
			h = h[i+1:]
		}
		host, path = h, p
	default:
		return Remote{Forge: None}, nil // a local path
	}
	path = strings.TrimSuffix(strings.Trim(path, "/"), ".git")
	r := Remote{Forge: forge, Web: scheme + "://" + host, Project: path, API: strings.TrimRight(api, "/")}
	hostname := strings.ToLower(strings.Split(host, ":")[0])
	if r.Forge == "" {
		switch {
		case hostname == "github.com":
			r.Forge = GitHub
		case hostname == "gitlab.com" || strings.HasPrefix(hostname, "gitlab."):
			r.Forge = GitLab
		default:
			r.Forge = None
		}
	}
	if r.API == "" {
		switch {
		case r.Forge == GitHub && hostname == "github.com":
			r.API = "https://api.github.com"
		case r.Forge == GitHub:
			r.API = r.Web + "/api/v3" // GitHub Enterprise Server
		case r.Forge == GitLab:
			r.API = r.Web + "/api/v4"
		}
	}
	if r.Forge == GitHub && strings.Count(r.Project, "/") != 1 {
		return Remote{}, fmt.Errorf("remote path %q is not owner/repository", r.Project)
	}
	return r, nil
}

// redact drops a URL's password from an error that quotes it.
func redact(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err.Error()
	}
	return "malformed URL"
}

// CompareURL is the page that opens a pull request from head into base,
// or "" on a plain git server.
func (r Remote) CompareURL(base, head string) string {
	switch r.Forge {
	case GitHub:
		return fmt.Sprintf("%s/%s/compare/%s...%s?expand=1", r.Web, r.Project, url.PathEscape(base), url.PathEscape(head))
	case GitLab:
		q := url.Values{"merge_request[source_branch]": {head}, "merge_request[target_branch]": {base}}
		return fmt.Sprintf("%s/%s/-/merge_requests/new?%s", r.Web, r.Project, q.Encode())
	}
	return ""
}

// TokenEnv lists the environment variables that may hold the forge's
// token, in the order they are tried.
func (r Remote) TokenEnv() []string {
	switch r.Forge {
	case GitHub:
		return []string{"GITHUB_TOKEN", "GH_TOKEN"}
	case GitLab:
		return []string{"GITLAB_TOKEN"}
	}
	return nil
}

// PullRequest is what to open.
type PullRequest struct {
	Title, Body string
	// Head is the pushed branch, Base the branch to merge into.
	Head, Base string
}

// Open opens the pull request (GitHub) or merge request (GitLab) through
// the forge's REST API and returns its web URL. The token is sent only in
// the request's authorisation header and never appears in an error.
func (r Remote) Open(ctx context.Context, client *http.Client, token string, pr PullRequest) (string, error) {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	var (
		endpoint string
		body     any
		header   = http.Header{"Content-Type": {"application/json"}}
	)
	switch r.Forge {
	case GitHub:
		// https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request
		endpoint = fmt.Sprintf("%s/repos/%s/pulls", r.API, r.Project)
		body = map[string]string{"title": pr.Title, "head": pr.Head, "base": pr.Base, "body": pr.Body}
		header.Set("Accept", "application/vnd.github+json")
		header.Set("X-GitHub-Api-Version", "2022-11-28")
		header.Set("Authorization", "Bearer "+token)
	case GitLab:
		// https://docs.gitlab.com/api/merge_requests/#create-mr
		endpoint = fmt.Sprintf("%s/projects/%s/merge_requests", r.API, url.PathEscape(r.Project))
		body = map[string]string{"source_branch": pr.Head, "target_branch": pr.Base, "title": pr.Title, "description": pr.Body}
		header.Set("PRIVATE-TOKEN", token)
	default:
		return "", errors.New("not a GitHub or GitLab remote")
	}
	data, err := json.Marshal(body)
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(data))
	if err != nil {
		return "", err
	}
	req.Header = header
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("%s API: %v", r.Forge, redactURL(err))
	}
	defer func() { _ = resp.Body.Close() }()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("%s API: read the answer: %v", r.Forge, err)
	}
	var answer struct {
		HTMLURL string          `json:"html_url"` // GitHub
		WebURL  string          `json:"web_url"`  // GitLab
		Message json.RawMessage `json:"message"`
		Errors  []struct {
			Message string `json:"message"`
			Code    string `json:"code"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(reply, &answer)
	if resp.StatusCode != http.StatusCreated {
		return "", fmt.Errorf("%s API refused the %s (HTTP %d): %s", r.Forge, r.requestName(), resp.StatusCode, forgeMessage(answer.Message, answer.Errors))
	}
	u := answer.HTMLURL
	if r.Forge == GitLab {
		u = answer.WebURL
	}
	if u == "" {
		return "", fmt.Errorf("%s API created the %s but its answer has no URL", r.Forge, r.requestName())
	}
	return u, nil
}

func (r Remote) requestName() string {
	if r.Forge == GitLab {
		return "merge request"
	}
	return "pull request"
}

// forgeMessage joins the forge's explanation: GitHub's message and
// errors[].message, GitLab's message (a string or a list).
func forgeMessage(raw json.RawMessage, errs []struct {
	Message string `json:"message"`
	Code    string `json:"code"`
}) string {
	var parts []string
	var s string
	var l []string
	switch {
	case json.Unmarshal(raw, &s) == nil && s != "":
		parts = append(parts, s)
	case json.Unmarshal(raw, &l) == nil:
		parts = append(parts, l...)
	}
	for _, e := range errs {
		if e.Message != "" {
			parts = append(parts, e.Message)
		} else if e.Code != "" {
			parts = append(parts, e.Code)
		}
	}
	if len(parts) == 0 {
		return "no explanation given"
	}
	return strings.Join(parts, "; ")
}

// redactURL keeps a transport error but not the URL's credentials.
func redactURL(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Op + " " + ue.Err.Error()
	}
	return err.Error()
}
