#!/usr/bin/env bash
# Mailpit, the local mail catcher: an SMTP server on 127.0.0.1:1025 that accepts every message (any or no
# SMTP login) and keeps it, and a web UI and REST API on 127.0.0.1:8025 to read them. Nothing is relayed.
# The binary is built once per machine from the Go module proxy (deploy/local/tools.sh provision mailpit).
#
# Usage: deploy/local/mailpit.sh provision|start|stop|status|run
#   start: in the background (waits until it answers); run: in the foreground (for a supervisor).
#   KINERJA_SMTP_PORT (default 1025), KINERJA_MAILPIT_UI_PORT (default 8025) and MAILPIT_STATE
#   (default .local/mailpit: the message database, pid file and log) let a test run a server of its own.
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1
PORT="${KINERJA_SMTP_PORT:-1025}"
UI_PORT="${KINERJA_MAILPIT_UI_PORT:-8025}"
MAILPIT_STATE="${MAILPIT_STATE:-$STATE_DIR/mailpit}"
PIDFILE="$MAILPIT_STATE/mailpit.pid"
LOG="$MAILPIT_STATE/mailpit.log"
MAILPIT_BIN="$("$LOCAL_DIR/tools.sh" path mailpit)"

provision() { "$LOCAL_DIR/tools.sh" provision mailpit; }

# The server's command line, as an array. Both listeners on 127.0.0.1 only; no version check (it would
# call out to GitHub) and no reverse-DNS lookups of the clients; messages kept in a SQLite file under
# .local (the newest 500, Mailpit's default), so they survive a restart.
SERVER=("$MAILPIT_BIN" --smtp "$HOST:$PORT" --listen "$HOST:$UI_PORT"
        --smtp-auth-accept-any --smtp-auth-allow-insecure --smtp-disable-rdns
        --database "$MAILPIT_STATE/mailpit.db" --disable-version-check)

ready() { port_open "$HOST" "$PORT" && curl -fs -o /dev/null "http://$HOST:$UI_PORT/readyz"; }

start() {
  if pid_alive "$PIDFILE" && ready; then say "already running: SMTP $HOST:$PORT, mails at http://$HOST:$UI_PORT"; return 0; fi
  if port_open "$HOST" "$PORT"; then say "an SMTP server already answers on $HOST:$PORT; using it"; return 0; fi
  port_open "$HOST" "$UI_PORT" && die "port $UI_PORT (Mailpit's web UI) is taken; stop what uses it or set KINERJA_MAILPIT_UI_PORT"
  provision
  mkdir -p "$MAILPIT_STATE"
  : >"$LOG"
  say "starting Mailpit: SMTP on $HOST:$PORT, web UI and API on $HOST:$UI_PORT (log: $LOG)"
  nohup "${SERVER[@]}" >"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  if ! wait_until 30 "Mailpit" ready; then
    tail -n 30 "$LOG" >&2 || true
    die "Mailpit did not start within 30 s"
  fi
  say "Mailpit is up: SMTP $HOST:$PORT, mails at http://$HOST:$UI_PORT"
}

# In the foreground, replacing this shell, so that a supervisor signals the server itself.
run() {
  port_open "$HOST" "$PORT" && die "an SMTP server already answers on $HOST:$PORT"
  port_open "$HOST" "$UI_PORT" && die "port $UI_PORT (Mailpit's web UI) is taken; set KINERJA_MAILPIT_UI_PORT"
  provision
  mkdir -p "$MAILPIT_STATE"
  # No pid file: the supervisor knows the pid, and `stop` is only for servers `start` started.
  exec "${SERVER[@]}"
}

stop() { stop_pidfile "$PIDFILE" "Mailpit"; }

status() {
  if ready; then say "running: SMTP $HOST:$PORT, mails at http://$HOST:$UI_PORT"
  elif port_open "$HOST" "$PORT"; then say "something answers SMTP on $HOST:$PORT, but no Mailpit API on $HOST:$UI_PORT"; return 1
  else say "not running"; return 1; fi
}

dispatch "$@"
