#!/usr/bin/env bash
# HTTPS closed loop (issue 16): `wrk` versus `./stampede run --url /` over TLS against one nginx
# (bench/nginx-tls.conf, a self-signed EC P-256 certificate made here, TLS 1.3 as both clients
# prefer; HTTP/1.1, as wrk:
# `--http-version 1.1`, since nginx offers h2 too), USERS connections,
# once with one client thread each (--threads 1 against wrk -t1) and once with the defaults (one
# carrier thread per core against wrk -t$(nproc)), the order rotated every round, RUNS rounds.
# Then the cold start: a fresh JVM's first HTTPS request (the JSON max of a one-user run), and the
# cost of a connection: a one-user run whose every request says `Connection: close`
# (bench/TlsHandshakes.java; a new TCP connection and a resumed TLS session each time) against the
# same user on one keep-alive connection.
#
#   bench/https.sh [--runs 3] [--seconds 10] [--users 64] [--jdk]
#
# Stampede's TLS engine is BoringSSL's (decision 0011); --jdk adds a row with the JDK's SSLEngine
# (-Dstampede.tls.engine=jdk), one client thread, in the same rotation.
#
# Prints the table (median, min-max, ratio to wrk at the same threads). Every process it starts is
# stopped on exit; all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=3; SECS=10; USERS=64; JDK=0
while (($#)); do
  case "$1" in
    --jdk) JDK=1; shift ;;
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
"$ROOT_DIR/stampede" --version >/dev/null

bench_start_nginx_tls
PORT=$NGINX_PORT
HOST="https://127.0.0.1:$PORT"
echo "nginx (1 worker, TLS) on $HOST; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

CORES=$(nproc)
TOOLS=(wrk1 st1 wrk st)
((JDK)) && TOOLS+=(st1jdk)
USER_JAVA_OPTS=${STAMPEDE_JAVA_OPTS:-}
declare -A RPS CPU
for round in $(seq "$RUNS"); do
  shift_by=$(( (round - 1) % ${#TOOLS[@]} ))
  order=("${TOOLS[@]:shift_by}" "${TOOLS[@]:0:shift_by}")
  for tool in "${order[@]}"; do
    case $tool in
      wrk1|wrk)
        threads=$([[ $tool == wrk1 ]] && echo 1 || echo "$CORES")
        r=$(WRK_THREADS=$threads bench_wrk "$SECS" "$USERS" "$HOST/"); RPS[$tool]+="$r "
        echo "round $round: wrk -t$threads        $r req/s" ;;
      st1|st|st1jdk)
        extra=(); [[ $tool == st1* ]] && extra=(--threads 1)
        export STAMPEDE_JAVA_OPTS=$USER_JAVA_OPTS
        [[ $tool == st1jdk ]] && export STAMPEDE_JAVA_OPTS="$USER_JAVA_OPTS -Dstampede.tls.engine=jdk"
        bench_stampede_url "$HOST" "$USERS" "$SECS" --insecure --http-version 1.1 "${extra[@]}"
        export STAMPEDE_JAVA_OPTS=$USER_JAVA_OPTS
        ((ST_FAILURES == 0)) || echo "  ($ST_FAILURES failures)"
        RPS[$tool]+="$ST_RPS "; CPU[$tool]+="$ST_CPU_US "
        echo "round $round: stampede ${extra[*]:-(default threads)}$([[ $tool == st1jdk ]] && echo " (JDK engine)") $ST_RPS req/s, $ST_CPU_US µs CPU/request" ;;
    esac
  done
done

row() { # row LABEL THREADS TOOL PEER
  local values median min max ratio=""
  values=${RPS[$3]}
  median=$(bench_median $values)
  min=$(printf '%s\n' $values | sort -n | head -1); max=$(printf '%s\n' $values | sort -n | tail -1)
  if [[ -n ${4:-} ]]; then
    ratio=$(python3 -c "print('%.2fx' % ($median / $(bench_median ${RPS[$4]})))")
  else
    ratio=1.00x
  fi
  local cpu=""; [[ -n ${CPU[$3]:-} ]] && cpu=$(bench_median ${CPU[$3]})
  echo "| $1 | $2 | $RUNS | $median | $min–$max | $ratio | $cpu |"
}
echo
echo "| client | threads | runs | median req/s | min–max | vs wrk, same threads | JVM CPU µs/request |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: |"
row "wrk (TLS)" 1 wrk1
row "Stampede \`--url /\` (TLS)" 1 st1 wrk1
row "wrk (TLS)" "$CORES" wrk
row "Stampede \`--url /\` (TLS)" "$CORES" st wrk
((JDK)) && row "Stampede, JDK engine (\`-Dstampede.tls.engine=jdk\`)" 1 st1jdk wrk1

# The cold start: a fresh JVM, one user, its first request (connect, handshake, JIT cold) is the max.
colds=()
for i in 1 2 3; do
  bench_stampede_run --url / --host "$HOST" --insecure --http-version 1.1 --users 1 --run-time 2s --stop-timeout 30s
  colds+=("$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["total"]["max"])' "$ST_JSON")")
done
echo
echo "cold first HTTPS request (ms, 3 fresh JVMs): ${colds[*]}"

# A connection's cost: every request on a new connection (a resumed TLS session) against keep-alive.
mean() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.3f" % t["mean"])' "$ST_JSON"; }
bench_stampede_run --scenario "$BENCH_DIR/TlsHandshakes.java" --host "$HOST" --insecure --http-version 1.1 --users 1 --run-time "${SECS}s" --threads 1
fresh=$(mean)
bench_stampede_url "$HOST" 1 "$SECS" --insecure --http-version 1.1 --threads 1
kept=$(mean)
echo "one user, mean ms per request: new connection each time $fresh, keep-alive $kept"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
