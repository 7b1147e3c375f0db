# shellcheck shell=bash
# The platform's services: Micronaut applications started from their jars, each with a
# configuration file of its own (mode 0600: it holds the database password) under
# $DATA_DIR/conf, a log in $LOG_DIR and a pid file in $PID_DIR. Readiness is GET /health.
#
# BIU_DB=h2 (default) gives each service an embedded H2 database under $DATA_DIR/db;
# BIU_DB=postgres points them at the instance's PostgreSQL (the production profile).
# BIU_TEST_SETTINGS=1 gives them the short intervals of the test suite.

BIU_DB_GIVEN=${BIU_DB:-}
BIU_DB=${BIU_DB:-h2}

# An instance keeps the database it was made with: services started on the other kind would find none of their
# records (and the scheduler would quarantine every container it runs). BIU_DB unset means the instance's own.
services_database() {
  local recorded=$DATA_DIR/conf/database was
  [[ $BIU_DB == h2 || $BIU_DB == postgres ]] || die "BIU_DB='$BIU_DB' is not valid: use h2 or postgres"
  if [[ -f $recorded ]]; then
    was=$(<"$recorded")
    [[ -z $BIU_DB_GIVEN || $BIU_DB_GIVEN == "$was" ]] || die "instance $BIU_INSTANCE keeps its data in $was:" \
      "BIU_DB=$BIU_DB_GIVEN would start its services on an empty database; unset BIU_DB (or ./biu down first)"
    BIU_DB=$was
  else
    mkdir -p "$DATA_DIR/conf"
    echo "$BIU_DB" >"$recorded"
  fi
}
# 1: the short intervals tests want (1 s heartbeats, 3 s reconcile grace); the defaults stay realistic.
BIU_TEST_SETTINGS=${BIU_TEST_SETTINGS:-0}
SERVICE_JAVA_OPTS=${BIU_SERVICE_JAVA_OPTS:--Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}

service_conf() { echo "$DATA_DIR/conf/$1.yml"; }
service_pid() { pid_of "$PID_DIR/$1.pid" "$(service_conf "$1")"; }
service_url() { echo "http://127.0.0.1:${SERVICE_PORT[$1]}"; }
service_ready() { curl -sf --max-time 2 -o /dev/null "$(service_url "$1")/health"; }

# The token a service calls the scheduler with; issued by scheduler_setup.
service_token_file() { echo "$DATA_DIR/secrets/$1.token"; }

service_database() {
  case $1 in
    redis-ctl) echo redis_ctl ;;
    redis-monitor) echo redis_monitor ;;
    admin) echo proxy_admin ;;
    *) echo "$1" ;;
  esac
}

service_write_conf() {
  local name=$1 conf db
  conf=$(service_conf "$name")
  db=$(service_database "$name")
  mkdir -p "$DATA_DIR/conf" "$DATA_DIR/db"
  (
    umask 077
    {
      echo "micronaut:"
      echo "  server:"
      echo "    host: 127.0.0.1"
      echo "    port: ${SERVICE_PORT[$name]}"
      if [[ $name != scheduler ]]; then
        echo "  http:"
        echo "    services:"
        echo "      scheduler:"
        echo "        url: $(service_url scheduler)"
        if [[ $name != redis-ctl ]]; then
          echo "      redis-ctl:"
          echo "        url: $(service_url redis-ctl)"
        fi
        if [[ $name != admin ]]; then
          echo "      proxy-admin:"
          echo "        url: $(service_url admin)"
        fi
      fi
      echo "biu:"
      echo "  instance: $BIU_INSTANCE"
      echo "  data-dir: $DATA_DIR"
      echo "  bus:"
      echo "    uri: redis://127.0.0.1:$BUS_PORT"
      case $name in
        scheduler) echo "    user: $BUS_RELAY" && echo "    password-file: $(bus_password_file "$BUS_RELAY")" ;;
        redis-ctl) echo "    user: biu-redis-ctl" && echo "    password-file: $(bus_password_file biu-redis-ctl)" ;;
      esac
      echo "  influxdb:"
      echo "    url: http://127.0.0.1:$INFLUX_PORT"
      if [[ $name == scheduler ]]; then
        echo "  scheduler:"
        echo "    docker-tls-dir: $DATA_DIR/tls/client"
        if [[ $BIU_TEST_SETTINGS == 1 ]]; then
          echo "    agent:"
          echo "      heartbeat: 1s"
          echo "      reconcile-interval: 1s"
          echo "      reconcile-grace: 3s"
          echo "      stats-interval: 2s"
        fi
      fi
      if [[ $name != scheduler ]]; then
        echo "  scheduler-client:"
        echo "    token-file: $(service_token_file "$name")"
      fi
      if [[ $name == redis-ctl ]]; then
        echo "  redis-ctl:"
        echo "    image: $IMAGE_REDIS"
        if [[ $BIU_TEST_SETTINGS == 1 ]]; then
          echo "    node-timeout: 2s"
          echo "    drain-grace: 2s"
          echo "    stats-interval: 2s"
          echo "    adopt-interval: 1s"
          echo "    adopt-grace: 10s"
          echo "    failover-timeout: 15s"
          echo "    migration:"
          echo "      big-key: 1048576"
        fi
      fi
      if [[ $name == redis-monitor ]]; then
        echo "  redis-monitor:"
        echo "    web:"
        echo "      status-urls: $(web_status_url)"
      fi
      if [[ $name == redis-monitor && $BIU_TEST_SETTINGS == 1 ]]; then
        echo "    interval: 1s"
        echo "    ready-timeout: 60s"
        echo "    audit-repeat: 30s"
        # scenarios opt their clusters in with a policy of their own
        echo "    default-policy: false"
      fi
      if [[ $name == admin ]]; then
        echo "  proxy-admin:"
        echo "    image: $IMAGE_PROXY"
        if [[ $BIU_TEST_SETTINGS == 1 ]]; then
          echo "    sync-interval: 3s"
        fi
      fi
      echo "datasources:"
      echo "  default:"
      if [[ $BIU_DB == postgres ]]; then
        echo "    url: jdbc:postgresql://127.0.0.1:$PG_PORT/$db"
        echo "    driver-class-name: org.postgresql.Driver"
        echo "    username: biu"
        echo "    password: '$(<"$DATA_DIR/secrets/postgres.password")'"
      else
        echo "    url: jdbc:h2:file:$DATA_DIR/db/$db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0"
      fi
    } >"$conf"
  )
}

