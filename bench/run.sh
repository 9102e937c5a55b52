#!/usr/bin/env bash
# The benchmark of issue 2 (and the start of issue 8), in one run on this machine:
#  1. closed loop, 64 connections/users: `wrk -t1 -c64` versus `./stampede run --url /` versus the
#     same load written with the scenario API (bench/TwoTasks.java), against a local nginx (one
#     worker, a tiny 200), each Stampede run with --threads 1 (as wrk -t1) and with the default
#     threads, the order rotated every round, median of RUNS runs;
#  2. memory: USERS_MEM users with between(1,2) waits (bench/IdleUsers.java); the RSS of the
#     Stampede java process while they run, in total and per user (over a 1-user baseline).
# Prints a table with the date, the machine and the commands (BENCHMARKS.md keeps the current one).
#
#   bench/run.sh [--runs 3] [--seconds 15] [--users 64] [--memory-users 10000] [--no-memory]
#                (--no-append is still accepted; it changes nothing)
#
# Every process it starts is stopped on exit (trap), also on Ctrl-C; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=3; SECS=15; USERS=64; MEM_USERS=10000; MEMORY=1
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --memory-users) MEM_USERS=$2; shift 2 ;;
    --no-memory) MEMORY=0; shift ;;
    --no-append) shift ;; # nothing is appended to BENCHMARKS.md any more
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

STAMPEDE="$ROOT_DIR/stampede"
[[ -x "$STAMPEDE" ]] || { echo "$STAMPEDE is missing: merge main (the CLI) first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed to read the JSON result" >&2; exit 1; }

echo "building Stampede if needed ..."
"$STAMPEDE" --version >/dev/null

bench_start_nginx
HOST="http://127.0.0.1:$NGINX_PORT"
echo "nginx (1 worker) on $HOST"

WRK_CMD="wrk -t1|-t$(nproc) -c$USERS -d${SECS}s $HOST/"
URL_CMD="./stampede run --url / --host $HOST --users $USERS --spawn-rate $USERS --run-time ${SECS}s"
SCENARIO_CMD="./stampede run --scenario bench/TwoTasks.java --host $HOST --users $USERS --spawn-rate $USERS --run-time ${SECS}s"

# Sets ST_RPS, ST_FAILURES and ST_CPU_US (the JVM's CPU time per request) from one run:
# run_stampede url|scenario [EXTRA ARGS...]
run_stampede() {
  local kind=$1
  shift
  if [[ $kind == url ]]; then
    bench_stampede_url "$HOST" "$USERS" "$SECS" "$@"
  else
    bench_stampede_run --scenario "$BENCH_DIR/TwoTasks.java" --host "$HOST" --users "$USERS" \
      --spawn-rate "$USERS" --run-time "${SECS}s" "$@"
    read -r ST_RPS ST_FAILURES ST_CPU_US < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.0f %d %.1f" % (t["rps"], t["failures"], float(sys.argv[2]) * 1e6 / max(1, t["count"])))' "$ST_JSON" "$ST_CPU_S")
  fi
}

# Each Stampede variant twice, compared with wrk at the same thread count: with --threads 1 (as
# wrk -t1) and with the default, one carrier thread per core (as wrk -t$(nproc)); on a small box
# nginx competes with those threads, which costs both tools. The order rotates every round, so
# that none always runs first or last.
CORES=$(nproc)
TOOLS=(wrk1 url1 scenario1 wrk url scenario)
declare -A RPS CPU
for round in $(seq "$RUNS"); do
  shift_by=$(( (round - 1) % ${#TOOLS[@]} ))
  order=("${TOOLS[@]:shift_by}" "${TOOLS[@]:0:shift_by}")
  for tool in "${order[@]}"; do
    case $tool in
      wrk1|wrk)
        threads=$([[ $tool == wrk1 ]] && echo 1 || echo "$CORES")
        r=$(WRK_THREADS=$threads bench_wrk "$SECS" "$USERS" "$HOST/"); RPS[$tool]+="$r "
        echo "round $round: wrk -t$threads    $r req/s"
        continue ;;
      url1) run_stampede url --threads 1 ;;
      scenario1) run_stampede scenario --threads 1 ;;
      url) run_stampede url ;;
      scenario) run_stampede scenario ;;
    esac
    RPS[$tool]+="$ST_RPS "; CPU[$tool]+="$ST_CPU_US "
    printf 'round %s: %-10s %s req/s, %s µs CPU/request (%s failures)\n' "$round" "$tool" "$ST_RPS" "$ST_CPU_US" "$ST_FAILURES"
  done
