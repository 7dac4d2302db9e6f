#!/usr/bin/env bash
# Time to READY with each class-data cache, in one run: Java 17 plain, Java 17 with the AppCDS archive the
# Java 17 image trained (-XX:ArchiveClassesAtExit: start, one request, SIGTERM), Java 25 plain, and Java 25
# with the AOT cache trained by deploy/train-aot.sh, the image's own training (warm-up included when the
# service knows startup.warmupMs). Starts are interleaved (the four take turns going first); each is timed
# from spawn to the first 200 on /readyz, probed every 5 ms through bash's /dev/tcp, then stopped with
# SIGTERM. Warm-up stays off in the timed starts (startup.warmupMs "auto" is off outside Kubernetes): this
# measures the start itself. Checks the target "Java 25 with the trained AOT cache: time to READY at most 0.5x
# plain Java 17" and counts the JVM's own warning and error lines in each start (a cache that failed to map
# says so there). Writes the table to bench/results/starts-latest.md and the logs to bench/results/starts-<date>/.
#
# Usage: bench/starts.sh [--starts N] [--no-build] [--help]
#   --starts N   starts of each variant (default 5)                                   env BENCH_STARTS
#   --no-build   reuse target/service-fat.jar                                         env BENCH_BUILD=0
# More environment:
#   BENCH_JAVA17   a Java 17 (default: java on PATH, which must be 17)
#   BENCH_JAVA25   a Java 25 (default: the first /usr/lib/jvm/*25*/bin/java)
#   BENCH_TRAIN_WARMUP_MS  the AOT training run's warm-up (default 5000, as deploy/Dockerfile)
#   BENCH_MVN_ARGS extra Maven arguments, e.g. "-o"
# Needs bash 5 (EPOCHREALTIME, /dev/tcp) and Linux /proc. Talks to 127.0.0.1 only; every wait is bounded.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$ROOT/target/service-fat.jar
STARTS=${BENCH_STARTS:-5}
BUILD=${BENCH_BUILD:-1}
JAVA17=${BENCH_JAVA17:-java}
JAVA25=${BENCH_JAVA25:-$(compgen -G '/usr/lib/jvm/*25*/bin/java' | head -n 1 || true)}
TRAIN_WARMUP_MS=${BENCH_TRAIN_WARMUP_MS:-5000}
read -r -a MVN_ARGS <<<"${BENCH_MVN_ARGS:-}"
READY_TIMEOUT_MS=20000
STOP_TIMEOUT_S=15 # SIGTERM to exit; an AppCDS training run writes its archive within it
VARIANTS=(j17 j17_appcds j25 j25_aot)
declare -A LABEL=([j17]="Java 17, plain" [j17_appcds]="Java 17 + AppCDS (the Java 17 image's training)"
  [j25]="Java 25, plain" [j25_aot]="Java 25 + AOT cache (deploy/train-aot.sh)")

while (($#)); do
  case $1 in
    --starts) STARTS=${2:?--starts needs a number}; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "starts.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ $STARTS =~ ^[1-9][0-9]?$ ]] || { echo "starts.sh: --starts must be 1..99, got '$STARTS'" >&2; exit 2; }

die() { echo "starts.sh: $*" >&2; exit 1; }
now_us() { NOW_US=${EPOCHREALTIME/./}; }

PID=
trap '[[ -n $PID ]] && kill -KILL "$PID" 2>/dev/null; true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pick_port: bench/ports.sh
# shellcheck source=bench/ports.sh
source "$ROOT/bench/ports.sh"

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1; }

# One GET /readyz over /dev/tcp, without forking: true on a 200.
ready() {
  local fd status=
  { exec {fd}<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd" 2>/dev/null &&
    read -r -t 2 -u "$fd" status 2>/dev/null || true
  exec {fd}>&-
  [[ $status == "HTTP/1.1 200 "* ]]
}

# Spawns the jar with a java and its options, waits for READY. Sets PID, PORT, READY_MS (or dies).
start() { # log java [options...]
  local log=$1 java=$2 i t0 deadline
  shift 2
  pick_port
  now_us
  t0=$NOW_US
  deadline=$((t0 + READY_TIMEOUT_MS * 1000))
  SERVICE_HTTP_HOST=127.0.0.1 SERVICE_HTTP_PORT=$PORT SERVICE_HTTP_INSTANCES=1 SERVICE_SHUTDOWN_DRAIN_DELAY_MS=0 \
    SERVICE_WORKER_JOB_MS=0 "$java" "$@" -jar "$JAR" >"$log" 2>&1 &
  PID=$!
  for ((i = 0; i < 5000; i++)); do
    if ready; then
      now_us
      READY_MS=$(((NOW_US - t0) / 1000))
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || die "the start ended before READY; see $log"
    now_us
    ((NOW_US < deadline)) || die "not READY after $READY_TIMEOUT_MS ms; see $log"
    read -r -t 0.005 -u "$TICK_FD" _ || true
  done
  die "not READY after $i probes; see $log"
}

stop() { # SIGTERM, bounded wait; sets EXIT_CODE
  local watchdog
  kill -TERM "$PID"
  { read -r -t "$STOP_TIMEOUT_S" -u "$TICK_FD" _ || kill -KILL "$PID" 2>/dev/null; } &
  watchdog=$!
  EXIT_CODE=0
  wait "$PID" || EXIT_CODE=$?
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  PID=
}

# The JVM's own log lines at warning or error level (unified logging: "[0.150s][warning][aot] ...").
jvm_warnings() { grep -c -E '^\[[^]]*\]\[(warning|error) *\]' "$1" || true; }

options() { # variant -> OPTS
  case $1 in
    j17 | j25) OPTS=() ;;
    j17_appcds) OPTS=("-XX:SharedArchiveFile=$OUT/service.jsa" -Xshare:auto) ;;
    j25_aot) OPTS=("-XX:AOTCache=$OUT/service.aot" -XX:AOTMode=auto) ;;
  esac
}

