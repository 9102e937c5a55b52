#!/usr/bin/env bash
# Builds and runs the JMH benchmarks of the engine's hot path (bench/jmh): ResultBus.publish and
# the inline statistics record, with 1 and 2 producer threads, and the HTTP client's response parser
# (ResponseParseBenchmark), and each listener's onResults per result (ListenerBenchmark, backends
# not contacted). Extra arguments go to JMH, e.g.
#   bench/jmh.sh HotPathBenchmark -p policy=DROP
#   bench/jmh.sh ListenerBenchmark -p listener=prometheus
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
JAVA=$(bench_java)
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$JAVA")")}
# The jmh profile puts bench/jmh in the reactor: it links this checkout's engine and listeners.
(cd "$ROOT_DIR" && mvn -B -q -Pjmh package -pl bench/jmh -am -DskipTests -Dmaven.test.skip.exec=true)
"$JAVA" -cp "$ROOT_DIR/engine/core/target/classes:$BENCH_DIR/jmh/target/benchmarks.jar" org.openjdk.jmh.Main "$@"
