#!/usr/bin/env bash
# A MongoDB-wire server on 127.0.0.1:27017: a real mongod when one is on PATH, otherwise FerretDB v1.24.2
# (SQLite storage) built from the Go module proxy as the small program in deploy/local/ferretdb.
# Usage: deploy/local/mongo.sh provision|start|stop|status
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1
PORT="${MONGO_PORT:-27017}"
SRC="$LOCAL_DIR/ferretdb"
# The binary is keyed by the source and the module sums, so any change rebuilds it.
FERRETDB_BIN="$CACHE_DIR/ferretdb-$(cat "$SRC/main.go" "$SRC/go.mod" "$SRC/go.sum" | sha256sum | cut -c1-12)/ferretdb"
DATA_DIR="$STATE_DIR/mongo/data"
PIDFILE="$RUN_DIR/mongo.pid"
LOG="$LOG_DIR/mongo.log"

engine() { if command -v mongod >/dev/null 2>&1; then echo mongod; else echo ferretdb; fi; }

provision() {
  if [ "$(engine)" = mongod ]; then say "using mongod from PATH ($(command -v mongod))"; return 0; fi
  if [ -x "$FERRETDB_BIN" ]; then say "FerretDB cached at $FERRETDB_BIN"; return 0; fi
  need go "Go 1.24+ (https://go.dev/doc/install, or Debian: apt-get install golang)"
  say "building FerretDB v1.24.2 into $FERRETDB_BIN (first time only, about two minutes)"
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  (cd "$SRC" && go build -trimpath -o "$FERRETDB_BIN.tmp" .) || die "building FerretDB failed (see the output above)"
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
}

start() {
  if port_open "$HOST" "$PORT"; then say "a MongoDB-wire server already answers on $HOST:$PORT; using it"; return 0; fi
  provision
  mkdir -p "$DATA_DIR"
  : >"$LOG"
  if [ "$(engine)" = mongod ]; then
    say "starting mongod on $HOST:$PORT (log: $LOG)"
    nohup mongod --bind_ip "$HOST" --port "$PORT" --dbpath "$DATA_DIR" >"$LOG" 2>&1 &
  else
    say "starting FerretDB on $HOST:$PORT (log: $LOG)"
    nohup "$FERRETDB_BIN" -listen "$HOST:$PORT" -data-dir "$DATA_DIR" >"$LOG" 2>&1 &
  fi
  echo $! >"$PIDFILE"
  if ! wait_until 60 "MongoDB" port_open "$HOST" "$PORT"; then
    tail -n 30 "$LOG" >&2 || true
    die "the MongoDB-wire server did not start within 60 s"
  fi
  say "$(engine) is up on $HOST:$PORT"
}

stop() { stop_pidfile "$PIDFILE" "MongoDB ($(engine))"; }

dispatch "$@"
