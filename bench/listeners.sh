#!/usr/bin/env bash
# Issue 8, item 2: what the listeners cost. `./stampede run --url /` (closed loop, USERS users,
# SECONDS s) against a local nginx (one worker), with no listener versus with the Prometheus,
# InfluxDB and CloudWatch listeners all enabled, alternating which goes first, median of RUNS:
#  - prometheus: scrape endpoint on a free port (prometheus.port=0), no linger at the end;
#  - influx: a real influxd 1.6 started here on free loopback ports (temporary config and data);
#  - cloudwatch: bench/CloudWatchStub.py on loopback (200 + empty CBOR map), dummy AWS credentials.
# Prints the ratio (of req/s, and of the JVM's CPU time per request, which other load on the
# machine disturbs less) and each listener's delivered/dropped/failed (from the JSON result), with
# the date, the machine and the commands (BENCHMARKS.md keeps the current table).
#
#   bench/listeners.sh [--runs 3] [--seconds 15] [--users 64] [--warmup D] [--listeners L]
#
# --listeners takes a subset, e.g. `--listeners prometheus`, to find which listener costs what.
#
# --warmup D runs D of uncounted load first in both variants: the ratio of req/s then leaves out
# the listeners' one-off start (class loading and JIT of Micrometer, the AWS SDK, the Influx
# client), though their CPU still counts in the CPU per request.
#
# Every process it starts is stopped on exit (trap), also on Ctrl-C; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=3; SECS=15; USERS=64; WARMUP=(); LISTENERS=prometheus,influx,cloudwatch
while (($#)); do
  case "$1" in
    --listeners) LISTENERS=$2; shift 2 ;;
    --warmup) WARMUP=(--warmup "$2"); shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --no-append) shift ;; # nothing is appended to BENCHMARKS.md any more
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

"$ROOT_DIR/stampede" --version >/dev/null
bench_start_nginx
bench_start_influxd
bench_start_cloudwatch_stub
HOST="http://127.0.0.1:$NGINX_PORT"
echo "nginx on $HOST, influxd on $INFLUX_URL, CloudWatch stub on $CLOUDWATCH_URL"

# Dummy credentials for the SDK's signer; the stub never checks them, nothing leaves loopback.
export AWS_ACCESS_KEY_ID=AKIDBENCHMARKDUMMY AWS_SECRET_ACCESS_KEY=bench-dummy-secret
unset AWS_PROFILE AWS_SESSION_TOKEN
LISTENER_ARGS=(--listener "$LISTENERS")
[[ ,$LISTENERS, == *,prometheus,* ]] && LISTENER_ARGS+=(--set prometheus.port=0 --set prometheus.linger=0s)
[[ ,$LISTENERS, == *,influx,* ]] && LISTENER_ARGS+=(--set "influx.url=$INFLUX_URL" --set influx.db=stampede_bench)
[[ ,$LISTENERS, == *,cloudwatch,* ]] && LISTENER_ARGS+=(--set "cloudwatch.endpoint=$CLOUDWATCH_URL" --set cloudwatch.region=us-east-1)
ST_CMD="./stampede run --url / --host $HOST --users $USERS --spawn-rate $USERS --run-time ${SECS}s ${WARMUP[*]} --json FILE --quiet"

NONE=(); ALL=(); NONE_CPU=(); ALL_CPU=(); DELIVERIES=()
for round in $(seq "$RUNS"); do
  if ((round % 2 == 1)); then order="none all"; else order="all none"; fi
  for variant in $order; do
    if [[ $variant == none ]]; then
      bench_stampede_url "$HOST" "$USERS" "$SECS" "${WARMUP[@]}"
      NONE+=("$ST_RPS"); NONE_CPU+=("$ST_CPU_US")
      echo "round $round: no listener     $ST_RPS req/s, $ST_CPU_US µs CPU/request ($ST_FAILURES failures)"
    else
      bench_stampede_url "$HOST" "$USERS" "$SECS" "${WARMUP[@]}" "${LISTENER_ARGS[@]}"
      ALL+=("$ST_RPS"); ALL_CPU+=("$ST_CPU_US")
      d=$(python3 -c '
import json, sys
listeners = json.load(open(sys.argv[1])).get("listeners", {})
print("; ".join("%s %d/%d/%d" % (n, l["delivered"], l["dropped"], l["failed"]) for n, l in sorted(listeners.items())))' "$ST_JSON")
      DELIVERIES+=("$d")
      echo "round $round: $LISTENERS $ST_RPS req/s, $ST_CPU_US µs CPU/request ($ST_FAILURES failures; delivered/dropped/failed: $d)"
    fi
  done
done
NONE_MED=$(bench_median "${NONE[@]}")
ALL_MED=$(bench_median "${ALL[@]}")
RATIO=$(python3 -c "print('%.3f' % ($ALL_MED / $NONE_MED))")
NONE_CPU_MED=$(bench_median "${NONE_CPU[@]}")
ALL_CPU_MED=$(bench_median "${ALL_CPU[@]}")
CPU_RATIO=$(python3 -c "print('%.3f' % ($ALL_CPU_MED / $NONE_CPU_MED))")
read -r PAIR_MED PAIRS < <(bench_pair_ratios "${NONE[*]}" "${ALL[*]}")
POINTS=$(curl -s -G "$INFLUX_URL/query" --data-urlencode "db=stampede_bench" \
  --data-urlencode "q=SHOW MEASUREMENTS" | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(len(r.get("series",[{}])[0].get("values",[])))' 2>/dev/null || echo "?")

REPORT=$(cat <<MD

### bench/listeners.sh — $(date -u '+%Y-%m-%d %H:%M UTC')

$(bench_machine); influxd: $(influxd version 2>/dev/null | awk '{print $2}')
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
- commands ($RUNS runs each, alternating order, median): \`$ST_CMD\` versus the same plus
  \`${LISTENER_ARGS[*]}\` (influxd and the CloudWatch stub on loopback, started by the script)

| measurement | no listener | $LISTENERS | ratio |
| --- | ---: | ---: | ---: |
| closed loop, $USERS users, ${SECS}s (req/s; runs: none ${NONE[*]}, with ${ALL[*]}) | $NONE_MED | $ALL_MED | ${RATIO}x |
| median of each round's pair (req/s, with / none: $PAIRS) | | | ${PAIR_MED}x |
| the JVM's CPU µs per request (runs: none ${NONE_CPU[*]}, with ${ALL_CPU[*]}) | $NONE_CPU_MED | $ALL_CPU_MED | ${CPU_RATIO}x |

Listener deliveries per run with listeners (delivered/dropped/failed, from the JSON result):
$(printf -- '- %s\n' "${DELIVERIES[@]}")
- influxd measurements in \`stampede_bench\` at the end: $POINTS
MD
)
echo "$REPORT"
