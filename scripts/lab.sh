# shellcheck shell=bash
# The lab: BIU_NODES simulated Docker hosts on this machine.
#
# Each node is a network namespace whose eth0 (one end of a veth pair) sits on the lab
# bridge, the "physical" L2 network, and is the parent of the MacVLAN networks pods use.
# Inside it runs a dockerd of its own (overlay2), whose TCP API on the node's address
# requires TLS with client certificates from the instance's own CA, as a real fleet's
# would; a unix socket serves this machine's tools. A macvlan "shim" on the bridge lets
# this machine reach container addresses (a parent cannot reach its own macvlan children).
#
# Each dockerd runs with live-restore, as a production host's should: its containers keep
# running while it restarts, and those that die come back in place (their restart policy).
#
# Failure injection: partition = the node's bridge port goes down; crash = dockerd, its
# containerd, shims and every container process of the node die by SIGKILL; hang = dockerd
# is frozen (SIGSTOP) while its containers keep serving; restart = dockerd stops and starts
# again, its containers left running; heal = the port comes back up, a hung dockerd resumes
# and a crashed one boots again (a reboot, in effect). `lab up` also heals: it brings every
# node to the running state.

lab_up() {
  require_root
  mkdir -p "$LOG_DIR" "$PID_DIR" "$RUN_ROOT"
  lab_bridge_up
  lab_tls_up
  local i
  for ((i = 1; i <= BIU_NODES; i++)); do
    lab_node_net_up "$i"
    lab_dockerd_up "$i"
  done
  for ((i = 1; i <= BIU_NODES; i++)); do
    wait_for "dockerd of node$i" 60 node_docker_ping "$i" ||
      die "dockerd of node$i did not answer within 60s; see $LOG_DIR/node$i-dockerd.log"
  done
  images_up
  lab_write_properties
}

lab_address_taken_elsewhere() {
  ip -o -4 addr show | awk -v pfx="10.$OCTET." -v bridge="$LAB_BRIDGE" -v shim="$SHIM_IF" \
    'index($4, pfx) == 1 && $2 != bridge && $2 != shim { found = 1; print $2 " " $4 } END { exit !found }'
}

lab_bridge_up() {
  local clash
  if clash=$(lab_address_taken_elsewhere); then
    die "the lab network 10.$OCTET.0.0/16 of instance $BIU_INSTANCE is already used by: $clash; choose another BIU_NET_INDEX"
  fi
  if ! ip link show "$LAB_BRIDGE" &>/dev/null; then
    ip link add "$LAB_BRIDGE" type bridge
    sysctl -qw "net.ipv6.conf.$LAB_BRIDGE.disable_ipv6=1" || true
  fi
  ip addr replace "$LAB_BRIDGE_IP/$LAB_CIDR" dev "$LAB_BRIDGE"
  ip link set "$LAB_BRIDGE" up
  if ! ip link show "$SHIM_IF" &>/dev/null; then
    ip link add "$SHIM_IF" link "$LAB_BRIDGE" type macvlan mode bridge
    sysctl -qw "net.ipv6.conf.$SHIM_IF.disable_ipv6=1" || true
  fi
  ip addr replace "$SHIM_IP/${POD_RANGE#*/}" dev "$SHIM_IF"
  ip link set "$SHIM_IF" up
  # A macvlan on a bridge only puts the bridge in promiscuous mode: the bridge never learns the shim's
  # address, so it would flood every frame for this machine to every node's ports. A local entry in its
  # forwarding table delivers them here alone.
  bridge fdb replace "$(<"/sys/class/net/$SHIM_IF/address")" dev "$LAB_BRIDGE" self local
}

