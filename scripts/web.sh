# shellcheck shell=bash
# The web tier: Debian's nginx with Biu's Lua modules (openresty-lua/), serving on $NGINX_PORT the
# demo web app (tenant "demo", app "web": busybox httpd containers of image biu/web:1 that the
# scheduler runs), following its containers on the bus; its status on $NGINX_STATUS_PORT. redis-monitor
# reads that status to scale web apps that have a policy.

NGINX_STATUS_PORT=$((8089 + PORT_OFFSET))
WEB_TENANT=demo
WEB_APP=web
WEB_CONTAINERS=2

web_prefix() { echo "$DATA_DIR/nginx"; }
web_pid() { pid_of "$(web_prefix)/nginx.pid" "$(web_prefix)"; }
web_url() { echo "http://127.0.0.1:$NGINX_PORT"; }
web_status_url() { echo "http://127.0.0.1:$NGINX_STATUS_PORT/biu/status"; }
web_ready() { curl -sf --max-time 2 -o /dev/null "$(web_status_url)"; }

# The demo app, registered once with the scheduler for tenant demo (granted pod lab) and given its
# containers when it has none.
web_demo_app() {
  local url token code out
  url=$(service_url scheduler)/api/v1
  token=$(<"$DATA_DIR/operator.token")
  out=$(mktemp)
  demo_api() {
    curl -sS --max-time 120 -o "$out" -w '%{http_code}' -H @<(printf 'Authorization: Bearer %s\n' "$token") \
      -H "X-Biu-Tenant: $WEB_TENANT" -H 'Content-Type: application/json' -X "$1" ${3:+-d "$3"} "$url$2"
  }
  [[ $(demo_api GET /pods/lab) == 200 ]] || die "pod lab is missing; see $LOG_DIR/scheduler.log"
  if ! jq -e --arg t "$WEB_TENANT" '.tenants | index($t)' "$out" >/dev/null; then
    code=$(demo_api PUT /pods/lab/tenants "$(jq -c --arg t "$WEB_TENANT" '{tenants: (.tenants + [$t])}' "$out")")
    [[ $code == 200 ]] || die "the scheduler did not grant pod lab to tenant $WEB_TENANT ($code): $(<"$out")"
  fi
  if [[ $(demo_api GET "/apps/$WEB_APP") == 404 ]]; then
    code=$(demo_api POST /apps "{\"name\":\"$WEB_APP\",\"pod\":\"lab\",\"image\":\"$IMAGE_WEB\",\"cpu\":0.1,
      \"memory\":\"32MiB\",\"probe\":{\"tcp\":80},\"labels\":{\"http-port\":\"80\"},\"stopGraceSeconds\":5}")
    [[ $code == 201 ]] || die "the scheduler refused the demo web app ($code): $(<"$out")"
  fi
  code=$(demo_api GET "/apps/$WEB_APP/containers")
  if [[ $code == 200 && $(jq length "$out") == 0 ]]; then
    code=$(demo_api PUT "/apps/$WEB_APP/scale" "{\"replicas\":$WEB_CONTAINERS}")
    [[ $code == 200 ]] || die "the scheduler could not deploy the demo web app ($code): $(<"$out")"
  fi
  rm -f "$out"
}

web_up() {
  local prefix conf
  web_pid >/dev/null && return 0
  command -v nginx >/dev/null || die "nginx is missing: ./biu up installs it (package nginx)"
  web_demo_app
  prefix=$(web_prefix)
  conf=$prefix/conf/nginx.conf
  PREFIX=$prefix LISTEN_PORT=$NGINX_PORT STATUS_PORT=$NGINX_STATUS_PORT BUS_PORT=$BUS_PORT \
    BUS_USER=biu-web BUS_PASSWORD_FILE="$(bus_password_file biu-web)" APP_TENANT=$WEB_TENANT APP_NAME=$WEB_APP APP_PORT=80 "$BIU_ROOT/openresty-lua/bin/render-conf" "$conf" >/dev/null
  # the workers (user nobody) write request bodies and proxied responses under tmp/
  grant_passage nobody "$DATA_DIR" "$prefix" "$prefix/tmp"
  nginx -t -q -p "$prefix" -c "$conf" 2>>"$LOG_DIR/nginx.log" || die "nginx refused its configuration; see $LOG_DIR/nginx.log"
  info "starting nginx on $(web_url) (status: $(web_status_url))"
  daemon nginx -p "$prefix" -c "$conf" >>"$LOG_DIR/nginx.log" 2>&1
  wait_for nginx 30 web_ready || {
    tail -20 "$prefix/logs/error.log" >&2
    die "nginx did not answer on $(web_status_url); see $prefix/logs/error.log"
  }
}

web_down() {
  local pid
  pid=$(web_pid) || return 0
  stop_pids nginx 15 "$pid"
}
