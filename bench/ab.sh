#!/usr/bin/env bash
# Two builds of Stampede side by side on the same nginx: `./stampede run --url /` from checkout A and
# from checkout B, --threads 1, the order alternated every round, medians of req/s and of the JVM's
# CPU time per request (the steadier of the two on a busy machine). For "does this change cost
# plain-HTTP speed": check out the old commit with `git worktree add /tmp/old COMMIT` and run
#
#   bench/ab.sh /tmp/old . [--runs 6] [--seconds 10] [--users 64]
#
# Each checkout's ./stampede builds itself on first use. All traffic is on 127.0.0.1.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

(($# >= 2)) || { sed -n '2,10p' "$0"; exit 2; }
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd); shift 2
RUNS=6; SECS=10; USERS=64
while (($#)); do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --seconds) SECS=$2; shift 2 ;;
    --users) USERS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for tree in "$A" "$B"; do
  echo "building $tree if needed ..."
  "$tree/stampede" --version >/dev/null
done
bench_start_nginx
HOST="http://127.0.0.1:$NGINX_PORT"

# Runs one checkout's launcher: ROOT_DIR is what bench_stampede_bg starts.
run_tree() {
  ROOT_DIR=$1 bench_stampede_url "$HOST" "$USERS" "$SECS" --threads 1
}

declare -a AR AC BR BC
for ((i = 1; i <= RUNS; i++)); do
  if ((i % 2)); then order=("$A" "$B"); else order=("$B" "$A"); fi
  for tree in "${order[@]}"; do
    run_tree "$tree"
    if [[ $tree == "$A" ]]; then AR+=("$ST_RPS"); AC+=("$ST_CPU_US"); else BR+=("$ST_RPS"); BC+=("$ST_CPU_US"); fi
    echo "round $i $(basename "$tree"): $ST_RPS req/s, $ST_CPU_US µs CPU per request, $ST_FAILURES failures"
  done
done
echo
echo "## A/B, --url /, --threads 1, $USERS users, ${SECS} s, $RUNS rounds ($(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
bench_machine
echo "| build | req/s median | min-max | CPU µs/request median |"
echo "| --- | ---: | ---: | ---: |"
for side in A B; do
  if [[ $side == A ]]; then r=("${AR[@]}"); c=("${AC[@]}"); tree=$A; else r=("${BR[@]}"); c=("${BC[@]}"); tree=$B; fi
  echo "| $side $(git -C "$tree" rev-parse --short HEAD) | $(bench_median "${r[@]}") | $(printf '%s\n' "${r[@]}" | sort -n | sed -n '1p;$p' | paste -sd-) | $(bench_median "${c[@]}") |"
done
python3 -c "import sys; print('B/A req/s: %.3f' % (float(sys.argv[2]) / float(sys.argv[1])))" "$(bench_median "${AR[@]}")" "$(bench_median "${BR[@]}")"
