#!/usr/bin/env bash
# envtest-assets.sh provides the control-plane binaries that envtest starts
# (kube-apiserver and etcd, plus kubectl on request) and prints the folder
# that holds them, for KUBEBUILDER_ASSETS.
#
# Order of preference:
#   1. $KUBEBUILDER_ASSETS, when it already holds every requested binary;
#   2. the cache bin/k8s/<version>/, when its checksum manifest matches;
#   3. a build from Go modules through the module proxy into that cache.
#      setup-envtest cannot download prebuilt binaries on machines without
#      internet access, but the module proxy serves the sources.
#
# A binary is only trusted when it is listed in the cache's SHA256SUMS with a
# matching checksum. Builds go to a temporary folder and are moved into place
# one by one, then the manifest is rewritten, so an interrupted or failed
# build never leaves a binary that a later run would use.
#
# Usage: hack/envtest-assets.sh [component...]   (default: kube-apiserver etcd)
# Progress goes to stderr; stdout carries only the assets folder.
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-3.7.3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_ROOT="${ACCORD_K8S_CACHE:-$ROOT/bin/k8s}"
CACHE="$CACHE_ROOT/$K8S_VERSION"

log() { echo "envtest-assets: $*" >&2; }
die() { echo "envtest-assets: error: $*" >&2; exit 1; }

components=("$@")
[ ${#components[@]} -gt 0 ] || components=(kube-apiserver etcd)
for c in "${components[@]}"; do
  case "$c" in
    kube-apiserver|etcd|kubectl) ;;
    *) die "unknown component \"$c\"; allowed: kube-apiserver, etcd, kubectl" ;;
  esac
done

have_all() { # dir -> 0 when every requested component is an executable file there
  local c
  for c in "${components[@]}"; do [ -x "$1/$c" ] || return 1; done
}

if [ -n "${KUBEBUILDER_ASSETS:-}" ]; then
  if have_all "$KUBEBUILDER_ASSETS"; then
    log "using KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS"
    echo "$KUBEBUILDER_ASSETS"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS lacks one of: ${components[*]}; falling back to $CACHE"
fi

command -v go >/dev/null || die "go is not on PATH; install Go 1.26 or set KUBEBUILDER_ASSETS"

# trusted NAME -> 0 when NAME is in the cache and its checksum is in SHA256SUMS.
trusted() {
  local f="$CACHE/$1" want got
  [ -x "$f" ] && [ -f "$CACHE/SHA256SUMS" ] || return 1
  want="$(awk -v n="$1" '$2==n {print $1}' "$CACHE/SHA256SUMS")"
  [ -n "$want" ] || return 1
  got="$(sha256sum "$f" | awk '{print $1}')"
  [ "$want" = "$got" ]
}

