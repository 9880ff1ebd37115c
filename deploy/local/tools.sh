#!/usr/bin/env bash
# Command-line tools the tests use, built once per machine from the Go module proxy and cached:
#   kustomize  — builds the Kubernetes overlays (deploy/kubernetes) that tests/deploy/test_kubernetes.py checks
#
#   deploy/local/tools.sh provision    build what is missing (prints where each tool is)
#   deploy/local/tools.sh path NAME    where NAME is (after provision)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KUSTOMIZE_VERSION=v5.7.1
BIN_DIR="$CACHE_DIR/go-bin-kustomize-$KUSTOMIZE_VERSION"

provision() {
  [ -x "$BIN_DIR/kustomize" ] && { say "kustomize $KUSTOMIZE_VERSION cached at $BIN_DIR/kustomize"; return 0; }
  need go "Go 1.22+ (apt-get install golang, or the Go toolchain)"
  cache_lock kustomize
  if [ ! -x "$BIN_DIR/kustomize" ]; then
    local started=$SECONDS tmp
    tmp=$(mktemp -d "$CACHE_DIR/.kustomize.XXXXXX")
    say "building kustomize $KUSTOMIZE_VERSION with go install (once per machine, about two minutes)"
    GOBIN="$tmp" GOFLAGS=-mod=mod go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
    mv "$tmp" "$BIN_DIR"
    say "kustomize built in $((SECONDS - started)) s"
  fi
  cache_unlock
  say "kustomize $KUSTOMIZE_VERSION at $BIN_DIR/kustomize"
}

case "${1:-}" in
  provision) provision ;;
  path) [ "${2:-}" = kustomize ] && echo "$BIN_DIR/kustomize" ;;
  *) echo "usage: $0 provision | path kustomize" >&2; exit 2 ;;
esac
