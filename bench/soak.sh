#!/usr/bin/env bash
# Issue 19: a soak run. USERS users of bench/IdleUsers.java (GET / then 1 to 2 s of think time)
# against a local nginx for MINUTES minutes with the Prometheus, InfluxDB and CloudWatch listeners
# on (influxd and the CloudWatch stub on loopback, started here). It samples the JVM's resident
# memory every INTERVAL seconds while it runs, reads p99 per interval back from InfluxDB (what the
# listener exported), and checks at the end that every listener delivered exactly the engine's
# count, with nothing dropped or failed, and that InfluxDB holds that same count.
#
#   bench/soak.sh [--users 10000] [--minutes 30] [--interval 60]
#
# Prints a table (BENCHMARKS.md keeps the current one) and exits 1 when an export count differs.
# Every process it starts is stopped on exit (trap), also on Ctrl-C; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

USERS=10000; MINUTES=30; INTERVAL=60
while (($#)); do
  case "$1" in
    --users) USERS=$2; shift 2 ;;
    --minutes) MINUTES=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
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
# One connection per user.
want=$(( USERS + 1000 ))
if (( $(ulimit -n) < want )); then ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; fi

RUN_ID="soak-$RANDOM$RANDOM"
RATE=$(( USERS < 2000 ? USERS : 2000 ))
ST_JSON="$BENCH_TMP/soak.json"
ARGS=(run --scenario "$BENCH_DIR/IdleUsers.java" --host "$HOST" --users "$USERS" --spawn-rate "$RATE"
  --run-time "${MINUTES}m" --run-id "$RUN_ID" --json "$ST_JSON" --quiet
  --listener prometheus,influx,cloudwatch --set prometheus.port=0 --set prometheus.linger=0s
  --set "influx.url=$INFLUX_URL" --set influx.db=stampede_soak
  --set "cloudwatch.endpoint=$CLOUDWATCH_URL" --set cloudwatch.region=us-east-1)
CMD="./stampede ${ARGS[*]}"
bench_stampede_bg "${ARGS[@]}"
PID=$ST_PID
for _ in $(seq 600); do
  [[ "$(cat "/proc/$PID/comm" 2>/dev/null)" == java ]] && break
  sleep 0.2
done
START=$SECONDS
SAMPLES=()
while kill -0 "$PID" 2>/dev/null; do
  sleep "$INTERVAL"
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status" 2>/dev/null || true)
  [[ -n "$rss" ]] || break
  SAMPLES+=("$(( SECONDS - START )) $(( rss / 1024 ))")
  echo "t=$(( SECONDS - START ))s RSS $(( rss / 1024 )) MB"
done
status=0
wait "$PID" || status=$?
if ((status != 0)); then
  echo "stampede run failed (exit $status):" >&2; tail -n 20 "$BENCH_TMP/stampede.log" >&2; exit 1
fi

# p99 per interval as exported to InfluxDB (the listener's per-step total rows), and its count.
INFLUX_P99=$(curl -s -G "$INFLUX_URL/query" --data-urlencode "db=stampede_soak" --data-urlencode \
  "q=SELECT max(\"p99\") FROM \"requests\" WHERE \"run_id\"='$RUN_ID' AND \"name\"='total' GROUP BY time(${INTERVAL}s) fill(none)" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(" ".join("%.1f" % v[1] for v in r.get("series",[{}])[0].get("values",[]) if v[1] is not None))')
INFLUX_COUNT=$(curl -s -G "$INFLUX_URL/query" --data-urlencode "db=stampede_soak" --data-urlencode \
  "q=SELECT sum(\"count\") FROM \"requests\" WHERE \"run_id\"='$RUN_ID' AND \"name\"='total'" \
  | python3 -c 'import json,sys; r=json.load(sys.stdin)["results"][0]; print(r.get("series",[{"values":[[0,0]]}])[0]["values"][0][1])')

python3 - "$ST_JSON" "$INFLUX_COUNT" <<'PY' > "$BENCH_TMP/check.txt" || CHECK_FAILED=1
import json, sys
result = json.load(open(sys.argv[1]))
count = result["total"]["count"]
ok = True
lines = []
for name, l in sorted(result["listeners"].items()):
    good = l["delivered"] == count and l["dropped"] == 0 and l["failed"] == 0
    ok &= good
    lines.append("%s delivered %d, dropped %d, failed %d: %s" % (name, l["delivered"], l["dropped"], l["failed"],
                 "= the engine's count" if good else "DIFFERS from the engine's %d" % count))
influx = int(float(sys.argv[2]))
ok &= influx == count
lines.append("InfluxDB sum(count) of the total rows: %d: %s" % (influx, "= the engine's count" if influx == count else "DIFFERS"))
print("engine: %d requests, %d failures, p99 %.1f ms over the run" % (count, result["total"]["failures"], result["total"]["p99"]))
print("\n".join(lines))
sys.exit(0 if ok else 1)
PY
cat "$BENCH_TMP/check.txt"

RSS_LIST=$(printf '%s\n' "${SAMPLES[@]}" | awk '{printf "%s%s", sep, $2; sep=" "}')
RSS_MIN=$(printf '%s\n' "${SAMPLES[@]}" | awk 'NR==1 || $2<m {m=$2} END {print m}')
RSS_MAX=$(printf '%s\n' "${SAMPLES[@]}" | awk '$2>m {m=$2} END {print m}')
cat <<MD

### bench/soak.sh — $(date -u '+%Y-%m-%d %H:%M UTC')

$(bench_machine)
- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)
- command: \`$CMD\` (nginx, influxd and the CloudWatch stub on loopback, started by the script)

| measurement | value |
| --- | --- |
| users, minutes | $USERS, $MINUTES |
| RSS every ${INTERVAL}s (MB) | $RSS_LIST |
| RSS min-max after the ramp (MB) | $RSS_MIN-$RSS_MAX |
| p99 per ${INTERVAL}s as exported to InfluxDB (ms) | $INFLUX_P99 |
$(sed 's/^/| export check | /; s/$/ |/' "$BENCH_TMP/check.txt")
MD
if [[ -n "${CHECK_FAILED:-}" ]]; then
  echo "an exported count differs from the engine's" >&2
  exit 1
fi
