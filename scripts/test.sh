# shellcheck shell=bash
# ./shifts test: fresh throwaway servers under .local/test, the whole test
# suite against them, one summary line, and the servers always stopped after.

TRX_NAME=shifts-test.trx

test_cleanup() {
  # Runs on every exit (normal, failure, Ctrl-C); silent when nothing runs.
  trap - EXIT INT TERM
  infra_stop >/dev/null 2>&1 || true
}

# Prints the sum of one <Counters> attribute over the given TRX files.
trx_sum() {
  local attribute=$1 sum=0 value file
  shift
  for file in "$@"; do
    value=$(grep -o "<Counters [^>]*" "$file" | grep -o " $attribute=\"[0-9]*\"" | grep -o '[0-9]*' | head -n1 || true)
    sum=$((sum + ${value:-0}))
  done
  echo "$sum"
}

cmd_test() {
  ensure_dotnet
  ensure_packages "${TEST_PACKAGES[@]}"
  use_instance test

  # Servers left over by an interrupted earlier run are stopped before their
  # folder is wiped; then every run starts from empty servers.
  infra_stop >/dev/null 2>&1 || true
  trap test_cleanup EXIT
  trap 'echo; warn "interrupted; stopping test servers"; exit 130' INT
  trap 'warn "terminated; stopping test servers"; exit 143' TERM
  rm -rf "$STATE_DIR" "$PG_HOME"
  prepare_dirs
  infra_check_ports

  step "Starting test servers (.local/test)"
  infra_start

  # The build overlaps with RabbitMQ's boot. Release keeps the test build
  # apart from the Debug binaries a running `./shifts up` uses.
  step "Building Shifts.sln (Release)"
  if ! build_solution Release "$LOG_DIR/build.log"; then
    step "Stopping test servers"
    test_cleanup
    echo "tests: 0 passed, 1 failed"
    exit 1
  fi
  infra_wait

  export SHIFTS_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=shifts;Password=shifts;Database=postgres"
  export SHIFTS_TEST_RABBITMQ="amqp://shifts:shifts@127.0.0.1:$AMQP_PORT/"
  export SHIFTS_TEST_RABBITMQ_MANAGEMENT="http://shifts:shifts@127.0.0.1:$MGMT_PORT"
  export SHIFTS_TEST_SMTP="127.0.0.1:$SMTP_PORT"
  export SHIFTS_TEST_SMTP_API="http://127.0.0.1:$SMTP_WEB_PORT"
  export SHIFTS_TEST_RABBITMQ_CTL="$RMQ_CTL"

  # Each test project writes its TRX into its own TestResults folder (one
  # shared --results-directory would make them overwrite each other); we
  # collect them into .local/test/results afterwards.
  local results=$STATE_DIR/results
  mkdir -p "$results"
  find_trx_files | xargs -r rm -f

  step "Running tests"
  local rc=0
  (cd "$REPO_ROOT" && dotnet test Shifts.sln -c Release --no-build --nologo \
    --logger "trx;LogFileName=$TRX_NAME" \
    --blame-hang-timeout 10m --blame-hang-dump-type none \
    "$@") || rc=$?

  local trx files=()
  while IFS= read -r trx; do
    local project
    project=$(basename "$(dirname "$(dirname "$trx")")")
    mv -f "$trx" "$results/$project.trx"
    files+=("$results/$project.trx")
  done < <(find_trx_files)

  local total=0 passed=0 failed=0
  if ((${#files[@]} > 0)); then
    total=$(trx_sum total "${files[@]}")
    passed=$(trx_sum passed "${files[@]}")
    failed=$(($(trx_sum failed "${files[@]}") + $(trx_sum error "${files[@]}") + $(trx_sum timeout "${files[@]}") + $(trx_sum aborted "${files[@]}")))
  fi

  step "Stopping test servers"
  test_cleanup

  local status=0
  if ((rc != 0 && failed == 0)); then
    # A crashed test host or an unknown option: no report shows a failure,
    # but the run did not succeed; count it as one.
    warn "dotnet test exited with code $rc without reporting a failed test"
    failed=1
  fi
  if ((total == 0)); then
    warn "no test ran"
    status=1
  fi
  ((failed > 0)) && status=1
  echo "tests: $passed passed, $failed failed"
  return "$status"
}

# TRX files written by this run's logger, outside our own .local folder.
find_trx_files() {
  find "$REPO_ROOT" \( -path "$REPO_ROOT/.local" -o -path "$REPO_ROOT/.git" -o -name node_modules \) -prune \
    -o -type f -path "*/TestResults/$TRX_NAME" -print
}
