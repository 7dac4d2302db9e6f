#!/usr/bin/env bash
# The service against a bare Vert.x HttpServer, side by side, in one run: time to ready, RSS when ready and
# after load, throughput, p99 and CPU per request under wrk at two load points (16 and 64 connections), and
# SIGTERM-to-exit when idle. The service runs twice per round: with its default metrics on ("service") and
# with SERVICE_METRICS_ENABLED=false ("service_off"); both keep the warm-up off (startup.warmupMs "auto" is
# off outside Kubernetes). A third run, "service_warm", turns the warm-up on (-conf with startup.warmupMs);
# a jar that does not know the key yet (config error, exit 2) gets n/a rows instead. A third reference, "router", is the bare server behind a
# vertx-web Router with the service's route table and nothing else: what it costs over bare is the Router's
# own cost, which the design requires. Rounds are interleaved (the four targets take turns going first) so
# that drift on a shared machine hits all alike; the table shows medians, the ratios to bare
# and a PASS/MISS per target. A second table shows warmth: the first second after READY (wrk -d1s started the
# moment /readyz first answers 200) against the warm figures of the same start. Raw numbers go to bench/results/<run>/, and the table, with the commit (git describe
# --dirty) and the date, to bench/results/latest.md: paste it, never retype it.
# On a shared machine, each measurement records how much CPU other processes used during it; the medians are
# taken over the undisturbed ("clean") ones when there are at least 3 per target, and extra rounds replace
# disturbed ones while the time budget lasts.
#
# Usage: bench/run.sh [--rounds N] [--appcds] [--no-build] [--drain | --no-drain | --starts] [--help]
#   --rounds N   interleaved rounds (default 5, about 56 s each)                    env BENCH_ROUNDS
#   --appcds     train an AppCDS archive for each jar first, then start both with it  env BENCH_APPCDS=1
#   --no-build   reuse target/service-fat.jar and bench/bare/target/bare*-fat.jar    env BENCH_BUILD=0
#   --drain      only the drain under load (bench/drain.sh: answers per 100 ms across a SIGTERM, and its chart)
#   --no-drain   skip the drain run that otherwise follows the rounds                env BENCH_DRAIN=0
#   --starts     only the start with each class-data cache (bench/starts.sh: Java 17, AppCDS, Java 25, AOT cache)
# More environment:
#   BENCH_JAVA_OPTS          extra JVM options for both processes, e.g. "-XX:TieredStopAtLevel=1"
#   BENCH_SERVICE_JAVA_OPTS  extra JVM options for the service only, e.g. to try a change on one side
#   BENCH_MVN_ARGS           extra Maven arguments, e.g. "-o" when the Maven cache is warm
#   BENCH_WARMUP_S / BENCH_DURATION_S / BENCH_THREADS   wrk load (4 / 4 / 1)
#   BENCH_CONNECTIONS / BENCH_CONNECTIONS_HIGH            the two load points, in connections (16 / 64)
#   BENCH_JAVA               the java command (default: java on PATH; Java 17+)
#   BENCH_MAX_OTHERS         a measurement is clean if other processes used fewer cores than this (0.3)
#   BENCH_BUDGET_S           extra rounds, for disturbed measurements, only while the run stays under this (300)
#   BENCH_STARTUP_WARMUP_MS  startup.warmupMs of "service_warm" (2500: spent in full, READY still comes within 4 s)
#
# Needs bash 5 (EPOCHREALTIME, /dev/tcp), curl, wrk (installed with apt-get when missing) and Linux /proc.
# Everything talks to 127.0.0.1 only, and every wait is bounded.
set -euo pipefail
export LC_ALL=C # a decimal point in EPOCHREALTIME, awk and sort, whatever the user's locale

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVICE_JAR=$ROOT/target/service-fat.jar
BARE_JAR=$ROOT/bench/bare/target/bare-fat.jar
ROUTER_JAR=$ROOT/bench/bare/target/bare-router-fat.jar

