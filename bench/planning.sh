#!/usr/bin/env bash
# The scheduler's planning benchmarks (JMH): a 1,000-container plan over 10,000 nodes and the capacity
# of a 10,000-node pod, each beside a baseline from the same run. Needs no lab.
set -Eeuo pipefail
jar=$BIU_ROOT/bench/target/biu-bench.jar
[[ -f $jar ]] || { echo "$jar is missing: build first (./mvnw package)" >&2; exit 1; }
args=()
[[ ${BIU_BENCH_SMOKE:-0} == 1 ]] && args=(--smoke)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! java -jar "$jar" "${args[@]}" >"$log" 2>&1; then
  tail -30 "$log" >&2
  exit 1
fi
sed -n '/^figure/,$p' "$log"
