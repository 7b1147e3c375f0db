#!/usr/bin/env bash
# The proxy against the cluster it fronts: redis-benchmark's SET and GET through one proxy (one event
# loop thread) and directly against the same cluster with `redis-benchmark --cluster --threads 1`, at
# pipelines of 1 and 16, same run, same machine. redis-benchmark samples completion only every 250 ms
# in threaded mode, so the direct runs get 5x the requests at P1 and 15x at P16. A discarded run warms
# the proxy's JIT first. Then clients that misbehave beside a good one (bench/src/.../ProxyAbuse.java).
# The machine is shared and noisy: the pairs run in several rounds, each ratio
# is proxy over direct within its round, and the figure is the median round's (with the range). Also:
# the proxy's resident memory afterwards.
#
# Where redis-benchmark runs: the lab's nodes share this machine's cores, and the scheduler pins the proxy
# and the instances to cores of their own, but it knows nothing of redis-benchmark, which the kernel then
# often runs on the proxy's core (a send wakes it there): on two cores that alone moves the proxy's figure
# by a quarter from one run to the next. A client runs on another machine in production; the nearest this
# machine comes is keeping it off the cores of what it measures: through the proxy, off the proxy's core;
# direct, off the masters' cores (redis-benchmark measured both ways; the other placement is slower for
# each). BIU_BENCH_PIN=0 leaves it to the kernel.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then N1=5000 N16=20000 WARM=10000 ROUNDS=1 IDLE=300 NEVER_READING=2; else
  N1=${BIU_BENCH_N1:-200000} N16=${BIU_BENCH_N16:-1000000} WARM=500000 ROUNDS=${BIU_BENCH_ROUNDS:-5}
  IDLE=10000 NEVER_READING=8; fi
