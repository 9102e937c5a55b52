#!/usr/bin/env bash
# Builds and runs the JMH benchmarks of the engine's hot path (bench/jmh): ResultBus.publish and
# the inline statistics record, with 1 and 2 producer threads, and the HTTP client's response parser
# (ResponseParseBenchmark). Extra arguments go to JMH, e.g.
#   bench/jmh.sh HotPathBenchmark -p policy=DROP
set -euo pipefail
source "$(dirname "$0")/lib.sh"
trap bench_cleanup EXIT
JAVA=$(bench_java)
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$JAVA")")}
(cd "$ROOT_DIR" && mvn -B -q package -pl engine/core -am -DskipTests -Dmaven.test.skip.exec=true)
(cd "$ROOT_DIR" && mvn -B -q -f bench/jmh/pom.xml package)
"$JAVA" -cp "$ROOT_DIR/engine/core/target/classes:$BENCH_DIR/jmh/target/benchmarks.jar" org.openjdk.jmh.Main "$@"