lab_node_net_up() {
  local i=$1 ns veth
  ns=$(node_ns "$i")
  veth=$(node_veth "$i")
  [[ -e /run/netns/$ns ]] || ip netns add "$ns"
  if ! ip link show "$veth" &>/dev/null; then
    ip link add "$veth" type veth peer name "$veth-p"
    ip link set "$veth-p" netns "$ns"
    ip -n "$ns" link set "$veth-p" name eth0
    sysctl -qw "net.ipv6.conf.$veth.disable_ipv6=1" || true
  fi
  ip link set "$veth" master "$LAB_BRIDGE"
  ip link set "$veth" up
  ip -n "$ns" addr replace "$(node_ip "$i")/$LAB_CIDR" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  # eth1: a second port on the same L2 network, without an address. Docker allows one MacVLAN network
  # per parent interface, so a second pod on a node needs another parent (VLAN sub-interfaces would do
  # on real hosts; this machine's kernel has no 802.1q).
  local veth2
  veth2=$(node_veth2 "$i")
  if ! ip link show "$veth2" &>/dev/null; then
    ip link add "$veth2" type veth peer name "$veth2-p"
    ip link set "$veth2-p" netns "$ns"
    ip -n "$ns" link set "$veth2-p" name eth1
    sysctl -qw "net.ipv6.conf.$veth2.disable_ipv6=1" || true
  fi
  ip link set "$veth2" master "$LAB_BRIDGE"
  ip link set "$veth2" up
  ip -n "$ns" link set eth1 up
}

