# shellcheck shell=bash
# Shared infrastructure of an instance, each on loopback, on the instance's own ports and
# under its data directory, with a readiness check and a log in $LOG_DIR:
#   bus        a standalone Redis (AOF on) for the event stream and membership snapshots
#   influxdb   InfluxDB 1.x for time series; database "biu"
#   postgres   a PostgreSQL cluster of the instance's own (initdb), role "biu" and one
#              database per service, for the production profile

infra_up() {
  mkdir -p "$LOG_DIR" "$PID_DIR" "$DATA_DIR/secrets"
  chmod 700 "$DATA_DIR/secrets"
  bus_up
  influxdb_up
  postgres_up
  infra_write_properties
}

infra_down() {
  local pid pids=()
  if pid=$(bus_pid); then pids+=("$pid"); fi
  if pid=$(influxdb_pid); then pids+=("$pid"); fi
  stop_pids "bus and influxdb" 20 "${pids[@]}"
  postgres_down
}

infra_write_properties() {
  local f=$DATA_DIR/infra.properties
  {
    echo "# Infrastructure of instance $BIU_INSTANCE, written by ./biu up"
    echo "bus.host=127.0.0.1"
    echo "bus.port=$BUS_PORT"
    echo "bus.user=$BUS_OPERATOR"
    echo "bus.password.file=$(bus_password_file "$BUS_OPERATOR")"
    echo "influxdb.url=http://127.0.0.1:$INFLUX_PORT"
    echo "influxdb.database=biu"
    echo "postgres.host=127.0.0.1"
    echo "postgres.port=$PG_PORT"
    echo "postgres.user=biu"
    echo "postgres.password.file=$DATA_DIR/secrets/postgres.password"
  } >"$f.tmp"
  mv "$f.tmp" "$f"
}

# --- bus -------------------------------------------------------------------------------

# The bus's users: nobody without a password (the default user is off); the scheduler's relay alone writes, and
# only its own keys; redis-ctl and nginx read them; the operator's user (./biu, the scenarios) may do anything.
# Each has a password file of its own; the ACL file holds their SHA-256 only.
BUS_OPERATOR=biu-operator
BUS_RELAY=biu-relay
BUS_READERS=(biu-redis-ctl biu-web)

bus_password_file() { echo "$DATA_DIR/secrets/bus-${1#biu-}.password"; }
bus_pid() { pid_of "$PID_DIR/bus.pid" "127.0.0.1:$BUS_PORT"; }
bus_cli() {
  REDISCLI_AUTH=$(<"$(bus_password_file "$BUS_OPERATOR")") redis-cli --no-auth-warning --user "$BUS_OPERATOR" \
    -h 127.0.0.1 -p "$BUS_PORT" "$@"
}
# ready: it answers, and as the operator's user (redis-cli goes on as the default user when its AUTH fails)
bus_ready() { [[ $(bus_cli acl whoami 2>/dev/null) == "$BUS_OPERATOR" ]]; }

bus_users() {
  local user f keys="~biu:* resetchannels"
  for user in "$BUS_OPERATOR" "$BUS_RELAY" "${BUS_READERS[@]}"; do
    f=$(bus_password_file "$user")
    [[ -s $f ]] || (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$f")
  done
  bus_hash() { printf '%s' "$(<"$(bus_password_file "$1")")" | sha256sum | cut -c1-64; }
  {
    # off: no connection can be the default user. Its rights are those the bus replays its append-only file with
    # (Redis 7.0 runs the file's MULTI/EXEC as the default user): without them the relay's transactions are lost
    # at every restart
    echo "user default off resetkeys resetchannels ~* &* +@all"
    echo "user $BUS_OPERATOR on #$(bus_hash "$BUS_OPERATOR") ~* &* +@all"
    echo "user $BUS_RELAY on #$(bus_hash "$BUS_RELAY") $keys -@all +@connection +@transaction +@read +@write -@dangerous"
    for user in "${BUS_READERS[@]}"; do
      echo "user $user on #$(bus_hash "$user") $keys -@all +@connection +@transaction +@read -@dangerous"
    done
  } >"$DATA_DIR/bus/users.acl.tmp"
  mv "$DATA_DIR/bus/users.acl.tmp" "$DATA_DIR/bus/users.acl"
}

bus_up() {
  local pid
  mkdir -p "$DATA_DIR/bus" "$DATA_DIR/secrets"
  bus_users
  if pid=$(bus_pid); then
    if grep -q '^aclfile ' "$DATA_DIR/bus/redis.conf" 2>/dev/null; then
      [[ $(bus_cli acl load 2>&1) == OK ]] || die "the bus did not take its users' file again; see $LOG_DIR/bus.log"
      return 0
    fi
    # a bus started before it had users: restarted with them (its data is in its append-only file), and so are the
    # bus's clients, which the next steps start again as its users
    info "restarting the bus with its users, and the services and nginx, which reach it as those users"
    web_down
    services_down
    stop_pids bus 20 "$pid"
  fi
  cat >"$DATA_DIR/bus/redis.conf" <<EOF
bind 127.0.0.1
port $BUS_PORT
dir $DATA_DIR/bus
appendonly yes
appendfsync everysec
save ""
daemonize yes
pidfile $PID_DIR/bus.pid
logfile $LOG_DIR/bus.log
aclfile $DATA_DIR/bus/users.acl
EOF
  info "starting the bus (redis) on 127.0.0.1:$BUS_PORT"
  redis-server "$DATA_DIR/bus/redis.conf" 9>&- # daemonizes itself
  wait_for bus 30 bus_ready || die "the bus did not answer PING; see $LOG_DIR/bus.log"
}

# --- influxdb --------------------------------------------------------------------------

influxdb_pid() { pid_of "$PID_DIR/influxdb.pid" "$DATA_DIR/influxdb"; }
influxdb_ready() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$INFLUX_PORT/ping") == 204 ]]
}

