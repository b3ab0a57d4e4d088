# shellcheck shell=bash
# ./shifts bench: the whole system in Release on its own servers (.local/bench, empty every run,
# own ports), the load generator bench/Shifts.Bench against it, results in bench/results/.
# Everything it starts is stopped again by pid, also on failure and Ctrl-C.

BENCH_SERVICES_STARTED=''

bench_cleanup() {
  trap - EXIT INT TERM
  if [[ -n $BENCH_SERVICES_STARTED ]]; then
    services_stop gateway web notifications events-2 events volunteers >/dev/null 2>&1 || true
  fi
  infra_stop >/dev/null 2>&1 || true
}

# pgbench comes with the PostgreSQL client packages; as root we install it when missing.
ensure_pgbench() {
  find_pg_bin
  if [[ -x $PG_BIN/pgbench ]]; then PGBENCH=$PG_BIN/pgbench; return 0; fi
  if command -v pgbench >/dev/null; then PGBENCH=$(command -v pgbench); return 0; fi
  is_root || die "pgbench is missing; run: sudo apt-get install -y postgresql-contrib"
  step "Installing postgresql-contrib (pgbench)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-contrib >"$REPO_ROOT/.local/apt-bench.log" 2>&1 ||
    die "apt-get install postgresql-contrib failed (log: $REPO_ROOT/.local/apt-bench.log)"
  PGBENCH=$PG_BIN/pgbench
  [[ -x $PGBENCH ]] || PGBENCH=$(command -v pgbench) || die "pgbench not found after installing postgresql-contrib"
}

# A second replica of the events service (the two-replica claim rush): the same build, database
# and broker as the first, on a port of its own; stopped with the others (pid file events-2.pid).
bench_second_events_replica() {
  local dir=$REPO_ROOT/$(service_dir events) env pid
  local dll=$dir/bin/Release/net10.0/$(service_dll_name events)
  mapfile -t env < <(service_env events)
  env+=("$@" "ASPNETCORE_URLS=http://127.0.0.1:$EVENTS2_PORT")
  info "starting a second events replica on 127.0.0.1:$EVENTS2_PORT"
  [[ -f $LOG_DIR/events-2.log ]] && mv -f "$LOG_DIR/events-2.log" "$LOG_DIR/events-2.log.prev"
  pid=$(start_background "$LOG_DIR/events-2.log" "$dir" env "${env[@]}" dotnet "$dll")
  echo "$pid" >"$PID_DIR/events-2.pid"
  local i
  for ((i = 0; i < 180; i++)); do
    [[ $(http_status "http://127.0.0.1:$EVENTS2_PORT/health/ready" 2) == 200 ]] && { ok "events-2 ready"; return 0; }
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$LOG_DIR/events-2.log" >&2; die "the second events replica exited during start"; }
    sleep 0.5
  done
  die "the second events replica did not become ready; see $LOG_DIR/events-2.log"
}

