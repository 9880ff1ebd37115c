#!/usr/bin/env bash
# A MongoDB-wire server on 127.0.0.1:27017: a real mongod when one is on PATH, otherwise SecantusDB's
# Rust server (secantusd-rs, MongoDB's WiredTiger storage engine behind the wire protocol), built once
# per machine with cargo from the Rust crate registry and cached outside the checkout.
#
# SecantusDB is beta and GPL-2.0-only: it runs as a separate local process and is never vendored,
# linked or put into an image. docker compose and production use the official MongoDB image.
#
# Usage: deploy/local/mongo.sh provision|start|stop|status|run|binary
#   start: in the background (waits until it answers); run: in the foreground (for a supervisor).
#   MONGO_PORT (default 27017) and MONGO_STATE (default .local/mongo) let fault tests run a server
#   of their own beside the shared one.
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1
PORT="${MONGO_PORT:-27017}"
SECANTUS_CRATE=secantus-mdb
SECANTUS_VERSION=0.5.3-beta.196
SECANTUS_ROOT="$CACHE_DIR/$SECANTUS_CRATE-$SECANTUS_VERSION"
SECANTUS_BIN="$SECANTUS_ROOT/bin/secantusd-rs"
MONGO_STATE="${MONGO_STATE:-$STATE_DIR/mongo}"
PIDFILE="$MONGO_STATE/server.pid"
LOG="$MONGO_STATE/server.log"

engine() { if command -v mongod >/dev/null 2>&1; then echo mongod; else echo secantusdb; fi; }

# Builds into a directory of its own, then renames it into place: two checkouts provisioning at once
# never share a temporary file, and the flock makes the second one wait for the first one's result.
provision() {
  if [ "$(engine)" = mongod ]; then say "using mongod from PATH ($(command -v mongod))"; return 0; fi
  if [ -x "$SECANTUS_BIN" ]; then say "SecantusDB $SECANTUS_VERSION cached at $SECANTUS_BIN"; return 0; fi
  need cargo "Rust with cargo (https://rustup.rs, or Debian: apt-get install cargo)"
  cache_lock "$SECANTUS_CRATE"
  if [ -x "$SECANTUS_BIN" ]; then say "SecantusDB $SECANTUS_VERSION cached at $SECANTUS_BIN"; cache_unlock; return 0; fi
  local build_root; build_root=$(mktemp -d "$CACHE_DIR/.$SECANTUS_CRATE-build.XXXXXX")
  say "building SecantusDB $SECANTUS_VERSION with cargo into $SECANTUS_ROOT"
  say "first time on this machine only: about 4 minutes on 2 cores, plus downloading the crates (cargo prints each one)"
  local started=$SECONDS
  # The crate's own release profile: measured as fast to build as one without LTO and with 16 codegen
  # units (3 min 39 s against 3 min 45 s on 2 cores, see README), so nothing is overridden.
  if ! cargo install "$SECANTUS_CRATE" --version "$SECANTUS_VERSION" --locked --ignore-rust-version \
      --root "$build_root" --color never; then
    rm -rf "$build_root"
    die "building SecantusDB failed (see cargo's output above)"
  fi
  rm -f "$build_root/.crates.toml" "$build_root/.crates2.json"
  mv -T "$build_root" "$SECANTUS_ROOT"
  cache_unlock
  say "SecantusDB built in $((SECONDS - started)) s"
}

# The server's command line, as an array.
if [ "$(engine)" = mongod ]; then
  SERVER=(mongod --bind_ip "$HOST" --port "$PORT" --dbpath "$MONGO_STATE/data")
else
  # --sync-on-commit: without it, the last acknowledged writes were lost on kill -9.
  SERVER=("$SECANTUS_BIN" --host "$HOST" --port "$PORT" --storage-path "$MONGO_STATE/data" --sync-on-commit)
fi

start() {
  if pid_alive "$PIDFILE" && port_open "$HOST" "$PORT"; then say "already running on $HOST:$PORT"; return 0; fi
  if port_open "$HOST" "$PORT"; then say "a MongoDB-wire server already answers on $HOST:$PORT; using it"; return 0; fi
  provision
  mkdir -p "$MONGO_STATE/data"
  : >"$LOG"
  say "starting $(engine) on $HOST:$PORT (log: $LOG)"
  nohup "${SERVER[@]}" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  if ! wait_until 60 "MongoDB" port_open "$HOST" "$PORT"; then
    tail -n 30 "$LOG" >&2 || true
    die "the MongoDB-wire server did not start within 60 s"
  fi
  say "$(engine) is up on $HOST:$PORT"
}

# In the foreground, replacing this shell, so that a supervisor signals the server itself.
run() {
  port_open "$HOST" "$PORT" && die "a MongoDB-wire server already answers on $HOST:$PORT"
  provision
  mkdir -p "$MONGO_STATE/data"
  # No pid file: the supervisor knows the pid, and `stop` is only for servers `start` started.
  exec "${SERVER[@]}"
}

stop() { stop_pidfile "$PIDFILE" "MongoDB ($(engine))"; }

# The server program this script runs (for tests that start a server of their own).
binary() {
  if [ "$(engine)" = mongod ]; then command -v mongod; else provision >&2; echo "$SECANTUS_BIN"; fi
}

case "${1:-}" in
  binary) binary ;;
  *) dispatch "$@" ;;
esac
