# Shared helpers for the bench scripts; source it, do not run it.
# Everything started here is registered in BENCH_PIDS and stopped by bench_cleanup (install it with
# `trap bench_cleanup EXIT INT TERM`). All traffic stays on 127.0.0.1.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
BENCH_PIDS=()
BENCH_TMP="$(mktemp -d /tmp/stampede-bench.XXXXXX)"

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  # BENCH_KEEP=1 keeps the logs and JSON results (stampede.log, run-*.json) for a look afterwards.
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $BENCH_TMP" >&2; else rm -rf "$BENCH_TMP"; fi
}

# Picks a JDK >= 21: JAVA_HOME, else the newest under /usr/lib/jvm.
bench_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  local jdk
  for jdk in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    local v
    v=$("$jdk/bin/java" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/')
    if [[ "$v" =~ ^[0-9]+$ && "$v" -ge 21 ]]; then
      echo "$jdk/bin/java"; return
    fi
  done
  echo "no JDK >= 21 found (set JAVA_HOME or install temurin-21-jdk or newer)" >&2
  return 1
}

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts nginx on a free loopback port; sets NGINX_PORT and NGINX_PID.
bench_start_nginx() {
  command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; return 1; }
  local dir="$BENCH_TMP/nginx"
  mkdir -p "$dir"
  NGINX_PORT=$(bench_free_port)
  sed -e "s#@PORT@#$NGINX_PORT#g" -e "s#@DIR@#$dir#g" "$BENCH_DIR/nginx.conf" > "$dir/nginx.conf"
  bench_run_nginx "$dir" "http://127.0.0.1:$NGINX_PORT/"
}

# Starts nginx over TLS (bench/nginx-tls.conf: TLS 1.3, ALPN h2 and http/1.1) with a self-signed EC
# P-256 certificate for 127.0.0.1 made here, on a free loopback port; sets NGINX_PORT and NGINX_PID.
bench_start_nginx_tls() {
  command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx)" >&2; return 1; }
  command -v openssl >/dev/null || { echo "openssl is not installed" >&2; return 1; }
  local dir="$BENCH_TMP/nginx-tls"
  mkdir -p "$dir"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  NGINX_PORT=$(bench_free_port)
  sed -e "s#@PORT@#$NGINX_PORT#g" -e "s#@DIR@#$dir#g" -e "s#@CERT@#$dir/cert.pem#g" -e "s#@KEY@#$dir/key.pem#g" \
    "$BENCH_DIR/nginx-tls.conf" > "$dir/nginx.conf"
  bench_run_nginx "$dir" "https://127.0.0.1:$NGINX_PORT/"
}

# Runs nginx on DIR/nginx.conf and waits until URL answers (10 s at most): bench_run_nginx DIR URL.
# Sets NGINX_PID; the cleanup trap stops it.
bench_run_nginx() {
  local dir=$1 url=$2
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
  NGINX_PID=$!
  BENCH_PIDS+=("$NGINX_PID")
  local deadline=$((SECONDS + 10))
  until curl -fsSk "$url" >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "$NGINX_PID" 2>/dev/null; then
      echo "nginx did not start:" >&2; cat "$dir/error.log" "$dir/stdout" >&2; return 1
    fi
    sleep 0.1
  done
}

# wrk requests/s: bench_wrk SECONDS CONNECTIONS URL (threads: WRK_THREADS, default 1)
bench_wrk() {
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; return 1; }
  wrk -t"${WRK_THREADS:-1}" -c"$2" -d"$1s" "$3" | awk '/^Requests\/sec:/ {printf "%.0f\n", $2}'
}

bench_median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# Each round's ratio B/A and their median: bench_pair_ratios "A1 A2 ..." "B1 B2 ...". Prints the
# median, then the ratios in round order. Both runs of a round ran back to back, so a ratio of a
# pair says more than a ratio of medians when the machine's own speed drifts during the batch.
bench_pair_ratios() {
  python3 - "$1" "$2" <<'PY'
import statistics, sys
a = [float(x) for x in sys.argv[1].split()]
b = [float(x) for x in sys.argv[2].split()]
ratios = [y / x for x, y in zip(a, b)]
print("%.3f %s" % (statistics.median(ratios), " ".join("%.3f" % r for r in ratios)))
PY
}

