#!/usr/bin/env bash
# fuzz.sh: runs every fuzz target for FUZZTIME each, one after another, and
# prints a table of targets, executions and outcome. `make fuzz` runs them
# long (10m each); `make fuzz-smoke` (part of make test) briefly. A failing
# input is saved by Go under the package's testdata/fuzz/<Target>/: commit it
# with the fix, and it then runs as a regression case in every `go test`.
#
#   FUZZTIME=10m hack/fuzz.sh            # all targets
#   FUZZTIME=30s hack/fuzz.sh FuzzParse   # targets whose name matches
#   FUZZ_JOBS=3 FUZZTIME=10m hack/fuzz.sh # three targets at a time
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-10s}"
# One worker per target keeps the figures comparable between machines and
# leaves a core for the rest of the machine; raise it with FUZZ_PARALLEL.
FUZZ_PARALLEL="${FUZZ_PARALLEL:-1}"
FILTER="${1:-}"

# package target: every parser and evaluator that takes user or upstream input.
TARGETS=(
  "./internal/portfolio/load FuzzRead"
  "./internal/sources/httpjson FuzzObserve"
  "./internal/sources/httpjson FuzzResolve"
  "./internal/sources/fhir FuzzParse"
  "./internal/sources/fhir FuzzComponent"
  "./internal/sources/prometheus FuzzObservation"
  "./internal/evaluate FuzzKPI"
  "./internal/evaluate FuzzObjective"
  "./internal/evaluate FuzzParseDuration"
  "./internal/evaluate FuzzParsePeriod"
  "./internal/evaluate FuzzParseDate"
)

# FUZZ_JOBS targets run at once (default 1). Each still fuzzes for FUZZTIME
# of wall time; the execs column shows how much work that bought.
FUZZ_JOBS="${FUZZ_JOBS:-1}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

run_one() { # pkg name n
  # It runs in a background subshell, which would otherwise run the EXIT
  # trap (removing $out, with the other targets' rows) when it ends.
  trap - EXIT
  local pkg="$1" name="$2" n="$3" start secs execs outcome
  start=$(date +%s)
  if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel "$FUZZ_PARALLEL" "$pkg" >"$out/$n.log" 2>&1; then
    outcome=pass
  else
    outcome=FAIL
    cat "$out/$n.log" >&2
  fi
  secs=$(( $(date +%s) - start ))
  # The last progress line reads "fuzz: elapsed: 10m0s, execs: 123456 (205/sec), ...".
  # A short run may end before the first progress line: no figure, not an error.
  execs=$(grep -o 'execs: [0-9]*' "$out/$n.log" | tail -1 | cut -d' ' -f2 || true)
  printf '%-30s %-18s %12s %8ss  %s\n' "$pkg" "$name" "${execs:-?}" "$secs" "$outcome" >"$out/$n.row"
  echo "fuzz: $name $outcome (${execs:-?} execs in ${secs}s)" >&2
}

running() { local c=0 p; for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && c=$((c + 1)); done; echo "$c"; }
pids=()
n=0
for t in "${TARGETS[@]}"; do
  pkg="${t% *}" name="${t#* }"
  if [ -n "$FILTER" ] && [[ "$name" != *"$FILTER"* ]]; then continue; fi
  n=$((n + 1))
  while [ "${#pids[@]}" -gt 0 ] && [ "$(running)" -ge "$FUZZ_JOBS" ]; do sleep 0.2; done
  run_one "$pkg" "$name" "$(printf '%02d' "$n")" &
  pids+=("$!")
done
for p in "${pids[@]}"; do wait "$p" || true; done
[ "$n" -gt 0 ] || { echo "fuzz: no target matches ${FILTER}" >&2; exit 2; }
printf '%-30s %-18s %12s %9s  %s\n' package target execs wall result
cat "$out"/*.row
# Every target must have left its row; a missing one is a failure too.
[ "$(cat "$out"/*.row | wc -l)" -eq "$n" ] || { echo "fuzz: only $(cat "$out"/*.row | wc -l) of $n targets reported" >&2; exit 1; }
! grep -q FAIL "$out"/*.row
