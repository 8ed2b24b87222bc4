#!/usr/bin/env bash
# install-deps.sh: installs the Debian packages the tests run for real
# (prometheus and promtool; prometheus-alertmanager for the alert tests;
# chromium for the dashboard's browser tests;
# curl for make demo) when they are missing. As root with apt-get it
# installs them; otherwise it says what to install and fails, so tests that
# need them never silently skip.
set -euo pipefail
missing=()
# Debian's prometheus package ships both binaries.
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  missing+=(prometheus)
fi
# The end-to-end alert test delivers through Debian's Alertmanager.
command -v prometheus-alertmanager >/dev/null || missing+=(prometheus-alertmanager)
# The dashboard's end-to-end tests drive Debian's headless chromium.
command -v chromium >/dev/null || missing+=(chromium)
# make demo polls the local servers with curl.
command -v curl >/dev/null || missing+=(curl)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "install-deps: apt-get install ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  exit 0
fi
echo "install-deps: missing ${missing[*]}; install them (Debian: sudo apt-get install ${missing[*]}) and rerun" >&2
exit 1
