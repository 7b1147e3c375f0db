# shellcheck shell=bash
# ./biu test [unit|all]: the whole suite, timed phase by phase.
#
# `unit` builds and runs the Surefire tests (*Test): no lab, no root needed.
# `all` also brings up a complete instance of its own (BIU_TEST_INSTANCE, default
# "biutest": its own bridge, namespaces, subnets, ports and data directory, so a
# developer's running instance is never touched), runs the Failsafe tests (*IT and the
# end-to-end scenarios in it/) and the benchmark smoke run against it, and removes it.

TEST_INSTANCE=${BIU_TEST_INSTANCE:-biutest}
TEST_DATA_DIR=$(default_data_dir "$TEST_INSTANCE")
TEST_OUT=$BIU_ROOT/.biu-test # outside target/, which the build cleans
declare -a PHASE_NAMES=() PHASE_TIMES=() PHASE_RESULTS=()

# Runs a command as the test instance (a clean environment of instance settings).
as_test_instance() {
  env -u BIU_DATA_DIR -u BIU_NET_INDEX -u BIU_DB -u BIU_TEST_SETTINGS BIU_INSTANCE="$TEST_INSTANCE" "$@"
}

run_phase() {
  local name=$1 start rc=0
  shift
  start=$(now_ms)
  say "---- phase $name"
  "$@" || rc=$?
  PHASE_NAMES+=("$name")
  PHASE_TIMES+=($(($(now_ms) - start)))
  PHASE_RESULTS+=("$( ((rc == 0)) && echo ok || echo FAILED)")
  return $rc
}

phase_setup() {
  mkdir -p "$TEST_OUT"
  ensure_packages
  mvnw -q -v >"$TEST_OUT/maven.log" 2>&1 || { cat "$TEST_OUT/maven.log" >&2; return 1; }
}

# Runs Maven with its output in a log; on failure shows the errors and the failing tests.
maven_logged() {
  local log=$1
  shift
  if (cd "$BIU_ROOT" && mvnw "$@") >"$log" 2>&1; then
    return 0
  fi
  grep -E '\[ERROR\]|FAIL|Tests run:' "$log" | head -60 >&2
  say "full log: $log" >&2
  return 1
}

