#!/usr/bin/env bash
# Apache Kafka, single-node KRaft, from the broker's jars on Maven Central (no Docker, no download site).
# Usage: deploy/local/kafka.sh provision|start|stop|status|run
#   start: in the background (waits until it answers); run: in the foreground (for a supervisor).
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_STATE (default .local/kafka) let fault tests run a
#   broker of their own beside the shared one.
source "$(dirname "$0")/lib.sh"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
POM="$LOCAL_DIR/kafka/pom.xml"
# The jar folder is keyed by the POM's content, so changing a version provisions a fresh set.
LIBS="$CACHE_DIR/kafka-$(sha256sum "$POM" | cut -c1-12)/libs"
KAFKA_STATE="${KAFKA_STATE:-$STATE_DIR/kafka}"
DATA_DIR="$KAFKA_STATE/data"
CONFIG="$KAFKA_STATE/server.properties"
PIDFILE="$KAFKA_STATE/kafka.pid"
KAFKA_LOGS="$KAFKA_STATE/logs"
LOG="$KAFKA_LOGS/kafka.log"

java_bin() {
  need java "a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
  echo java
}

provision() {
  if [ -f "$LIBS/.complete" ]; then say "jars cached in $LIBS"; return 0; fi
  need mvn "Apache Maven (Debian: apt-get install maven)"
  java_bin >/dev/null
  cache_lock kafka
  if [ -f "$LIBS/.complete" ]; then say "jars cached in $LIBS"; cache_unlock; return 0; fi
  local build; build=$(mktemp -d "$CACHE_DIR/.kafka-build.XXXXXX")
  say "resolving the Kafka broker jars with Maven into $LIBS"
  say "first time on this machine only: about 10 s with a filled Maven repository, a minute or two without"
  # Maven 3.8 prints colour resets even in batch mode; strip every escape sequence from its output.
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$build/libs" 2>&1 | sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e '/^$/d'; then
    rm -rf "$build"
    die "Maven could not resolve the Kafka jars (see the output above)"
  fi
  touch "$build/libs/.complete"
  rm -rf "$(dirname "$LIBS")"  # an incomplete set left by an older script
  mv -T "$build" "$(dirname "$LIBS")"
  cache_unlock
}

configure() {
  mkdir -p "$DATA_DIR" "$KAFKA_LOGS"
  sed -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@DATA_DIR@|$DATA_DIR|g" "$LOCAL_DIR/kafka/server.properties.template" > "$CONFIG"
  if [ ! -f "$DATA_DIR/meta.properties" ]; then
    say "formatting KRaft storage in $DATA_DIR"
    local cluster_id
    cluster_id=$(java -cp "$LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
    java -cp "$LIBS/*" -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.properties" -Dkafka.logs.dir="$KAFKA_LOGS" \
      kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$CONFIG" >"$KAFKA_LOGS/kafka-format.log" 2>&1 \
      || die "formatting Kafka storage failed; see $KAFKA_LOGS/kafka-format.log"
  fi
}

started() { port_open "$HOST" "$PORT" && grep -q "Kafka Server started" "$LOG" 2>/dev/null; }

# The broker's command line, as an array (the class path's '*' is for java, not for the shell).
BROKER=(java -Xms256m "-Xmx${KAFKA_HEAP:-768m}" -XX:+UseG1GC -Djava.awt.headless=true
        "-Dlog4j2.configurationFile=$LOCAL_DIR/kafka/log4j2.properties" "-Dkafka.logs.dir=$KAFKA_LOGS"
        -cp "$LIBS/*" kafka.Kafka "$CONFIG")

start() {
  if pid_alive "$PIDFILE" && port_open "$HOST" "$PORT"; then say "already running on $HOST:$PORT"; return 0; fi
  if port_open "$HOST" "$PORT"; then say "something already answers on $HOST:$PORT; using it"; return 0; fi
  provision
  configure
  : >"$LOG"
  say "starting Kafka on $HOST:$PORT (log: $LOG)"
  nohup "${BROKER[@]}" >"$KAFKA_LOGS/kafka.out" 2>&1 &
  echo $! >"$PIDFILE"
  if ! wait_until 90 "Kafka" started; then
    tail -n 30 "$LOG" "$KAFKA_LOGS/kafka.out" >&2 || true
    die "Kafka did not start within 90 s"
  fi
  say "Kafka is up on $HOST:$PORT"
}

# In the foreground, replacing this shell, so that a supervisor signals the broker itself.
run() {
  port_open "$HOST" "$PORT" && die "something already answers on $HOST:$PORT"
  provision
  configure
  # No pid file: the supervisor knows the pid, and `stop` is only for servers `start` started.
  exec "${BROKER[@]}"
}

stop() { stop_pidfile "$PIDFILE" "Kafka"; }

dispatch "$@"