missing=()
for c in "${components[@]}"; do trusted "$c" || missing+=("$c"); done
if [ ${#missing[@]} -eq 0 ]; then
  log "using cached binaries in $CACHE"
  echo "$CACHE"
  exit 0
fi

mkdir -p "$CACHE" 2>/dev/null || die "cannot create cache folder $CACHE; make it writable, set ACCORD_K8S_CACHE to a writable folder, or set KUBEBUILDER_ASSETS"
[ -w "$CACHE" ] || die "cache folder $CACHE is not writable; fix its permissions, set ACCORD_K8S_CACHE to a writable folder, or set KUBEBUILDER_ASSETS"

# One build at a time per cache: a second run waits instead of racing.
exec 9>"$CACHE/.lock"
if command -v flock >/dev/null; then flock 9; fi

# A run that was killed (SIGKILL, power loss) cannot clean up after itself;
# its half-built outputs only ever lived in .build.* folders, never trusted.
rm -rf "$CACHE"/.build.* 2>/dev/null || true
WORK="$(mktemp -d "$CACHE/.build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# write_manifest rewrites SHA256SUMS for every binary in the cache that is
# either already trusted or just installed, atomically.
record() { # name
  local sum
  sum="$(sha256sum "$CACHE/$1" | awk '{print $1}')"
  { [ -f "$CACHE/SHA256SUMS" ] && awk -v n="$1" '$2!=n' "$CACHE/SHA256SUMS"; echo "$sum $1"; } >"$WORK/SHA256SUMS"
  mv -f "$WORK/SHA256SUMS" "$CACHE/SHA256SUMS"
}

install_bin() { # name: move the freshly built binary into place, then trust it
  local probe=(--version)
  [ "$1" = kubectl ] && probe=(version --client)
  "$WORK/out/$1" "${probe[@]}" >/dev/null 2>&1 || die "built $1 does not run (\"$1 ${probe[*]}\" failed)"
  # Distrust first, so a crash between the move and the manifest update
  # leaves an untrusted binary rather than a trusted stale checksum.
  if [ -f "$CACHE/SHA256SUMS" ]; then
    awk -v n="$1" '$2!=n' "$CACHE/SHA256SUMS" >"$WORK/SHA256SUMS.tmp"
    mv -f "$WORK/SHA256SUMS.tmp" "$CACHE/SHA256SUMS"
  fi
  mv -f "$WORK/out/$1" "$CACHE/$1"
  record "$1"
  log "installed $CACHE/$1"
}

need() { local c; for c in "${missing[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }
mkdir -p "$WORK/out"

if need kube-apiserver || need kubectl; then
  log "building Kubernetes v$K8S_VERSION components from Go modules (about 10 minutes cold on 2 cores)"
  mod="$WORK/k8s"
  mkdir -p "$mod"
  (
    cd "$mod"
    go mod init accord.local/envtest-k8s >/dev/null 2>&1 || die "go mod init failed in $mod"
    go mod edit -require="k8s.io/kubernetes@v$K8S_VERSION" || die "bad Kubernetes version \"$K8S_VERSION\""
    gomod="$(go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" 2>&1 | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')" || true
    [ -n "$gomod" ] && [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@v$K8S_VERSION through the Go module proxy (GOPROXY=$(go env GOPROXY)); check the version and your proxy, or set KUBEBUILDER_ASSETS"
    # kubernetes replaces its staging modules with local folders; point each
    # at the published v0.x tag instead. The two sample modules have no tag.
    staging="$(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod" | grep -v -e sample-cli-plugin -e sample-controller)"
    [ -n "$staging" ] || die "found no staging modules in $gomod"
    for m in $staging; do go mod edit -replace="$m=$m@v0.${K8S_VERSION#1.}"; done
    printf '//go:build tools\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kubectl"\n)\n' >tools.go
    log "resolving modules"
    go mod tidy >&2 || die "go mod tidy failed for the kube-apiserver build module"
    ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}"
    ldflags="$ldflags -X k8s.io/client-go/pkg/version.gitVersion=v$K8S_VERSION"
    for c in kube-apiserver kubectl; do
      need "$c" || continue
      log "go build $c"
      CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$WORK/out/$c" "k8s.io/kubernetes/cmd/$c" >&2 || die "go build of $c failed"
    done
  )
  for c in kube-apiserver kubectl; do need "$c" && install_bin "$c"; done
fi

if need etcd; then
  log "building etcd v$ETCD_VERSION from Go modules (about 1 minute cold)"
  mod="$WORK/etcd"
  mkdir -p "$mod"
  (
    cd "$mod"
    go mod init accord.local/envtest-etcd >/dev/null 2>&1 || die "go mod init failed in $mod"
    go mod edit -require="go.etcd.io/etcd/server/v3@v$ETCD_VERSION" || die "bad etcd version \"$ETCD_VERSION\""
    printf '//go:build tools\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
    go mod tidy >&2 || die "go mod tidy failed for the etcd build module"
    log "go build etcd"
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$WORK/out/etcd" go.etcd.io/etcd/server/v3 >&2 || die "go build of etcd failed"
  )
  install_bin etcd
fi

for c in "${components[@]}"; do trusted "$c" || die "$c is still not in $CACHE after the build"; done
log "ready: $CACHE"
echo "$CACHE"
