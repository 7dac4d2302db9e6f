#!/usr/bin/env bash
# Trains the service's ahead-of-time cache on Java 25 (the image's build runs it; so can anyone, by hand).
# One training run with -XX:AOTCacheOutput: start the jar with its warm-up on, wait for "service ready", send
# one request to each path live traffic and the probes use, then SIGTERM. On the way out the JVM records what
# the run did (the classes it loaded and linked, and the method profiles of the warm-up and the requests) and
# launches a second JVM that writes the cache. A last start with -XX:AOTMode=on proves that the cache maps
# for this very jar path: with any other path, or another jar, the JVM does not use it.
#
# Usage: deploy/train-aot.sh JAR CACHE [WARMUP_MS]
#   JAR        the jar, by the exact path the production command will name
#   CACHE      the cache to write (replaced if it exists)
#   WARMUP_MS  the training run's startup.warmupMs (default 5000); "none" leaves the key out
# Environment: JAVA (default java; Java 25+), TRAIN_PORT (8080), TRAIN_READY_S (60: spawn to ready, warm-up
#   included), TRAIN_EXIT_S (180: SIGTERM to exit, writing the cache included).
# Exit 0 with the cache written and checked; 1 otherwise, after printing the training run's log.
set -euo pipefail

JAR=${1:?usage: train-aot.sh JAR CACHE [WARMUP_MS]}
CACHE=${2:?usage: train-aot.sh JAR CACHE [WARMUP_MS]}
WARMUP_MS=${3:-5000}
JAVA=${JAVA:-java}
PORT=${TRAIN_PORT:-8080}
READY_S=${TRAIN_READY_S:-60}
EXIT_S=${TRAIN_EXIT_S:-180}
PATHS=(/ /readyz /healthz /metrics /status) # what load balancers, probes and Prometheus will ask first

[[ $WARMUP_MS =~ ^([0-9]+|none)$ ]] || { echo "train-aot.sh: WARMUP_MS must be a number or none" >&2; exit 2; }
[[ -f $JAR ]] || { echo "train-aot.sh: no jar at $JAR" >&2; exit 2; }

LOG=$(mktemp)
PID=
fail() {
  echo "train-aot.sh: $*" >&2
  cat "$LOG" >&2
  exit 1
}
# Whatever happens, no JVM of the training (nor the cache-writing JVM it launched) outlives the script.
stop_all() {
  local kid kids
  if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
    kids=$(cat /proc/"$PID"/task/*/children 2>/dev/null || true)
    kill -KILL "$PID" 2>/dev/null || true
    for kid in $kids; do kill -KILL "$kid" 2>/dev/null || true; done
  fi
  rm -f "$LOG"
}
trap stop_all EXIT

conf='{"http":{"host":"127.0.0.1","port":'$PORT',"instances":1}'
[[ $WARMUP_MS == none ]] || conf+=',"startup":{"warmupMs":'$WARMUP_MS'}'
conf+='}'

rm -f "$CACHE" "$CACHE.config"
"$JAVA" -XX:AOTCacheOutput="$CACHE" -jar "$JAR" -conf "$conf" >"$LOG" 2>&1 &
PID=$!

for ((i = 0; i < READY_S * 10; i++)); do
  grep -q 'service ready' "$LOG" && break
  kill -0 "$PID" 2>/dev/null || fail "the training run ended before it was ready"
  sleep 0.1
done
grep -q 'service ready' "$LOG" || fail "the training run was not ready within $READY_S s"

for path in "${PATHS[@]}"; do
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || fail "cannot connect to 127.0.0.1:$PORT"
  printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' "$path" >&3
  timeout 5 cat <&3 >/dev/null || fail "no answer to GET $path within 5 s"
  exec 3>&-
done

# The JVM writes the cache after the service's own stop; the watchdog bounds both.
kill -TERM "$PID"
(sleep "$EXIT_S" && kill -KILL "$PID" 2>/dev/null) &
watchdog=$!
status=0
wait "$PID" || status=$?
kill "$watchdog" 2>/dev/null || true
wait "$watchdog" 2>/dev/null || true
PID=
((status == 0)) || fail "the training run exited $status (137: killed after $EXIT_S s)"
[[ -s $CACHE ]] || fail "the training run wrote no cache at $CACHE"
# AOTMode=on refuses to start when the cache does not fit this JVM and this jar path: a failure here, not later.
timeout 60 "$JAVA" -XX:AOTCache="$CACHE" -XX:AOTMode=on -jar "$JAR" --print-config >/dev/null ||
  fail "the cache at $CACHE does not load for $JAR"
cat "$LOG"
echo "train-aot.sh: wrote $CACHE ($(du -h "$CACHE" | cut -f1)) for $JAR"