influxdb_up() {
  if influxdb_pid >/dev/null; then return 0; fi
  local dir=$DATA_DIR/influxdb
  mkdir -p "$dir"
  influxd config 2>/dev/null | sed \
    -e "s#/var/lib/influxdb#$dir#g" \
    -e "s#^bind-address = .*#bind-address = \"127.0.0.1:$INFLUX_RPC_PORT\"#" \
    -e "s#^  bind-address = \":8086\"#  bind-address = \"127.0.0.1:$INFLUX_PORT\"#" \
    -e "s#^reporting-enabled = .*#reporting-enabled = false#" \
    -e "s#^  store-enabled = true#  store-enabled = false#" \
    >"$dir/influxdb.conf"
  grep -q "127.0.0.1:$INFLUX_PORT" "$dir/influxdb.conf" || die "could not set InfluxDB's HTTP address in $dir/influxdb.conf"
  info "starting influxdb on 127.0.0.1:$INFLUX_PORT"
  daemon influxd run -config "$dir/influxdb.conf" -pidfile "$PID_DIR/influxdb.pid" \
    >>"$LOG_DIR/influxdb.log" 2>&1
  wait_for influxdb 60 influxdb_ready || die "influxdb did not answer /ping; see $LOG_DIR/influxdb.log"
  curl -sf -o /dev/null -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode "q=CREATE DATABASE biu" ||
    die "could not create InfluxDB database biu"
}

# --- postgres --------------------------------------------------------------------------

PG_DATABASES=(scheduler redis_ctl redis_monitor proxy_admin)

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }
pg_sock_dir() { echo "$DATA_DIR/postgres/sock"; }
as_postgres() { su postgres -s /bin/sh -c "$*"; }
# Runs the SQL on stdin as the superuser (stdin keeps secrets off command lines).
pg_sql() { as_postgres "$(pg_bin)/psql -X -q -tA -v ON_ERROR_STOP=1 -h $(pg_sock_dir) -p $PG_PORT -U postgres -d postgres -f -"; }
postgres_ready() { as_postgres "$(pg_bin)/pg_isready -q -h $(pg_sock_dir) -p $PG_PORT"; }

# postmaster.pid's first line is the pid, as pid_of expects.
pid_of_postmaster() {
  local f=$DATA_DIR/postgres/data/postmaster.pid pid
  [[ -s $f ]] || return 1
  pid=$(head -1 "$f")
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$DATA_DIR/postgres/data" && echo "$pid"
}

postgres_up() {
  local dir=$DATA_DIR/postgres bin
  bin=$(pg_bin)
  mkdir -p "$dir/data" "$dir/sock"
  chown postgres:postgres "$dir" "$dir/data" "$dir/sock"
  grant_passage postgres "$DATA_DIR" "$LOG_DIR"
  chmod 700 "$dir/data"
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    info "initialising PostgreSQL in $dir/data"
    as_postgres "$bin/initdb -D $dir/data -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256" \
      >>"$LOG_DIR/postgres-init.log" 2>&1 || die "initdb failed; see $LOG_DIR/postgres-init.log"
  fi
  if ! pid_of_postmaster >/dev/null; then
    touch "$LOG_DIR/postgres.log"
    chown postgres:postgres "$LOG_DIR/postgres.log"
    info "starting postgres on 127.0.0.1:$PG_PORT"
    as_postgres "$bin/pg_ctl -D $dir/data -l $LOG_DIR/postgres.log -w -t 60 \
      -o \"-p $PG_PORT -k $dir/sock -c listen_addresses=127.0.0.1\" start" >/dev/null 9>&- ||
      die "postgres did not start; see $LOG_DIR/postgres.log"
  fi
  wait_for postgres 60 postgres_ready || die "postgres is not ready; see $LOG_DIR/postgres.log"
  postgres_provision
}

postgres_provision() {
  local pw_file=$DATA_DIR/secrets/postgres.password db
  if [[ ! -s $pw_file ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$pw_file")
  fi
  if [[ -z $(pg_sql <<<"SELECT 1 FROM pg_roles WHERE rolname = 'biu'") ]]; then
    pg_sql <<<"CREATE ROLE biu LOGIN PASSWORD '$(<"$pw_file")'" >/dev/null
  fi
  for db in "${PG_DATABASES[@]}"; do
    if [[ -z $(pg_sql <<<"SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
      pg_sql <<<"CREATE DATABASE $db OWNER biu" >/dev/null
    fi
  done
}

postgres_down() {
  if pid_of_postmaster >/dev/null; then
    as_postgres "$(pg_bin)/pg_ctl -D $DATA_DIR/postgres/data -m fast -w -t 60 stop" >/dev/null ||
      warn "postgres did not stop cleanly"
  fi
}
