#!/usr/bin/env bash
# End-to-end deployments per second through the scheduler (plan, reserve, create, copy, start, events),
# against `docker run` of the same image with the same resources and addresses, to the same nodes, at
# the same concurrency, in the same run. One container per deployment.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then COUNT=6 CONCURRENCY=3; else COUNT=48 CONCURRENCY=8; fi
[[ -f $DATA_DIR/services.properties ]] || { echo "the scheduler is not up: run ./biu up" >&2; exit 1; }
URL=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
TLS=$DATA_DIR/tls/client
APP=bench-$RANDOM$RANDOM
WORK=$(mktemp -d)
TOKEN=

api() { # TOKEN METHOD PATH [BODY]
  curl -sS --max-time 300 -H @<(printf 'Authorization: Bearer %s\n' "$1") -H 'Content-Type: application/json' -X "$2" \
    ${4:+-d "$4"} "$URL$3"
}

cleanup() {
  if [[ -n $TOKEN ]]; then
    api "$TOKEN" PUT "/apps/$APP/scale" '{"replicas":0}' >/dev/null 2>&1 || true
    api "$TOKEN" DELETE "/apps/$APP" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Pod "lab" with every lab node is registered by ./biu up.
[[ $(api "$OPERATOR" GET /pods/lab | jq -r '.name // empty') == lab ]] || { echo "pod lab is missing: run ./biu up" >&2; exit 1; }
api "$OPERATOR" PUT /pods/lab/tenants "$(api "$OPERATOR" GET /pods/lab | jq '{tenants: (.tenants + ["bench"] | unique)}')" >/dev/null
TOKEN=$(api "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench","tenant":"bench"}' | jq -r .secret)
api "$TOKEN" POST /apps "{\"name\":\"$APP\",\"pod\":\"lab\",\"image\":\"$IMAGE_WEB\",\"cpu\":0.1,\"memory\":\"16MiB\",\"stopGraceSeconds\":1}" >/dev/null

# Through the scheduler.
deploy_one() {
  curl -sS --max-time 300 -o /dev/null -w '%{http_code}\n' -H @<(printf 'Authorization: Bearer %s\n' "$TOKEN") \
    -H 'Content-Type: application/json' -X POST -d '{"count":1}' "$URL/apps/$APP/containers"
}
export -f deploy_one
export URL TOKEN APP
start=$(now_ms)
seq "$COUNT" | xargs -P "$CONCURRENCY" -I{} bash -c deploy_one >"$WORK/codes" 2>&1 || true
scheduler_ms=$(($(now_ms) - start))
ok=$(grep -c '^201$' "$WORK/codes" || true)
[[ $ok == "$COUNT" ]] || { echo "only $ok of $COUNT deployments succeeded: $(sort "$WORK/codes" | uniq -c | tr '\n' ' ')" >&2; exit 1; }

# The same containers by hand: same nodes, cores, shares, memory, addresses; then the scheduler's go.
api "$TOKEN" GET "/apps/$APP/containers" |
  jq -r '.[] | "\(.node | ltrimstr("node")) \(.cpuset | map(tostring) | join(",")) \(.address)"' >"$WORK/placements"
api "$TOKEN" PUT "/apps/$APP/scale" '{"replicas":0}' >/dev/null
run_by_hand() { # INDEX NODE CPUSET ADDRESS
  "$DOCKER" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/cert.pem" --tlskey "$TLS/key.pem" \
    -H "tcp://$(node_ip "$2"):$NODE_DOCKER_PORT" run -d --init --name "$BIU_INSTANCE-bench-$1" \
    --network biu-lab --ip "$4" --cpuset-cpus "$3" --cpu-shares 102 -m 16m --memory-swap 16m "$IMAGE_WEB" >/dev/null
}
remove_by_hand() { # INDEX NODE
  "$DOCKER" --tlsverify --tlscacert "$TLS/ca.pem" --tlscert "$TLS/cert.pem" --tlskey "$TLS/key.pem" \
    -H "tcp://$(node_ip "$2"):$NODE_DOCKER_PORT" rm -f "$BIU_INSTANCE-bench-$1" >/dev/null 2>&1 || true
}
export -f run_by_hand remove_by_hand node_ip
export DOCKER TLS NODE_DOCKER_PORT LAB_PREFIX IMAGE_WEB BIU_INSTANCE
awk '{ print NR, $0 }' "$WORK/placements" >"$WORK/numbered"
start=$(now_ms)
xargs -P "$CONCURRENCY" -L1 bash -c 'run_by_hand "$@"' _ <"$WORK/numbered"
docker_ms=$(($(now_ms) - start))
awk '{ print $1, $2 }' "$WORK/numbered" | xargs -P "$CONCURRENCY" -L1 bash -c 'remove_by_hand "$@"' _

awk -v n="$COUNT" -v c="$CONCURRENCY" -v s="$scheduler_ms" -v d="$docker_ms" 'BEGIN {
  printf "%-40s %10s %10s %8s %s\n", "figure", "per s", "docker run", "ratio", "target"
  printf "%-40s %10.1f %10.1f %8.2f %s\n", "deployments (" n " at concurrency " c ")", n * 1000 / s, n * 1000 / d, d / s, ">= 0.8"
}'