ROUNDS=${BENCH_ROUNDS:-5}
APPCDS=${BENCH_APPCDS:-0}
BUILD=${BENCH_BUILD:-1}
DRAIN=${BENCH_DRAIN:-1} # 1: the rounds, then bench/drain.sh; 2: bench/drain.sh only; 0: the rounds only; 3: starts.sh only
# The load, chosen for a 2-core machine that runs the server and wrk together:
# - one wrk thread: it can take at most one core, so the server (two event loops) always has the other one;
#   with -t2 wrk competes for both cores and the numbers say more about the scheduler than about the server.
# - 16 connections: 8 per event loop keep each loop busy without piling up queueing delay in the p99.
# - 4 s of warm-up: on a fresh JVM the throughput in 1 s slices went 13k, 37k, 77k, 58k, 129k, 137k... req/s
#   (C2 still compiling the request path); after a 2 s warm-up the measured window would still include it.
# - 4 s measured per load point: over 400k requests, enough for a stable p99; 5 rounds of both targets and both
#   load points fit in about 2.5 minutes.
# - a second load point at 64 connections, right after the first on the same warm JVM (1 s to open the new
#   connections first): services see many more connections than cores, and a cost that grows with connections
#   (per-connection handlers, timers, queueing) shows there and not at 16.
WARMUP_S=${BENCH_WARMUP_S:-4}
DURATION_S=${BENCH_DURATION_S:-4}
THREADS=${BENCH_THREADS:-1}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
CONNECTIONS_HIGH=${BENCH_CONNECTIONS_HIGH:-64}
HIGH_WARMUP_S=1
JAVA=${BENCH_JAVA:-java}
read -r -a JAVA_OPTS <<<"${BENCH_JAVA_OPTS:-}"
read -r -a SERVICE_JAVA_OPTS <<<"${BENCH_SERVICE_JAVA_OPTS:-}"
read -r -a MVN_ARGS <<<"${BENCH_MVN_ARGS:-}"

MAX_OTHERS=${BENCH_MAX_OTHERS:-0.3} # cores other processes may use during a measurement that counts as clean
BUDGET_S=${BENCH_BUDGET_S:-300}     # no extra round starts if it would end the run later than this
TARGETS=(service service_warm service_off router bare) # service_warm leaves when the jar lacks startup.warmupMs
WARMUP_ON_MS=${BENCH_STARTUP_WARMUP_MS:-2500}
WARMUP_SUPPORTED=1
FIRST_S=1 # the window after READY

READY_TIMEOUT_MS=20000 # from spawn to the first 200 on /readyz
PROBE_INTERVAL_S=0.005 # between two probes of /
STOP_TIMEOUT_S=10      # SIGTERM to exit; past it the process is killed (exit 137 in the raw numbers)
TRAIN_STOP_TIMEOUT_S=60 # an AppCDS training run writes its archive on the way out

while (($#)); do
  case $1 in
    --rounds) ROUNDS=${2:?--rounds needs a number}; shift 2 ;;
    --appcds) APPCDS=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --drain) DRAIN=2; shift ;;
    --no-drain) DRAIN=0; shift ;;
    --starts) DRAIN=3; shift ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ $ROUNDS =~ ^[1-9][0-9]?$ ]] || { echo "run.sh: --rounds must be 1..99, got '$ROUNDS'" >&2; exit 2; }

die() { echo "run.sh: $*" >&2; exit 1; }
now_us() { NOW_US=${EPOCHREALTIME/./}; } # sets NOW_US without forking a subshell

PID= # the process under test, killed on the way out if the script stops early
cleanup() {
  if [[ -n $PID ]]; then
    kill -KILL "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------------------
# Tools and build
# ---------------------------------------------------------------------------------------------------------
ensure_tools() {
  ((BASH_VERSINFO[0] >= 5)) || die "needs bash 5 or newer (EPOCHREALTIME)"
  command -v "$JAVA" >/dev/null || die "no '$JAVA' on PATH (Java 17+ needed)"
  command -v curl >/dev/null || die "curl is needed"
  if ! command -v wrk >/dev/null; then
    echo "wrk is missing: installing it with apt-get"
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null ||
      die "could not install wrk (apt-get needs root); install it and run again"
  fi
}

build() {
  echo "building the service and the bare references (./mvnw -B -q -DskipTests ${MVN_ARGS[*]} package)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests "${MVN_ARGS[@]}" package)
  (cd "$ROOT" && ./mvnw -B -q -DskipTests "${MVN_ARGS[@]}" -f bench/bare/pom.xml package)
}

# ---------------------------------------------------------------------------------------------------------
# One process under test: start, ready, RSS, load, stop
# ---------------------------------------------------------------------------------------------------------

# pick_port: bench/ports.sh
# shellcheck source=bench/ports.sh
source "$ROOT/bench/ports.sh"
# check_warmup_key, warmth_table, warmup_log_line: bench/warmth.sh
# shellcheck source=bench/warmth.sh
source "$ROOT/bench/warmth.sh"

alive() { # true while the process runs (a zombie waiting to be reaped counts as gone)
  local stat
  { read -r stat <"/proc/$1/stat"; } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

rss_kb() { # sets RSS_KB from VmRSS
  local key value rest
  RSS_KB=NA
  while read -r key value rest; do
    if [[ $key == VmRSS: ]]; then RSS_KB=$value; return 0; fi
  done <"/proc/$1/status"
}

# Starts a target on a fresh port, with its output in LOG. Sets PID, PORT, LOG and T0_US (just before spawn).
start_target() {
  local target=$1 label=$2
  local -n cds=CDS_OPTS_${target%%_*}
  local metrics=true
  local -a conf=()
  [[ $target == service_off ]] && metrics=false
  [[ $target == service_warm ]] && conf=(-conf "{\"startup\":{\"warmupMs\":$(warmup_json)}}")
  pick_port
  LOG=$RUN_DIR/logs/$target-$label.log
  now_us
  T0_US=$NOW_US
  case $target in
    service | service_off | service_warm)
      # drainDelayMs 0 as the brief says; jobMs 0 keeps the worker ticking (every 2 s) without a 500 ms
      # simulated job that a stop would rightly wait for: "idle" here means no request and no job running.
      SERVICE_HTTP_PORT=$PORT SERVICE_SHUTDOWN_DRAIN_DELAY_MS=0 SERVICE_WORKER_JOB_MS=0 SERVICE_METRICS_ENABLED=$metrics \
        "$JAVA" "${JAVA_OPTS[@]}" "${SERVICE_JAVA_OPTS[@]}" "${cds[@]}" -jar "$SERVICE_JAR" "${conf[@]}" >"$LOG" 2>&1 &
      ;;
    bare)
      "$JAVA" "${JAVA_OPTS[@]}" "${cds[@]}" -jar "$BARE_JAR" "$PORT" >"$LOG" 2>&1 &
      ;;
    router)
      "$JAVA" "${JAVA_OPTS[@]}" "${cds[@]}" -jar "$ROUTER_JAR" "$PORT" >"$LOG" 2>&1 &
      ;;
  esac
  PID=$!
}