bench_machine() {
  local java
  java=$(bench_java)
  echo "- nproc: $(nproc); memory: $(free -m | awk '/^Mem:/ {print $2}') MB; CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "- java: $("$java" -version 2>&1 | head -1); nginx: $(nginx -v 2>&1 | sed 's#.*/##'); wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
}

# Runs ./stampede in the background, registered for cleanup; sets ST_PID. The launcher execs java,
# so this is the JVM's pid. STAMPEDE_JAVA_OPTS from the environment reaches the JVM.
bench_stampede_bg() {
  "$ROOT_DIR/stampede" "$@" >>"$BENCH_TMP/stampede.log" 2>&1 &
  ST_PID=$!
  BENCH_PIDS+=("$ST_PID")
}

# Runs `./stampede run ARGS... --json FILE --quiet` in the foreground; exits the script if it fails.
# Sets ST_JSON (the result file) and ST_CPU_S: the JVM's user+system CPU seconds (all threads), read
# from /proc every 0.1 s until it exits, so it misses at most the last 0.1 s (the JVM's shutdown).
bench_stampede_run() {
  local status=0 ticks hz
  hz=$(getconf CLK_TCK)
  ST_JSON="$BENCH_TMP/run-$RANDOM$RANDOM.json"
  bench_stampede_bg run "$@" --json "$ST_JSON" --quiet
  # Sampled with bash builtins only: a python or awk process every 0.1 s would take CPU from the run.
  local -a stat
  ticks=0
  while kill -0 "$ST_PID" 2>/dev/null; do
    if read -r -a stat < "/proc/$ST_PID/stat" 2>/dev/null; then
      ticks=$(( stat[13] + stat[14] ))
    fi
    sleep 0.1
  done
  ST_CPU_S=$(python3 -c "print($ticks / $hz)")
  wait "$ST_PID" || status=$?
  if ((status != 0)); then
    echo "stampede run failed (exit $status):" >&2; tail -n 20 "$BENCH_TMP/stampede.log" >&2; exit 1
  fi
}

# One `--url /` closed-loop run: bench_stampede_url HOST USERS SECONDS [EXTRA ARGS...].
# Sets ST_RPS and ST_FAILURES from the JSON result's total row, ST_CPU_US (the JVM's CPU time per
# request in µs: less sensitive than req/s to other load on the machine) and ST_JSON.
bench_stampede_url() {
  local host=$1 users=$2 secs=$3
  shift 3
  bench_stampede_run --url / --host "$host" --users "$users" --spawn-rate "$users" --run-time "${secs}s" "$@"
  read -r ST_RPS ST_FAILURES ST_CPU_US < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.0f %d %.1f" % (t["rps"], t["failures"], float(sys.argv[2]) * 1e6 / max(1, t["count"])))' "$ST_JSON" "$ST_CPU_S")
}

# Highest VmRSS (KB) of the Stampede JVM running USERS users of bench/IdleUsers.java (GET / then
# between(1,2) think time; $MEM_SCENARIO instead when set), sampled 10 times once every user runs
# (spawn rate 2,000/s), so a GC that just shrank the heap does not flatter it: bench_rss HOST USERS.
# Sets RSS_KB and ST_JSON, and LIVE_KB: the live heap after the samples (the total of
# `jcmd GC.class_histogram`, which collects first). RSS swings by 100 MB from run to run with G1's
# sizing; the live heap does not, so it is the number that shows a change in what a user holds.
bench_rss() {
  # One connection per user: raise the open-files limit for the JVM (as root, also the hard one).
  local want=$(( $2 + 1000 ))
  if (( $(ulimit -n) < want )); then ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; fi
  local host=$1 users=$2 rate=$(( $2 < 2000 ? $2 : 2000 ))
  local ramp=$(( (users + rate - 1) / rate ))
  local run=$(( ramp + 25 ))
  ST_JSON="$BENCH_TMP/mem-$users-$RANDOM.json"
  bench_stampede_bg run --scenario "${MEM_SCENARIO:-$BENCH_DIR/IdleUsers.java}" --host "$host" --users "$users" \
    --spawn-rate "$rate" --run-time "${run}s" --quiet --json "$ST_JSON"
  local pid=$ST_PID max=0 rss
  # The launcher execs java; should it still be building, wait until it has.
  for _ in $(seq 600); do
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == java ]] && break
    sleep 0.2
  done
  sleep $(( ramp + 10 ))
  for _ in $(seq 10); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    (( rss > max )) && max=$rss
    sleep 1
  done
  local jcmd
  jcmd="$(dirname "$(readlink "/proc/$pid/exe")")/jcmd"
  LIVE_KB=$("$jcmd" "$pid" GC.class_histogram 2>/dev/null | awk '$1 == "Total" {print int($3 / 1024)}')
  wait "$pid" || true
  RSS_KB=$max
  LIVE_KB=${LIVE_KB:-0}
}