cmd_bench() {
  local arg
  for arg in "$@"; do
    case $arg in
      --quick | --clients | [0-9]*) ;;
      -h | --help)
        echo "usage: ./shifts bench [--quick] [--clients N]   (see bench/README.md)"
        return 0
        ;;
      *) die "unknown bench option '$arg'; use --quick and/or --clients N" ;;
    esac
  done

  ensure_dotnet
  ensure_packages
  use_instance bench
  # The services of the bench instance get their own ports (read by use_service_ports).
  export SHIFTS_GATEWAY_PORT=${SHIFTS_BENCH_GATEWAY_PORT:-8180}
  export SHIFTS_VOLUNTEERS_PORT=${SHIFTS_BENCH_VOLUNTEERS_PORT:-5201}
  export SHIFTS_EVENTS_PORT=${SHIFTS_BENCH_EVENTS_PORT:-5202}
  export SHIFTS_NOTIFICATIONS_PORT=${SHIFTS_BENCH_NOTIFICATIONS_PORT:-5203}
  export SHIFTS_WEB_PORT=${SHIFTS_BENCH_WEB_PORT:-5204}
  EVENTS2_PORT=${SHIFTS_BENCH_EVENTS2_PORT:-5212}
  use_service_ports
  ensure_pgbench

  # Leftovers of an interrupted run are stopped before their folder is wiped: every run starts empty.
  services_stop gateway web notifications events-2 events volunteers >/dev/null 2>&1 || true
  infra_stop >/dev/null 2>&1 || true
  trap bench_cleanup EXIT
  trap 'echo; warn "interrupted; stopping the bench instance"; exit 130' INT
  trap 'warn "terminated; stopping the bench instance"; exit 143' TERM
  rm -rf "$STATE_DIR" "$PG_HOME"
  prepare_dirs
  infra_check_ports
  local name
  for name in "${SERVICES[@]}"; do
    require_free_port "$(service_port "$name")" "SHIFTS_BENCH_${name^^}_PORT"
  done
  require_free_port "$EVENTS2_PORT" SHIFTS_BENCH_EVENTS2_PORT

  step "Starting bench servers (.local/bench)"
  # No smtp4dev: the load generator listens on SMTP_PORT itself (its SMTP sink, bench/README.md).
  infra_start

  step "Building Shifts.sln (Release)"
  build_solution Release "$LOG_DIR/build.log" || die "the build failed (errors above)"
  ok "build succeeded"
  infra_wait
  ok "PostgreSQL and RabbitMQ ready"

  local bench_dll=$REPO_ROOT/bench/Shifts.Bench/bin/Release/net10.0/Shifts.Bench.dll
  local key_file=$STATE_DIR/signing-key.pem
  (umask 077 && dotnet "$bench_dll" keygen >"$key_file") || die "could not create the signing key"

  step "Starting services (Release)"
  BENCH_SERVICES_STARTED=1
  local common=("ASPNETCORE_ENVIRONMENT=Production")
  service_start volunteers Release "${common[@]}" "Auth__SigningKey=$(cat "$key_file")"
  for name in events notifications web gateway; do service_start "$name" Release "${common[@]}"; done
  for name in "${SERVICES[@]}"; do service_wait "$name"; done
  bench_second_events_replica "${common[@]}"

  local pids='' pid
  for name in "${SERVICES[@]}"; do
    pid=$(service_pid "$name") || die "$name is not running"
    pids+="$name=$pid,"
  done
  pid=$(service_pid events-2) || die "the second events replica is not running"
  pids+="events-2=$pid,"

  step "Running the benchmark (load $(cut -d' ' -f1-3 /proc/loadavg))"
  local rc=0
  BENCH_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" \
    BENCH_VOLUNTEERS_URL="http://127.0.0.1:$VOLUNTEERS_PORT" \
    BENCH_EVENTS_URL="http://127.0.0.1:$EVENTS_PORT" \
    BENCH_EVENTS2_URL="http://127.0.0.1:$EVENTS2_PORT" \
    BENCH_POSTGRES_PORT="$PG_PORT" \
    BENCH_AMQP_URI="amqp://shifts:shifts@127.0.0.1:$AMQP_PORT/" \
    BENCH_SMTP_PORT="$SMTP_PORT" \
    BENCH_SIGNING_KEY_FILE="$key_file" \
    BENCH_ADMIN_EMAIL="$ADMIN_EMAIL" \
    BENCH_PGBENCH="$PGBENCH" \
    BENCH_PGBENCH_SCRIPT="$REPO_ROOT/bench/claim.pgbench.sql" \
    BENCH_RESULTS_DIR="$REPO_ROOT/bench/results" \
    BENCH_PIDS="$pids" \
    BENCH_COMMIT="$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo '+changes')" \
    dotnet "$bench_dll" run "$@" || rc=$?

  # Where the database's time went: kept with the logs for profiling.
  printf '%s\n' "SELECT calls, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 140) AS query
FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25;" |
    as_pg_owner "$PG_BIN/psql" -X -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' -f - \
      >"$LOG_DIR/pg_stat_statements.txt" 2>&1 || true
  info "logs and pg_stat_statements: $LOG_DIR"

  step "Stopping the bench instance"
  bench_cleanup
  ((rc == 0)) || die "the benchmark did not complete every scenario (see above)"
  ok "done"
}
