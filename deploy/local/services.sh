#!/usr/bin/env bash
# The local stack under supervisord: MongoDB, Kafka and Mailpit (unless they already run), and each service's API
# (gunicorn) and worker, as the services declare them (python -m services).
# Usage: deploy/local/services.sh run|start|stop|status|logs|token ROLE AGENCY [SUB]
#   run: start, load the demo data, print how to use it, and stop everything on Ctrl-C.
source "$(dirname "$0")/lib.sh"

VENV="${KINERJA_VENV:-$REPO_ROOT/.venv}"
PY="$VENV/bin/python"
SUPERVISOR_DIR="$STATE_DIR/supervisor"
CONF="$SUPERVISOR_DIR/supervisord.conf"
SECRET_FILE="$STATE_DIR/jwt-secret"

[ -x "$PY" ] || die "no virtualenv at $VENV; run 'make venv' first"
# name api_port worker_port, one line per service
mapfile -t SPECS < <(cd "$REPO_ROOT" && "$PY" -m services)

api_port() { local name=$1 var="KINERJA_${1^^}_PORT"; for s in "${SPECS[@]}"; do set -- $s; [ "$1" = "$name" ] && echo "${!var:-$2}"; done; }
ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"; }
ctl() { "$VENV/bin/supervisorctl" -c "$CONF" "$@"; }
supervised() { [ -f "$CONF" ] && pid_alive "$SUPERVISOR_DIR/supervisord.pid"; }

# The development token secret: KINERJA_JWT_SECRET if set, else one generated once per checkout
# into the ignored .local/ folder (never committed).
ensure_secret() {
  if [ -z "${KINERJA_JWT_SECRET:-}" ]; then
    [ -s "$SECRET_FILE" ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$SECRET_FILE")
    KINERJA_JWT_SECRET=$(cat "$SECRET_FILE")
  fi
  export KINERJA_JWT_SECRET
}

token() { # token ROLE AGENCY [SUB]
  ensure_secret
  "$VENV/bin/kinerja" token --role "$1" --agency "$2" ${3:+--sub "$3"}
}

start() {
  if supervised; then say "already running (make status)"; return 0; fi
  ensure_secret
  for s in "${SPECS[@]}"; do
    set -- $s
    port_open 127.0.0.1 "$(api_port "$1")" && die "port $(api_port "$1") is taken; stop what uses it or set KINERJA_${1^^}_PORT"
  done
  "$LOCAL_DIR/mongo.sh" provision
  "$LOCAL_DIR/kafka.sh" provision
  "$LOCAL_DIR/mailpit.sh" provision
  "$PY" "$LOCAL_DIR/supervisor.py" "$STATE_DIR" >/dev/null
  say "starting the stack under supervisord (logs: $LOG_DIR; make status, make logs)"
  (cd "$REPO_ROOT" && "$VENV/bin/supervisord" -c "$CONF")
  for s in "${SPECS[@]}"; do
    set -- $s
    wait_until 120 "$1" ready "$(api_port "$1")" || { ctl status; die "$1 API is not ready; see $LOG_DIR/$1-api.log"; }
  done
  say "all services ready"
}

stop() {
  if supervised; then
    local pid; pid=$(cat "$SUPERVISOR_DIR/supervisord.pid")
    say "stopping every process the stack started"
    ctl shutdown >/dev/null || kill "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
  fi
  rm -f "$SUPERVISOR_DIR/supervisord.pid"
}

status() {
  if supervised; then ctl status; else say "the stack is not running (make run)"; return 1; fi
}

logs() { exec tail -n 20 -F "$LOG_DIR"/*-api.log "$LOG_DIR"/*-worker.log "$LOG_DIR"/kafka.log "$LOG_DIR"/mongo.log \
  "$LOG_DIR"/mailpit.log 2>/dev/null; }

# Demo data (LAN, Provinsi Jambi, Kabupaten Tanjung Jabung Barat and its 22 work units, their indicators,
# targets and verified realisations of 2024 and 2025, their strategic plans 2025–2029 and signed 2025
# performance agreements, and the regency's 2025 reform activities with the LAN FGD), loaded through the
# APIs: idempotent, so every `make run` may do it. demo/sakip.py runs after demo/indicators.py (it takes
# the IKU that one defines into the plans and agreements).
load_demo() {
  local line
  ensure_secret
  # A demo that cannot load is said, not fatal: the system runs without it.
  { (cd "$REPO_ROOT" && "$PY" -m kinerja.demo \
      --agencies "http://127.0.0.1:$(api_port agencies)" --indicators "http://127.0.0.1:$(api_port indicators)" \
      --reforms "http://127.0.0.1:$(api_port reforms)" 2>&1) || echo "demo data could not be loaded (see above)"; } \
    | while IFS= read -r line; do say "$line"; done
}

regency_id() {
  curl -fsS "http://127.0.0.1:$(api_port agencies)/api/v1/agencies?q=1506&type=regency" \
    -H "Authorization: Bearer $(token admin '*' demo-loader)" 2>/dev/null \
    | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])' 2>/dev/null || echo ""
}

worker_port() { local name=$1 var="KINERJA_${1^^}_WORKER_PORT"; for s in "${SPECS[@]}"; do set -- $s; [ "$1" = "$name" ] && echo "${!var:-$3}"; done; }

run() {
  trap 'echo; stop; exit 0' INT TERM
  start
  load_demo
  echo
  echo "Kinerja is running (every process under supervisord; one that dies is restarted):"
  for s in "${SPECS[@]}"; do
    set -- $s
    printf '  %-11s http://127.0.0.1:%s/api/v1   (OpenAPI: /api/v1/openapi.json; worker: http://127.0.0.1:%s/healthz)\n' \
      "$1" "$(api_port "$1")" "$(worker_port "$1")"
  done
  cat <<INFO
  health      /healthz  /readyz  /metrics on each API port; /healthz /metrics on each worker port
  Kafka       127.0.0.1:${KAFKA_PORT:-9092}        MongoDB  127.0.0.1:${MONGO_PORT:-27017}
  mail        http://127.0.0.1:${KINERJA_MAILPIT_UI_PORT:-8025}   (Mailpit keeps every mail sent to SMTP 127.0.0.1:${KINERJA_SMTP_PORT:-1025}, relays none;
              as JSON: http://127.0.0.1:${KINERJA_MAILPIT_UI_PORT:-8025}/api/v1/messages, /api/v1/message/<ID>)
  logs        $LOG_DIR   (make logs)      processes: make status
  dashboard   http://127.0.0.1:${KINERJA_DASHBOARD_PORT:-8000}/#token=$(token admin '*' local-admin)&agency=$(regency_id)
              (the link signs you in as a local admin, on Kabupaten Tanjung Jabung Barat)
An admin token for curl (Authorization: Bearer ...), valid 8 hours:
  $(token admin '*' local-admin)
Other tokens: make token ROLE=operator AGENCY=<agency id>
Press Ctrl-C to stop everything this command started.
INFO
  while supervised; do sleep 1; done
  say "supervisord exited"
}

case "${1:-}" in
  start|stop|status|run|logs) "$1" ;;
  token)
    if [ -z "${2:-}" ] || [ -z "${3:-}" ]; then
      echo "usage: make token ROLE=admin|evaluator|operator|viewer AGENCY=<agency id, or '*' for admin> [SUB=name]" >&2
      exit 2
    fi
    token "$2" "$3" "${4:-}" ;;
  *) echo "usage: $0 start|stop|status|run|logs|token ROLE AGENCY [SUB]" >&2; exit 2 ;;
esac
