#!/usr/bin/env bash
# demo-operator.sh NAMESPACE: part of `make demo`. Runs the Accord manager
# against $KUBECONFIG in the background, waits for the sample portfolio to
# be evaluated, and prints partnerships, objectives and KPIs with their
# conditions and messages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NS="${1:-default}"
DEMO="$ROOT/bin/demo"
KUBECTL="${KUBECTL:-kubectl}"
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

DASHBOARD="http://127.0.0.1:8082"
say "Starting the Accord operator (logs: bin/demo/manager.log, metrics: http://127.0.0.1:8080/metrics, dashboard: $DASHBOARD/)"
go build -o "$DEMO/manager" ./cmd/manager
if [ -f "$DEMO/manager.pid" ] && kill -0 "$(cat "$DEMO/manager.pid")" 2>/dev/null; then
  kill "$(cat "$DEMO/manager.pid")" || true
  for _ in $(seq 1 50); do kill -0 "$(cat "$DEMO/manager.pid")" 2>/dev/null || break; sleep 0.2; done
fi
# Sources fail closed: the demo's two local servers (hack/demo-sources.sh)
# are listed explicitly; an IP literal in the list also allows its address.
nohup "$DEMO/manager" --kubeconfig "$KUBECONFIG" \
  --metrics-bind-address=127.0.0.1:8080 --metrics-secure=false \
  --health-probe-bind-address=127.0.0.1:8081 \
  --dashboard-bind-address=127.0.0.1:8082 \
  --allowed-source-hosts=127.0.0.1:9090,127.0.0.1:9091 >"$DEMO/manager.log" 2>&1 &
echo $! >"$DEMO/manager.pid"

for kind in kpis objectives partnerships portfolios; do
  "$KUBECTL" wait -n "$NS" --for=condition=Ready --timeout=60s "$kind" --all >/dev/null || {
    tail -20 "$DEMO/manager.log" >&2; echo "demo: $kind did not become Ready" >&2; exit 1; }
done
# The live KPIs have asked their sources once every source shows Reachable.
"$KUBECTL" wait -n "$NS" --for=condition=Reachable --timeout=60s metricsources --all >/dev/null || {
  tail -20 "$DEMO/manager.log" >&2; echo "demo: a metric source did not answer" >&2; exit 1; }
# Roll-ups follow their inputs through watches; give them a moment to settle.
for _ in $(seq 1 50); do
  [ -n "$("$KUBECTL" get portfolio -n "$NS" -o jsonpath='{.items[*].status.score}')" ] && break
  sleep 0.2
done

say "Partnerships"
"$KUBECTL" get partnerships -n "$NS" -o custom-columns='NAME:.metadata.name,PHASE:.status.phase,HEALTHY:.status.conditions[?(@.type=="Healthy")].status,AT RISK:.status.conditions[?(@.type=="AtRisk")].status,REVIEW DUE:.status.conditions[?(@.type=="ReviewDue")].status,SCORE:.status.score,NEXT REVIEW:.status.nextReviewDate,EXPIRES IN (D):.status.daysToExpiry'
echo
"$KUBECTL" get partnerships -n "$NS" -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}  Health:    {.status.conditions[?(@.type=="Healthy")].message}{"\n"}  ReviewDue: {.status.conditions[?(@.type=="ReviewDue")].message}{"\n"}{end}'

say "Objectives"
"$KUBECTL" get objectives -n "$NS" -o custom-columns='NAME:.metadata.name,PARTNERSHIP:.spec.partnershipRef.name,HEALTHY:.status.conditions[?(@.type=="Healthy")].status,AT RISK:.status.conditions[?(@.type=="AtRisk")].status,SCORE:.status.score,OUTCOME:.status.projectedOutcome,MESSAGE:.status.conditions[?(@.type=="Healthy")].message'

say "KPIs"
"$KUBECTL" get kpis -n "$NS" -o custom-columns='NAME:.metadata.name,SOURCE:.spec.source.sourceRef.name,VALUE:.status.lastValue,EXPECTED:.status.expectedValue,DATA:.status.conditions[?(@.type=="MetricsAvailable")].reason,HEALTHY:.status.conditions[?(@.type=="Healthy")].status,AT RISK:.status.conditions[?(@.type=="AtRisk")].status,MESSAGE:.status.conditions[?(@.type=="Healthy")].message'

say "Metric sources"
"$KUBECTL" get metricsources -n "$NS" -o custom-columns='NAME:.metadata.name,TYPE:.spec.type,ENDPOINT:.spec.endpoint,REACHABLE:.status.conditions[?(@.type=="Reachable")].status,LAST SUCCESS:.status.lastSuccessTime,MESSAGE:.status.conditions[?(@.type=="Reachable")].message'

say "Portfolio"
"$KUBECTL" get portfolio -n "$NS" -o jsonpath='{range .items[*]}{.spec.displayName}: {.status.conditions[?(@.type=="AtRisk")].message}{"\n"}Worst items:{"\n"}{range .status.worst[*]}  {.kind}/{.name} (score {.score}): {.message}{"\n"}{end}{end}'

say "Dashboard"
curl -fsS -o /dev/null "$DASHBOARD/" || { tail -20 "$DEMO/manager.log" >&2; echo "demo: the dashboard did not answer at $DASHBOARD/" >&2; exit 1; }
echo "Portfolio overview:     $DASHBOARD/"
for p in $("$KUBECTL" get partnerships -n "$NS" -o jsonpath='{.items[*].metadata.name}'); do
  echo "Partnership page:       $DASHBOARD/partnerships/$NS/$p"
done
echo "(read-only, from the operator's cache; see docs/dashboard.md)"
