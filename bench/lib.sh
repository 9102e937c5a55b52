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
  rm -rf "$BENCH_TMP"
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
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout" 2>&1 &
  NGINX_PID=$!
  BENCH_PIDS+=("$NGINX_PID")
  local deadline=$((SECONDS + 10))
  until curl -fsS "http://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1; do
    if ((SECONDS > deadline)) || ! kill -0 "$NGINX_PID" 2>/dev/null; then
      echo "nginx did not start:" >&2; cat "$dir/error.log" "$dir/stdout" >&2; return 1
    fi
    sleep 0.1
  done
}

# wrk requests/s: bench_wrk SECONDS CONNECTIONS URL
bench_wrk() {
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; return 1; }
  wrk -t1 -c"$2" -d"$1s" "$3" | awk '/^Requests\/sec:/ {printf "%.0f\n", $2}'
}

bench_median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

bench_machine() {
  local java
  java=$(bench_java)
  echo "- nproc: $(nproc); memory: $(free -m | awk '/^Mem:/ {print $2}') MB; CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  echo "- java: $("$java" -version 2>&1 | head -1); nginx: $(nginx -v 2>&1 | sed 's#.*/##'); wrk: $(wrk -v 2>&1 | head -1 | awk '{print $2}')"
}
