#!/usr/bin/env bash
# The three APIs (gunicorn) and the three workers (outbox relay + consumer) on this machine.
# Usage: deploy/local/services.sh start|stop|status|run   (run = start, wait, stop on Ctrl-C)
source "$(dirname "$0")/lib.sh"

VENV="${KINERJA_VENV:-$REPO_ROOT/.venv}"
SERVICES=(agencies indicators reforms)
declare -A PORTS=([agencies]="${KINERJA_AGENCIES_PORT:-8001}" [indicators]="${KINERJA_INDICATORS_PORT:-8002}" [reforms]="${KINERJA_REFORMS_PORT:-8003}")

SECRET_FILE="$STATE_DIR/jwt-secret"

ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/readyz"; }

# The development token secret: KINERJA_JWT_SECRET if set, else one generated once per checkout
# into the ignored .local/ folder (never committed).
ensure_secret() {
  if [ -z "${KINERJA_JWT_SECRET:-}" ]; then
    [ -s "$SECRET_FILE" ] || (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))' >"$SECRET_FILE")
    KINERJA_JWT_SECRET=$(cat "$SECRET_FILE")
  fi
  export KINERJA_JWT_SECRET
}

token() { # token ROLE AGENCY [SUB]
  ensure_secret
  "$VENV/bin/kinerja" token --role "$1" --agency "$2" ${3:+--sub "$3"}
}

start() {
  [ -x "$VENV/bin/gunicorn" ] || die "no virtualenv at $VENV; run 'make venv' first"
  ensure_secret
  cd "$REPO_ROOT"
  for svc in "${SERVICES[@]}"; do
    local port=${PORTS[$svc]}
    if pid_alive "$RUN_DIR/$svc-api.pid"; then say "$svc API already running"; else
      port_open 127.0.0.1 "$port" && die "port $port is taken by another process; stop it or set KINERJA_${svc^^}_PORT"
      local prom="$STATE_DIR/prometheus/$svc"; rm -rf "$prom"; mkdir -p "$prom"
      PROMETHEUS_MULTIPROC_DIR="$prom" KINERJA_BIND="127.0.0.1:$port" \
        nohup "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py "services.$svc.wsgi:app" \
        >"$LOG_DIR/$svc-api.log" 2>&1 &
      echo $! >"$RUN_DIR/$svc-api.pid"
    fi
    if pid_alive "$RUN_DIR/$svc-worker.pid"; then say "$svc worker already running"; else
      nohup "$VENV/bin/python" -m "services.$svc.worker" >"$LOG_DIR/$svc-worker.log" 2>&1 &
      echo $! >"$RUN_DIR/$svc-worker.pid"
    fi
  done
  for svc in "${SERVICES[@]}"; do
    wait_until 60 "$svc" ready "${PORTS[$svc]}" || { tail -n 20 "$LOG_DIR/$svc-api.log" >&2; die "$svc API is not ready"; }
  done
  say "all services ready"
}

stop() {
  for svc in "${SERVICES[@]}"; do
    stop_pidfile "$RUN_DIR/$svc-api.pid" "$svc API"
    stop_pidfile "$RUN_DIR/$svc-worker.pid" "$svc worker"
  done
}

status() {
  local rc=0
  for svc in "${SERVICES[@]}"; do
    local api=down worker=down
    ready "${PORTS[$svc]}" && api="ready on http://127.0.0.1:${PORTS[$svc]}"
    pid_alive "$RUN_DIR/$svc-worker.pid" && worker=running
    say "$svc: API $api, worker $worker"
    [ "$api" != down ] && [ "$worker" = running ] || rc=1
  done
  return $rc
}

# Demo data (LAN, Provinsi Jambi, Kabupaten Tanjung Jabung Barat and its 22 work units), loaded
# through the import endpoint: idempotent, so every `make run` may do it.
load_demo() {
  local report
  report=$(curl -fsS -XPOST "http://127.0.0.1:${PORTS[agencies]}/api/v1/agencies/import" \
    -H "Authorization: Bearer $(token admin '*' demo-loader)" -H 'Content-Type: text/csv' \
    --data-binary @"$LOCAL_DIR/demo/tanjabbar.csv") || { say "demo data could not be loaded"; return 0; }
  say "demo data: $(echo "$report" | "$VENV/bin/python" -c 'import json, sys; r = json.load(sys.stdin); print(r["created"], "created,", r["updated"], "updated,", r["unchanged"], "unchanged")')"
}

run() {
  trap 'echo; stop; exit 0' INT TERM
  start
  load_demo
  cat <<INFO

Kinerja is running:
  agencies    http://127.0.0.1:${PORTS[agencies]}/api/v1/agencies     (OpenAPI: /api/v1/openapi.json)
  indicators  http://127.0.0.1:${PORTS[indicators]}/api/v1
  reforms     http://127.0.0.1:${PORTS[reforms]}/api/v1
  health      /healthz  /readyz  /metrics on each port
  Kafka       127.0.0.1:9092        MongoDB  127.0.0.1:27017
  logs        $LOG_DIR
An admin token for curl (Authorization: Bearer ...), valid 8 hours:
  $(token admin '*' local-admin)
Other tokens: make token ROLE=operator AGENCY=<agency id>
Press Ctrl-C to stop the services (make stop also stops Kafka and MongoDB).
INFO
  while :; do
    for svc in "${SERVICES[@]}"; do
      for kind in api worker; do
        pid_alive "$RUN_DIR/$svc-$kind.pid" || { say "$svc $kind exited; see $LOG_DIR/$svc-$kind.log"; stop; exit 1; }
      done
    done
    sleep 2
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  run) run ;;
  token) token "${2:?role}" "${3:?agency id}" "${4:-}" ;;
  *) echo "usage: $0 start|stop|status|run|token ROLE AGENCY [SUB]" >&2; exit 2 ;;
esac
