# shellcheck shell=bash
# Debian packages the platform and its lab need. Installed only when missing; services
# that Debian would start on installation (redis, nginx, postgresql, influxdb) are kept
# from starting: ./biu runs its own copies under the instance's data directory.

PACKAGES=(
  # lab: Docker engine, namespaces, cgroups
  docker.io containerd runc iproute2 util-linux procps kmod openssl acl
  # build and tooling
  openjdk-17-jdk-headless curl ca-certificates unzip shellcheck jq tmux
  # image material and infrastructure
  redis-server redis-tools busybox-static influxdb influxdb-client postgresql
  # the web tier
  nginx libnginx-mod-http-lua lua-resty-core lua-cjson lua-busted wrk
)

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == "install ok installed" ]] || echo "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  [[ -z ${missing// /} ]] && return 0
  require_root
  local log=/var/lib/biu/apt.log
  mkdir -p /var/lib/biu
  info "installing Debian packages: $missing"
  local policy=/usr/sbin/policy-rc.d ours=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# written by biu while it installs packages\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    ours=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # shellcheck disable=SC2086
  # packages' own scripts make files others must read: the usual umask, whatever the caller's
  if ! (umask 022 && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing) >>"$log" 2>&1; then
    tail -20 "$log" >&2
    die "installing packages failed; see $log"
  fi
  if ((ours)); then
    rm -f "$policy"
    trap - EXIT
  fi
}

java_home() {
  local h
  h=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)
  [[ -x $h/bin/javac ]] || h=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
  echo "$h"
}
