# The warmth part of run.sh (sourced, not run): the warm-up setting of "service_warm", whether the jar knows
# it, and the table of the first second after READY against the warm figures of the same start.
# Uses run.sh's RAW, TARGETS, ONLY_CLEAN, median() and the raw.tsv columns: 4 ready_ms, 7 rps and 8 p99_ms at
# the first load point (after the wrk warm-up), 23 and 24 the first second's rps and p99_ms.

# The warm-up targets (issue 18), for "service_warm" at the first load point.
WARM_MIN_RATIO=0.7    # first second's throughput at least this share of the warm throughput
WARM_MAX_P99_RATIO=2  # first second's p99 at most this multiple of the warm p99
WARM_MAX_READY_MS=4000

warmup_json() { # BENCH_STARTUP_WARMUP_MS as a JSON value
  if [[ $WARMUP_ON_MS =~ ^[0-9]+$ ]]; then echo "$WARMUP_ON_MS"; else echo "\"$WARMUP_ON_MS\""; fi
}

# A jar from before the warm-up rejects the key (config error, exit 2, "unknown key"): then "service_warm"
# leaves the rounds and its rows say n/a. Any other rejection is a bad BENCH_STARTUP_WARMUP_MS: stop.
check_warmup_key() {
  local out
  [[ $WARMUP_ON_MS =~ ^([0-9]+|auto)$ ]] || die "BENCH_STARTUP_WARMUP_MS must be a number or auto, got '$WARMUP_ON_MS'"
  if out=$(timeout 30 "$JAVA" -jar "$SERVICE_JAR" -conf "{\"startup\":{\"warmupMs\":$(warmup_json)}}" --print-config 2>&1 >/dev/null); then
    return 0
  fi
  [[ $out == *"startup.warmupMs"*"unknown key"* ]] || die "the service rejected startup.warmupMs $WARMUP_ON_MS: $out"
  echo "service_warm: n/a, this jar does not know startup.warmupMs yet ($out)"
  WARMUP_SUPPORTED=0
  local -a kept=()
  local target
  for target in "${TARGETS[@]}"; do [[ $target == service_warm ]] || kept+=("$target"); done
  TARGETS=("${kept[@]}")
}

median_ratio() { # target, numerator column, denominator column -> median of the per-start ratios, or NA
  awk -F'\t' -v t="$1" -v a="$2" -v b="$3" -v only_clean="$ONLY_CLEAN" \
    '$3 == t && (!only_clean || $17 == 1) && $a != "NA" && $b != "NA" && $b > 0 { print $a / $b }' "$RAW" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print v[(NR + 1) / 2];
                              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

warmth_table() { # scope (as the first table says it)
  local target label
  echo "| first ${FIRST_S} s after READY, $CONNECTIONS connections ($1) | time to READY (ms) | first second (req/s) |" \
    "warm (req/s) | first/warm | first-second p99 (ms) | warm p99 (ms) | p99 first/warm | target | result |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
  for target in service_warm service service_off router bare; do
    case $target in
      service_warm) label="service, warm-up on (startup.warmupMs $WARMUP_ON_MS)" ;;
      service) label="service, warm-up off" ;;
      service_off) label="service, metrics off, warm-up off" ;;
      router) label="bare + Router" ;;
      bare) label="bare Vert.x" ;;
    esac
    if [[ $target == service_warm ]] && ((!WARMUP_SUPPORTED)); then
      echo "| $label | n/a | n/a | n/a | n/a | n/a | n/a | n/a | $(warm_target) | n/a: this jar does not know startup.warmupMs |"
      continue
    fi
    awk -v label="$label" -v t="$target" -v ready="$(median "$target" 4)" -v first="$(median "$target" 23)" \
      -v warm="$(median "$target" 7)" -v ratio="$(median_ratio "$target" 23 7)" -v fp99="$(median "$target" 24)" \
      -v wp99="$(median "$target" 8)" -v p99ratio="$(median_ratio "$target" 24 8)" -v goal="$(warm_target)" \
      -v min="$WARM_MIN_RATIO" -v maxp="$WARM_MAX_P99_RATIO" -v maxr="$WARM_MAX_READY_MS" '
      function num(x, d) { return x == "NA" ? "NA" : sprintf("%." d "f", x) }
      function times(x) { return x == "NA" ? "NA" : sprintf("%.2fx", x) }
      function missed(what) { miss = miss (miss == "" ? "" : "; ") what }
      BEGIN {
        result = ""
        if (t == "service_warm") {
          if (ratio == "NA" || ratio < min) missed("first/warm " times(ratio))
          if (p99ratio == "NA" || p99ratio > maxp) missed("p99 first/warm " times(p99ratio))
          if (ready == "NA" || ready > maxr) missed("READY " num(ready, 0) " ms")
          result = miss == "" ? "PASS" : "MISS (" miss ")"
        }
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, num(ready, 0), num(first, 0), num(warm, 0),
          times(ratio), num(fp99, 2), num(wp99, 2), times(p99ratio), t == "service_warm" ? goal : "", result
      }'
  done
}

warm_target() { echo ">= ${WARM_MIN_RATIO}x, p99 <= ${WARM_MAX_P99_RATIO}x, READY <= $WARM_MAX_READY_MS ms"; }

# What the service itself said about its warm-up, from the last "service_warm" start.
warmup_log_line() {
  local log
  log=$(compgen -G "$RUN_DIR/logs/service_warm-r*.log" | sort -V | tail -n 1 || true)
  [[ -n $log ]] || return 0
  # The result line ("warm-up: took ..."), not the plan line before it; the plan when the start ended early.
  echo "warm-up, as the last service_warm start logged it: $(grep -m 1 'warm-up: took' "$log" \
    || grep -i -m 1 'warm' "$log" || echo "(no line mentions the warm-up)")"
}