CLIENTS=50
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
REDIS_CTL=$(sed -n 's/^redis-ctl.url=//p' "$DATA_DIR/services.properties")/api/v1
ADMIN=$(sed -n 's/^admin.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
NAME=pb-$RANDOM$RANDOM
WORK=$(mktemp -d)
TOKEN=
ID=
ENDPOINT=

api() { # URL TOKEN METHOD PATH [BODY]
  curl -sS --max-time 120 -H @<(printf 'Authorization: Bearer %s\n' "$2") -H 'Content-Type: application/json' -X "$3" \
    ${5:+-d "$5"} "$1$4"
}
ctl() { api "$REDIS_CTL" "$TOKEN" "$@"; }
cleanup() {
  if [[ -n $ENDPOINT ]]; then api "$ADMIN" "$TOKEN" DELETE "/endpoints/$ENDPOINT" >/dev/null 2>&1 || true; fi
  if [[ -n $ID ]]; then
    for _ in $(seq 1 60); do
      ctl DELETE "/clusters/$ID" >/dev/null 2>&1 || true
      [[ $(ctl GET "/clusters/$ID" | jq -r '.error // empty') == NOT_FOUND ]] && break
      sleep 1
    done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

api "$SCHEDULER" "$OPERATOR" PUT /pods/lab/tenants \
  "$(api "$SCHEDULER" "$OPERATOR" GET /pods/lab | jq '{tenants: (.tenants + ["bench"] | unique)}')" >/dev/null
TOKEN=$(api "$SCHEDULER" "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench","tenant":"bench"}' | jq -r .secret)

reply=$(ctl POST /clusters "{\"name\":\"$NAME\",\"pod\":\"lab\",\"masters\":3,\"replicas\":0,\"cpu\":0.5,
  \"memory\":\"256MiB\",\"persistence\":\"none\"}")
ID=$(jq -r '.id // empty' <<<"$reply")
[[ -n $ID ]] || { echo "the cluster was refused: $reply" >&2; exit 1; }
PASSWORD=$(jq -r .password <<<"$reply")
for _ in $(seq 1 300); do
  [[ $(ctl GET "/clusters/$ID" | jq -r .state) == ready ]] && break
  sleep 0.2
done
SEED=$(ctl GET "/clusters/$ID" | jq -r '.instances[0].address')
reply=$(api "$ADMIN" "$TOKEN" POST /endpoints "{\"cluster\":$ID,\"proxies\":1}")
ENDPOINT=$(jq -r '.id // empty' <<<"$reply")
[[ -n $ENDPOINT ]] || { echo "the endpoint was refused: $reply" >&2; exit 1; }
PROXY_PASSWORD=$(jq -r .password <<<"$reply")
PROXY=$(jq -r '.addresses[0]' <<<"$reply" | cut -d: -f1)
PROXY_PORT=$(jq -r '.addresses[0]' <<<"$reply" | cut -d: -f2)
for _ in $(seq 1 300); do
  [[ $(api "$ADMIN" "$TOKEN" GET "/endpoints/$ENDPOINT" | jq -r .state) == ready ]] && break
  sleep 0.2
done

# The cores of a container as the scheduler pinned it ("0" or "0,1"), from its JSON.
CPUSET_JQ='(.cpuset // []) | map(tostring) | join(",")'
container() { api "$SCHEDULER" "$OPERATOR" GET "/containers/$1"; }
cpuset() { container "$1" | jq -r "$CPUSET_JQ"; }
# This machine's cores outside the given lists ("" when none is left, or pinning is off).
other_cores() { # LIST...
  [[ ${BIU_BENCH_PIN:-1} == 1 ]] || return 0
  local used
  used=",$(IFS=,; echo "$*"),"
  seq 0 $(($(nproc) - 1)) | while read -r c; do [[ $used == *",$c,"* ]] || echo "$c"; done | paste -sd,
}
PROXY_CONTAINER=$(api "$ADMIN" "$TOKEN" GET "/endpoints/$ENDPOINT" | jq -r '.proxies[0].container')
mapfile -t MASTER_CONTAINERS < <(ctl GET "/clusters/$ID" | jq -r '.instances[] | select(.role == "master") | .containerId')
CLIENT_CORES_PROXY=$(other_cores "$(cpuset "$PROXY_CONTAINER")")
mapfile -t MASTER_CORES < <(for c in "${MASTER_CONTAINERS[@]}"; do cpuset "$c"; done)
CLIENT_CORES_DIRECT=$(other_cores "${MASTER_CORES[@]}")
# "round,label,test,rps,p99" lines of one redis-benchmark run, on CORES ("": wherever the kernel puts it)
run() { # ROUND LABEL CORES ARGS...
  local round=$1 label=$2 pin=()
  [[ -n $3 ]] && pin=(taskset -c "$3")
  shift 3
  "${pin[@]}" redis-benchmark --csv -c "$CLIENTS" -t set,get "$@" 2>/dev/null | tr -d '"' |
    awk -F, -v r="$round" -v l="$label" 'NR > 1 { print r "," l "," tolower($1) "," $2 "," $7 }' >>"$WORK/results.csv"
}
through_proxy() { run "$1" "$2" "$CLIENT_CORES_PROXY" -h "$PROXY" -a "$PROXY_PASSWORD" "${@:3}"; }
direct() { run "$1" "$2" "$CLIENT_CORES_DIRECT" -h "$SEED" -a "$PASSWORD" --cluster --threads 1 "${@:3}"; }

through_proxy 0 warm -n "$WARM" -P 16
rm -f "$WORK/results.csv"
for round in $(seq 1 "$ROUNDS"); do
  through_proxy "$round" proxy-p1 -n "$N1" -P 1
  direct "$round" direct-p1 -n $((N1 * 5)) -P 1
  through_proxy "$round" proxy-p16 -n "$N16" -P 16
  direct "$round" direct-p16 -n $((N16 * 15)) -P 16
done

# the proxy's resident memory: its java process, seen from this host
proxy_json=$(container "$PROXY_CONTAINER")
node=$(jq -r .node <<<"$proxy_json")
engine_id=$(jq -r .engineId <<<"$proxy_json")
pid=$(node_docker "${node#node}" inspect -f '{{.State.Pid}}' "$engine_id" 2>/dev/null || echo 0)
rss_kib=0 java_pid=0
for p in $pid $(pgrep -P "$pid" 2>/dev/null || true); do
  r=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
  ((r > rss_kib)) && rss_kib=$r java_pid=$p
done

# Where the parties ran: the lab's nodes share this machine's cores, so which cores the proxy, the master of
# redis-benchmark's key (one key, one master, at every pipeline through the proxy) and redis-benchmark run on
# decides how much the three busy processes contend. A fresh cluster lands wherever the scheduler puts it.
cores() { container "$1" | jq -r '.node + " core " + ('"$CPUSET_JQ"')'; }
slot=$(REDISCLI_AUTH=$PASSWORD redis-cli -h "$SEED" --no-auth-warning cluster keyslot 'key:__rand_int__')
key_master=$(REDISCLI_AUTH=$PASSWORD redis-cli -h "$SEED" --no-auth-warning cluster nodes |
  awk -v s="$slot" '/master/ { for (i = 9; i <= NF; i++) { split($i, r, "-"); if (r[2] == "") r[2] = r[1];
    if (s >= r[1] && s <= r[2]) { split($2, a, ":"); print a[1] } } }' | head -1)
key_container=$(ctl GET "/clusters/$ID" | jq -r --arg a "$key_master" '.instances[] | select(.address == $a) | .containerId')
PLACEMENT="the proxy on $(cores "$PROXY_CONTAINER"); the key's master on $(cores "$key_container");
redis-benchmark on core ${CLIENT_CORES_PROXY:-any} through the proxy, on core ${CLIENT_CORES_DIRECT:-any} direct"

# one "figure value" line per round: the ratios of that round, and its proxy and direct figures
awk -F, '
  { v[$1 "," $2 "," $3 ",rps"] = $4; v[$1 "," $2 "," $3 ",p99"] = $5; rounds[$1] = 1 }
  END {
    for (r in rounds) for (i = 1; i <= 2; i++) {
      t = i == 1 ? "set" : "get"
      for (p = 1; p <= 16; p += 15) {
        proxy = v[r ",proxy-p" p "," t ",rps"]; direct = v[r ",direct-p" p "," t ",rps"]
        printf "%s-p%d-ratio %.4f\n%s-p%d-proxy %d\n%s-p%d-direct %d\n", t, p, proxy / direct, t, p, proxy, t, p, direct
      }
      proxy = v[r ",proxy-p1," t ",p99"]; direct = v[r ",direct-p1," t ",p99"]
      printf "%s-p99-ratio %.4f\n%s-p99-proxy %.3f\n%s-p99-direct %.3f\n", t, proxy / direct, t, proxy, t, direct
    }
  }' "$WORK/results.csv" | sort -k1,1 -k2,2g >"$WORK/rounds.txt"

# the median round's value of a figure, and the range over the rounds
median() { awk -v f="$1" '$1 == f { v[n++] = $2 } END { print v[int((n - 1) / 2)] }' "$WORK/rounds.txt"; }
range() { awk -v f="$1" '$1 == f { v[n++] = $2 } END { printf "%.2f-%.2f", v[0], v[n - 1] }' "$WORK/rounds.txt"; }

row() { # LABEL FIGURE FORMAT TARGET
  # shellcheck disable=SC2059 # the figure's number format
  printf "%-34s $3 $3 %8.2f %-11s %s\n" "$1" "$(median "$2-proxy")" "$(median "$2-direct")" "$(median "$2-ratio")" \
    "$(range "$2-ratio")" "$4"
}
printf "%-34s %12s %12s %8s %-11s %s\n" "figure (redis-benchmark, 50 clients)" "proxy" "direct" "ratio" "range" "target"
for t in set get; do
  T=${t^^}
  row "$T ops/s, pipeline 1" "$t-p1" "%12d" ">= 0.8"
  row "$T ops/s, pipeline 16" "$t-p16" "%12d" ">= 0.6"
  row "$T p99 ms, pipeline 1" "$t-p99" "%12.3f" "<= 2"
done
printf "%-34s %12s %12s %8s %-11s %s\n" "proxy resident memory (MiB)" "$(awk -v k="$rss_kib" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "" "" "" "< 256"
printf "(%d rounds; each ratio is proxy over direct within a round, the median round's shown; proxy and\n" "$ROUNDS"
printf "direct are the median rounds of each, so they need not divide to the ratio)\n"
printf "(%s)\n" "$PLACEMENT"
if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then
  printf "(smoke run: too few requests and a cold JIT, so these figures say only that the script works)\n"
fi

# Misbehaving clients beside a good one: idle connections, malformed frames, a bulk length of 2^31,
# clients that never read their replies. It fails (exit 1) if the proxy does not hold up.
echo
ulimit -n $((IDLE + 1024))
BIU_PROXY_PASSWORD=$PROXY_PASSWORD java -cp "$BIU_ROOT/bench/target/biu-bench.jar" io.biu.bench.ProxyAbuse "$PROXY" "$PROXY_PORT" "$IDLE" \
  "$NEVER_READING" "$java_pid"
