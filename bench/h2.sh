#!/usr/bin/env bash
# HTTP/2 closed loop (issue 16): `./stampede run --url /` against nghttp2's `h2load` over TLS 1.3 on
# one nginx (bench/nginx-tls.conf: `http2`, ALPN picks h2), the same connections and streams: USERS
# users, each on its own connection with one request in flight (Stampede's model, as k6's), against
# `h2load -c USERS -m 1`. With --jdk, also the JDK's HttpClient on the same load (bench/JdkHttp2.java,
# one client per user), the candidate decision 0008 measured. The order rotates every round; RUNS
# rounds of SECONDS each after WARMUP seconds of the same load (a cold JVM spends its first seconds
# in 64 TLS handshakes and the JIT).
#
#   bench/h2.sh [--runs 3] [--seconds 10] [--warmup 10] [--users 64] [--threads 1] [--jdk]
#
# Prints the table (median, min-max, ratio to h2load) and the load average before and after.
# Every process it starts is stopped on exit; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=3; SECS=10; USERS=64; THREADS=1; JDK=0; WARMUP=10
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --jdk) JDK=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v h2load >/dev/null || { echo "h2load is not installed (apt-get install nghttp2-client)" >&2; exit 1; }
"$ROOT_DIR/stampede" --version >/dev/null
JAVA=$(bench_java)

bench_start_nginx_tls
URL="https://127.0.0.1:$NGINX_PORT/"
echo "nginx (1 worker, TLS, h2) on $URL; $USERS connections x 1 stream, client threads $THREADS;" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

TOOLS=(h2load stampede)
((JDK)) && TOOLS+=(jdk)
declare -A RPS
for round in $(seq "$RUNS"); do
  shift_by=$(( (round - 1) % ${#TOOLS[@]} ))
  order=("${TOOLS[@]:shift_by}" "${TOOLS[@]:0:shift_by}")
  for tool in "${order[@]}"; do
    case $tool in
      h2load)
        out=$(h2load -t "$THREADS" -c "$USERS" -m 1 -D "$SECS" --warm-up-time "$WARMUP" "$URL" 2>&1)
        grep -q "h2" <<<"$(grep -i 'application protocol' <<<"$out")" || { echo "h2load did not speak h2:" >&2; echo "$out" >&2; exit 1; }
        r=$(awk '/^finished in/ {gsub(",", "", $4); printf "%.0f\n", $4}' <<<"$out")
        failed=$(awk '/^requests:/ {print $10}' <<<"$out")
        echo "round $round: h2load    $r req/s (failed $failed)" ;;
      stampede)
        bench_stampede_url "https://127.0.0.1:$NGINX_PORT" "$USERS" "$SECS" --insecure --http-version 2 \
          --threads "$THREADS" --warmup "${WARMUP}s"
        r=$ST_RPS
        echo "round $round: stampede  $r req/s ($ST_FAILURES failures, $ST_CPU_US µs CPU/request)" ;;
      jdk)
        out=$("$JAVA" "$BENCH_DIR/JdkHttp2.java" "$URL" "$USERS" "$USERS" "$WARMUP" "$SECS")
        r=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$out")
        echo "round $round: jdk       $r req/s ($out)" ;;
    esac
    RPS[$tool]+="$r "
  done
done

echo
echo "| client | connections × streams | runs | median req/s | min–max | vs h2load |"
echo "| --- | --- | ---: | ---: | --- | ---: |"
peer=$(bench_median ${RPS[h2load]})
for tool in "${TOOLS[@]}"; do
  values=${RPS[$tool]}
  median=$(bench_median $values)
  min=$(printf '%s\n' $values | sort -n | head -1); max=$(printf '%s\n' $values | sort -n | tail -1)
  label=$tool
  [[ $tool == h2load ]] && label="h2load -t$THREADS -c$USERS -m1"
  [[ $tool == stampede ]] && label="Stampede \`--url / --http-version 2 --threads $THREADS\`"
  [[ $tool == jdk ]] && label="JDK HttpClient (HTTP_2), one per user"
  echo "| $label | $USERS × 1 | $RUNS | $median | $min–$max | $(python3 -c "print('%.2fx' % ($median / $peer))") |"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
