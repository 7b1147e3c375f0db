# shellcheck shell=bash
# Settings every verb of ./biu derives from the instance name, plus small helpers.
#
# An instance is one complete Biu (lab, infrastructure, services). Every name, address,
# port and directory it creates is derived from BIU_INSTANCE, so a test run's instance
# and a developer's instance live side by side without touching each other:
#
#   network index k   0 for the default instance "biu", otherwise 1 + (cksum of the name mod 63);
#                     BIU_NET_INDEX overrides it (0..63)
#   lab network       10.(64+k).0.0/24: bridge .1, node i at .(10+i)
#   MacVLAN range     10.(64+k).128.0/17 for pod subnets; the host shim is 10.(64+k).255.254
#   ports             default + 100*k (every default has a distinct remainder mod 100, so
#                     two instances never share a port)
#   interfaces        <instance>-lab (bridge), <instance>-nK and <instance>-mK (veths: a node's eth0
#                     and eth1), <instance>-shim
#   namespaces        <instance>-nodeK;  cgroup parent /<instance>-nodeK
#   directories       BIU_DATA_DIR (default /var/lib/biu/<instance>), /run/biu/<instance>

BIU_INSTANCE=${BIU_INSTANCE:-biu}
if [[ ! $BIU_INSTANCE =~ ^[a-z][a-z0-9]{0,7}$ ]]; then
  echo "biu: BIU_INSTANCE='$BIU_INSTANCE' is not valid: use 1-8 lower-case letters or digits, starting with a letter" >&2
  exit 2
fi

BIU_NODES=${BIU_NODES:-3}
if [[ ! $BIU_NODES =~ ^[1-9]$ ]]; then
  echo "biu: BIU_NODES='$BIU_NODES' is not valid: use a number of lab nodes from 1 to 9" >&2
  exit 2
fi

if [[ -n ${BIU_NET_INDEX:-} ]]; then
  if [[ ! $BIU_NET_INDEX =~ ^[0-9]+$ ]] || ((BIU_NET_INDEX > 63)); then
    echo "biu: BIU_NET_INDEX='$BIU_NET_INDEX' is not valid: use 0..63" >&2
    exit 2
  fi
  NET_INDEX=$BIU_NET_INDEX
elif [[ $BIU_INSTANCE == biu ]]; then
  NET_INDEX=0
else
  NET_INDEX=$((1 + $(printf '%s' "$BIU_INSTANCE" | cksum | cut -d' ' -f1) % 63))
fi

default_data_dir() { echo "/var/lib/biu/$1"; }
DATA_DIR=${BIU_DATA_DIR:-$(default_data_dir "$BIU_INSTANCE")}
RUN_ROOT=/run/biu/$BIU_INSTANCE # dockerd exec-roots: kept short for socket path limits
LOG_DIR=$DATA_DIR/logs
PID_DIR=$DATA_DIR/run

OCTET=$((64 + NET_INDEX))
LAB_PREFIX=10.$OCTET.0
LAB_BRIDGE=$BIU_INSTANCE-lab
LAB_BRIDGE_IP=$LAB_PREFIX.1
LAB_CIDR=24
POD_RANGE=10.$OCTET.128.0/17
POD_GATEWAY=10.$OCTET.128.1
SHIM_IF=$BIU_INSTANCE-shim
SHIM_IP=10.$OCTET.255.254
NODE_DOCKER_PORT=2376 # Docker's TLS port

PORT_OFFSET=$((100 * NET_INDEX))
BUS_PORT=$((6390 + PORT_OFFSET))
INFLUX_PORT=$((8086 + PORT_OFFSET))
INFLUX_RPC_PORT=$((8088 + PORT_OFFSET))
PG_PORT=$((5442 + PORT_OFFSET))
NGINX_PORT=$((8080 + PORT_OFFSET))

# Platform services: name, module jar, default port. Each is a Micronaut application.
SERVICES=(scheduler redis-ctl redis-monitor admin)
declare -A SERVICE_PORT=(
  [scheduler]=$((8700 + PORT_OFFSET))
  [redis-ctl]=$((8710 + PORT_OFFSET))
  [redis-monitor]=$((8720 + PORT_OFFSET))
  [admin]=$((8730 + PORT_OFFSET))
)
declare -A SERVICE_JAR=(
  [scheduler]=scheduler/service/target/biu-scheduler.jar
  [redis-ctl]=redis-ctl/service/target/biu-redis-ctl.jar
  [redis-monitor]=redis-monitor/service/target/biu-redis-monitor.jar
  [admin]=proxy-admin/admin/target/biu-admin.jar
)
CLI_JAR=cli/target/biu-cli.jar
PROXY_JAR=proxy-admin/proxy/target/biu-proxy.jar

# Images: names starting with biu/ are built from this machine's Debian binaries on every
# lab node; any other name is pulled from the registry the nodes reach.
IMAGE_REDIS=${BIU_IMAGE_REDIS:-biu/redis:7}
IMAGE_JRE=${BIU_IMAGE_JRE:-biu/jre:17}
IMAGE_WEB=${BIU_IMAGE_WEB:-biu/web:1}
IMAGE_PROXY=${BIU_IMAGE_PROXY:-biu/proxy:1}

