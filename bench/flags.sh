#!/usr/bin/env bash
# Compares JVM option sets for ./stampede side by side (issue 8): each variant is a
# STAMPEDE_JAVA_OPTS value ("" = the launcher's defaults, which include -Djdk.pollerMode=1; a variant's
# own -D or -XX options come later and win). Against a local nginx (one worker):
#   --mode url:    `--url /` closed loop, USERS users, SECONDS s, plus `wrk -t1 -cUSERS` once per
#                  round; every round runs wrk and all variants, rotating the order; median of RUNS.
#   --mode memory: highest VmRSS of USERS users of bench/IdleUsers.java (between(1,2) waits; another
#                  scenario with --scenario FILE, e.g. bench/IdleUsersNoHttp.java) per variant, RUNS
#                  rounds, rotating the order; median.
# Prints a Markdown table (nothing is appended to BENCHMARKS.md).
#
#   bench/flags.sh --mode url [--runs 3] [--seconds 15] [--users 64] -- "" "-Djdk.pollerMode=1" ...
#   bench/flags.sh --mode memory [--runs 1] [--users 10000] [--scenario FILE] -- "" "-Xmx128m" ...
#
# Every process it starts is stopped on exit (trap); all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

MODE=url; RUNS=3; SECS=15; USERS=""
while (($#)); do
  case "$1" in
    --mode) MODE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --scenario) export MEM_SCENARIO; MEM_SCENARIO=$(realpath "$2"); shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
(($#)) || { echo "give the variants after --, e.g. -- \"\" \"-XX:+UseSerialGC\"" >&2; exit 2; }
VARIANTS=("$@")
[[ $MODE == url ]] && USERS=${USERS:-64}
[[ $MODE == memory ]] && USERS=${USERS:-10000}

"$ROOT_DIR/stampede" --version >/dev/null
bench_start_nginx
HOST="http://127.0.0.1:$NGINX_PORT"
echo "nginx (1 worker) on $HOST; mode $MODE, $USERS users, $RUNS rounds"

declare -A RESULTS
TOOLS=()
[[ $MODE == url ]] && TOOLS+=(wrk)
for i in "${!VARIANTS[@]}"; do TOOLS+=("$i"); done
n=${#TOOLS[@]}
for round in $(seq "$RUNS"); do
  for k in $(seq 0 $((n - 1))); do
    tool=${TOOLS[$(( (k + round - 1) % n ))]}
    if [[ $tool == wrk ]]; then
      r=$(bench_wrk "$SECS" "$USERS" "$HOST/")
      echo "round $round: wrk $r req/s"
    elif [[ $MODE == url ]]; then
      STAMPEDE_JAVA_OPTS=${VARIANTS[$tool]} bench_stampede_url "$HOST" "$USERS" "$SECS"
      r=$ST_RPS
      echo "round $round: [${VARIANTS[$tool]}] $r req/s ($ST_FAILURES failures)"
    else
      STAMPEDE_JAVA_OPTS=${VARIANTS[$tool]} bench_rss "$HOST" "$USERS"
      r=$((RSS_KB / 1024))
      echo "round $round: [${VARIANTS[$tool]}] $r MB RSS, live heap $((LIVE_KB / 1024)) MB ($(bench_counts "$ST_JSON"))"
    fi
    RESULTS[$tool]="${RESULTS[$tool]:-} $r"
  done
done

echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $MODE == url ]]; then
  # shellcheck disable=SC2086
  WRK_MED=$(bench_median ${RESULTS[wrk]})
  echo "| variant (\`STAMPEDE_JAVA_OPTS\`) | runs (req/s) | median | vs wrk |"
  echo "| --- | --- | ---: | ---: |"
  echo "| wrk -t1 -c$USERS |${RESULTS[wrk]} | $WRK_MED | 1.00x |"
  for i in "${!VARIANTS[@]}"; do
    # shellcheck disable=SC2086
    med=$(bench_median ${RESULTS[$i]})
    echo "| \`${VARIANTS[$i]:-(none)}\` |${RESULTS[$i]} | $med | $(python3 -c "print('%.2f' % ($med / $WRK_MED))")x |"
  done
else
  echo "| variant (\`STAMPEDE_JAVA_OPTS\`) | runs (MB RSS, $USERS users) | median | per user |"
  echo "| --- | --- | ---: | ---: |"
  for i in "${!VARIANTS[@]}"; do
    # shellcheck disable=SC2086
    med=$(bench_median ${RESULTS[$i]})
    echo "| \`${VARIANTS[$i]:-(none)}\` |${RESULTS[$i]} | $med MB | $(python3 -c "print('%.1f' % ($med * 1024 / $USERS))") KB |"
  done
fi
