#!/usr/bin/env bash
# Provisioning: from POST /api/v1/clusters to a 3x1 cluster whose every instance reports
# cluster_state:ok, against doing the same by hand in the same run: `docker run` of the same image with
# the same resources, addresses and nodes, then `redis-cli --cluster create --cluster-replicas 1` and
# polling until every instance reports cluster_state:ok. Rounds alternate; medians are reported.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then ROUNDS=1; else ROUNDS=5; fi
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
REDIS_CTL=$(sed -n 's/^redis-ctl.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
TLS=$DATA_DIR/tls/client
WORK=$(mktemp -d)
TOKEN=

api() { # URL TOKEN METHOD PATH [BODY]
  curl -sS --max-time 60 -H @<(printf 'Authorization: Bearer %s\n' "$2") -H 'Content-Type: application/json' -X "$3" \
    ${5:+-d "$5"} "$1$4"
}
docker_on() { # NODE ARGS...
  local node=$1
  shift
  "$DOCKER" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/cert.pem" --tlskey "$TLS/key.pem" \
    -H "tcp://$(node_ip "$node"):$NODE_DOCKER_PORT" "$@"
}
remove_by_hand() {
  local i node
  for ((node = 1; node <= BIU_NODES; node++)); do
    for i in $(seq 1 6); do docker_on "$node" rm -f "$BIU_INSTANCE-prov-$i" >/dev/null 2>&1 || true; done
  done
}
cleanup() {
  local id
  if [[ -f $WORK/clusters ]]; then
    while read -r id; do api "$REDIS_CTL" "$TOKEN" DELETE "/clusters/$id" >/dev/null 2>&1 || true; done <"$WORK/clusters"
  fi
  remove_by_hand
  rm -rf "$WORK"
}
trap cleanup EXIT

api "$SCHEDULER" "$OPERATOR" PUT /pods/lab/tenants \
  "$(api "$SCHEDULER" "$OPERATOR" GET /pods/lab | jq '{tenants: (.tenants + ["bench"] | unique)}')" >/dev/null
TOKEN=$(api "$SCHEDULER" "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench","tenant":"bench"}' | jq -r .secret)

all_ok() { # PASSWORD ADDRESS...
  local pw=$1 a
  shift
  for a in "$@"; do
    [[ $(REDISCLI_AUTH=$pw redis-cli -h "$a" --no-auth-warning cluster info 2>/dev/null |
      tr -d '\r' | sed -n 's/^cluster_state://p') == ok ]] || return 1
  done
}

# One cluster through the platform; prints milliseconds, leaves its placements in $WORK/placements.
through_platform() {
  local start reply id pw state addresses
  start=$(now_ms)
  reply=$(api "$REDIS_CTL" "$TOKEN" POST /clusters \
    "{\"name\":\"prov-$RANDOM$RANDOM\",\"pod\":\"lab\",\"cpu\":0.1,\"memory\":\"64MiB\",\"persistence\":\"none\"}")
  id=$(jq -r '.id // empty' <<<"$reply")
  [[ -n $id ]] || { echo "the cluster was refused: $reply" >&2; return 1; }
  echo "$id" >>"$WORK/clusters"
  pw=$(jq -r .password <<<"$reply")
  for _ in $(seq 1 1200); do
    state=$(api "$REDIS_CTL" "$TOKEN" GET "/clusters/$id" | tee "$WORK/cluster.json" | jq -r .state)
    [[ $state == ready || $state == failed ]] && break
    sleep 0.05
  done
  [[ $state == ready ]] || { echo "cluster $id ended $state: $(jq -c .task "$WORK/cluster.json")" >&2; return 1; }
  mapfile -t addresses < <(jq -r '.instances[].address' "$WORK/cluster.json")
  until all_ok "$pw" "${addresses[@]}"; do sleep 0.05; done
  echo $(($(now_ms) - start))
  jq -r '.instances[] | "\(.node | ltrimstr("node")) \(.address)"' "$WORK/cluster.json" >"$WORK/placements"
  api "$SCHEDULER" "$TOKEN" GET "/apps/redis-$(jq -r .name "$WORK/cluster.json")/containers" |
    jq -r '.[] | "\(.address) \(.cpuset | map(tostring) | join(","))"' >"$WORK/cpusets"
  api "$REDIS_CTL" "$TOKEN" DELETE "/clusters/$id" >/dev/null
  until [[ $(api "$REDIS_CTL" "$TOKEN" GET "/clusters/$id" | jq -r '.error // empty') == NOT_FOUND ]]; do sleep 0.2; done
}

# The same six instances by hand, on the same nodes, cores and addresses; prints milliseconds.
by_hand() {
  local start i=0 node address cpuset addresses=() pw=bench-password
  start=$(now_ms)
  while read -r node address; do
    i=$((i + 1))
    cpuset=$(awk -v a="$address" '$1 == a { print $2 }' "$WORK/cpusets")
    docker_on "$node" run -d --init --name "$BIU_INSTANCE-prov-$i" --network biu-lab --ip "$address" \
      --cpuset-cpus "$cpuset" --cpu-shares 102 -m 64m --memory-swap 64m "$IMAGE_REDIS" redis-server \
      --cluster-enabled yes --cluster-node-timeout 2000 --requirepass "$pw" --masterauth "$pw" \
      --maxmemory 48mb --protected-mode no --save "" --appendonly no >/dev/null &
    addresses+=("$address")
  done <"$WORK/placements"
  wait
  for address in "${addresses[@]}"; do
    until REDISCLI_AUTH=$pw redis-cli -h "$address" --no-auth-warning ping >/dev/null 2>&1; do sleep 0.05; done
  done
  REDISCLI_AUTH=$pw redis-cli --no-auth-warning --cluster create "${addresses[@]/%/:6379}" \
    --cluster-replicas 1 --cluster-yes >"$WORK/create.log" 2>&1 || { cat "$WORK/create.log" >&2; return 1; }
  until all_ok "$pw" "${addresses[@]}"; do sleep 0.05; done
  echo $(($(now_ms) - start))
  remove_by_hand
}

platform=() manual=()
for _ in $(seq 1 "$ROUNDS"); do
  platform+=("$(through_platform)")
  manual+=("$(by_hand)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
awk -v n="$ROUNDS" -v p="$(median "${platform[@]}")" -v m="$(median "${manual[@]}")" 'BEGIN {
  printf "%-40s %10s %10s %8s %s\n", "figure", "biu", "by hand", "ratio", "target"
  printf "%-40s %9.2fs %9.2fs %8.2f %s\n", "3x1 cluster to cluster_state:ok (median of " n ")", p / 1000, m / 1000, m / p, "biu under 10 s"
}'
