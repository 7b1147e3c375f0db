#!/usr/bin/env bash
# Slot migration throughput: keys per second moved by redis-ctl (a master joins, then is drained) against
# `redis-cli --cluster rebalance` moving the same share of the same dataset to and from an empty master,
# at each of several --cluster-pipeline values, the best of which is the baseline. Same cluster, same
# lab, same run.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then KEYS=20000 PIPELINES=(100) MEMORY=128MiB; else
  KEYS=${BIU_BENCH_KEYS:-1000000} MEMORY=512MiB
  read -r -a PIPELINES <<<"${BIU_BENCH_PIPELINES:-10 100 1000}"; fi
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
REDIS_CTL=$(sed -n 's/^redis-ctl.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
NAME=mig-$RANDOM$RANDOM
BASELINE_APP=$NAME-by-hand
WORK=$(mktemp -d)
TOKEN=
ID=

api() { # URL TOKEN METHOD PATH [BODY]
  curl -sS --max-time 120 -H @<(printf 'Authorization: Bearer %s\n' "$2") -H 'Content-Type: application/json' -X "$3" \
    ${5:+-d "$5"} "$1$4"
}
ctl() { api "$REDIS_CTL" "$TOKEN" "$@"; }
sch() { api "$SCHEDULER" "$TOKEN" "$@"; }
cleanup() {
  if [[ -n $ID ]]; then
    for _ in $(seq 1 60); do
      ctl DELETE "/clusters/$ID" >/dev/null 2>&1 || true
      [[ $(ctl GET "/clusters/$ID" | jq -r '.error // empty') == NOT_FOUND ]] && break
      sleep 1
    done
  fi
  if [[ -n $TOKEN ]]; then
    sch PUT "/apps/$BASELINE_APP/scale" '{"replicas":0}' >/dev/null 2>&1 || true
    sch DELETE "/apps/$BASELINE_APP" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

api "$SCHEDULER" "$OPERATOR" PUT /pods/lab/tenants \
  "$(api "$SCHEDULER" "$OPERATOR" GET /pods/lab | jq '{tenants: (.tenants + ["bench"] | unique)}')" >/dev/null
TOKEN=$(api "$SCHEDULER" "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench","tenant":"bench"}' | jq -r .secret)

await_task() { # TASK_ID
  local state
  for _ in $(seq 1 3600); do
    state=$(ctl GET "/tasks/$1" | tee "$WORK/task.json" | jq -r .state)
    [[ $state == "done" ]] && return 0
    [[ $state == failed ]] && { echo "task $1 failed: $(jq -c . "$WORK/task.json")" >&2; return 1; }
    sleep 0.1
  done
  echo "task $1 did not finish" >&2
  return 1
}
await_ready() { # CONTAINER_ID
  for _ in $(seq 1 300); do
    [[ $(sch GET "/containers/$1" | jq -r .ready) == true ]] && return 0
    sleep 0.2
  done
  echo "container $1 never became ready" >&2
  return 1
}
dbsize() { REDISCLI_AUTH=$PASSWORD redis-cli --no-auth-warning -h "$1" dbsize; }
# redis-cli --cluster as one of the cluster's own: its instances take MEET, MIGRATE and their views only over
# TLS under the cluster's key, which the operator reads from an instance's secret files
cluster_cli() {
  REDISCLI_AUTH=$PASSWORD redis-cli --no-auth-warning --tls --cert "$WORK/bus.crt" --key "$WORK/bus.key" \
    --cacert "$WORK/bus.crt" "$@"
}
instance_file() { # CONTAINER_ID PATH: a file of a container of the cluster, from its node's engine
  local c node
  c=$(sch GET "/containers/$1")
  node=$(jq -r .node <<<"$c")
  node_docker "${node#node}" cp "$(jq -r .engineId <<<"$c")":"$2" - | tar -xO
}

# A 2-master cluster holding the dataset.
reply=$(ctl POST /clusters "{\"name\":\"$NAME\",\"pod\":\"lab\",\"masters\":2,\"replicas\":0,\"cpu\":0.5,
  \"memory\":\"$MEMORY\",\"persistence\":\"none\"}")
ID=$(jq -r '.id // empty' <<<"$reply")
[[ -n $ID ]] || { echo "the cluster was refused: $reply" >&2; exit 1; }
PASSWORD=$(jq -r .password <<<"$reply")
await_task "$(jq -r .taskId <<<"$reply")"
SEED=$(ctl GET "/clusters/$ID" | jq -r '.instances[0].address')
java -cp "$BIU_ROOT/bench/target/biu-bench.jar" io.biu.bench.LoadKeys "$SEED" "$PASSWORD" "$KEYS" 100 2>/dev/null
total=0
for a in $(ctl GET "/clusters/$ID" | jq -r '.instances[].address'); do total=$((total + $(dbsize "$a"))); done

# Through redis-ctl: a master joins (and takes a third of the keys), then is drained (and gives them back).
container=$(sch POST "/apps/redis-$NAME/containers" '{"count":1,"role":"master"}' | jq -r '.[0].id')
await_ready "$container"
start=$(now_ms)
await_task "$(ctl POST "/clusters/$ID/members" "{\"members\":[{\"container\":$container,\"role\":\"master\"}]}" | jq -r .id)"
join_ms=$(($(now_ms) - start))
join_migrate_ms=$(jq '.timings[] | select(.step == "migrate") | .tookMs' "$WORK/task.json")
address=$(sch GET "/containers/$container" | jq -r .address)
moved=$(dbsize "$address")
instance=$(ctl GET "/clusters/$ID" | jq -r ".instances[] | select(.containerId == $container) | .id")
start=$(now_ms)
await_task "$(ctl POST "/clusters/$ID/instances/$instance/drain" '{}' | jq -r .id)"
drain_ms=$(($(now_ms) - start))
drain_migrate_ms=$(jq '.timings[] | select(.step == "migrate") | .tookMs' "$WORK/task.json")
ctl DELETE "/clusters/$ID/instances/$instance" >/dev/null
biu_fill=$((moved * 1000 / join_migrate_ms))
biu_empty=$((moved * 1000 / drain_migrate_ms))
task_fill=$((moved * 1000 / join_ms))
task_empty=$((moved * 1000 / drain_ms))

# By hand: an empty master of the same image and resources, not of the cluster's app (so nobody adopts
# it), holding the cluster's TLS key, added with redis-cli and filled and emptied by `redis-cli --cluster rebalance`.
first=$(ctl GET "/clusters/$ID" | jq -r '.instances[0].containerId')
(umask 077 && instance_file "$first" /etc/redis/tls/bus.crt >"$WORK/bus.crt" &&
  instance_file "$first" /etc/redis/tls/bus.key >"$WORK/bus.key")
conf=$(printf 'port 6379\ncluster-enabled yes\ncluster-node-timeout 5000\nrequirepass %s\nmasterauth %s\nmaxmemory %s\nsave ""\nappendonly no\nprotected-mode no\ntls-port 6380\ntls-cluster yes\ntls-replication yes\ntls-auth-clients yes\ntls-cert-file /etc/redis/tls/bus.crt\ntls-key-file /etc/redis/tls/bus.key\ntls-ca-cert-file /etc/redis/tls/bus.crt\n' \
  "$PASSWORD" "$PASSWORD" "$(ctl GET "/clusters/$ID" | jq -r .maxmemory)" | base64 -w0)
files=$(jq -nc --arg conf "$conf" --arg crt "$(base64 -w0 <"$WORK/bus.crt")" --arg key "$(base64 -w0 <"$WORK/bus.key")" \
  '[{path: "/etc/redis/redis.conf", content: $conf, mode: "0400"}, {path: "/etc/redis/tls/bus.crt", content: $crt,
    mode: "0400"}, {path: "/etc/redis/tls/bus.key", content: $key, mode: "0400"}]')
sch POST /apps "{\"name\":\"$BASELINE_APP\",\"pod\":\"lab\",\"image\":\"$IMAGE_REDIS\",\"command\":[\"redis-server\",\"/etc/redis/redis.conf\"],
  \"cpu\":0.5,\"memory\":\"$MEMORY\",\"probe\":{\"tcp\":6379},\"files\":$files}" >/dev/null
best_fill=0 best_empty=0 best_pipeline=0
for pipeline in "${PIPELINES[@]}"; do
  container=$(sch POST "/apps/$BASELINE_APP/containers" '{"count":1}' | jq -r '.[0].id')
  await_ready "$container"
  address=$(sch GET "/containers/$container" | jq -r .address)
  node_id=$(REDISCLI_AUTH=$PASSWORD redis-cli --no-auth-warning -h "$address" cluster myid)
  cluster_cli --cluster add-node "$address:6380" "$SEED:6380" >"$WORK/add.log" 2>&1
  # the new master is known once every master lists it out of handshake and it sees the cluster whole
  for _ in $(seq 1 150); do
    known=1
    for a in $(ctl GET "/clusters/$ID" | jq -r '.instances[] | select(.state == "active") | .address'); do
      REDISCLI_AUTH=$PASSWORD redis-cli --no-auth-warning -h "$a" cluster nodes | grep "^$node_id " |
        grep -qv handshake || known=0
    done
    REDISCLI_AUTH=$PASSWORD redis-cli --no-auth-warning -h "$address" cluster info | grep -q '^cluster_state:ok' || known=0
    ((known)) && cluster_cli --cluster check "$SEED:6380" >/dev/null 2>&1 && break
    sleep 0.2
  done
  start=$(now_ms)
  cluster_cli --cluster rebalance "$SEED:6380" --cluster-use-empty-masters \
    --cluster-pipeline "$pipeline" >"$WORK/rebalance.log" 2>&1 || { cat "$WORK/rebalance.log" >&2; exit 1; }
  fill_ms=$(($(now_ms) - start))
  moved_by_hand=$(dbsize "$address")
  start=$(now_ms)
  cluster_cli --cluster rebalance "$SEED:6380" --cluster-weight "$node_id=0" \
    --cluster-pipeline "$pipeline" >"$WORK/rebalance.log" 2>&1 || { cat "$WORK/rebalance.log" >&2; exit 1; }
  empty_ms=$(($(now_ms) - start))
  cluster_cli --cluster del-node "$SEED:6380" "$node_id" >/dev/null 2>&1 || true
  sch DELETE "/containers/$container" >/dev/null
  fill=$((moved_by_hand * 1000 / fill_ms))
  empty=$((moved_by_hand * 1000 / empty_ms))
  echo "redis-cli --cluster rebalance --cluster-pipeline $pipeline: $moved_by_hand keys each way," \
    "$fill keys/s filling, $empty keys/s emptying" >&2
  if ((fill + empty > best_fill + best_empty)); then best_fill=$fill best_empty=$empty best_pipeline=$pipeline; fi
done

# Like for like, biu's figures are its tasks' migrate step (planning, counting, moving, announcing) and
# redis-cli's its rebalance command. The whole tasks also include, for joining, MEET and the wait for every
# member to know the newcomer and, for draining, the re-homing of replicas, FORGET and the drain grace
# (redis-cli's add-node, del-node and the waits around them are not timed).
awk -v n="$total" -v m="$moved" -v bf="$biu_fill" -v be="$biu_empty" -v rf="$best_fill" -v re="$best_empty" \
  -v tf="$task_fill" -v te="$task_empty" -v p="$best_pipeline" 'BEGIN {
  printf "%-52s %10s %10s %8s %s\n", "figure (keys/s; " m " of " n " keys)", "biu", "redis-cli", "ratio", "target"
  printf "%-52s %10d %10d %8.2f %s\n", "a new master takes its share (migrate / rebalance)", bf, rf, bf / rf, ">= 1.5"
  printf "%-52s %10d %10d %8.2f %s\n", "a master gives its slots away (migrate / weight 0)", be, re, be / re, ">= 1.5"
  printf "%-52s %10d %10d %8.2f\n", "  the whole join task / rebalance", tf, rf, tf / rf
  printf "%-52s %10d %10d %8.2f\n", "  the whole drain task / weight 0", te, re, te / re
  printf "redis-cli at its best --cluster-pipeline: %s\n", p
}'
