#!/usr/bin/env bash
# Redis throughput through the lab's MacVLAN path (this machine -> shim -> lab bridge -> a
# biu/redis container on node1) against the same redis-server on loopback, measured in the
# same run. The ratio is the price of the lab's container networking that every later figure
# (proxy, migrations) pays too.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then REQUESTS=2000 ROUNDS=1; else REQUESTS=100000 ROUNDS=5; fi
CLIENTS=50
BASE_PORT=$((6391 + PORT_OFFSET))
NET=$BIU_INSTANCE-bench
NAME=$BIU_INSTANCE-bench-redis
ADDRESS=10.$OCTET.201.1
WORK=$(mktemp -d)
BASE_PID=

OWN_NET=0

cleanup() {
  [[ -n $BASE_PID ]] && kill "$BASE_PID" 2>/dev/null && wait "$BASE_PID" 2>/dev/null
  node_docker 1 rm -f "$NAME" >/dev/null 2>&1 || true
  if ((OWN_NET)); then node_docker 1 network rm "$NET" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

node_docker 1 rm -f "$NAME" >/dev/null 2>&1 || true
# Docker allows one MacVLAN network per parent on a host: use the one there (a pod's), or make one.
existing=$(node_docker 1 network ls -q --filter driver=macvlan | while read -r id; do
  [[ $(node_docker 1 network inspect -f '{{index .Options "parent"}}' "$id") == eth0 ]] &&
    node_docker 1 network inspect -f '{{.Name}}' "$id"
done | head -1)
if [[ -n $existing ]]; then
  NET=$existing
else
  node_docker 1 network create -d macvlan --subnet "$POD_RANGE" --gateway "$POD_GATEWAY" \
    -o parent=eth0 "$NET" >/dev/null
  OWN_NET=1
fi
node_docker 1 run -d --name "$NAME" --network "$NET" --ip "$ADDRESS" -m 256m --memory-swap 256m \
  "$IMAGE_REDIS" redis-server --protected-mode no --save "" --appendonly no >/dev/null

redis-server --bind 127.0.0.1 --port "$BASE_PORT" --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" 9>&- &
BASE_PID=$!

ready() { [[ $(redis-cli -h "$1" -p "$2" ping 2>/dev/null) == PONG ]]; }
wait_for "baseline redis" 20 ready 127.0.0.1 "$BASE_PORT" || { echo "baseline redis did not start" >&2; exit 1; }
wait_for "container redis" 20 ready "$ADDRESS" 6379 || { echo "container redis unreachable at $ADDRESS" >&2; exit 1; }

# requests per second of one command, from redis-benchmark's CSV: "SET","80000.00",...
rps() {
  redis-benchmark -h "$1" -p "$2" -c "$CLIENTS" -n "$REQUESTS" -t "$3" --csv 2>/dev/null |
    awk -F'","' -v t="$3" 'toupper(substr($1, 2)) == toupper(t) { print $2; exit }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Rounds alternate between the two paths so drift on a noisy machine hits both alike.
printf '%-6s %14s %14s %8s   (median of %d rounds, %d requests, %d clients)\n' \
  command "macvlan rps" "loopback rps" ratio "$ROUNDS" "$REQUESTS" "$CLIENTS"
for t in set get; do
  base_runs=() lab_runs=()
  for ((r = 0; r < ROUNDS; r++)); do
    base_runs+=("$(rps 127.0.0.1 "$BASE_PORT" "$t")")
    lab_runs+=("$(rps "$ADDRESS" 6379 "$t")")
  done
  base=$(printf '%s\n' "${base_runs[@]}" | median)
  lab=$(printf '%s\n' "${lab_runs[@]}" | median)
  [[ -n $base && -n $lab ]] || { echo "no figure for $t (baseline '$base', lab '$lab')" >&2; exit 1; }
  printf '%-6s %14.0f %14.0f %8.2f\n' "$t" "$lab" "$base" "$(awk -v a="$lab" -v b="$base" 'BEGIN { print a / b }')"
done
