#!/usr/bin/env bash
# The benchmark of issue 2 (and the start of issue 8), in one run on this machine:
#  1. closed loop, 64 connections/users: `wrk -t1 -c64` versus `./stampede run --url /`, against a
#     local nginx (one worker, a tiny 200), alternating which goes first, median of RUNS runs;
#  2. memory: USERS_MEM users with between(1,2) waits (bench/IdleUsers.java); the RSS of the
#     Stampede java process while they run, in total and per user (over a 1-user baseline).
# Prints a table and appends it to BENCHMARKS.md with the date, the machine and the commands.
#
#   bench/run.sh [--runs 3] [--seconds 15] [--users 64] [--memory-users 10000] [--no-memory]
#                [--no-append]
#
# Every process it starts is stopped on exit (trap), also on Ctrl-C; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=3; SECS=15; USERS=64; MEM_USERS=10000; MEMORY=1; APPEND=1
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --memory-users) MEM_USERS=$2; shift 2 ;;
    --no-memory) MEMORY=0; shift ;;
    --no-append) APPEND=0; shift ;;
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

WRK_CMD="wrk -t1 -c$USERS -d${SECS}s $HOST/"
ST_CMD="./stampede run --url / --host $HOST --users $USERS --spawn-rate $USERS --run-time ${SECS}s --json FILE --quiet"

run_wrk() {
  bench_wrk "$SECS" "$USERS" "$HOST/"
}

# Sets ST_RPS and ST_FAILURES from the JSON result's total row.
run_stampede() {
  local json="$BENCH_TMP/run-$1.json" status=0
  bench_stampede_bg run --url / --host "$HOST" --users "$USERS" --spawn-rate "$USERS" --run-time "${SECS}s" \
    --json "$json" --quiet
  wait "$ST_PID" || status=$?
  if ((status != 0)); then
    echo "stampede run failed (exit $status):" >&2; tail -n 20 "$BENCH_TMP/stampede.log" >&2; exit 1
  fi
  read -r ST_RPS ST_FAILURES < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.0f %d" % (t["rps"], t["failures"]))' "$json")
}

WRK=(); ST=()
for round in $(seq "$RUNS"); do
  if ((round % 2 == 1)); then order="wrk stampede"; else order="stampede wrk"; fi
  for tool in $order; do
    if [[ $tool == wrk ]]; then
      r=$(run_wrk); WRK+=("$r")
      echo "round $round: wrk      $r req/s"
    else
      run_stampede "$round"; ST+=("$ST_RPS")
      echo "round $round: stampede $ST_RPS req/s ($ST_FAILURES failures)"
    fi
  done
done
WRK_MED=$(bench_median "${WRK[@]}")
ST_MED=$(bench_median "${ST[@]}")
RATIO=$(python3 -c "print('%.2f' % ($ST_MED / $WRK_MED))")

MEM_ROWS=""
if ((MEMORY)); then
  echo "memory: 1 user baseline ..."
  bench_rss "$HOST" 1; BASE_KB=$RSS_KB
  echo "memory: $MEM_USERS users ..."
  bench_rss "$HOST" "$MEM_USERS"; MEM_KB=$RSS_KB
  REQS=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%d requests, %d failures" % (t["count"], t["failures"]))' "$ST_JSON")
  PER_USER=$(python3 -c "print('%.1f' % (($MEM_KB - $BASE_KB) / $MEM_USERS))")
  MEM_ROWS=$(cat <<MD

| memory (\`./stampede run --scenario bench/IdleUsers.java --users N\`, highest VmRSS of 10 samples after the ramp) | RSS | per user over the 1-user baseline |
| --- | ---: | ---: |
| 1 user | $((BASE_KB / 1024)) MB | |
| $MEM_USERS users, between(1,2) waits ($REQS) | $((MEM_KB / 1024)) MB | $PER_USER KB |
MD
)
fi

REPORT=$(cat <<MD

### bench/run.sh — $(date -u '+%Y-%m-%d %H:%M UTC')

$(bench_machine)
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
- commands ($RUNS runs each, alternating order, median): \`$WRK_CMD\` versus \`$ST_CMD\`

| measurement | wrk | stampede | ratio |
| --- | ---: | ---: | ---: |
| closed loop, $USERS connections, ${SECS}s (req/s; runs: wrk ${WRK[*]}, stampede ${ST[*]}) | $WRK_MED | $ST_MED | ${RATIO}x |
${MEM_ROWS}
MD
)
echo "$REPORT"
if ((APPEND)); then
  echo "$REPORT" >> "$ROOT_DIR/BENCHMARKS.md"
  echo "appended to BENCHMARKS.md"
fi
