#!/usr/bin/env bash
# The cost of TLS on an endpoint: redis-benchmark's SET and GET through one proxy of a plain endpoint and one
# of a TLS endpoint (trusting proxy-admin's authority), at pipelines of 1 and 16, and PING with a new
# connection for every request (each pays the handshake and the AUTH). A cluster has one endpoint at a time,
# so each round issues a plain endpoint, measures it, revokes it, then does the same with a TLS one; the
# order alternates between rounds. The machine is shared and noisy: each ratio is TLS over plain within its
# round, and the figure is the median round's (with the range).
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then N1=3000 N16=10000 NCONNECT=300 ROUNDS=1; else
  N1=${BIU_BENCH_N1:-100000} N16=${BIU_BENCH_N16:-500000} NCONNECT=${BIU_BENCH_NCONNECT:-5000}
  ROUNDS=${BIU_BENCH_ROUNDS:-3}; fi
CLIENTS=50
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
REDIS_CTL=$(sed -n 's/^redis-ctl.url=//p' "$DATA_DIR/services.properties")/api/v1
ADMIN=$(sed -n 's/^admin.url=//p' "$DATA_DIR/services.properties")/api/v1
OPERATOR=$(<"$DATA_DIR/operator.token")
NAME=pt-$RANDOM$RANDOM
WORK=$(mktemp -d)
TOKEN=
ID=
ENDPOINT=

