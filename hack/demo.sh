#!/usr/bin/env bash
# demo.sh: `make demo`. Starts a local control plane (unless KUBECONFIG
# points at a reachable cluster), installs the Accord CRDs, applies the
# sample portfolio of a rural health network, runs the operator on it and
# shows the result. The control plane and the operator keep running so you
# can change the YAML and watch conditions flip; `make demo-down` stops them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEMO="$ROOT/bin/demo"
NS="${DEMO_NAMESPACE:-default}"
mkdir -p "$DEMO"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "demo: error: $*" >&2; exit 1; }

say "Control-plane binaries (built from Go modules on first run, then cached in bin/k8s)"
ASSETS="$(hack/envtest-assets.sh kube-apiserver etcd kubectl)"
KUBECTL="$ASSETS/kubectl"
export PATH="$ASSETS:$PATH"

stop_pid() { # pidfile
  if [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then
    kill "$(cat "$1")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$1")" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$1"
}

if [ -n "${KUBECONFIG:-}" ] && "$KUBECTL" version --request-timeout=5s >/dev/null 2>&1; then
  say "Using the cluster in KUBECONFIG=$KUBECONFIG"
else
  say "Starting a local control plane (kube-apiserver + etcd)"
  stop_pid "$DEMO/manager.pid"
  stop_pid "$DEMO/devcluster.pid"
  go build -o "$DEMO/devcluster" ./hack/devcluster
  rm -f "$DEMO/kubeconfig"
  nohup "$DEMO/devcluster" -write-kubeconfig "$DEMO/kubeconfig" -assets "$ASSETS" >"$DEMO/devcluster.log" 2>&1 &
  echo $! >"$DEMO/devcluster.pid"
  for _ in $(seq 1 150); do
    grep -q '^ready' "$DEMO/devcluster.log" 2>/dev/null && break
    kill -0 "$(cat "$DEMO/devcluster.pid")" 2>/dev/null || { cat "$DEMO/devcluster.log" >&2; die "the control plane exited"; }
    sleep 0.2
  done
  grep -q '^ready' "$DEMO/devcluster.log" || die "the control plane did not start in 30s; see $DEMO/devcluster.log"
  export KUBECONFIG="$DEMO/kubeconfig"
  grep '^ready' "$DEMO/devcluster.log"
fi

say "Installing the CRDs (kubectl apply -k config/crd)"
"$KUBECTL" apply -k config/crd
"$KUBECTL" wait --for condition=Established --timeout=60s crd \
  partnerships.portfolio.accord.dev objectives.portfolio.accord.dev kpis.portfolio.accord.dev \
  metricsources.portfolio.accord.dev reviews.portfolio.accord.dev portfolios.portfolio.accord.dev >/dev/null

say "Starting the live metric sources on 127.0.0.1 (Prometheus with backfilled history, a partner API, a FHIR server)"
hack/demo-sources.sh
# The sources' bearer token goes into Secrets, never into git. The label
# gives a Secret to metric sources (the operator reads no other); the
# annotation names the hosts its token may be sent to.
for s in pine-ridge-api-token heartland-fhir-token; do
  "$KUBECTL" create secret generic "$s" -n "$NS" --from-file=token="$DEMO/source-token" \
    --dry-run=client -o yaml | "$KUBECTL" label --local -f - portfolio.accord.dev/credential=true -o yaml \
    | "$KUBECTL" annotate --local -f - portfolio.accord.dev/allowed-hosts=127.0.0.1:9091 -o yaml \
    | "$KUBECTL" apply -f - >/dev/null
done

say "Applying the demo portfolio: the samples plus three live KPIs (kubectl apply -k config/demo -n $NS)"
"$KUBECTL" apply -k config/demo -n "$NS"

if [ -x hack/demo-operator.sh ]; then
  KUBECTL="$KUBECTL" hack/demo-operator.sh "$NS"
fi

say "kubectl get accord -n $NS"
"$KUBECTL" get accord -n "$NS"

say "A prospect's candidate partners, ranked by the portfolio's weights (status.candidates)"
"$KUBECTL" get partnership behavioral-health-partner -n "$NS" \
  -o jsonpath='{range .status.candidates[*]}{.rank}. {.name}: {.score} of 100, assessment {.assessment}{"\n"}{end}'

# sed reads to the end: with pipefail, head closing the pipe early would kill
# kubectl with SIGPIPE and fail the demo (make: Error 141) on a long page.
say "kubectl explain partnership.spec.agreement"
"$KUBECTL" explain partnership.spec.agreement | sed -n 1,40p

cat <<MSG

The control plane is still running. To use it:

  export KUBECONFIG=$KUBECONFIG
  export PATH=$ASSETS:\$PATH
  kubectl get accord -n $NS
  kubectl explain kpi.spec.target

The dashboard is at http://127.0.0.1:8082/ (docs/dashboard.md).

Stop everything with: make demo-down
MSG