service_up() {
  local name=$1 built=$BIU_ROOT/${SERVICE_JAR[$1]} jar=$DATA_DIR/lib/$1.jar
  service_pid "$name" >/dev/null && return 0
  [[ -f $built ]] || die "$built is missing: build first (./biu up builds unless given --no-build)"
  # A running service keeps its own copy of the jar, so a rebuild cannot pull it away.
  mkdir -p "$DATA_DIR/lib"
  cp "$built" "$jar.tmp" && mv "$jar.tmp" "$jar"
  service_write_conf "$name"
  info "starting $name on $(service_url "$name")"
  # The child writes its own pid before it becomes java, so the pid file is exact.
  # shellcheck disable=SC2086
  daemon sh -c 'echo $$ >"$0"; exec "$@"' "$PID_DIR/$name.pid" \
    "$(java_home)/bin/java" $SERVICE_JAVA_OPTS -Dmicronaut.config.files="$(service_conf "$name")" \
    -jar "$jar" >>"$LOG_DIR/$name.log" 2>&1
}

services_up() {
  services_database
  mkdir -p "$LOG_DIR" "$PID_DIR"
  local s
  for s in "${SERVICES[@]}"; do service_up "$s"; done
  for s in "${SERVICES[@]}"; do
    wait_for "$s" 120 service_ready "$s" || {
      tail -20 "$LOG_DIR/$s.log" >&2
      die "$s did not become healthy; see $LOG_DIR/$s.log"
    }
  done
  scheduler_setup
  services_write_properties
}

# What each service's token may do (io.biu.scheduler.client.Scopes): the calls it makes, and no others.
service_scopes() {
  case $1 in
    redis-ctl) echo "scheduler:introspect scheduler:read scheduler:write proxy-admin:read proxy-admin:members" ;;
    redis-monitor) echo "scheduler:introspect scheduler:read scheduler:write redis-ctl:read redis-ctl:write redis-ctl:connection" ;;
    admin) echo "scheduler:introspect scheduler:read scheduler:write redis-ctl:read redis-ctl:connection" ;;
    *) die "no scopes are set for service $1" ;;
  esac
}

# Whether service $1 has a token that works and holds exactly its scopes (one issued before scopes has none).
# The secret goes to curl in a file, never on a command line.
service_token_current() {
  local file answer held wanted
  file=$(service_token_file "$1")
  [[ -s $file ]] || return 1
  (umask 077 && jq -n --rawfile t "$file" '{token: ($t | rtrimstr("\n"))}' >"$file.ask")
  answer=$(SCHEDULER_API_OUT=/dev/stdout scheduler_api POST /tokens/introspect "@$file.ask" | head -c 4096)
  rm -f "$file.ask"
  held=$(jq -r 'select(.active) | (.scopes // []) | sort | join(" ")' <<<"${answer%???}" 2>/dev/null) || return 1
  wanted=$(service_scopes "$1" | tr ' ' '\n' | LC_ALL=C sort | paste -sd' ')
  [[ -n $held && $held == "$wanted" ]]
}

