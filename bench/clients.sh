#!/usr/bin/env bash
# Compares candidate HTTP clients for the users' client (issue 2): closed loop, USERS virtual-thread
# users against a local nginx, versus wrk -t1 -cUSERS on the same nginx. Order alternates per round.
#   bench/clients.sh [SECONDS=10] [USERS=64] [ROUNDS=3] [CLIENTS="session jdk-per-user jdk-shared apache-shared"]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT INT TERM

SECS=${1:-10}; USERS=${2:-64}; ROUNDS=${3:-3}
CLIENTS=${4:-"session jdk-per-user jdk-shared apache-shared"}
JAVA=$(bench_java)
JAR="$BENCH_DIR/jmh/target/benchmarks.jar"
[[ -f "$JAR" ]] || { echo "build first: mvn -B -q -Pjmh package -pl bench/jmh -am -DskipTests" >&2; exit 1; }
bench_start_nginx
URL="http://127.0.0.1:$NGINX_PORT/"
echo "nginx on $URL; $ROUNDS rounds of ${SECS}s, $USERS users"
declare -A results
for round in $(seq "$ROUNDS"); do
  order="wrk $CLIENTS"
  if ((round % 2 == 0)); then order=$(echo "$order" | tr ' ' '\n' | tac | tr '\n' ' '); fi
  for c in $order; do
    if [[ "$c" == wrk ]]; then
      rps=$(bench_wrk "$SECS" "$USERS" "$URL")
    else
      rps=$("$JAVA" -cp "$ROOT_DIR/engine/core/target/classes:$JAR" dev.stampede.bench.ClientShootout "$c" "$URL" "$USERS" 3 "$SECS" | sed -E 's/.*rps=([0-9]+).*/\1/')
    fi
    echo "round $round $c $rps"
    results[$c]="${results[$c]:-} $rps"
  done
done
wrk_median=$(bench_median ${results[wrk]})
printf '\n| client | runs (req/s) | median req/s | vs wrk |\n| --- | --- | ---: | ---: |\n'
for c in wrk $CLIENTS; do
  m=$(bench_median ${results[$c]})
  printf '| %s |%s | %s | %.2fx |\n' "$c" "${results[$c]}" "$m" "$(echo "$m / $wrk_median" | bc -l)"
done
