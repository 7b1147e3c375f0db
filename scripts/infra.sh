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

bus_pid() { pid_of "$PID_DIR/bus.pid" "127.0.0.1:$BUS_PORT"; }
bus_ready() { [[ $(redis-cli -h 127.0.0.1 -p "$BUS_PORT" ping 2>/dev/null) == PONG ]]; }

bus_up() {
  if bus_pid >/dev/null; then return 0; fi
  mkdir -p "$DATA_DIR/bus"
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