# One GET /readyz over bash's /dev/tcp (the service's READY; the bare references answer 200 on any path): no fork, so probing every 5 ms costs the JVM under test almost no CPU
# (a curl per probe costs ~6 ms of CPU here and would both slow the start and coarsen the clock).
probe() {
  local fd status=
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd" 2>/dev/null &&
    read -r -t 2 -u "$fd" status 2>/dev/null || true
  exec {fd}>&-
  [[ $status == "HTTP/1.1 200 "* ]]
}

# Polls /readyz until it answers 200. Sets READY_MS, from spawn to that answer, and READY_US, the moment it
# came. Bounded in probes and in time.
wait_ready() {
  local i deadline=$((T0_US + READY_TIMEOUT_MS * 1000))
  for ((i = 0; i < 10000; i++)); do
    if probe "$PORT"; then
      now_us
      READY_US=$NOW_US
      READY_MS=$(((NOW_US - T0_US) / 1000))
      return 0
    fi
    alive "$PID" || { echo "  $LOG: the process ended before it was ready" >&2; return 1; }
    now_us
    ((NOW_US < deadline)) || { echo "  $LOG: not ready after $READY_TIMEOUT_MS ms" >&2; return 1; }
    read -r -t "$PROBE_INTERVAL_S" -u "$TICK_FD" _ || true
  done
  echo "  $LOG: not ready after $i probes" >&2
  return 1
}

check_body() { # what a user sees, once per start: both must say exactly this
  local body
  body=$(curl -s --max-time 2 "http://127.0.0.1:$PORT/") || true
  [[ $body == "Hello world" ]] || { echo "  $LOG: GET / answered '$body'" >&2; return 1; }
}

run_wrk() { # seconds, output file[, connections]
  timeout $(($1 + 20)) wrk -t"$THREADS" -c"${3:-$CONNECTIONS}" -d"$1s" --latency "http://127.0.0.1:$PORT/" >"$2" 2>&1
}