# What the scheduler needs before the platform works. Idempotent.
# - Each other service gets a service token of its own, scoped to the calls it makes, in a file only root
#   reads; a token without those scopes (issued before them, say) is replaced and revoked.
# - The lab: pod "lab" (the lab's MacVLAN range as its subnet, allocations from its first /20, the
#   shim's address excluded, 0.1-core granularity) holding every lab node.
scheduler_setup() {
  local url token i s file
  url=$(service_url scheduler)/api/v1
  token=$(<"$DATA_DIR/operator.token")
  scheduler_api() {
    curl -sS --max-time 60 -o "${SCHEDULER_API_OUT:-/dev/null}" -w '%{http_code}' \
      -H @<(printf 'Authorization: Bearer %s\n' "$token") -H 'Content-Type: application/json' -X "$1" ${3:+-d "$3"} "$url$2"
  }
  for s in "${SERVICES[@]}"; do
    [[ $s == scheduler ]] && continue
    service_token_current "$s" && continue
    (
      umask 077
      file=$(service_token_file "$s")
      jq -n --arg name "$s" --arg scopes "$(service_scopes "$s")" \
        '{kind: "service", name: $name, scopes: ($scopes | split(" "))}' >"$file.spec"
      [[ $(SCHEDULER_API_OUT="$file.json" scheduler_api POST /tokens "@$file.spec") == 201 ]] ||
        die "the scheduler did not issue a token for $s; see $LOG_DIR/scheduler.log"
      jq -r .secret "$file.json" >"$file.tmp" && mv "$file.tmp" "$file"
      # A running service reads the file again when it changes, so the token it held can go at once.
      local id old
      id=$(jq -r .token.id "$file.json")
      rm -f "$file.json" "$file.spec"
      [[ $(SCHEDULER_API_OUT="$file.list" scheduler_api GET /tokens) == 200 ]] ||
        die "the scheduler did not list its tokens; see $LOG_DIR/scheduler.log"
      for old in $(jq -r --arg name "$s" --argjson id "$id" '.[] | select(.name == $name and .kind == "SERVICE"
          and .revokedAt == null and .id != $id) | .id' "$file.list"); do
        [[ $(scheduler_api DELETE "/tokens/$old") == 200 ]] || die "the scheduler did not revoke token $old of $s"
      done
      rm -f "$file.list"
    )
  done
  if [[ $(scheduler_api GET /pods/lab) == 404 ]]; then
    [[ $(scheduler_api POST /pods "{\"name\":\"lab\",\"shareBase\":10,\"network\":{\"subnet\":\"$POD_RANGE\",
      \"gateway\":\"$POD_GATEWAY\",\"parent\":\"eth0\",\"range\":\"10.$OCTET.128.0/20\",
      \"excluded\":[\"$SHIM_IP\"]}}") == 201 ]] || die "the scheduler refused pod lab; see $LOG_DIR/scheduler.log"
  fi
  for ((i = 1; i <= BIU_NODES; i++)); do
    if [[ $(scheduler_api GET "/nodes/node$i") == 404 ]]; then
      [[ $(scheduler_api POST /nodes "{\"name\":\"node$i\",\"pod\":\"lab\",
        \"endpoint\":\"tcp://$(node_ip "$i"):$NODE_DOCKER_PORT\"}") == 201 ]] ||
        die "the scheduler could not register node$i; see $LOG_DIR/scheduler.log"
    fi
  done
}

services_write_properties() {
  local f=$DATA_DIR/services.properties s
  {
    echo "# Services of instance $BIU_INSTANCE, written by ./biu up"
    for s in "${SERVICES[@]}"; do echo "$s.url=$(service_url "$s")"; done
    echo "nginx.url=$(web_url)"
    echo "nginx.status.url=$(web_status_url)"
    echo "web.tenant=$WEB_TENANT"
    echo "web.app=$WEB_APP"
  } >"$f.tmp"
  mv "$f.tmp" "$f"
}

services_down() {
  local s pid pids=()
  for s in "${SERVICES[@]}"; do
    if pid=$(service_pid "$s"); then pids+=("$pid"); fi
  done
  stop_pids "services" 20 "${pids[@]}"
  for s in "${SERVICES[@]}"; do rm -f "$PID_DIR/$s.pid"; done
}
