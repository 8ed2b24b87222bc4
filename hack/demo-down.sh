#!/usr/bin/env bash
# demo-down.sh: stop what `make demo` left running.
set -euo pipefail
DEMO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin/demo"
for p in manager prometheus demosources devcluster; do
  f="$DEMO/$p.pid"
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
    kill "$(cat "$f")" && echo "stopped $p"
  fi
  rm -f "$f"
done