java_of() { case $1 in j17*) JAVA=$JAVA17 ;; *) JAVA=$JAVA25 ;; esac; }

train() {
  echo "training the Java 17 AppCDS archive (start, one request, SIGTERM)"
  start "$OUT/train-appcds.log" "$JAVA17" "-XX:ArchiveClassesAtExit=$OUT/service.jsa"
  curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/" || die "the AppCDS training run did not answer"
  stop
  ((EXIT_CODE == 0)) && [[ -s $OUT/service.jsa ]] || die "the AppCDS training failed; see $OUT/train-appcds.log"
  local warmup=$TRAIN_WARMUP_MS
  if ! "$JAVA25" -jar "$JAR" -conf '{"startup":{"warmupMs":1}}' --print-config >/dev/null 2>&1; then
    echo "  this jar does not know startup.warmupMs yet: the AOT training runs without the warm-up"
    warmup=none
  fi
  echo "training the Java 25 AOT cache with deploy/train-aot.sh (warm-up: $warmup)"
  local port
  pick_port
  port=$PORT
  JAVA=$JAVA25 TRAIN_PORT=$port "$ROOT/deploy/train-aot.sh" "$JAR" "$OUT/service.aot" "$warmup" >"$OUT/train-aot.log" 2>&1 ||
    die "the AOT training failed; see $OUT/train-aot.log"
  TRAINED_WITH=$warmup
}

# Median, min and max of a variant's READY times.
stats() { awk -F'\t' -v v="$1" '$2 == v { print $3 }' "$RAW" | sort -n |
  awk '{ t[NR] = $1 } END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2; printf "%d %d %d\n", m, t[1], t[NR] }'; }

main() {
  ((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or newer (EPOCHREALTIME)"
  command -v curl >/dev/null || die "curl is needed"
  [[ $(java_major "$JAVA17") == 17 ]] || die "BENCH_JAVA17 ('$JAVA17') is not a Java 17"
  [[ -n $JAVA25 && $(java_major "$JAVA25") == 25 ]] || die "no Java 25 found (set BENCH_JAVA25)"
  if ((BUILD)); then
    echo "building the service (./mvnw -B -q -DskipTests ${MVN_ARGS[*]} package)"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests "${MVN_ARGS[@]}" package)
  fi
  [[ -f $JAR ]] || die "missing $JAR (run without --no-build)"
  OUT=$ROOT/bench/results/starts-$(date +%Y%m%d-%H%M%S)
  RAW=$OUT/raw.tsv
  mkdir -p "$OUT"
  mkfifo "$OUT/.tick"
  exec {TICK_FD}<>"$OUT/.tick"
  rm -f "$OUT/.tick"
  local commit load_before round variant order i
  commit=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  train
  printf 'round\tvariant\tready_ms\texit_code\tjvm_warnings\n' >"$RAW"
  for ((round = 1; round <= STARTS; round++)); do
    for ((order = 0; order < ${#VARIANTS[@]}; order++)); do
      variant=${VARIANTS[(round - 1 + order) % ${#VARIANTS[@]}]}
      java_of "$variant"
      options "$variant"
      start "$OUT/$variant-$round.log" "$JAVA" "${OPTS[@]}"
      stop
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$variant" "$READY_MS" "$EXIT_CODE" "$(jvm_warnings "$OUT/$variant-$round.log")" >>"$RAW"
      printf '  start %d  %-10s READY in %5d ms (exit %s)\n' "$round" "$variant" "$READY_MS" "$EXIT_CODE"
    done
  done
  local base median lo hi ratio warnings result
  read -r base _ _ < <(stats j17)
  {
    echo "| start ($STARTS each, interleaved) | time to READY, median (ms) | min-max (ms) | vs Java 17 plain | JVM warnings | target | result |"
    echo "|---|---:|---:|---:|---:|---|---|"
    for variant in "${VARIANTS[@]}"; do
      read -r median lo hi < <(stats "$variant")
      ratio=$(awk -v m="$median" -v b="$base" 'BEGIN { printf "%.2f", m / b }')
      warnings=$(awk -F'\t' -v v="$variant" '$2 == v { n += $5 } END { print n + 0 }' "$RAW")
      result=
      [[ $variant == j25_aot ]] && result=$(awk -v r="$ratio" 'BEGIN { print r <= 0.5 ? "PASS" : "MISS" }')
      printf '| %s | %d | %d-%d | %sx | %s | %s | %s |\n' "${LABEL[$variant]}" "$median" "$lo" "$hi" "$ratio" "$warnings" \
        "$([[ $variant == j25_aot ]] && echo "<= 0.5x")" "$result"
    done
    echo
    echo "($(date -u +%Y-%m-%d), commit $commit; $(nproc) cores, load before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg);" \
      "Java 17: $("$JAVA17" -version 2>&1 | sed -n 2p); Java 25: $("$JAVA25" -version 2>&1 | sed -n 2p);" \
      "AOT cache trained with warm-up: $TRAINED_WITH; exit codes: $(cut -f4 "$RAW" | tail -n +2 | sort | uniq -c | awk '{ printf "%s%sx %s", s, $1, $2; s = ", " }').)"
  } | tee "$OUT/table.md"
  cp "$OUT/table.md" "$ROOT/bench/results/starts-latest.md"
  echo "table: bench/results/starts-latest.md (logs in ${OUT#"$ROOT"/})"
}

main
