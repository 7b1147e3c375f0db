#!/usr/bin/env bash
# The web tier (nginx + openresty-lua) following an app of its own (tenant webbench, busybox httpd
# containers of $IMAGE_WEB), in an nginx of its own on free ports, one worker, so the instance's nginx and
# demo app are left alone:
#  1. from a container's container.started (and container.ready) on the bus to the first request it serves
#     through nginx, p50/p99 over 50 cycles of deploy one / remove it, with 3 containers already serving;
#     measured by bench/web/JoinLatency.java (bus reader, a paced client on /cgi-bin/host, the cycles);
#  2. wrk's requests per second through the Lua balancer against a static upstream of the same 3 containers
#     in the same nginx (same proxy settings, no Lua), after a warm-up: the median ratio of 8 back-to-back
#     pairs of short runs (this machine's other load drifts less within a pair), and nginx's CPU per request.
set -Eeuo pipefail
# shellcheck source=scripts/common.sh
source "$BIU_ROOT/scripts/common.sh"
# shellcheck source=scripts/packages.sh
source "$BIU_ROOT/scripts/packages.sh"

if [[ ${BIU_BENCH_SMOKE:-0} == 1 ]]; then CYCLES=3 PAIRS=2 DURATION=2s WARM=1s; else
  CYCLES=${BIU_BENCH_CYCLES:-50} PAIRS=8 DURATION=3s WARM=3s; fi
BASE=3          # containers serving throughout
HAMMERS=2       # client threads of the join measurement
RATE=400        # their requests per second in all (each one forks a CGI in a backend)
# wrk's connections: busybox httpd closes every connection and listens with a backlog of 9, so more
# concurrent connects than the 3 backends' backlogs overflow them (each overflow a 1 s SYN retransmit,
# which swamps whatever is being compared)
CONNECTIONS=8
[[ -f $DATA_DIR/services.properties ]] || { echo "the platform is not up: run ./biu up" >&2; exit 1; }
SCHEDULER=$(sed -n 's/^scheduler.url=//p' "$DATA_DIR/services.properties")/api/v1
# the bench's nginx reads the bus as the web tier's user does; its reader, as the operator's
WEB_BUS_USER=biu-web
WEB_BUS_PASSWORD_FILE=$DATA_DIR/secrets/bus-web.password
BUS_USER=$(sed -n 's/^bus.user=//p' "$DATA_DIR/infra.properties")
BUS_PASSWORD_FILE=$(sed -n 's/^bus.password.file=//p' "$DATA_DIR/infra.properties")
OPERATOR=$(<"$DATA_DIR/operator.token")
TENANT=webbench
APP=wb-$RANDOM$RANDOM
WORK=$(mktemp -d)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
PREFIX=$WORK/nginx
NGINX_PID=
APP_CREATED=0