node_docker_ping() {
  [[ $(curl -s --max-time 2 --unix-socket "$(node_sock "$1")" http://node/_ping) == OK ]]
}

# The instance's CA, a server certificate per node (its lab address as subject name) and
# one client certificate, laid out as Docker clients expect (ca.pem, cert.pem, key.pem).
lab_tls_up() {
  local dir=$DATA_DIR/tls i
  mkdir -p "$dir"
  chmod 700 "$dir"
  if [[ ! -f $dir/ca.pem ]]; then
    tls_key "$dir/ca-key.pem"
    openssl req -x509 -new -key "$dir/ca-key.pem" -out "$dir/ca.pem" -days 3650 \
      -subj "/CN=biu lab CA ($BIU_INSTANCE)" 2>/dev/null
  fi
  if [[ ! -f $dir/client/cert.pem ]]; then
    tls_issue "$dir/client" "biu-client" "extendedKeyUsage=clientAuth"
    cp "$dir/ca.pem" "$dir/client/ca.pem"
  fi
  for ((i = 1; i <= BIU_NODES; i++)); do
    [[ -f $dir/node$i/cert.pem ]] ||
      tls_issue "$dir/node$i" "node$i" "subjectAltName=IP:$(node_ip "$i")
extendedKeyUsage=serverAuth"
  done
}

tls_key() { (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null); }

tls_issue() {
  local dir=$1 cn=$2 ext=$3 ca=$DATA_DIR/tls
  mkdir -p "$dir"
  tls_key "$dir/key.pem"
  openssl req -new -key "$dir/key.pem" -subj "/CN=$cn" -out "$dir/req.csr" 2>/dev/null
  openssl x509 -req -in "$dir/req.csr" -CA "$ca/ca.pem" -CAkey "$ca/ca-key.pem" -CAcreateserial \
    -days 3650 -out "$dir/cert.pem" -extfile <(printf '%s\n' "$ext") 2>/dev/null
  rm -f "$dir/req.csr"
}

lab_dockerd_pid() { pid_of "$PID_DIR/node$1-dockerd.pid" "$(node_dir "$1")/docker"; }

# Starts a node's dockerd. As a rebooted host would, unless $2 is "restart": then dockerd
# starts again beside the containers (and their shims) it left running.
lab_dockerd_up() {
  local i=$1 how=${2:-boot} dir
  dir=$(node_dir "$i")
  lab_dockerd_pid "$i" >/dev/null && return 0
  if [[ $how == boot ]]; then
    # Boot as a rebooted host would: nothing mounted and an empty /run. A crash leaves the
    # container mounts and containerd's pid file behind, and a pid file naming a process
    # that is not yet reaped makes dockerd wait for a containerd that never answers.
    lab_kill_node_processes "$i"
    unmount_below "$dir"
    unmount_below "$(node_exec_root "$i")"
    rm -rf "$(node_exec_root "$i")"
  fi
  mkdir -p "$dir/docker" "$(node_exec_root "$i")"
  rm -f "$(node_sock "$i")" "$PID_DIR/node$i-dockerd.pid"
  info "starting dockerd of node$i at tcp://$(node_ip "$i"):$NODE_DOCKER_PORT"
  daemon nsenter --net="/run/netns/$(node_ns "$i")" \
    dockerd --iptables=false --ip6tables=false --bridge=none --ip-masq=false \
    --storage-driver=overlay2 --live-restore \
    --data-root="$dir/docker" --exec-root="$(node_exec_root "$i")" \
    --pidfile="$PID_DIR/node$i-dockerd.pid" \
    -H "unix://$(node_sock "$i")" -H "tcp://$(node_ip "$i"):$NODE_DOCKER_PORT" \
    --tlsverify --tlscacert="$DATA_DIR/tls/ca.pem" \
    --tlscert="$DATA_DIR/tls/node$i/cert.pem" --tlskey="$DATA_DIR/tls/node$i/key.pem" \
    --cgroup-parent="/$(node_cgroup_parent "$i")" \
    --default-ulimit "nofile=$(lab_nofile):$(lab_nofile)" \
    --log-level="${BIU_DOCKERD_LOG_LEVEL:-warn}" \
    >>"$LOG_DIR/node$i-dockerd.log" 2>&1
}

# Containers' open-file limit: 65536, or this machine's hard limit if that is lower (raising
# it needs CAP_SYS_RESOURCE, which some sandboxes withhold even from root).
lab_nofile() {
  local hard
  hard=$(ulimit -Hn)
  if [[ $hard == unlimited ]] || ((hard > 65536)); then echo 65536; else echo "$hard"; fi
}

lab_write_properties() {
  local f=$DATA_DIR/lab.properties i
  {
    echo "# The lab of instance $BIU_INSTANCE, written by ./biu lab up"
    echo "instance=$BIU_INSTANCE"
    echo "bridge=$LAB_BRIDGE"
    echo "bridge.address=$LAB_BRIDGE_IP"
    echo "shim.interface=$SHIM_IF"
    echo "shim.address=$SHIM_IP"
    echo "pod.range=$POD_RANGE"
    echo "pod.gateway=$POD_GATEWAY"
    echo "pod.parent=eth0"
    echo "pod.parent2=eth1"
    echo "image.redis=$IMAGE_REDIS"
    echo "image.jre=$IMAGE_JRE"
    echo "image.web=$IMAGE_WEB"
    echo "image.proxy=$IMAGE_PROXY"
    echo "net.index=$NET_INDEX"
    echo "docker.tls.dir=$DATA_DIR/tls/client"
    echo "container.nofile=$(lab_nofile)"
    echo "nodes=$BIU_NODES"
    for ((i = 1; i <= BIU_NODES; i++)); do
      echo "node.$i.name=node$i"
      echo "node.$i.namespace=$(node_ns "$i")"
      echo "node.$i.address=$(node_ip "$i")"
      echo "node.$i.docker.host=tcp://$(node_ip "$i"):$NODE_DOCKER_PORT"
      echo "node.$i.docker.socket=unix://$(node_sock "$i")"
      echo "node.$i.cgroup.parent=$(node_cgroup_parent "$i")"
    done
  } >"$f.tmp"
  mv "$f.tmp" "$f"
}

# Every process of a node: those in its network namespace (dockerd, containerd, shims,
# host-network containers) and those in its containers' cgroups (MacVLAN containers).
lab_node_pids() {
  local i=$1 cg
  cg=/sys/fs/cgroup/pids/$(node_cgroup_parent "$i")
  {
    if [[ -e /run/netns/$(node_ns "$i") ]]; then ip netns pids "$(node_ns "$i")" || true; fi
    if [[ -d $cg ]]; then find "$cg" -name cgroup.procs -exec cat {} + || true; fi
  } 2>/dev/null | sort -un
}

lab_kill_node_processes() {
  local i=$1 pids tries
  for ((tries = 0; tries < 50; tries++)); do
    pids=$(lab_node_pids "$i")
    [[ -z $pids ]] && return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.1
  done
  warn "node$i still has processes after SIGKILL: $(lab_node_pids "$i" | tr '\n' ' ')"
}

# The index of a node named on the command line ("node2" or "2") that exists.
existing_node() {
  local i
  i=$(parse_node "${1:-}")
  [[ -e /run/netns/$(node_ns "$i") ]] || die "node$i is not up: run ./biu lab up"
  echo "$i"
}

lab_partition() {
  require_root
  local i
  i=$(existing_node "${1:-}")
  take_lock
  ip link set "$(node_veth "$i")" down
  ip link set "$(node_veth2 "$i")" down
  info "node$i is cut off the lab network (./biu lab heal node$i reconnects it)"
}

lab_crash() {
  require_root
  local i
  i=$(existing_node "${1:-}")
  take_lock
  lab_kill_node_processes "$i"
  rm -f "$PID_DIR/node$i-dockerd.pid"
  info "node$i crashed: dockerd and every container process were killed (./biu lab heal node$i restarts it)"
}

lab_hang() {
  require_root
  local i pid
  i=$(existing_node "${1:-}")
  take_lock
  pid=$(lab_dockerd_pid "$i") || die "node$i's dockerd is not running: ./biu lab heal node$i starts it"
  kill -STOP "$pid"
  info "node$i's dockerd is frozen, its containers keep running (./biu lab heal node$i resumes it)"
}

lab_restart() {
  require_root
  local i pid
  i=$(existing_node "${1:-}")
  take_lock
  if pid=$(lab_dockerd_pid "$i"); then
    kill -CONT "$pid"
    stop_pids "dockerd of node$i" 30 "$pid"
  fi
  rm -f "$PID_DIR/node$i-dockerd.pid"
  lab_dockerd_up "$i" restart
  wait_for "dockerd of node$i" 60 node_docker_ping "$i" ||
    die "dockerd of node$i did not come back; see $LOG_DIR/node$i-dockerd.log"
  info "node$i's dockerd restarted"
}

# Whether a node's dockerd is frozen (stopped by a signal).
lab_dockerd_hung() {
  local pid
  pid=$(lab_dockerd_pid "$1") || return 1
  [[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) == T ]]
}

lab_heal() {
  require_root
  local i pid
  i=$(existing_node "${1:-}")
  take_lock
  ip link set "$(node_veth "$i")" up
  ip link set "$(node_veth2 "$i")" up
  if pid=$(lab_dockerd_pid "$i"); then
    kill -CONT "$pid"
  else
    lab_dockerd_up "$i"
    wait_for "dockerd of node$i" 60 node_docker_ping "$i" ||
      die "dockerd of node$i did not come back; see $LOG_DIR/node$i-dockerd.log"
  fi
  info "node$i is healthy and connected"
}

# Unmounts whatever is still mounted below a directory (overlay layers and netns files
# that a killed dockerd left behind), deepest first.
unmount_below() {
  local dir=$1
  awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

lab_down() {
  require_root
  local i pid ns cg pids=()
  # Every node that may exist, whatever BIU_NODES says now.
  for ((i = 1; i <= 9; i++)); do
    if pid=$(lab_dockerd_pid "$i"); then
      if node_docker_ping "$i"; then
        node_docker "$i" ps -aq | xargs -r "$DOCKER" -H "unix://$(node_sock "$i")" rm -f >/dev/null 2>&1 || true
      fi
      pids+=("$pid")
    fi
  done
  stop_pids "dockerd" 30 "${pids[@]}"
  for ((i = 1; i <= 9; i++)); do
    ns=$(node_ns "$i")
    lab_kill_node_processes "$i"
    unmount_below "$(node_dir "$i")"
    unmount_below "$(node_exec_root "$i")"
    if [[ -e /run/netns/$ns ]]; then ip netns del "$ns"; fi
    ip link del "$(node_veth "$i")" 2>/dev/null || true
    ip link del "$(node_veth2 "$i")" 2>/dev/null || true
    for cg in /sys/fs/cgroup/*/"$(node_cgroup_parent "$i")"; do
      if [[ -d $cg ]]; then find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true; fi
    done
    rm -rf "$(node_dir "$i")" "$(node_exec_root "$i")" "$PID_DIR/node$i-dockerd.pid"
  done
  ip link del "$SHIM_IF" 2>/dev/null || true
  ip link del "$LAB_BRIDGE" 2>/dev/null || true
  rm -rf "$RUN_ROOT" "$DATA_DIR/nodes" "$DATA_DIR/images" "$DATA_DIR/tls" "$DATA_DIR/lab.properties"
  rmdir /run/biu 2>/dev/null || true
}

lab_node_state() {
  local i=$1
  if [[ ! -e /run/netns/$(node_ns "$i") ]]; then
    echo "absent"
  elif ! lab_dockerd_pid "$i" >/dev/null; then
    echo "crashed"
  elif lab_dockerd_hung "$i"; then
    echo "hung"
  elif [[ $(cat "/sys/class/net/$(node_veth "$i")/operstate" 2>/dev/null) != up ]]; then
    echo "partitioned"
  elif node_docker_ping "$i"; then
    echo "up"
  else
    echo "starting"
  fi
}

lab_running() {
  local i
  ip link show "$LAB_BRIDGE" &>/dev/null || return 1
  for ((i = 1; i <= BIU_NODES; i++)); do
    [[ $(lab_node_state "$i") == up ]] || return 1
  done
}

lab_status() {
  if ! ip link show "$LAB_BRIDGE" &>/dev/null; then
    printf '  %-14s %-12s\n' "lab" "down"
    return 0
  fi
  printf '  %-14s %-12s bridge %s %s/%s, shim %s %s, pod range %s\n' \
    "lab" "up" "$LAB_BRIDGE" "$LAB_BRIDGE_IP" "$LAB_CIDR" "$SHIM_IF" "$SHIM_IP" "$POD_RANGE"
  local i state containers
  for ((i = 1; i <= BIU_NODES; i++)); do
    state=$(lab_node_state "$i")
    containers=""
    [[ $state == up ]] && containers=", $(node_docker "$i" ps -q | wc -l) containers running"
    printf '  %-14s %-12s tcp://%s:%s, TLS (netns %s)%s\n' "node$i" "$state" "$(node_ip "$i")" \
      "$NODE_DOCKER_PORT" "$(node_ns "$i")" "$containers"
  done
}

cmd_lab() {
  local verb=${1:-}
  shift || true
  case $verb in
    up) require_root; take_lock; ensure_packages; lab_up; lab_status ;;
    down) require_root; [[ ! -d $DATA_DIR ]] || take_lock; lab_down; info "lab removed" ;;
    status) lab_status ;;
    partition) lab_partition "$@" ;;
    heal) lab_heal "$@" ;;
    crash) lab_crash "$@" ;;
    hang) lab_hang "$@" ;;
    restart) lab_restart "$@" ;;
    "") die_usage "lab needs a verb: up, down, status, partition NODE, hang NODE, restart NODE, crash NODE, heal NODE" ;;
    *) die_usage "unknown lab verb '$verb': use up, down, status, partition NODE, hang NODE, restart NODE, crash NODE, heal NODE" ;;
  esac
}
