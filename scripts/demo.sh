# shellcheck shell=bash
# The demo cluster that `./biu up` ends with, so that the first thing a newcomer sees is a working
# cluster: cluster "demo" of tenant "demo" (the demo web app's tenant, to which web.sh grants pod lab),
# three small masters without replicas, and an endpoint of one proxy. It is made with the biu client,
# as a user would make it, and only when missing.
#
# proxy-admin shows an endpoint's password once, so it is kept in $DATA_DIR/secrets/demo-endpoint.password
# (mode 0600), from which `up` and `status` print the redis-cli line. $DATA_DIR/demo.pending marks a demo
# still to be made: a later `up` of the running instance finishes it. BIU_DEMO=0 skips the demo.

BIU_DEMO=${BIU_DEMO:-1}
DEMO_TENANT=$WEB_TENANT
DEMO_CLUSTER=demo

demo_password_file() { echo "$DATA_DIR/secrets/demo-endpoint.password"; }
demo_pending_file() { echo "$DATA_DIR/demo.pending"; }

# The client, as the instance's operator acting for the demo tenant, whatever the caller's own settings.
demo_client() {
  BIU_INSTANCE=$BIU_INSTANCE BIU_DATA_DIR=$DATA_DIR BIU_CONFIG=/dev/null BIU_TENANT=$DEMO_TENANT \
    BIU_TOKEN=$(<"$DATA_DIR/operator.token") \
    timeout 300 "$(java_home)/bin/java" -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$BIU_ROOT/$CLI_JAR" "$@"
}

# GET of a service's API as the demo tenant; prints the body, fails on anything but 200.
demo_get() {
  curl -sSf --max-time 10 -H @<(printf 'Authorization: Bearer %s\n' "$(<"$DATA_DIR/operator.token")") \
    -H "X-Biu-Tenant: $DEMO_TENANT" "$(service_url "$1")/api/v1$2"
}

# The demo endpoint's JSON (proxy-admin's view), or nothing when it has none.
demo_endpoint() { demo_get admin /endpoints | jq -c --arg c "$DEMO_CLUSTER" 'first(.[] | select(.clusterName == $c))'; }

# Writes the password in a JSON document on stdin to the password file, readable by root only.
demo_keep_password() {
  local file
  file=$(demo_password_file)
  (
    umask 077
    mkdir -p "$(dirname "$file")"
    jq -er .password >"$file.tmp" && mv "$file.tmp" "$file"
  )
}

# Makes what is missing of the demo: the cluster, its endpoint, the kept password. Idempotent.
demo_ensure() {
  local state endpoint
  state=$(demo_get redis-ctl /clusters | jq -r --arg c "$DEMO_CLUSTER" 'first(.[] | select(.name == $c) | .state)') ||
    return 1
  if [[ -z $state ]]; then
    info "creating the demo cluster $DEMO_CLUSTER (tenant $DEMO_TENANT): 3 masters of 0.1 cores and 64 MiB"
    demo_client cluster create "$DEMO_CLUSTER" --masters 3 --replicas 0 --cpu 0.1 --memory 64MiB \
      --persistence none -o json >/dev/null || return 1
  elif [[ $state != ready ]]; then
    warn "the demo cluster is $state, not ready: \`./biu cluster show $DEMO_CLUSTER --tenant $DEMO_TENANT\` says why"
    return 1
  fi
  endpoint=$(demo_endpoint) || return 1
  if [[ -z $endpoint ]]; then
    info "issuing the demo cluster's endpoint"
    demo_client endpoint issue "$DEMO_CLUSTER" --proxies 1 -o json | demo_keep_password || return 1
  elif [[ ! -s $(demo_password_file) ]]; then
    # its password was shown once and lost (an interrupted up): a new one, the old one void at once
    info "giving the demo endpoint a new password"
    demo_client endpoint rotate "$(jq -r .id <<<"$endpoint")" --grace 0 -o json | demo_keep_password || return 1
  fi
}

# Part of a full `up`: makes the demo unless BIU_DEMO=0. A failure leaves the platform up and says so.
demo_up() {
  [[ $BIU_DEMO == 0 ]] && return 0
  [[ $BIU_DEMO == 1 ]] || die "BIU_DEMO='$BIU_DEMO' is not valid: use 1 (the default) or 0 (no demo cluster)"
  [[ -f $BIU_ROOT/$CLI_JAR ]] || { warn "no demo cluster: the biu client ($CLI_JAR) is not built"; return 0; }
  touch "$(demo_pending_file)"
  if demo_ensure; then
    rm -f "$(demo_pending_file)"
  else
    warn "the demo cluster is not ready; the platform runs: \`./biu up\` tries again, BIU_DEMO=0 skips it"
  fi
}

# Part of `up` of a running instance: finishes a demo an earlier `up` left undone.
demo_resume() {
  [[ -e $(demo_pending_file) && $BIU_DEMO != 0 ]] || return 0
  demo_up
}

# The demo's line in the status report, when there is a demo.
demo_status_line() {
  local endpoint state
  [[ -s $(demo_password_file) ]] || return 0
  endpoint=$(demo_endpoint 2>/dev/null) || endpoint=""
  state=$(jq -r '.state // "absent"' <<<"${endpoint:-null}")
  [[ $state == ready ]] && state=up
  printf '  %-14s %-12s %s (cluster %s of tenant %s)\n' demo "$state" \
    "$(jq -r '.addresses[0] // "-"' <<<"${endpoint:-null}")" "$DEMO_CLUSTER" "$DEMO_TENANT"
}

# How to connect to the demo cluster: the last lines of `up` and `status`.
demo_connect_hint() {
  local file address
  file=$(demo_password_file)
  [[ -s $file ]] || return 0
  address=$(demo_endpoint 2>/dev/null | jq -r '.addresses[0] // empty') || address=""
  [[ -n $address ]] || return 0
  say "Connect to the demo cluster with:"
  say "  REDISCLI_AUTH=\$(cat $file) redis-cli -h ${address%:*} -p ${address##*:}"
}
