#!/usr/bin/env bash
# Issue 8, item 3: coordinated omission. Open model at a fixed arrival rate
# (`./stampede run --url / --arrival-rate RATE --users USERS --run-time SECONDS`) against
# bench/PauseServer.java, a loopback server that answers at once but stalls every response for
# 1 s once (5 s into the measured run), versus the same run against the same server without
# the stall. Response times are measured from each iteration's intended start, so the stall must
# show in p99 and max (about 1 s), as wrk2 would show it; iterations that found no free user are
# counted in dropped_iterations. Alternating order, RUNS runs each; prints every run and the table
# (BENCHMARKS.md keeps the current one).
#
#   bench/pause.sh [--runs 1] [--rate 5000] [--users 2000] [--seconds 15] [--warmup 5]
#
# A warm-up (default 5 s, counted nowhere) comes first: without it the first ~3 s of a cold start
# (JIT in both JVMs, a connection per new user) reach seconds of latency and hide the stall.
#
# Every process it starts is stopped on exit (trap), also on Ctrl-C; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=1; RATE=5000; USERS=2000; SECS=15; WARMUP=5; PAUSE_MS=1000
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --no-append) shift ;; # nothing is appended to BENCHMARKS.md any more
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
# The stall starts 5 s into the measured run; the server's clock starts at the warm-up's first request.
PAUSE_AT_MS=$(( (WARMUP + 5) * 1000 ))

"$ROOT_DIR/stampede" --version >/dev/null
ST_CMD="./stampede run --url / --host URL --arrival-rate $RATE --users $USERS --run-time ${SECS}s --warmup ${WARMUP}s --json FILE --quiet"
ROWS=()
for round in $(seq "$RUNS"); do
  if ((round % 2 == 1)); then order="pause steady"; else order="steady pause"; fi
  for variant in $order; do
    if [[ $variant == pause ]]; then bench_start_pause_server "$PAUSE_AT_MS" "$PAUSE_MS"
    else bench_start_pause_server 0 0; fi
    bench_stampede_run --url / --host "$PAUSE_URL" --arrival-rate "$RATE" --users "$USERS" --run-time "${SECS}s" --warmup "${WARMUP}s"
    bench_stop "$PAUSE_PID"
    row=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1])); t = d["total"]
label = "1 s stall 5 s into the run" if sys.argv[2] == "pause" else "no stall"
print("| %s (run %s) | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |" % (label, sys.argv[3], t["count"], t["failures"],
      t["rps"], t["p50"], t["p99"], t["p999"], t["max"], d.get("dropped_iterations", 0)))' "$ST_JSON" "$variant" "$round")
    ROWS+=("$row")
    echo "$row"
  done
done
HELD=$(grep -h "held by the pause" "$BENCH_TMP/pause.log" | tr '\n' ';' || true)

REPORT=$(cat <<MD

### bench/pause.sh — $(date -u '+%Y-%m-%d %H:%M UTC')

$(bench_machine)
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
- command: \`$ST_CMD\` against \`java bench/PauseServer.java\` (stall ${PAUSE_MS} ms from ${PAUSE_AT_MS} ms after its first request, or never); pause server: $HELD

| target | requests | failures | req/s | p50 ms | p99 ms | p99.9 ms | max ms | dropped_iterations |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$(printf '%s\n' "${ROWS[@]}")
MD
)
echo "$REPORT"