# wrk's report -> "requests/s p99_ms non2xx socket_errors requests"
parse_wrk() {
  awk '
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /^ +99%/ {
      v = $2; unit = v; sub(/^[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
      p99 = unit == "us" ? v / 1000 : unit == "s" ? v * 1000 : unit == "m" ? v * 60000 : v
    }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    /Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
    END { printf "%s %s %d %d %d\n", rps == "" ? "NA" : rps, p99 == "" ? "NA" : sprintf("%.3f", p99), bad, errors, requests }
  ' "$1"
}

# SIGTERM, then wait for the exit (wait(2), exact), with a watchdog that kills past the timeout.
# Sets STOP_MS and EXIT_CODE, and clears PID.
stop_target() {
  local timeout_s=$1 watchdog code=0 t0
  now_us
  t0=$NOW_US
  kill -TERM "$PID"
  { read -r -t "$timeout_s" -u "$TICK_FD" _ || kill -KILL "$PID" 2>/dev/null; } &
  watchdog=$!
  wait "$PID" || code=$?
  now_us
  STOP_MS=$(((NOW_US - t0) / 1000))
  EXIT_CODE=$code
  kill "$watchdog" 2>/dev/null || true
  wait "$watchdog" 2>/dev/null || true
  PID=
}

# How long the process itself says its stop took (the service's summary line, the bare hook's line).
self_stop_ms() {
  sed -n -e 's/.*service stopped: .*took=\([0-9]*\)ms.*/\1/p' -e 's/^bare\(-router\)\{0,1\} stopped: .* in \([0-9]*\) ms$/\2/p' "$LOG" |
    tail -n 1 | grep . || echo NA
}

load1() { local l rest; read -r l rest </proc/loadavg; echo "$l"; }

# ---- CPU accounting, in USER_HZ ticks, without forking: who used the CPU while we measured --------------
cpu_ticks() { # machine-wide: sets CPU_BUSY and CPU_ALL (all cores together)
  local name user nice system idle iowait irq softirq steal rest
  read -r name user nice system idle iowait irq softirq steal rest </proc/stat
  CPU_BUSY=$((user + nice + system + irq + softirq + steal))
  CPU_ALL=$((CPU_BUSY + idle + iowait))
}

proc_ticks() { # sets PROC_TICKS: user + system time of a running process, all its threads
  local stat
  local -a field
  read -r stat <"/proc/$1/stat"
  read -r -a field <<<"${stat##*) }" # field[0] is stat's 3rd field, so utime (14th) is field[11]
  PROC_TICKS=$((field[11] + field[12]))
}

children_ticks() { # sets CHILD_TICKS: CPU of this shell's children that have ended (wrk, once reaped)
  local user sys m s
  times >"$RUN_DIR/.times"
  { read -r _ _; read -r user sys; } <"$RUN_DIR/.times"
  CHILD_TICKS=0
  for m in "$user" "$sys"; do
    s=${m#*m}
    s=${s%s}
    CHILD_TICKS=$((CHILD_TICKS + ${m%%m*} * 60 * HZ + 10#${s%.*} * HZ + 10#${s#*.} * HZ / 1000))
  done
}

# Waits, at most ~2 s, until other processes use less than 0.2 of a core for 200 ms, so that a start is less
# likely to be timed while someone else's build runs. Whether it got quiet or not, the measurement goes on:
# what others used during it is recorded, and decides whether it counts as clean.
wait_quiet() {
  local i busy all others
  for ((i = 0; i < 10; i++)); do
    cpu_ticks
    busy=$CPU_BUSY all=$CPU_ALL
    read -r -t 0.2 -u "$TICK_FD" _ || true
    cpu_ticks
    others=$(((CPU_BUSY - busy) * NCPU * 100 / (CPU_ALL - all + 1)))
    ((others < 20)) && return 0
  done
  return 0
}

# One measured wrk run at one load point: connections, output file. Sets LP to
# "requests/s p99_ms non2xx socket_errors cpu_us_per_request others_cores": what the process under test spent
# per request, and how many cores everything but it and wrk used meanwhile.
load_point() {
  local busy all proc child rps p99 bad errors requests cpu_us others
  cpu_ticks && proc_ticks "$PID" && children_ticks
  busy=$CPU_BUSY all=$CPU_ALL proc=$PROC_TICKS child=$CHILD_TICKS
  run_wrk "$DURATION_S" "$2" "$1" || die "wrk -c$1 failed for $target"
  cpu_ticks && proc_ticks "$PID" && children_ticks
  read -r rps p99 bad errors requests < <(parse_wrk "$2")
  cpu_us=$(awk -v t=$((PROC_TICKS - proc)) -v n="$requests" -v hz="$HZ" 'BEGIN { print (n > 0 ? sprintf("%.1f", t * 1e6 / hz / n) : "NA") }')
  others=$(others_cores $((CPU_BUSY - busy - (PROC_TICKS - proc) - (CHILD_TICKS - child))) $((CPU_ALL - all)))
  LP="$rps $p99 $bad $errors $cpu_us $others"
}

# One measured round of one target: a line of raw.tsv.
measure() {
  local target=$1 round=$2 order=$3 rss_ready rps p99 bad errors cpu_us others_start others_wrk clean
  local busy all rps_h p99_h bad_h errors_h cpu_us_h others_wrk_h logs=$RUN_DIR/logs/$1-r$2
  local ready_busy ready_all ready_proc first_rps first_p99 first_bad first_errors gap_us
  wait_quiet
  cpu_ticks
  busy=$CPU_BUSY all=$CPU_ALL
  start_target "$target" "r$round"
  wait_ready || die "$target did not become ready in round $round; see $LOG"
  rss_kb "$PID"
  rss_ready=$RSS_KB
  cpu_ticks && proc_ticks "$PID"
  ready_busy=$CPU_BUSY ready_all=$CPU_ALL ready_proc=$PROC_TICKS
  # The first second after READY: wrk starts at once, before anything else touches the process (the reads
  # above fork nothing). The gap from READY's answer to the spawn of wrk is recorded.
  now_us
  gap_us=$((NOW_US - READY_US))
  run_wrk "$FIRST_S" "$logs.first.wrk" || die "wrk failed in the first second of $target"
  read -r first_rps first_p99 first_bad first_errors _ < <(parse_wrk "$logs.first.wrk")
  others_start=$(others_cores $((ready_busy - busy - ready_proc)) $((ready_all - all)))
  check_body || die "$target answered GET / wrongly"
  # One scrape, as Prometheus would make soon after the start: the service makes its metrics registry and
  # binds the JVM's meters at the first scrape, and what they cost under load belongs in "metrics on". (The
  # bare references answer it like any other path.) RSS when ready was read before it.
  curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$PORT/metrics" || true
  run_wrk "$WARMUP_S" "$logs.warmup.wrk" || die "wrk warm-up failed for $target"
  load_point "$CONNECTIONS" "$logs.wrk"
  read -r rps p99 bad errors cpu_us others_wrk <<<"$LP"
  run_wrk "$HIGH_WARMUP_S" "$logs.warmup-c$CONNECTIONS_HIGH.wrk" "$CONNECTIONS_HIGH" || die "wrk warm-up failed for $target"
  load_point "$CONNECTIONS_HIGH" "$logs.c$CONNECTIONS_HIGH.wrk"
  read -r rps_h p99_h bad_h errors_h cpu_us_h others_wrk_h <<<"$LP"
  rss_kb "$PID"
  # Clean only if nothing else ran from spawn to ready, nor during either measured wrk run.
  clean=$(awk -v s="$others_start" -v w="$others_wrk" -v h="$others_wrk_h" -v max="$MAX_OTHERS" \
    'BEGIN { print (s < max && w < max && h < max) ? 1 : 0 }')
  bad=$((bad + bad_h + first_bad)) errors=$((errors + errors_h + first_errors))
  # wrk has closed its connections: the process is idle (no request in flight, no job running).
  stop_target "$STOP_TIMEOUT_S"
  printf '%s\t' "$round" "$order" "$target" "$READY_MS" "$rss_ready" "$RSS_KB" "$rps" "$p99" "$bad" "$errors" \
    "$STOP_MS" "$EXIT_CODE" "$(self_stop_ms)" "$cpu_us" "$others_start" "$others_wrk" "$clean" "$(load1)" \
    "$rps_h" "$p99_h" "$cpu_us_h" "$others_wrk_h" "$first_rps" "$first_p99" >>"$RAW"
  printf '%d.%d\n' $((gap_us / 1000)) $((gap_us % 1000 / 100)) >>"$RAW"
  printf '  %-12s ready %5s ms  first %ss %6.0f req/s p99 %6.2f ms  rss %3s/%3s MiB  c%s %6.0f req/s p99 %5.2f ms %4s us/req  c%s %6.0f req/s p99 %5.2f ms %4s us/req  stop %3s ms (exit %s)  others %s/%s/%s%s%s\n' \
    "$target" "$READY_MS" "$FIRST_S" "$first_rps" "$first_p99" "$((rss_ready / 1024))" "$((RSS_KB / 1024))" "$CONNECTIONS" "$rps" "$p99" "$cpu_us" \
    "$CONNECTIONS_HIGH" "$rps_h" "$p99_h" "$cpu_us_h" "$STOP_MS" "$EXIT_CODE" \
    "$others_start" "$others_wrk" "$others_wrk_h" "$( ((clean)) || echo "  (noisy)")" \
    "$( ((bad + errors == 0)) || echo "  ! $bad non-2xx, $errors socket errors")"
}

# Cores used by other processes in a window: busy ticks not ours, over the window, times the core count.
others_cores() {
  awk -v b="$1" -v a="$2" -v n="$NCPU" 'BEGIN { o = a > 0 ? b * n / a : 0; printf "%.2f", o < 0 ? 0 : o }'
}

# AppCDS: one training run per jar writes an archive of the classes it loaded (start, a short load, SIGTERM);
# then every measured start maps it. Both jars get the same treatment, so the comparison stays fair.
train_appcds() {
  local target=$1 archive=$2
  local -n cds=CDS_OPTS_$target
  rm -f "$archive"
  cds=("-XX:ArchiveClassesAtExit=$archive")
  start_target "$target" appcds-training
  wait_ready || die "$target did not become ready in its AppCDS training run; see $LOG"
  run_wrk 1 "$RUN_DIR/logs/$target-appcds-training.wrk" || die "wrk failed in the AppCDS training of $target"
  stop_target "$TRAIN_STOP_TIMEOUT_S"
  [[ -s $archive ]] || die "the AppCDS training of $target wrote no archive; see $LOG"
  cds=("-XX:SharedArchiveFile=$archive")
  echo "  $target: $(du -h "$archive" | cut -f1) archive $archive"
}

# ---------------------------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------------------------
clean_count() { awk -F'\t' -v t="$1" '$3 == t && $17 == 1 { n++ } END { print n + 0 }' "$RAW"; }

median() { # target, raw.tsv column -> median over the measurements in scope (ONLY_CLEAN), or NA
  awk -F'\t' -v t="$1" -v c="$2" -v only_clean="$ONLY_CLEAN" \
    '$3 == t && (!only_clean || $17 == 1) && $c != "NA" && $c != "" { print $c }' "$RAW" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2];
                              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One table row: label, column, scale (divide by), decimals, target kind, the target with metrics on, and the
# target with them off.
#   kind "min": ratio >= value; "max": ratio <= value; "abs": service < value; "-": no target.
row() {
  local label=$1 column=$2 scale=$3 decimals=$4 kind=$5 on=$6 off=${7:-$6} s o r b
  s=$(median service "$column")
  o=$(median service_off "$column")
  r=$(median router "$column")
  b=$(median bare "$column")
  awk -v label="$label" -v s="$s" -v o="$o" -v r="$r" -v b="$b" -v scale="$scale" -v d="$decimals" -v kind="$kind" \
    -v on="$on" -v off="$off" '
    function fmt(x) { return x == "NA" ? "NA" : sprintf("%." d "f", x / scale) }
    function ratio(x) { return (x == "NA" || b == "NA" || b == 0) ? "NA" : x / b }
    function pass(x, r, limit) {
      if (kind == "min") return r != "NA" && r >= limit
      if (kind == "max") return r != "NA" && r <= limit
      return x != "NA" && x < limit
    }
    function rfmt(r) { return r == "NA" ? "NA" : sprintf("%.2fx", r) }
    BEGIN {
      rs = ratio(s); ro = ratio(o); rr = ratio(r)
      if (kind == "min") target = ">= " on "x; off >= " off "x"
      else if (kind == "max") target = "<= " on "x; off <= " off "x"
      else if (kind == "abs") target = "< " on " ms, both"
      ps = pass(s, rs, on); po = pass(o, ro, off)
      result = kind == "-" ? "" : ps && po ? "PASS" : !ps && !po ? "MISS (both)" : !ps ? "MISS (metrics on)" : "MISS (metrics off)"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, fmt(s), fmt(o), fmt(r), fmt(b),
        rfmt(rs), rfmt(ro), rfmt(rr), kind == "-" ? "" : target, result
    }'
}

summary() {
  local target scope counts="" fewest_clean=99 fewest_all=99
  local -A clean all
  for target in "${TARGETS[@]}"; do
    clean[$target]=$(clean_count "$target")
    all[$target]=$(awk -F'\t' -v t="$target" '$3 == t' "$RAW" | wc -l)
    ((clean[$target] < fewest_clean)) && fewest_clean=${clean[$target]}
    ((all[$target] < fewest_all)) && fewest_all=${all[$target]}
  done
  # Medians over the undisturbed measurements when there are enough of them for all; otherwise over all.
  if ((fewest_clean >= 3)); then
    ONLY_CLEAN=1
    scope="median of the clean measurements: $(counts clean)"
  elif ((fewest_all < 3)); then
    ONLY_CLEAN=0
    scope="median of all measurements: $(counts all) (TOO FEW)"
  else
    ONLY_CLEAN=0
    scope="median of all measurements: $(counts all) (NOISY)"
  fi
  echo "| metric ($scope) | service | service, metrics off | bare + Router | bare Vert.x | service/bare |" \
    "metrics off/bare | Router/bare | target | result |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
  row "time to ready (ms)" 4 1 0 max 1.1
  row "RSS when ready (MiB)" 5 1024 1 max 1.1
  row "RSS after load (MiB)" 6 1024 1 - -
  row "throughput, $CONNECTIONS connections (req/s)" 7 1 0 min 0.9 0.95
  row "p99 latency, $CONNECTIONS connections (ms)" 8 1 2 max 1.3 1.2
  row "CPU per request, $CONNECTIONS connections, whole process (us)" 14 1 1 max 1.10 1.05
  row "throughput, $CONNECTIONS_HIGH connections (req/s)" 19 1 0 min 0.9 0.95
  row "p99 latency, $CONNECTIONS_HIGH connections (ms)" 20 1 2 max 1.3 1.2
  row "CPU per request, $CONNECTIONS_HIGH connections, whole process (us)" 21 1 1 max 1.10 1.05
  row "SIGTERM to exit, idle (ms)" 11 1 0 abs 150
  row "stop as logged by the process (ms)" 13 1 0 - -
  echo
  warmth_table "$scope"
  echo
  echo "clean = other processes used less than $MAX_OTHERS cores from spawn to ready and during both measured" \
    "wrk runs. Clean: $(counts clean); all: $(counts all)."
  if ((fewest_all < 3)); then
    echo "TOO FEW: medians need at least 3 measurements per target (--rounds 3 or more) for a verdict."
  elif ((!ONLY_CLEAN)); then
    echo "NOISY: fewer than 3 clean measurements per target; the machine was busy, so read the table as indicative" \
      "and run again when it is quiet for a verdict."
  fi
}

# "service 5, warm-up on 5, metrics off 5, bare + Router 5, bare 5" from the associative array named by $1
# (summary's), or from clean_count when $1 is "clean_now".
counts() {
  local target out=
  local -A name=([service]=service [service_warm]="warm-up on" [service_off]="metrics off" [router]="bare + Router" [bare]=bare)
  if [[ $1 == clean_now ]]; then
    for target in "${TARGETS[@]}"; do out+="${out:+, }${name[$target]} $(clean_count "$target")"; done
  else
    local -n of=$1
    for target in "${TARGETS[@]}"; do out+="${out:+, }${name[$target]} ${of[$target]}"; done
  fi
  echo "$out"
}

fewest_clean() { # true when some target has fewer than ROUNDS clean measurements
  local target
  for target in "${TARGETS[@]}"; do (($(clean_count "$target") < ROUNDS)) && return 0; done
  return 1
}

exit_codes() { # target -> e.g. "5x 0"
  awk -F'\t' -v t="$1" '$3 == t { print $12 }' "$RAW" | sort | uniq -c | awk '{ printf "%s%sx %s", sep, $1, $2; sep = ", " }'
}

# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------
main() {
  local started=$SECONDS round target order load_before round_started round_s=0
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  NCPU=$(nproc)
  HZ=$(getconf CLK_TCK)
  ensure_tools
  ((BUILD)) && build
  [[ -f $SERVICE_JAR && -f $BARE_JAR && -f $ROUTER_JAR ]] ||
    die "missing $SERVICE_JAR, $BARE_JAR or $ROUTER_JAR (run without --no-build)"
  if ((DRAIN == 2)); then
    exec "$ROOT/bench/drain.sh" --no-build
  fi
  if ((DRAIN == 3)); then
    exec "$ROOT/bench/starts.sh" --no-build
  fi
  check_warmup_key

  # The commit the jars were built from: "-dirty" when the work tree has uncommitted changes.
  COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
  RUN_DIR=$ROOT/bench/results/$(date +%Y%m%d-%H%M%S)
  RAW=$RUN_DIR/raw.tsv
  mkdir -p "$RUN_DIR/logs"
  ln -sfn "$(basename "$RUN_DIR")" "$ROOT/bench/results/latest"
  # A FIFO nobody writes to: `read -t` on it is a sleep without forking.
  mkfifo "$RUN_DIR/.tick"
  exec {TICK_FD}<>"$RUN_DIR/.tick"
  rm -f "$RUN_DIR/.tick"
  trap 'cleanup; rm -f "$RUN_DIR/.times"' EXIT

  CDS_OPTS_service=()
  CDS_OPTS_bare=()
  CDS_OPTS_router=()
  if ((APPCDS)); then
    echo "AppCDS: training one archive per jar"
    train_appcds service "$ROOT/target/service-fat.jsa"
    train_appcds bare "$ROOT/bench/bare/target/bare-fat.jsa"
    train_appcds router "$ROOT/bench/bare/target/bare-router-fat.jsa"
  fi

  {
    echo "date:        $(date -Is)"
    echo "commit:      $COMMIT"
    echo "java:        $("$JAVA" -version 2>&1 | head -n 2 | tail -n 1)"
    echo "cpus:        $NCPU"
    echo "load before: $load_before (1/5/15 min)"
    echo "rounds:      $ROUNDS, interleaved, plus extra ones for disturbed measurements while the ${BUDGET_S}s budget lasts"
    echo "load:        wrk -t$THREADS, ${WARMUP_S}s warm-up, -c$CONNECTIONS ${DURATION_S}s measured," \
      "then ${HIGH_WARMUP_S}s warm-up and -c$CONNECTIONS_HIGH ${DURATION_S}s measured"
    echo "java opts:   both: ${JAVA_OPTS[*]:-none}; service only: ${SERVICE_JAVA_OPTS[*]:-none}; AppCDS: $( ((APPCDS)) && echo on || echo off)"
    echo "warm-up:     service and service_off: off (auto, not on Kubernetes); service_warm: startup.warmupMs" \
      "$WARMUP_ON_MS$( ((WARMUP_SUPPORTED)) || echo " (n/a: this jar does not know the key)")"
    echo "first second: wrk -t$THREADS -c$CONNECTIONS -d${FIRST_S}s spawned as soon as /readyz answers 200"
  } | tee "$RUN_DIR/meta.txt"

  printf '%s\t' round order target ready_ms rss_ready_kb rss_load_kb rps p99_ms non2xx socket_errors stop_ms \
    exit_code self_stop_ms cpu_us_per_req others_cores_start others_cores_wrk clean load1 \
    "rps_c$CONNECTIONS_HIGH" "p99_ms_c$CONNECTIONS_HIGH" "cpu_us_per_req_c$CONNECTIONS_HIGH" \
    "others_cores_wrk_c$CONNECTIONS_HIGH" "first_${FIRST_S}s_rps" "first_${FIRST_S}s_p99_ms" >"$RAW"
  echo "ready_to_first_wrk_ms" >>"$RAW"
  for ((round = 1; round <= 2 * ROUNDS; round++)); do
    if ((round > ROUNDS)); then
      # Extra rounds stand in for measurements that other processes disturbed, within the time budget.
      fewest_clean || break
      if ((SECONDS - started + round_s > BUDGET_S)); then
        echo "no extra round: it would pass the ${BUDGET_S}s budget"
        break
      fi
      echo "round $round (extra: clean measurements so far: $(counts clean_now))"
    else
      echo "round $round/$ROUNDS"
    fi
    round_started=$SECONDS
    order=1
    # The targets take turns going first: round 1 service, service_off, router, bare; round 2 service_off,
    # router, bare, service...
    for target in "${TARGETS[@]:$(((round - 1) % ${#TARGETS[@]}))}" "${TARGETS[@]:0:$(((round - 1) % ${#TARGETS[@]}))}"; do
      measure "$target" "$round" "$order"
      order=$((order + 1))
    done
    round_s=$((SECONDS - round_started))
  done

  {
    echo
    summary
    warmup_log_line
    echo "exit codes: service $(exit_codes service),$( ((WARMUP_SUPPORTED)) && echo " warm-up on $(exit_codes service_warm),")" \
      "metrics off $(exit_codes service_off) (contract: 0);" \
      "router $(exit_codes router), bare $(exit_codes bare) (JVM default on SIGTERM: 143)"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); run time $((SECONDS - started)) s; raw numbers: ${RAW#"$ROOT"/}"
  } | tee -a "$RUN_DIR/summary.md"
  write_results "$((SECONDS - started))"
  if ((DRAIN)); then
    "$ROOT/bench/drain.sh" --no-build --out "$RUN_DIR/drain"
  fi
}

# The table as bench/README.md shows it, written by the run itself, so that its figures are pasted, never retyped:
# the table, the run's commit and date, and one verdict line that names every target missed.
write_results() {
  local out=$ROOT/bench/results/latest.md misses
  misses=$(awk -F' [|] ' '/^[|]/ && $NF ~ /^MISS/ { sub(/^[|] /, "", $1); sub(/ [|]$/, "", $NF); sub(/^MISS /, "", $NF)
                                                 printf "%s%s %s", sep, $1, $NF; sep = "; " }' \
    "$RUN_DIR/summary.md")
  {
    awk '/^[|]/ { if (gap && seen) print ""; print; gap = 0; seen = 1; next } { gap = 1 }' "$RUN_DIR/summary.md"
    echo
    echo "($(date -u +%Y-%m-%d), commit $COMMIT; wrk -t$THREADS, ${DURATION_S} s per load point; clean measurements:" \
      "$(counts clean_now); run time $1 s.)"
    grep '^warm-up, as' "$RUN_DIR/summary.md" || true
    if [[ -n $misses ]]; then echo "Result: MISS: $misses."; else echo "Result: PASS on every target."; fi
    grep -E '^(NOISY|TOO FEW):' "$RUN_DIR/summary.md" || true
  } >"$out"
  cp "$out" "$RUN_DIR/table.md"
  echo "table for bench/README.md: ${out#"$ROOT"/} (also ${RUN_DIR#"$ROOT"/}/table.md)"
}

main