phase_build() { maven_logged "$TEST_OUT/build.log" -DskipTests clean package; }
# Unit tests: the Java ones, the Lua ones (busted), and shellcheck over ./biu and everything it sources.
phase_unit() {
  (cd "$BIU_ROOT" && shellcheck -x biu bench/*.sh .ci/run openresty-lua/bin/* scripts/tour-capture.sh) || return 1
  "$BIU_ROOT/openresty-lua/bin/test" >"$TEST_OUT/lua.log" 2>&1 || { tail -40 "$TEST_OUT/lua.log" >&2; return 1; }
  maven_logged "$TEST_OUT/unit.log" test
}

# The test instance runs the production profile (PostgreSQL); the instance that BiuScriptIT
# cycles up and down runs the embedded default (H2).
phase_platform() {
  as_test_instance "$BIU_ROOT/biu" down
  # without the demo cluster: the scenarios size their capacity races on a pod that is theirs alone
  as_test_instance env BIU_DB=postgres BIU_TEST_SETTINGS=1 BIU_DEMO=0 "$BIU_ROOT/biu" up --no-build
}

phase_e2e() {
  maven_logged "$TEST_OUT/e2e.log" verify --fail-at-end -DskipUTs=true \
    -Dbiu.root="$BIU_ROOT" -Dbiu.instance="$TEST_INSTANCE" -Dbiu.data-dir="$TEST_DATA_DIR"
}

phase_bench() { as_test_instance "$BIU_ROOT/biu" bench --smoke; }
phase_teardown() { as_test_instance "$BIU_ROOT/biu" down; }

show_test_instance_logs() {
  local f
  for f in "$TEST_DATA_DIR"/logs/*.log; do
    [[ -s $f ]] || continue
    say "---- last lines of $f"
    # InfluxDB's access log and the engines' plugin and shim chatter say nothing about a failure
    # (a log of nothing but such lines is no reason to stop: grep finding nothing must not end the run)
    { grep -v '^\[httpd\]\|loading plugin\|signal loop\|shim disconnected\|lvl=info' "$f" || true; } | tail -n 15
  done
}

# Why each failed test failed, from the Surefire and Failsafe text reports: the assertion's message
# and the project's own stack frames. Printed last, so that the end of a long log says it.
report_failures() {
  local f
  find "$BIU_ROOT" -path '*/target/*-reports/*.txt' -newer "$TEST_OUT/.started" 2>/dev/null | sort |
    while read -r f; do
      grep -q 'FAILURE!\|ERROR!' "$f" || continue
      say "---- $(basename "$f" .txt)"
      grep -v '^\(---\|Test set:\|Tests run:\)' "$f" | grep -v '^\s*at \(org\.\|java\.\|jdk\.\|sun\.\)' |
        cut -c1-400 | head -n 30
    done
}

# The teardown removes the instance's data; its logs stay in $TEST_OUT/logs for a look afterwards.
keep_test_instance_logs() {
  rm -rf "$TEST_OUT/logs"
  [[ -d $TEST_DATA_DIR/logs ]] && cp -r "$TEST_DATA_DIR/logs" "$TEST_OUT/logs"
  return 0
}

# One line per test class from the Surefire and Failsafe XML reports.
report_test_classes() {
  local f
  printf '%-60s %8s %6s %6s\n' "test class" "time" "tests" "failed"
  find "$BIU_ROOT" -path '*/target/*-reports/TEST-*.xml' -newer "$TEST_OUT/.started" 2>/dev/null | sort |
    while read -r f; do
      sed -n '/<testsuite /{p;q}' "$f" | awk '
        function attr(n,   m) { if (match($0, " " n "=\"[^\"]*\"")) { m = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", m); sub(/"$/, "", m); return m } return "" }
        { printf "%-60s %7.1fs %6d %6d\n", attr("name"), attr("time"), attr("tests"), attr("failures") + attr("errors") }'
    done
}

report_phases() {
  local i total=0
  say ""
  printf '%-12s %10s  %s\n' "phase" "time" "result"
  for i in "${!PHASE_NAMES[@]}"; do
    printf '%-12s %10s  %s\n' "${PHASE_NAMES[$i]}" "$(fmt_ms "${PHASE_TIMES[$i]}")" "${PHASE_RESULTS[$i]}"
    total=$((total + PHASE_TIMES[i]))
  done
  printf '%-12s %10s\n' "total" "$(fmt_ms "$total")"
}

cmd_test() {
  local mode=${1:-all} failed=0
  (($# <= 1)) || die_usage "test takes at most one argument: unit or all"
  case $mode in
    unit | all) ;;
    *) die_usage "unknown test mode '$mode': use unit or all" ;;
  esac
  [[ $mode == all ]] && require_root
  mkdir -p "$TEST_OUT"
  touch "$TEST_OUT/.started"
  run_phase setup phase_setup || failed=1
  ((failed)) || run_phase build phase_build || failed=1
  ((failed)) || run_phase unit phase_unit || failed=1
  if [[ $mode == all ]] && ((failed == 0)); then
    if run_phase platform phase_platform; then
      run_phase e2e phase_e2e || failed=1
      ((failed)) || run_phase bench phase_bench || failed=1
    else
      failed=1
    fi
    # why the tests failed first, then what the services said: a reader of the middle of a long log finds both
    if ((failed)); then report_failures; show_test_instance_logs; fi
    keep_test_instance_logs
    run_phase teardown phase_teardown || failed=1
  fi
  say ""
  report_test_classes
  report_phases
  if ((failed)); then
    report_failures
    say "TESTS FAILED (logs in $TEST_OUT)"
    return 1
  fi
  say "ALL TESTS PASSED"
}