api() { # METHOD PATH [BODY]: as tenant webbench, through the operator token
  curl -sS --max-time 120 -H @<(printf 'Authorization: Bearer %s\n' "$OPERATOR") -H "X-Biu-Tenant: $TENANT" \
    -H 'Content-Type: application/json' -X "$1" ${3:+-d "$3"} "$SCHEDULER$2"
}
cleanup() {
  if [[ -n $NGINX_PID ]]; then
    stop_pid "$NGINX_PID" "the bench's nginx" 10
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  if ((APP_CREATED)); then
    api PUT "/apps/$APP/scale" '{"replicas":0}' >/dev/null 2>&1 || true
    api DELETE "/apps/$APP" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Ports below the ephemeral range that no socket uses; nginx fails to start (and the bench with it) if another
# process takes one first.
free_ports() { # COUNT
  local p low taken=" "
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range
  ((low > 11024)) || low=32768
  while (($1 > 0)); do
    p=$((low - 1 - RANDOM % 10000))
    [[ $taken == *" $p "* || -n $(ss -Htan "sport = :$p") ]] && continue
    taken+="$p "
    set -- $(($1 - 1))
  done
  echo "$taken"
}
read -r LUA_PORT STATIC_PORT STATUS_PORT < <(free_ports 3)

# The app: pod lab granted to the tenant (only added, never revoked: other runs may use it), BASE containers.
pod=$(api GET /pods/lab)
[[ $(jq -r '.name // empty' <<<"$pod") == lab ]] || { echo "pod lab is missing: run ./biu up" >&2; exit 1; }
if ! jq -e --arg t "$TENANT" '.tenants | index($t)' <<<"$pod" >/dev/null; then
  api PUT /pods/lab/tenants "$(jq -c --arg t "$TENANT" '{tenants: (.tenants + [$t] | unique)}' <<<"$pod")" >/dev/null
fi
reply=$(api POST /apps "{\"name\":\"$APP\",\"pod\":\"lab\",\"image\":\"$IMAGE_WEB\",\"cpu\":0.1,\"memory\":\"32MiB\",
  \"probe\":{\"tcp\":80},\"labels\":{\"http-port\":\"80\"},\"stopGraceSeconds\":1}")
[[ $(jq -r '.name // empty' <<<"$reply") == "$APP" ]] || { echo "the app was refused: $reply" >&2; exit 1; }
APP_CREATED=1
reply=$(api PUT "/apps/$APP/scale" "{\"replicas\":$BASE}")
[[ $(jq 'length' <<<"$reply" 2>/dev/null) == "$BASE" ]] || { echo "scaling to $BASE failed: $reply" >&2; exit 1; }
all_ready() { [[ $(api GET "/apps/$APP/containers" | jq '[.[] | select(.ready)] | length') == "$BASE" ]]; }
wait_for "$APP ready" 60 all_ready || { echo "the app's containers did not get ready" >&2; exit 1; }
mapfile -t BACKENDS < <(api GET "/apps/$APP/containers" | jq -r '.[].address')

# Its nginx: the template for the Lua-balanced server, plus a static upstream of the same containers.
conf=$PREFIX/conf/nginx.conf
PREFIX=$PREFIX LISTEN_PORT=$LUA_PORT STATUS_PORT=$STATUS_PORT BUS_PORT=$BUS_PORT BUS_USER=$WEB_BUS_USER \
  BUS_PASSWORD_FILE=$WEB_BUS_PASSWORD_FILE APP_TENANT=$TENANT \
  APP_NAME=$APP APP_PORT=80 WORKER_PROCESSES=1 "$BIU_ROOT/openresty-lua/bin/render-conf" "$conf.lua" >/dev/null
[[ $(tail -n 1 "$conf.lua") == '}' ]] || { echo "the rendered configuration does not end its http block" >&2; exit 1; }
{
  sed '$d' "$conf.lua"
  cat <<EOF
    # bench/web.sh's baseline: the same containers, nginx's own round robin, the Lua location's proxy settings
    upstream static {
$(printf '        server %s:80;\n' "${BACKENDS[@]}")
        keepalive 32;
    }

    server {
        listen 127.0.0.1:$STATIC_PORT;

        location / {
            proxy_pass http://static;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_connect_timeout 2s;
            proxy_read_timeout 30s;
            proxy_next_upstream error timeout http_502 http_503;
            proxy_next_upstream_tries 3;
            proxy_next_upstream_timeout 10s;
        }
    }
}
EOF
} >"$conf"
nginx -t -q -p "$PREFIX" -c "$conf" 2>"$WORK/nginx-t.log" || { cat "$WORK/nginx-t.log" >&2; exit 1; }
nginx -p "$PREFIX" -c "$conf" </dev/null >/dev/null 2>>"$PREFIX/logs/error.log" &
NGINX_PID=$!
peers_joined() {
  [[ $(curl -sf --max-time 2 "http://127.0.0.1:$STATUS_PORT/biu/status" |
    jq --arg a "$APP" '.apps[$a].peers | length') == "$BASE" ]]
}
wait_for "nginx peers" 30 peers_joined || {
  tail -20 "$PREFIX/logs/error.log" >&2
  echo "nginx (pid $NGINX_PID) did not get the $BASE containers as peers" >&2
  exit 1
}

