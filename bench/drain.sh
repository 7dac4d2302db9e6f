#!/usr/bin/env bash
# Drain under load, for the service and the bare reference: keep-alive clients send GET / at a steady pace
# across a SIGTERM, and every answer is counted per 100 ms, ok, failed (sent, no 200 back) or refused (the
# connect was refused, nothing sent). The service runs with shutdown.drainDelayMs 1000; the bare reference
# closes Vert.x in its JVM shutdown hook at once. Writes each run's counts (drain-<target>.tsv) and one SVG
# chart of both (drain.svg) to the output directory, and copies the chart to bench/results/drain.svg.
#
# Usage: bench/drain.sh [--no-build] [--out DIR] [--help]
#   --no-build   reuse target/service-fat.jar and bench/bare/target/bare-fat.jar   env BENCH_BUILD=0
#   --out DIR    where the counts and the chart go (default bench/results/drain-<date>)
# More environment: BENCH_JAVA (java, 17+), BENCH_MVN_ARGS (e.g. -o), BENCH_DRAIN_CLIENTS (16),
#   BENCH_DRAIN_INTERVAL_MS (10: each client sends one request every 10 ms, 1600 requests/s in all).
# The load client and the chart writer are single Java source files in bench/drain/, run by the JDK itself.
# Talks to 127.0.0.1 only; every wait is bounded.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICE_JAR=$ROOT/target/service-fat.jar
BARE_JAR=$ROOT/bench/bare/target/bare-fat.jar
JAVA=${BENCH_JAVA:-java}
BUILD=${BENCH_BUILD:-1}
CLIENTS=${BENCH_DRAIN_CLIENTS:-16}
INTERVAL_MS=${BENCH_DRAIN_INTERVAL_MS:-10}
read -r -a MVN_ARGS <<<"${BENCH_MVN_ARGS:-}"
OUT=
READY_TRIES=200  # x 0.1 s
EXIT_TRIES=100   # x 0.1 s after the load client is done; then the process is killed

while (($#)); do
  case $1 in
    --no-build) BUILD=0; shift ;;
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "drain.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ $CLIENTS =~ ^[1-9][0-9]{0,2}$ && $INTERVAL_MS =~ ^[1-9][0-9]{0,3}$ ]] ||
  { echo "drain.sh: BENCH_DRAIN_CLIENTS must be 1..999 and BENCH_DRAIN_INTERVAL_MS 1..9999" >&2; exit 2; }

die() { echo "drain.sh: $*" >&2; exit 1; }

PID=
trap '[[ -n $PID ]] && kill -KILL "$PID" 2>/dev/null; true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pick_port: bench/ports.sh
# shellcheck source=bench/ports.sh
source "$ROOT/bench/ports.sh"

start_target() { # target log -> PID, PORT
  pick_port
  case $1 in
    service)
      # drainDelayMs 1000: readiness says 503 and requests are still served for 1 s after the signal.
      # jobMs 0: no simulated job for the stop to wait for, so the drain is all that is measured.
      SERVICE_HTTP_HOST=127.0.0.1 SERVICE_HTTP_PORT=$PORT SERVICE_SHUTDOWN_DRAIN_DELAY_MS=1000 SERVICE_WORKER_JOB_MS=0 \
        "$JAVA" -jar "$SERVICE_JAR" >"$2" 2>&1 &
      ;;
    bare) "$JAVA" -jar "$BARE_JAR" "$PORT" >"$2" 2>&1 & ;;
  esac
  PID=$!
  local i
  for ((i = 0; i < READY_TRIES; i++)); do
    [[ $(curl -s --max-time 1 "http://127.0.0.1:$PORT/" 2>/dev/null) == "Hello world" ]] && return 0
    kill -0 "$PID" 2>/dev/null || die "$1 ended before it was ready; see $2"
    sleep 0.1
  done
  die "$1 not ready after $READY_TRIES tries; see $2"
}

# One target: start it, run the load client (which sends the SIGTERM itself), wait for the exit.
drain_run() {
  local target=$1 log=$OUT/drain-$1.log code=0 i
  start_target "$target" "$log"
  timeout 30 "$JAVA" "$ROOT/bench/drain/DrainLoad.java" "$PORT" "$PID" "$OUT/drain-$target.tsv" "$CLIENTS" "$INTERVAL_MS" ||
    die "the load client failed for $target"
  for ((i = 0; i < EXIT_TRIES; i++)); do
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$PID" 2>/dev/null || true
  wait "$PID" || code=$?
  PID=
  awk -F'\t' -v t="$target" -v code="$code" '
    $1 == "exit_ms" { exit_ms = $2 }
    $1 ~ /^-?[0-9]+$/ { ok += $2; failed += $3; refused += $4 }
    END { printf "  %-7s %6d ok %5d failed %5d refused   exit %s ms after SIGTERM, exit code %s\n", t, ok, failed, refused, exit_ms, code }
  ' "$OUT/drain-$target.tsv" | tee -a "$OUT/drain-summary.txt"
}

main() {
  command -v curl >/dev/null || die "curl is needed"
  "$JAVA" -version 2>&1 | grep -q 'version "\(1[7-9]\|[2-9][0-9]\)' || die "needs Java 17+ as '$JAVA'"
  if ((BUILD)); then
    echo "building the service and the bare reference"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests "${MVN_ARGS[@]}" package)
    (cd "$ROOT" && ./mvnw -B -q -DskipTests "${MVN_ARGS[@]}" -f bench/bare/pom.xml package)
  fi
  [[ -f $SERVICE_JAR && -f $BARE_JAR ]] || die "missing $SERVICE_JAR or $BARE_JAR (run without --no-build)"
  OUT=${OUT:-$ROOT/bench/results/drain-$(date +%Y%m%d-%H%M%S)}
  mkdir -p "$OUT"
  echo "drain under load: $CLIENTS keep-alive clients, a request every $INTERVAL_MS ms each, SIGTERM after 2 s" \
    "(1 s warm-up), counted from 1 s before to 2 s after it; commit $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" |
    tee "$OUT/drain-summary.txt"
  drain_run service
  drain_run bare
  "$JAVA" "$ROOT/bench/drain/DrainChart.java" "$OUT/drain.svg" \
    "$OUT/drain-service.tsv" "service (drainDelayMs 1000)" "$OUT/drain-bare.tsv" "bare Vert.x (closes at once)"
  cp "$OUT/drain.svg" "$ROOT/bench/results/drain.svg"
  echo "chart: ${OUT#"$ROOT"/}/drain.svg (also bench/results/drain.svg)"
}

main
