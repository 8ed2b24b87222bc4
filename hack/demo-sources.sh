#!/usr/bin/env bash
# demo-sources.sh: part of `make demo`. Starts the live metric sources the
# demo portfolio (config/demo) reads, all on 127.0.0.1:
#   :9091  hack/demosources: a partner's HTTP JSON API, a health plan's FHIR
#          R4 server (both behind a bearer token) and telehealth metrics;
#   :9090  Debian's prometheus, with 180 days of telehealth history
#          backfilled by promtool, scraping :9091/metrics every 15s.
# Writes the token to bin/demo/source-token (mode 600) for the Secrets.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DEMO="$ROOT/bin/demo"
PROM_ADDR=127.0.0.1:9090
DATA_ADDR=127.0.0.1:9091
mkdir -p "$DEMO"
die() { echo "demo: error: $*" >&2; exit 1; }

stop_pid() { # pidfile
  if [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then
    kill "$(cat "$1")" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$(cat "$1")" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$1"
}
stop_pid "$DEMO/prometheus.pid"
stop_pid "$DEMO/demosources.pid"

port_free() { ! (exec 3<>"/dev/tcp/${1%:*}/${1#*:}") 2>/dev/null; }
for a in "$PROM_ADDR" "$DATA_ADDR"; do
  port_free "$a" || die "$a is in use; the demo's MetricSources (config/demo) expect it free. Stop what listens there, or run make demo-down"
done

hack/install-deps.sh

# A fresh random token each run; only the Secrets and this file hold it.
umask 077
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DEMO/source-token"
umask 022

go build -o "$DEMO/demosources" ./hack/demosources
nohup "$DEMO/demosources" -listen "$DATA_ADDR" -token-file "$DEMO/source-token" >"$DEMO/demosources.log" 2>&1 &
echo $! >"$DEMO/demosources.pid"

# Backfill a fresh TSDB, then serve it.
rm -rf "$DEMO/prometheus"
mkdir -p "$DEMO/prometheus"
"$DEMO/demosources" -history "$DEMO/prometheus/history.om" -days 180
promtool tsdb create-blocks-from openmetrics "$DEMO/prometheus/history.om" "$DEMO/prometheus/data" >"$DEMO/prometheus/backfill.log" 2>&1 ||
  { cat "$DEMO/prometheus/backfill.log" >&2; die "promtool backfill failed"; }
cat >"$DEMO/prometheus/prometheus.yml" <<YAML
global:
  scrape_interval: 15s
scrape_configs:
  - job_name: telehealth-platform
    static_configs:
      - targets: ["$DATA_ADDR"]
    # The backfilled history has no job or instance label; dropping them
    # from the scrape keeps history and live samples one series, so the
    # demo's queries over a day still return one series, not two.
    metric_relabel_configs:
      - action: labeldrop
        regex: job|instance
YAML
nohup prometheus --config.file="$DEMO/prometheus/prometheus.yml" --storage.tsdb.path="$DEMO/prometheus/data" \
  --storage.tsdb.retention.time=3650d --web.listen-address="$PROM_ADDR" --log.level=warn >"$DEMO/prometheus.log" 2>&1 &
echo $! >"$DEMO/prometheus.pid"

for _ in $(seq 1 150); do
  curl -fsS "http://$PROM_ADDR/-/ready" >/dev/null 2>&1 && curl -fsS "http://$DATA_ADDR/metrics" >/dev/null 2>&1 && break
  kill -0 "$(cat "$DEMO/prometheus.pid")" 2>/dev/null || { cat "$DEMO/prometheus.log" >&2; die "prometheus exited"; }
  kill -0 "$(cat "$DEMO/demosources.pid")" 2>/dev/null || { cat "$DEMO/demosources.log" >&2; die "demosources exited"; }
  sleep 0.2
done
curl -fsS "http://$PROM_ADDR/-/ready" >/dev/null || die "prometheus on $PROM_ADDR not ready after 30s; see $DEMO/prometheus.log"
echo "Prometheus on http://$PROM_ADDR ($(wc -l <"$DEMO/prometheus/history.om") lines of backfilled history); partner API and FHIR on http://$DATA_ADDR"