# 2. Throughput, first (nothing else changes the peers meanwhile). Besides wrk's figures, each run records
# the CPU time of nginx's worker (the balancer's own cost, whatever limits the rate) and the overflows of the
# backends' accept queues (busybox httpd listens with a backlog of 9; an overflow costs a 1 s SYN retransmit).
mapfile -t BACKEND_PIDS < <(api GET "/apps/$APP/containers" | jq -r '.[] | "\(.node) \(.engineId)"' |
  while read -r node engine_id; do node_docker "${node#node}" inspect -f '{{.State.Pid}}' "$engine_id"; done)
nginx_ticks() { # user + system clock ticks of nginx's workers
  local pid t=0
  for pid in $(pgrep -P "$NGINX_PID"); do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$t"
}
listen_overflows() { # of all backends, from their network namespaces' TcpExt counters
  local pid n=0
  for pid in "${BACKEND_PIDS[@]}"; do
    n=$((n + $(awk '$1 == "TcpExt:" { if (!h) { for (i = 2; i <= NF; i++) f[i] = $i; h = 1 } else {
      for (i = 2; i <= NF; i++) if (f[i] == "ListenOverflows") print $i } }' "/proc/$pid/net/netstat")))
  done
  echo "$n"
}
wrk_run() { # PORT DURATION: "requests/s requests errors nginx-ticks overflows"
  local ticks overflows
  ticks=$(nginx_ticks) overflows=$(listen_overflows)
  wrk -t1 -c"$CONNECTIONS" -d"$2" "http://127.0.0.1:$1/" | awk '
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /Non-2xx/ { bad += $NF }
    /Socket errors:/ { gsub(/,/, ""); bad += $4 + $6 + $8 + $10 }
    END { printf "%d %d %d", rps, n, bad }'
  echo " $(($(nginx_ticks) - ticks)) $(($(listen_overflows) - overflows))"
}
wrk_run "$STATIC_PORT" "$WARM" >/dev/null
wrk_run "$LUA_PORT" "$WARM" >/dev/null
# Pairs of runs back to back, in alternating order: the load of the rest of the machine drifts less within a
# pair than over the whole series, so the figure is the median of the pairs' ratios.
for ((r = 1; r <= PAIRS; r++)); do
  order=("static $STATIC_PORT" "lua $LUA_PORT")
  ((r % 2)) || order=("lua $LUA_PORT" "static $STATIC_PORT")
  for run in "${order[@]}"; do
    echo "$r ${run% *} $(wrk_run "${run#* }" "$DURATION")" >>"$WORK/throughput"
  done
done

# 1. Join latency.
"$(java_home)/bin/java" -XX:+UseSerialGC "$BIU_ROOT/bench/web/JoinLatency.java" "$SCHEDULER" \
  "$DATA_DIR/operator.token" "$TENANT" "$APP" 127.0.0.1 "$BUS_PORT" "$BUS_USER" "$BUS_PASSWORD_FILE" biu \
  "http://127.0.0.1:$LUA_PORT/cgi-bin/host" \
  "http://127.0.0.1:$STATUS_PORT/biu/status" "$CYCLES" "$HAMMERS" "$RATE" >"$WORK/join.csv"

# p50 and p99 by nearest rank (with 50 cycles, p99 is the largest), over the cycles the bus stayed up in
pct() { # COLUMN PERCENT
  awk -F, -v c="$1" '$1 == "cycle" && $11 == 0 { print $c }' "$WORK/join.csv" | sort -g |
    awk -v p="$2" '{ v[NR] = $1 } END { i = int((p * NR + 99) / 100); if (i < 1) i = 1; printf "%.1f", v[i] }'
}
read -r requests failed mean_ms rate < <(awk -F, '$1 == "hammer" { print $2, $3, $4, $5 }' "$WORK/join.csv")
disturbed=$(awk -F, '$1 == "cycle" && $11 != 0' "$WORK/join.csv" | wc -l)
((disturbed < CYCLES)) || { echo "the bus restarted during every cycle: no figures" >&2; exit 1; }
printf '%-58s %9s %9s %s\n' "figure ($((CYCLES - disturbed)) cycles of one container joining $BASE)" "p50 ms" "p99 ms" \
  "clock"
printf '%-58s %9s %9s %s\n' "container.started seen on the bus -> first request served" "$(pct 3 50)" "$(pct 3 99)" \
  "ours, monotonic"
printf '%-58s %9s %9s %s\n' "  container.started -> container.ready (readiness probe)" "$(pct 5 50)" "$(pct 5 99)" \
  "ours, monotonic"
printf '%-58s %9s %9s %s\n' "  container.ready seen on the bus -> first request served" "$(pct 4 50)" "$(pct 4 99)" \
  "ours, monotonic"
printf '%-58s %9s %9s %s\n' "    container.ready seen on the bus -> a peer in nginx" "$(pct 10 50)" "$(pct 10 99)" \
  "ours and nginx's ngx.now() (ms), one system clock"
printf '%-58s %9s %9s %s\n' "container.started's own time -> first request served" "$(pct 6 50)" "$(pct 6 99)" \
  "scheduler's and ours, one system clock"
printf '%-58s %9s %9s %s\n' "container.ready's own time -> first request served" "$(pct 7 50)" "$(pct 7 99)" \
  "scheduler's and ours, one system clock"
printf '%-58s %9s %9s %s\n' "  an event's own time -> seen on the bus (outbox relay)" "$(pct 8 50)" "$(pct 8 99)" \
  "scheduler's and ours, one system clock"
printf '%-58s %9.1f %9s %s\n' "client: mean request ms through nginx, at $rate req/s" "$mean_ms" "" \
  "$failed of $requests failed (target 0)"
awk -v n=$((BASE + 1)) -v r="$rate" 'BEGIN {
  printf "  (sampling: a new peer gets one of the next %d requests, within %.1f ms at that rate)\n", n, n * 1000 / r }'
if ((disturbed)); then
  echo "  ($disturbed of $CYCLES cycles left out: the bus connection was lost during them)"
fi
awk -v c="$CONNECTIONS" -v d="$DURATION" -v n="$PAIRS" -v hz="$(getconf CLK_TCK)" '
  { rps[$1, $2] = $3; req[$1, $2] = $4; bad[$2] += $5; ticks[$1, $2] = $6; over[$2] += $7 }
  function median(list,   v, k, i, j, t) {
    k = split(list, v, " ")
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  function cpu(r, l) { return ticks[r, l] * 1e6 / hz / req[r, l] }
  END {
    for (r = 1; r <= n; r++) {
      l = l " " rps[r, "lua"]; s = s " " rps[r, "static"]; q = q " " rps[r, "lua"] / rps[r, "static"]
      cl = cl " " cpu(r, "lua"); cs = cs " " cpu(r, "static"); cq = cq " " cpu(r, "lua") / cpu(r, "static")
      pairs = pairs sprintf(" %.2f", rps[r, "lua"] / rps[r, "static"])
    }
    printf "%-58s %9s %9s %8s %s\n", "figure (wrk -t1 -c" c " -d" d " on /, medians of " n " pairs)", "lua", "static",
      "ratio", "target"
    printf "%-58s %9d %9d %8.2f %s\n", "requests/s through the Lua balancer vs a static upstream", median(l), median(s),
      median(q), ">= 0.95"
    printf "%-58s %9.1f %9.1f %8.2f\n", "nginx worker CPU us per request", median(cl), median(cs), median(cq)
    printf "  (ratios of the pairs:%s; wrk errors or non-2xx: lua %d, static %d)\n", pairs, bad["lua"], bad["static"]
    if (over["lua"] + over["static"])
      printf "  (the backends'\'' accept queues overflowed %d times: each a 1 s SYN retransmit, a limit of the backends)\n",
        over["lua"] + over["static"]
  }' "$WORK/throughput"
printf '(load average over 1 min: %s at the start, %s at the end, on %d CPUs: other work on this machine adds noise)\n' \
  "$LOAD_START" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)"
