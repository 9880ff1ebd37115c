# Shared helpers for the Docker-free local stack. Sourced by kafka.sh and mongo.sh.
# Caches (downloaded jars, built binaries) live outside the repo so a fresh clone reuses them;
# data, logs and pid files live in the ignored .local/ folder of the checkout.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="${KINERJA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kinerja}"
STATE_DIR="${KINERJA_STATE_DIR:-$REPO_ROOT/.local}"
LOG_DIR="$STATE_DIR/logs"
mkdir -p "$CACHE_DIR" "$LOG_DIR"

say() { printf '[%s] %s\n' "$(basename "$0" .sh)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

need() { # need COMMAND "what to install"
  command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed; install $2 and try again."
}

# Serialises the provisioning of one cached artefact across checkouts: a second caller waits for the
# first one's result instead of racing it. Callers build into a fresh temporary directory and rename it
# into place, so a half-built artefact is never seen under its final name.
cache_lock() { # cache_lock NAME
  exec 9>"$CACHE_DIR/.$1.lock"
  flock -n 9 || { say "another checkout is provisioning $1; waiting for it"; flock 9; }
}
cache_unlock() { exec 9>&-; }  # before starting a server, which would otherwise inherit the lock

port_open() { # port_open HOST PORT
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

pid_alive() { # pid_alive PIDFILE
  [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

wait_until() { # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

stop_pidfile() { # stop_pidfile PIDFILE NAME: SIGTERM, then SIGKILL after 20 s
  local pidfile=$1 name=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; say "$name is not running"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then kill -9 "$pid" 2>/dev/null || true; break; fi
    sleep 0.3
  done
  rm -f "$pidfile"
  say "$name stopped"
}

status() {
  if port_open "$HOST" "$PORT"; then say "running on $HOST:$PORT"; else say "not running"; return 1; fi
}

# Runs the sub-command named by the script's first argument (each server script defines them).
dispatch() {
  case "${1:-}" in
    provision|start|stop|status|run) "$1" ;;
    *) echo "usage: $0 provision|start|stop|status|run" >&2; exit 2 ;;
  esac
}