# Debian's docker client matches Debian's dockerd; another client earlier in PATH may not.
DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT=0

node_name() { echo "node$1"; }
node_ns() { echo "$BIU_INSTANCE-node$1"; }
node_ip() { echo "$LAB_PREFIX.$((10 + $1))"; }
node_veth() { echo "$BIU_INSTANCE-n$1"; }
node_veth2() { echo "$BIU_INSTANCE-m$1"; } # the node's eth1: a second MacVLAN parent, no address
node_dir() { echo "$DATA_DIR/nodes/node$1"; }
node_sock() { echo "$(node_dir "$1")/docker.sock"; }
node_exec_root() { echo "$RUN_ROOT/node$1"; }
node_cgroup_parent() { echo "$BIU_INSTANCE-node$1"; }
node_docker() { "$DOCKER" -H "unix://$(node_sock "$1")" "${@:2}"; }

# From here on everything this shell and the processes it starts make is readable by its owner only: the
# data directory holds tokens, passwords, databases and logs naming tenants' keys. What an instance made
# before is made private too (but Docker's own directories, which Docker keeps so, and image material).
# Group execute bits are left alone: on a directory with an ACL they are its mask (see grant_passage).
keep_private() {
  umask 077
  find "$DATA_DIR" \( -path "$DATA_DIR/nodes/*/docker" -o -path "$DATA_DIR/images" -o -path "$DATA_DIR/postgres" \) \
    -prune -o ! -type l -perm /g=rw,o=rwx -exec chmod g-rw,o-rwx {} +
}

# Lets a service that runs as a user of its own (postgres, nginx's workers) pass through directories of
# the data directory to its own, without reading them: an ACL entry, which nothing else here changes.
grant_passage() {
  local user=$1
  shift
  setfacl -m "u:$user:--x" "$@"
}

# Node argument of the failure-injection verbs: "node2" or "2".
parse_node() {
  local n=${1#node}
  if [[ ! $n =~ ^[1-9]$ ]] || ((n > BIU_NODES)); then
    die_usage "unknown node '${1:-}': use node1..node$BIU_NODES"
  fi
  echo "$n"
}

say() { printf '%s\n' "$*"; }
info() { printf '[biu:%s] %s\n' "$BIU_INSTANCE" "$*"; }
warn() { printf '[biu:%s] warning: %s\n' "$BIU_INSTANCE" "$*" >&2; }
die() {
  printf '[biu:%s] error: %s\n' "$BIU_INSTANCE" "$*" >&2
  exit 1
}
die_usage() {
  printf 'biu: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

require_root() {
  ((EUID == 0)) || die "this verb manages network namespaces and daemons: run it as root"
}

# Starts a long-lived process detached from this shell: its own session, no terminal,
# and without descriptor 9 (the instance lock), which it would otherwise hold for life.
daemon() { setsid -f "$@" 9>&- </dev/null; }

# Serialises mutating verbs of one instance (a second `up` waits for the first). The data directory is
# root's alone (see keep_private).
take_lock() {
  # the parent (/var/lib/biu) as any directory there; the instance's own, root's alone
  mkdir -p "$(dirname "$DATA_DIR")"
  (umask 077 && mkdir -p "$DATA_DIR")
  chmod g-rw,o-rwx "$DATA_DIR"
  umask 077 # what the verb makes in it, too (see keep_private)
  exec 9>"$DATA_DIR/.lock"
  flock -w 900 9 || die "another ./biu command holds the lock of instance $BIU_INSTANCE"
}

# A pid file's process, only if it is still the process we started: its command line
# must mention $2 (our data directory or a unique argument), so a recycled pid is never hit.
pid_of() {
  local file=$1 marker=$2 pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Whether a pid is a live process. A zombie is dead: `kill -0` would still succeed on it
# until its reaper (init, for our detached daemons) gets round to it.
pid_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != [ZX] ]]
}

any_alive() {
  local pid
  for pid; do pid_alive "$pid" && return 0; done
  return 1
}

# Stops processes by pid: TERM to all of them, wait up to $2 seconds, then KILL.
stop_pids() {
  local what=$1 grace=$2 pid i
  shift 2
  (($#)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < grace * 10; i++)); do
    any_alive "$@" || return 0
    sleep 0.1
  done
  for pid in "$@"; do
    if pid_alive "$pid"; then
      warn "$what (pid $pid) ignored TERM for ${grace}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

stop_pid() { stop_pids "$2" "${3:-20}" "$1"; }

# Polls a command until it succeeds or the deadline passes.
wait_for() {
  local what=$1 seconds=$2 i
  shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  return 1
}

# Seconds since the epoch with millisecond precision, for phase timings.
now_ms() { date +%s%3N; }
fmt_ms() { printf '%d.%01ds' $(($1 / 1000)) $((($1 % 1000) / 100)); }