api() { # URL TOKEN METHOD PATH [BODY]
  curl -sS --max-time 120 -H @<(printf 'Authorization: Bearer %s\n' "$2") -H 'Content-Type: application/json' -X "$3" \
    ${5:+-d "$5"} "$1$4"
}
ctl() { api "$REDIS_CTL" "$TOKEN" "$@"; }
revoke() {
  if [[ -n $ENDPOINT ]]; then api "$ADMIN" "$TOKEN" DELETE "/endpoints/$ENDPOINT" >/dev/null 2>&1 || true; fi
  ENDPOINT=
}
cleanup() {
  revoke
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
TOKEN=$(api "$SCHEDULER" "$OPERATOR" POST /tokens '{"kind":"tenant","name":"bench-tls","tenant":"bench"}' |
  jq -r .secret)
api "$ADMIN" "$TOKEN" GET /ca | jq -r .certificate >"$WORK/ca.pem"
grep -q 'BEGIN CERTIFICATE' "$WORK/ca.pem" || { echo "proxy-admin gave no authority" >&2; exit 1; }

reply=$(ctl POST /clusters "{\"name\":\"$NAME\",\"pod\":\"lab\",\"masters\":3,\"replicas\":0,\"cpu\":0.5,
  \"memory\":\"256MiB\",\"persistence\":\"none\"}")
ID=$(jq -r '.id // empty' <<<"$reply")
[[ -n $ID ]] || { echo "the cluster was refused: $reply" >&2; exit 1; }
for _ in $(seq 1 300); do
  [[ $(ctl GET "/clusters/$ID" | jq -r .state) == ready ]] && break
  sleep 0.2
done

# Issues the endpoint (TLS: true or false) and waits until it serves; sets ENDPOINT, PROXY, PROXY_PASSWORD.
issue() { # TLS
  local reply state=
  reply=$(api "$ADMIN" "$TOKEN" POST /endpoints "{\"cluster\":$ID,\"proxies\":1,\"tls\":$1}")
  ENDPOINT=$(jq -r '.id // empty' <<<"$reply")
  [[ -n $ENDPOINT ]] || { echo "the endpoint was refused: $reply" >&2; exit 1; }
  PROXY_PASSWORD=$(jq -r .password <<<"$reply")
  for _ in $(seq 1 300); do
    reply=$(api "$ADMIN" "$TOKEN" GET "/endpoints/$ENDPOINT")
    state=$(jq -r .state <<<"$reply")
    [[ $state == ready ]] && break
    sleep 0.2
  done
  [[ $state == ready ]] || { echo "endpoint $ENDPOINT was not ready: $reply" >&2; exit 1; }
  PROXY=$(jq -r '.addresses[0]' <<<"$reply" | cut -d: -f1)
}

# "round,label,test,rps" lines of one redis-benchmark run through the endpoint's proxy
run() { # ROUND LABEL TLS ARGS...
  local round=$1 label=$2 tls=()
  [[ $3 == true ]] && tls=(--tls --cacert "$WORK/ca.pem")
  shift 3
  redis-benchmark --csv -c "$CLIENTS" -h "$PROXY" -a "$PROXY_PASSWORD" "${tls[@]}" "$@" 2>/dev/null | tr -d '"' |
    awk -F, -v r="$round" -v l="$label" 'NR > 1 { print r "," l "," tolower($1) "," $2 }' >>"$WORK/results.csv"
}
measure() { # ROUND TLS
  local kind=plain
  [[ $2 == true ]] && kind=tls
  issue "$2"
  run 0 warm "$2" -t set -n "$N1" -P 16
  run "$1" "$kind-p1" "$2" -t set,get -n "$N1" -P 1
  run "$1" "$kind-p16" "$2" -t set,get -n "$N16" -P 16
  run "$1" "$kind-connect" "$2" -t ping_mbulk -n "$NCONNECT" -k 0
  revoke
}

for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then measure "$round" false; measure "$round" true; else
    measure "$round" true; measure "$round" false; fi
done

# one "figure value" line per round and figure: the ratio of that round, and its plain and TLS figures
awk -F, '
  $1 > 0 { split($2, l, "-"); v[$1 "," l[2] "," $3 "," l[1]] = $4; rounds[$1] = 1 }
  END {
    for (r in rounds) {
      n = split("p1,set p1,get p16,set p16,get connect,ping_mbulk", figures, " ")
      for (i = 1; i <= n; i++) {
        split(figures[i], f, ",")
        plain = v[r "," f[1] "," f[2] ",plain"]; tls = v[r "," f[1] "," f[2] ",tls"]
        name = f[2] "-" f[1]
        printf "%s-ratio %.4f\n%s-plain %d\n%s-tls %d\n", name, (plain > 0 ? tls / plain : 0), name, plain, name, tls
      }
    }
  }' "$WORK/results.csv" | sort -k1,1 -k2,2g >"$WORK/rounds.txt"
median() { awk -v f="$1" '$1 == f { v[n++] = $2 } END { print v[int((n - 1) / 2)] }' "$WORK/rounds.txt"; }
range() { awk -v f="$1" '$1 == f { v[n++] = $2 } END { printf "%.2f-%.2f", v[0], v[n - 1] }' "$WORK/rounds.txt"; }
row() { # LABEL FIGURE
  printf "%-40s %12d %12d %8.2f %s\n" "$1" "$(median "$2-plain")" "$(median "$2-tls")" "$(median "$2-ratio")" \
    "$(range "$2-ratio")"
}
printf "%-40s %12s %12s %8s %s\n" "figure (redis-benchmark, 50 clients)" "plain" "TLS" "ratio" "range"
row "SET ops/s, pipeline 1" set-p1
row "GET ops/s, pipeline 1" get-p1
row "SET ops/s, pipeline 16" set-p16
row "GET ops/s, pipeline 16" get-p16
row "PING ops/s, a new connection each" ping_mbulk-connect
printf "(%d rounds; each ratio is TLS over plain within a round, the median round's shown)\n" "$ROUNDS"
if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then
  printf "(smoke run: too few requests and a cold JIT, so these figures say only that the script works)\n"
fi
# a figure of 0 is a run that failed
if grep -E '^[a-z_]+-[a-z0-9]+-(plain|tls) 0$' "$WORK/rounds.txt" >&2; then
  echo "some runs measured nothing" >&2
  exit 1
fi