# "N requests, M failures" of a JSON result.
bench_counts() {
  python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%d requests, %d failures" % (t["count"], t["failures"]))' "$1"
}

# Starts Debian's influxd (1.6) on free loopback ports with a temporary config and data directory
# (reporting, monitor store and query log off); sets INFLUX_URL and INFLUX_PID.
bench_start_influxd() {
  command -v influxd >/dev/null || { echo "influxd is not installed (apt-get install influxdb)" >&2; return 1; }
  local dir="$BENCH_TMP/influxd" http rpc
  mkdir -p "$dir"
  http=$(bench_free_port); rpc=$(bench_free_port)
  cat > "$dir/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$rpc"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:$http"
  log-enabled = false
[logging]
  level = "warn"
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
CONF
  influxd run -config "$dir/influxdb.conf" >"$dir/influxd.log" 2>&1 &
  INFLUX_PID=$!
  BENCH_PIDS+=("$INFLUX_PID")
  INFLUX_URL="http://127.0.0.1:$http"
  local deadline=$((SECONDS + 30))
  until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$INFLUX_URL/ping")" == 204 ]]; do
    if ((SECONDS > deadline)) || ! kill -0 "$INFLUX_PID" 2>/dev/null; then
      echo "influxd did not start:" >&2; tail -n 20 "$dir/influxd.log" >&2; return 1
    fi
    sleep 0.1
  done
}

# Starts bench/CloudWatchStub.py (answers every POST 200 with an empty CBOR map); sets
# CLOUDWATCH_URL and CLOUDWATCH_PID.
bench_start_cloudwatch_stub() {
  local portfile="$BENCH_TMP/cloudwatch.port"
  python3 "$BENCH_DIR/CloudWatchStub.py" "$portfile" 2>"$BENCH_TMP/cloudwatch.log" &
  CLOUDWATCH_PID=$!
  BENCH_PIDS+=("$CLOUDWATCH_PID")
  local deadline=$((SECONDS + 10))
  until [[ -s "$portfile" ]]; do
    if ((SECONDS > deadline)) || ! kill -0 "$CLOUDWATCH_PID" 2>/dev/null; then
      echo "the CloudWatch stub did not start:" >&2; cat "$BENCH_TMP/cloudwatch.log" >&2; return 1
    fi
    sleep 0.1
  done
  CLOUDWATCH_URL="http://127.0.0.1:$(cat "$portfile")"
}

# Starts bench/PauseServer.java (a tiny 200 that stalls once for PAUSE_MS from PAUSE_AT_MS after its
# first request): bench_start_pause_server PAUSE_AT_MS PAUSE_MS. Sets PAUSE_URL and PAUSE_PID.
bench_start_pause_server() {
  local portfile="$BENCH_TMP/pause-$RANDOM.port" java
  java=$(bench_java)
  # The JDK's HttpServer keeps at most 200 idle keep-alive connections and closes the rest; with up
  # to 2,000 users that churn (reconnects, SYN backlog overflow) alone put p99 at 0.5 s without any
  # stall, whichever client ran. Keep them all open, as nginx would.
  "$java" -Dsun.net.httpserver.maxIdleConnections=100000 "$BENCH_DIR/PauseServer.java" "$portfile" "$1" "$2" \
    2>>"$BENCH_TMP/pause.log" &
  PAUSE_PID=$!
  BENCH_PIDS+=("$PAUSE_PID")
  local deadline=$((SECONDS + 30))
  until [[ -s "$portfile" ]]; do
    if ((SECONDS > deadline)) || ! kill -0 "$PAUSE_PID" 2>/dev/null; then
      echo "the pause server did not start:" >&2; cat "$BENCH_TMP/pause.log" >&2; return 1
    fi
    sleep 0.1
  done
  PAUSE_URL="http://127.0.0.1:$(cat "$portfile")"
}

# Stops one process this script started (SIGTERM, then SIGKILL after 5 s).
bench_stop() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