done
# shellcheck disable=SC2086 # the lists are space-separated on purpose
median_of() { bench_median ${RPS[$1]}; }
# row LABEL TOOL [REFERENCE]: one table row, its ratio to the reference tool's median and to wrk -t1's
# (the issue's own comparison, whatever the thread counts).
row() {
  local med ref one cpu=""
  med=$(median_of "$2")
  ref=$(median_of "${3:-$2}")
  one=$(median_of wrk1)
  # shellcheck disable=SC2086
  [[ -n "${CPU[$2]:-}" ]] && cpu=$(bench_median ${CPU[$2]})
  echo "| $1 | ${RPS[$2]% } | $med | $(python3 -c "print('%.2f' % ($med / $ref))")x | $(python3 -c "print('%.2f' % ($med / $one))")x | $cpu |"
}

MEM_ROWS=""
if ((MEMORY)); then
  echo "memory: 1 user baseline ..."
  bench_rss "$HOST" 1; BASE_KB=$RSS_KB; BASE_LIVE_KB=$LIVE_KB
  echo "memory: $MEM_USERS users ..."
  bench_rss "$HOST" "$MEM_USERS"; MEM_KB=$RSS_KB; MEM_LIVE_KB=$LIVE_KB
  REQS=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%d requests, %d failures" % (t["count"], t["failures"]))' "$ST_JSON")
  PER_USER=$(python3 -c "print('%.1f' % (($MEM_KB - $BASE_KB) / $MEM_USERS))")
  LIVE_PER_USER=$(python3 -c "print('%.1f' % (($MEM_LIVE_KB - $BASE_LIVE_KB) / $MEM_USERS))")
  MEM_ROWS=$(cat <<MD

| memory (\`./stampede run --scenario bench/IdleUsers.java --users N\`, highest VmRSS of 10 samples after the ramp; live heap after them) | RSS | per user over the 1-user baseline | live heap | live heap per user |
| --- | ---: | ---: | ---: | ---: |
| 1 user | $((BASE_KB / 1024)) MB | | $((BASE_LIVE_KB / 1024)) MB | |
| $MEM_USERS users, between(1,2) waits ($REQS) | $((MEM_KB / 1024)) MB | $PER_USER KB | $((MEM_LIVE_KB / 1024)) MB | $LIVE_PER_USER KB |
MD
)
fi

REPORT=$(cat <<MD

### bench/run.sh — $(date -u '+%Y-%m-%d %H:%M UTC')

$(bench_machine)
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
- commands ($RUNS runs each, order rotated every round, median): \`$WRK_CMD\`, \`$URL_CMD [--threads 1]\`, \`$SCENARIO_CMD [--threads 1]\`

| closed loop, $USERS connections/users, ${SECS}s | runs (req/s) | median req/s | vs wrk, same threads | vs wrk -t1 | JVM CPU µs/request (median) |
| --- | --- | ---: | ---: | ---: | ---: |
$(row "wrk -t1 -c$USERS" wrk1)
$(row "\`--url /\` --threads 1" url1 wrk1)
$(row "scenario API (\`bench/TwoTasks.java\`) --threads 1" scenario1 wrk1)
$(row "wrk -t$CORES -c$USERS" wrk)
$(row "\`--url /\` (default: $CORES threads)" url wrk)
$(row "scenario API (default: $CORES threads)" scenario wrk)
${MEM_ROWS}
MD
)
echo "$REPORT"
