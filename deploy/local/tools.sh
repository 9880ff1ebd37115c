#!/usr/bin/env bash
# Command-line tools built once per machine from the Go module proxy (go install) and cached:
#   kustomize  — builds the Kubernetes overlays (deploy/kubernetes) that tests/deploy/test_kubernetes.py checks
#   mailpit    — the local mail catcher (SMTP + web UI/REST API) that deploy/local/mailpit.sh runs
#
#   deploy/local/tools.sh provision [NAME...]   build what is missing (all tools, or the ones named; prints where each is)
#   deploy/local/tools.sh path NAME             where NAME is (after provision)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUSTOMIZE_VERSION=v5.7.1
MAILPIT_VERSION=v1.33.1
TOOLS=(kustomize mailpit)

version() { case "$1" in kustomize) echo "$KUSTOMIZE_VERSION" ;; mailpit) echo "$MAILPIT_VERSION" ;; esac; }
module() {
  case "$1" in
    kustomize) echo "sigs.k8s.io/kustomize/kustomize/v5" ;;
    mailpit) echo "github.com/axllent/mailpit" ;;
  esac
}
# Stamps the release's version into the binary (what its release builds do; go install alone says "dev").
ldflags() { case "$1" in mailpit) echo "-X github.com/axllent/mailpit/config.Version=$MAILPIT_VERSION" ;; esac; }
minutes() { case "$1" in kustomize) echo "about two minutes" ;; mailpit) echo "about a minute" ;; esac; }
bin_dir() { echo "$CACHE_DIR/go-bin-$1-$(version "$1")"; }
known() { local t; for t in "${TOOLS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

# Builds into a directory of its own, then renames it into place: two checkouts provisioning at once
# never share a temporary file, and the flock makes the second one wait for the first one's result.
provision_one() { # provision_one NAME
  local name=$1 ver dir
  ver=$(version "$name"); dir=$(bin_dir "$name")
  [ -x "$dir/$name" ] && { say "$name $ver cached at $dir/$name"; return 0; }
  need go "Go 1.22+ (apt-get install golang, or the Go toolchain)"
  cache_lock "$name"
  if [ ! -x "$dir/$name" ]; then
    local started=$SECONDS tmp
    tmp=$(mktemp -d "$CACHE_DIR/.$name.XXXXXX")
    say "building $name $ver with go install (once per machine, $(minutes "$name"))"
    if ! GOBIN="$tmp" GOFLAGS=-mod=mod go install -ldflags="$(ldflags "$name")" "$(module "$name")@$ver"; then
      rm -rf "$tmp"
      die "building $name failed (see go's output above)"
    fi
    mv -T "$tmp" "$dir"
    say "$name built in $((SECONDS - started)) s"
  fi
  cache_unlock
  say "$name $ver at $dir/$name"
}

provision() {
  local name
  [ "$#" -gt 0 ] || set -- "${TOOLS[@]}"
  for name in "$@"; do
    known "$name" || die "unknown tool '$name' (known: ${TOOLS[*]})"
    provision_one "$name"
  done
}

case "${1:-}" in
  provision) shift; provision "$@" ;;
  path) known "${2:-}" || { echo "usage: $0 path $(IFS='|'; echo "${TOOLS[*]}")" >&2; exit 2; }; echo "$(bin_dir "$2")/$2" ;;
  *) echo "usage: $0 provision [$(IFS='|'; echo "${TOOLS[*]}")...] | path NAME" >&2; exit 2 ;;
esac
