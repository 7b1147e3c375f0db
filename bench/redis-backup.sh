#!/usr/bin/env bash
# Backup and restore throughput: MB/s and keys/s of redis-ctl's backup of a 3-master cluster (every master's
# RDB taken as a replica would, checked and recorded) against `redis-cli --rdb` of the same masters one after
# another, and of redis-ctl's restore of that backup into an empty 3-master cluster against a plain load of
# the same keys (pipelined SETs by the bench's loader). Same clusters, same lab, same run.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then KEYS=20000 MEMORY=128MiB; else
  KEYS=${BIU_BENCH_KEYS:-1000000} MEMORY=512MiB; fi
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
REDIS_CTL=$(sed -n 's/^redis-ctl.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
NAME=bak-$RANDOM$RANDOM
WORK=$(mktemp -d)
TOKEN=
IDS=()

api() { # URL TOKEN METHOD PATH [BODY]
  curl -sS --max-time 120 -H @<(printf 'Authorization: Bearer %s\n' "$2") -H 'Content-Type: application/json' \
    -X "$3" ${5:+-d "$5"} "$1$4"
}
ctl() { api "$REDIS_CTL" "$TOKEN" "$@"; }
cleanup() {
  local id
  for id in "${IDS[@]}"; do
    for _ in $(seq 1 60); do
      ctl DELETE "/clusters/$id" >/dev/null 2>&1 || true
      [[ $(ctl GET "/clusters/$id" | jq -r '.error // empty') == NOT_FOUND ]] && break
      sleep 1
    done
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

api "$SCHEDULER" "$OPERATOR" PUT /pods/lab/tenants \
  "$(api "$SCHEDULER" "$OPERATOR" GET /pods/lab | jq '{tenants: (.tenants + ["bench"] | unique)}')" >/dev/null
TOKEN=$(api "$SCHEDULER" "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench","tenant":"bench"}' | jq -r .secret)

await_task() { # TASK_ID
  local state
  for _ in $(seq 1 36000); do
    state=$(ctl GET "/tasks/$1" | tee "$WORK/task.json" | jq -r .state)
    [[ $state == "done" ]] && return 0
    [[ $state == failed ]] && { echo "task $1 failed: $(jq -c . "$WORK/task.json")" >&2; return 1; }
    sleep 0.1
  done
  echo "task $1 did not finish" >&2
  return 1
}
# Creates a 3-master cluster and waits until it serves: its id and password in CREATED_ID, CREATED_PASSWORD.
cluster() { # NAME
  local reply
  reply=$(ctl POST /clusters "{\"name\":\"$1\",\"pod\":\"lab\",\"masters\":3,\"replicas\":0,\"cpu\":0.5,
    \"memory\":\"$MEMORY\",\"persistence\":\"none\"}")
  CREATED_ID=$(jq -r '.id // empty' <<<"$reply")
  [[ -n $CREATED_ID ]] || { echo "the cluster was refused: $reply" >&2; return 1; }
  IDS+=("$CREATED_ID")
  CREATED_PASSWORD=$(jq -r .password <<<"$reply")
  await_task "$(jq -r .taskId <<<"$reply")"
}
masters() { ctl GET "/clusters/$1" | jq -r '.instances[] | select(.role == "master") | .address'; }
keys() { # ID PASSWORD
  local total=0 a
  for a in $(masters "$1"); do total=$((total + $(REDISCLI_AUTH=$2 redis-cli --no-auth-warning -h "$a" dbsize))); done
  echo "$total"
}

cluster "$NAME"
SOURCE=$CREATED_ID SOURCE_PASSWORD=$CREATED_PASSWORD
cluster "$NAME-to"
TARGET=$CREATED_ID TARGET_PASSWORD=$CREATED_PASSWORD
SEED=$(masters "$SOURCE" | head -1)
java -cp "$BIU_ROOT/bench/target/biu-bench.jar" io.biu.bench.LoadKeys "$SEED" "$SOURCE_PASSWORD" "$KEYS" 100 2>/dev/null
total=$(keys "$SOURCE" "$SOURCE_PASSWORD")

# Backup through redis-ctl, then redis-cli --rdb of the same masters one after another.
start=$(now_ms)
backup=$(ctl POST "/clusters/$SOURCE/backups" '{}')
BACKUP=$(jq -r '.id // empty' <<<"$backup")
[[ -n $BACKUP ]] || { echo "the backup was refused: $backup" >&2; exit 1; }
await_task "$(jq -r .taskId <<<"$backup")"
backup_ms=$(($(now_ms) - start))
bytes=$(ctl GET "/backups/$BACKUP" | jq -r .bytes)
start=$(now_ms)
for a in $(masters "$SOURCE"); do
  REDISCLI_AUTH=$SOURCE_PASSWORD redis-cli --no-auth-warning -h "$a" --rdb "$WORK/$a.rdb" >/dev/null 2>&1
done
rdb_ms=$(($(now_ms) - start))
rdb_bytes=$(cat "$WORK"/*.rdb | wc -c)

# Restore through redis-ctl into the empty cluster; then, emptied again, a plain load of as many keys.
start=$(now_ms)
await_task "$(ctl POST "/clusters/$TARGET/restore" "{\"backup\":$BACKUP}" | jq -r .id)"
restore_ms=$(($(now_ms) - start))
restored=$(keys "$TARGET" "$TARGET_PASSWORD")
[[ $restored == "$total" ]] || { echo "the restore brought $restored keys of $total" >&2; exit 1; }
for a in $(masters "$TARGET"); do
  REDISCLI_AUTH=$TARGET_PASSWORD redis-cli --no-auth-warning -h "$a" flushall >/dev/null
done
start=$(now_ms)
java -cp "$BIU_ROOT/bench/target/biu-bench.jar" io.biu.bench.LoadKeys "$(masters "$TARGET" | head -1)" \
  "$TARGET_PASSWORD" "$KEYS" 100 2>/dev/null
load_ms=$(($(now_ms) - start))

# The backup's time covers taking every master's RDB, reading each file back in full (checksum and key count)
# and recording the manifest; redis-cli's only the transfers. The restore's covers checking every file before
# writing, then RESTORE ... REPLACE by slot; the plain load writes the values afresh.
awk -v n="$total" -v b="$bytes" -v rb="$rdb_bytes" -v bm="$backup_ms" -v rm="$rdb_ms" -v sm="$restore_ms" \
  -v lm="$load_ms" 'BEGIN {
  mb = 1024 * 1024
  printf "%-44s %12s %12s %8s\n", "figure (" n " keys, " sprintf("%.1f", b / mb) " MB of RDB)", "biu", "baseline", "ratio"
  printf "%-44s %12.1f %12.1f %8.2f   (redis-cli --rdb, one master after another)\n", "backup MB/s", b / mb / (bm / 1000), rb / mb / (rm / 1000), (b / bm) / (rb / rm)
  printf "%-44s %12d %12d %8.2f\n", "backup keys/s", n * 1000 / bm, n * 1000 / rm, rm / bm
  printf "%-44s %12.1f %12.1f %8.2f   (a plain pipelined load of the same keys)\n", "restore MB/s", b / mb / (sm / 1000), b / mb / (lm / 1000), lm / sm
  printf "%-44s %12d %12d %8.2f\n", "restore keys/s", n * 1000 / sm, n * 1000 / lm, lm / sm
}'
if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then
  printf "(smoke run: a small dataset, so these figures say only that the script works)\n"
fi
