#!/usr/bin/env bash
# Large response bodies: 16 connections/users download one 50 MB static file from a local nginx in
# a loop, `wrk -t1 -c16` versus `./stampede run --url /files/50mb.bin --users 16 --threads 1` (the
# body is read to its end, counted and not kept), the order alternated every round. Prints MB/s
# (body bytes per second of the run) and the peak RSS of each load generator (VmHWM), medians and
# min-max of RUNS runs.
#
#   bench/bodies.sh [--runs 5] [--seconds 20] [--users 16] [--size-mb 50]
#
# Stampede's MB/s counts the bodies of completed requests only (what its statistics count), so the
# downloads cut off at the end of the run are missing (at most USERS bodies); wrk counts every byte
# read. wrk runs with --timeout 60s: its default 2 s counts most 50 MB downloads as timeouts.
#
# Every process it starts is stopped on exit (trap); all traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

RUNS=5; SECS=20; USERS=16; SIZE_MB=50
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    --size-mb) SIZE_MB=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
echo "building Stampede if needed ..."
"$ROOT_DIR/stampede" --version >/dev/null

bench_start_nginx
mkdir -p "$BENCH_TMP/nginx/files"
# nginx's workers run as an unprivileged user when started as root: they must be able to read the file.
chmod 755 "$BENCH_TMP" "$BENCH_TMP/nginx" "$BENCH_TMP/nginx/files"
head -c "$((SIZE_MB * 1024 * 1024))" /dev/urandom > "$BENCH_TMP/nginx/files/${SIZE_MB}mb.bin"
chmod 644 "$BENCH_TMP/nginx/files/${SIZE_MB}mb.bin"
curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT/files/${SIZE_MB}mb.bin" || { echo "nginx does not serve the file" >&2; exit 1; }
URL="http://127.0.0.1:$NGINX_PORT/files/${SIZE_MB}mb.bin"
BYTES=$((SIZE_MB * 1024 * 1024))

# Peak RSS in MB of a running process, sampled until it exits: peak_rss PID
peak_rss() {
  local pid=$1 hwm=0 line
  while kill -0 "$pid" 2>/dev/null; do
    line=$(grep -s '^VmHWM:' "/proc/$pid/status" || true)
    [[ -n "$line" ]] && hwm=$(awk '{print $2}' <<<"$line")
    sleep 0.2
  done
  echo $((hwm / 1024))
}

run_wrk() {
  local out="$BENCH_TMP/wrk.out"
  wrk -t1 -c"$USERS" -d"${SECS}s" --timeout 60s "$URL" > "$out" 2>&1 &
  local pid=$!
  BENCH_PIDS+=("$pid")
  W_RSS=$(peak_rss "$pid")
  wait "$pid"
  # wrk counts response bytes (heads included) over the run: Transfer/sec, in MB/s (1024-based).
  W_MBS=$(awk '/^Transfer\/sec:/ {v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2);
    if (u=="GB") n*=1024; else if (u=="KB") n/=1024; printf "%.0f\n", n}' "$out")
}

run_stampede() {
  ST_JSON="$BENCH_TMP/run-$RANDOM.json"
  bench_stampede_bg run --url "/files/${SIZE_MB}mb.bin" --host "http://127.0.0.1:$NGINX_PORT" --users "$USERS" \
    --spawn-rate "$USERS" --run-time "${SECS}s" --threads 1 --json "$ST_JSON" --quiet
  S_RSS=$(peak_rss "$ST_PID")
  wait "$ST_PID" || { echo "stampede failed:" >&2; tail -n 20 "$BENCH_TMP/stampede.log" >&2; exit 1; }
  read -r S_MBS S_FAILURES < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); t=r["total"]
print("%.0f %d" % (t["bytes_mean"] * t["count"] / r["duration_s"] / 1048576, t["failures"]))' "$ST_JSON")
}

declare -a WM WR SM SR
for ((i = 1; i <= RUNS; i++)); do
  if ((i % 2)); then run_wrk; run_stampede; else run_stampede; run_wrk; fi
  WM+=("$W_MBS"); WR+=("$W_RSS"); SM+=("$S_MBS"); SR+=("$S_RSS")
  echo "round $i: wrk $W_MBS MB/s (peak RSS $W_RSS MB); stampede $S_MBS MB/s (peak RSS $S_RSS MB, $S_FAILURES failures)"
done

minmax() { printf '%s\n' "$@" | sort -n | awk 'NR==1 {a=$1} {b=$1} END {print a "-" b}'; }
echo
echo "## ${SIZE_MB} MB bodies, $USERS connections, ${SECS} s, $RUNS runs ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
bench_machine
echo
echo "| load generator | MB/s median | MB/s min-max | peak RSS MB median | min-max |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| wrk -t1 -c$USERS | $(bench_median "${WM[@]}") | $(minmax "${WM[@]}") | $(bench_median "${WR[@]}") | $(minmax "${WR[@]}") |"
echo "| stampede --url, --threads 1, $USERS users | $(bench_median "${SM[@]}") | $(minmax "${SM[@]}") | $(bench_median "${SR[@]}") | $(minmax "${SR[@]}") |"
echo
echo "wrk: wrk -t1 -c$USERS -d${SECS}s --timeout 60s $URL"
echo "stampede: ./stampede run --url /files/${SIZE_MB}mb.bin --host http://127.0.0.1:PORT --users $USERS --spawn-rate $USERS --run-time ${SECS}s --threads 1"
