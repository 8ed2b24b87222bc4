# Accord: the two commands a new user needs are `make demo` and `make test`.

SHELL := /usr/bin/env bash -o pipefail
.SHELLFLAGS := -ec
.DEFAULT_GOAL := help

GO ?= go
CONTROLLER_GEN := $(GO) tool controller-gen
GOLANGCI_LINT := $(GO) tool golangci-lint
GO_TEST_FLAGS ?= -count=1
PKGS ?= ./...

##@ General

.PHONY: help
help: ## Show the targets.
	@awk 'BEGIN {FS = ":.*##"; printf "Usage: make <target>\n"} /^[a-zA-Z_-]+:.*?##/ { printf "  %-18s %s\n", $$1, $$2 } /^##@/ { printf "\n%s\n", substr($$0, 5) }' $(MAKEFILE_LIST)

##@ The two commands

.PHONY: demo
demo: ## Start a local control plane, install the CRDs, run the operator on the samples and show the result.
	hack/demo.sh

.PHONY: demo-down
demo-down: ## Stop the control plane and operator that `make demo` left running.
	hack/demo-down.sh

.PHONY: test
test: verify-generated vet lint deps envtest ## Everything a contributor must pass (what CI runs).
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" $(GO) test $(GO_TEST_FLAGS) $(PKGS)
	$(MAKE) --no-print-directory fuzz-smoke

.PHONY: test/faults
faults: deps envtest ## Run the whole fault-injection suite and print its table (FAULT=SourceDown runs one).
	ACCORD_FAULTS=all KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" $(GO) test -count=1 -v -timeout 30m \
		-run 'TestFaults$(if $(FAULT),/^$(FAULT)$$)' ./test/faults/

##@ Development

.PHONY: manifests
manifests: ## Generate CRDs and RBAC from the API types and kubebuilder markers (and the Helm chart from them).
	$(CONTROLLER_GEN) rbac:roleName=manager crd paths="./..." output:crd:artifacts:config=config/crd/bases output:rbac:artifacts:config=config/rbac
	@$(MAKE) --no-print-directory chart

.PHONY: generate
generate: ## Generate DeepCopy methods for the API types, the Argo CD argocd-cm patch from config/argocd/health and the PrometheusRule from config/prometheus.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./..."
	$(GO) generate ./config/argocd ./config/prometheus

.PHONY: chart
chart: ## Regenerate the Helm chart charts/accord from config/default (a test fails when it drifts).
	$(GO) run ./hack/helmchart -config config/default -out charts/accord

.PHONY: verify-generated
verify-generated: ## Fail when committed generated files differ from what the sources generate.
	hack/verify-generated.sh

.PHONY: fmt
fmt: ## Format the sources and their imports (goimports).
	go tool goimports -w $$(git ls-files "*.go" | grep -v zz_generated)

.PHONY: vet
vet: ## Run go vet and check formatting.
	@unformatted="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*'))"; \
	if [ -n "$$unformatted" ]; then echo "gofmt needed on: $$unformatted"; exit 1; fi
	$(GO) vet ./...

.PHONY: lint
lint: ## Run golangci-lint with .golangci.yml (the linters kubebuilder's scaffold enables; part of make test).
	$(GOLANGCI_LINT) run $(LINT_FLAGS) ./...

.PHONY: lint-fix
lint-fix: ## Run golangci-lint and apply the fixes its linters offer.
	$(GOLANGCI_LINT) run --fix $(LINT_FLAGS) ./...

.PHONY: deps
deps: ## Install the Debian packages tests run for real (prometheus, promtool) when missing.
	hack/install-deps.sh

.PHONY: envtest
envtest: ## Build or reuse the envtest control plane binaries (bin/k8s/).
	@hack/envtest-assets.sh >/dev/null

.PHONY: fuzz
fuzz: ## Fuzz every parser and evaluator for FUZZTIME each (default 10m; FUZZ_JOBS at once).
	FUZZTIME=$${FUZZTIME:-10m} hack/fuzz.sh $(FUZZ)

.PHONY: fuzz-smoke
fuzz-smoke: ## Fuzz every target briefly (2,000 inputs each; a count, not a time, because a time limit can end a run mid-input and go test then reports "context deadline exceeded") (part of make test; the seed corpora also run in go test).
	FUZZTIME=$${FUZZTIME:-2000x} hack/fuzz.sh

.PHONY: bench
bench: envtest deps ## Scale benchmark (not in make test): 1,000 partnerships, ~14,000 objects; BENCH_FLAGS="-partnerships N -rest 5m ...".
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" $(GO) run ./hack/bench $(BENCH_FLAGS)

.PHONY: bench-growth
bench-growth: envtest deps ## The benchmark at 1,000, 10,000 and 40,000 KPIs, each in a fresh process, with the growth table.
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" $(GO) run ./hack/bench -sizes 111,1111,4444 $(BENCH_FLAGS)

.PHONY: bench-verdicts
bench-verdicts: ## The verdict benchmark of issue 16 (pure, fixed seeds, a second): false AtRisk and detection, today's rule next to the rate rule.
	$(GO) test -count=1 -run TestVerdictBenchmark -v ./internal/evaluate/ | grep '|'

.PHONY: build
build: ## Build the manager and accordctl (also as the kubectl plugin kubectl-accord) into bin/.
	$(GO) build -o bin/manager ./cmd/manager
	$(GO) build -o bin/accordctl ./cmd/accordctl
	ln -sf accordctl bin/kubectl-accord

.PHONY: run
run: ## Run the manager against the cluster in the current kubeconfig.
	$(GO) run ./cmd/manager

.PHONY: install
install: ## Install the CRDs into the cluster in the current kubeconfig.
	kubectl apply -k config/crd

.PHONY: deploy
deploy: ## Install CRDs, RBAC and the manager Deployment (config/default).
	kubectl apply -k config/default

.PHONY: clean
clean: ## Remove build outputs (keeps the control-plane cache in bin/k8s).
	find bin -mindepth 1 -maxdepth 1 ! -name k8s -exec rm -rf {} + 2>/dev/null || true
