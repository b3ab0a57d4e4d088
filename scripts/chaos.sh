# shellcheck shell=bash
# ./shifts chaos: fault injection. Starts a throwaway system (instance "chaos",
# .local/chaos, its own ports), builds Release, and runs bench/Shifts.Chaos,
# which drives claim load through the gateway, injects each fault through
# `./shifts chaos-ctl` (below) and checks the invariants afterwards. Everything
# started here is stopped by pid on every exit, also on failure or Ctrl-C.

CHAOS_PROJECT=bench/Shifts.Chaos

# Service ports of the chaos instance (the servers' ports are in use_instance).
chaos_service_ports() {
  set_port GATEWAY SHIFTS_CHAOS_GATEWAY_PORT 8280
  set_port VOLUNTEERS SHIFTS_CHAOS_VOLUNTEERS_PORT 5301
  set_port EVENTS SHIFTS_CHAOS_EVENTS_PORT 5302
  set_port NOTIFICATIONS SHIFTS_CHAOS_NOTIFICATIONS_PORT 5303
  set_port WEB SHIFTS_CHAOS_WEB_PORT 5304
}

chaos_cleanup() {
  trap - EXIT INT TERM
  services_stop gateway web notifications events volunteers >/dev/null 2>&1 || true
  infra_stop >/dev/null 2>&1 || true
}

cmd_chaos() {
  ensure_dotnet
  ensure_packages
  command -v openssl >/dev/null || die "openssl is missing (it makes the signing key); run: apt-get install -y openssl"
  use_instance chaos
  chaos_service_ports

  # Leftovers of an interrupted run are stopped before their folder is wiped.
  chaos_cleanup
  trap chaos_cleanup EXIT
  trap 'echo; warn "interrupted; stopping the chaos system"; exit 130' INT
  trap 'warn "terminated; stopping the chaos system"; exit 143' TERM
  rm -rf "$STATE_DIR" "$PG_HOME"
  prepare_dirs
  infra_check_ports
  local name
  for name in "${SERVICES[@]}"; do
    require_free_port "$(service_port "$name")" "$(service_port_var "$name")"
  done

  step "Starting servers (.local/chaos)"
  infra_start

  step "Building Shifts.sln (Release)"
  build_solution Release "$LOG_DIR/build.log" || die "the build failed (errors above)"
  infra_wait
  ok "PostgreSQL :$PG_PORT, RabbitMQ :$AMQP_PORT, smtp4dev :$SMTP_PORT"

  # The volunteers service signs access tokens with this key (Auth:SigningKey, as in
  # production); the harness signs its helpers' tokens with the same key.
  openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$STATE_DIR/signing-key.pem" ||
    die "could not create the signing key"

  local dll=$REPO_ROOT/$CHAOS_PROJECT/bin/Release/net10.0/Shifts.Chaos.dll
  [[ -f $dll ]] || die "$dll is missing after the build"
  export SHIFTS_CHAOS_CTL="$REPO_ROOT/shifts"
  export SHIFTS_CHAOS_GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
  export SHIFTS_CHAOS_SERVICES="volunteers=http://127.0.0.1:$VOLUNTEERS_PORT;events=http://127.0.0.1:$EVENTS_PORT;notifications=http://127.0.0.1:$NOTIFICATIONS_PORT"
  export SHIFTS_CHAOS_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=shifts;Password=shifts"
  export SHIFTS_CHAOS_RABBITMQ_MANAGEMENT="http://shifts:shifts@127.0.0.1:$MGMT_PORT"
  export SHIFTS_CHAOS_SMTP_API="http://127.0.0.1:$SMTP_WEB_PORT"
  export SHIFTS_CHAOS_SIGNING_KEY_FILE="$STATE_DIR/signing-key.pem"
  export SHIFTS_CHAOS_ADMIN_EMAIL="$ADMIN_EMAIL"
  export SHIFTS_CHAOS_RESULTS="$REPO_ROOT/bench/results"
  export SHIFTS_CHAOS_LOGS="$LOG_DIR"

  step "Running the fault scenarios (logs in .local/chaos/logs)"
  local rc=0
  dotnet "$dll" "$@" || rc=$?

  step "Stopping the chaos system"
  chaos_cleanup
  return "$rc"
}

# The harness's hands on the running system: ./shifts chaos-ctl <action> [part].
# Each action acts on the chaos instance only, by pid.
cmd_chaos_ctl() {
  use_instance chaos
  chaos_service_ports
  local action=${1:-} part=${2:-} pid
  case $action in
    start)
      # Plain SMTP to smtp4dev, never STARTTLS; every volunteers replica signs with the same key.
      local extra=()
      [[ $part == notifications ]] && extra+=("Smtp__Security=None")
      [[ $part == volunteers ]] && extra+=("Auth__SigningKey=$(cat "$STATE_DIR/signing-key.pem")")
      service_start "$part" Release "${extra[@]}"
      service_wait "$part"
      ;;
    kill)
      # kill -9: no graceful shutdown, no flushing; what a crash or the OOM killer does.
      pid=$(service_pid "$part") || die "$part is not running"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
      wait_pid_gone "$pid" 10 || die "$part (pid $pid) survived kill -9"
      rm -f "$PID_DIR/$part.pid"
      ok "killed $part (pid $pid) with SIGKILL"
      ;;
    pid)
      service_pid "$part" || die "$part is not running"
      ;;
    rabbitmq-stop)
      # The RabbitMQ application stops (every connection is closed, nothing is accepted);
      # the Erlang node stays, so the start is quick.
      "$RMQ_CTL" stop_app >>"$LOG_DIR/rabbitmq-start.log" 2>&1 || die "rabbitmqctl stop_app failed"
      ok "RabbitMQ stopped"
      ;;
    rabbitmq-start)
      "$RMQ_CTL" start_app >>"$LOG_DIR/rabbitmq-start.log" 2>&1 || die "rabbitmqctl start_app failed"
      ok "RabbitMQ started"
      ;;
    postgres-stop)
      find_pg_bin
      # -m fast: open sessions are terminated (57P01), as in a failover or a restart for an update.
      as_pg_owner "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >>"$LOG_DIR/pg_ctl.log" 2>&1 || die "pg_ctl stop failed"
      ok "PostgreSQL stopped"
      ;;
    postgres-start)
      pg_start
      ok "PostgreSQL started"
      ;;
    *) die "usage: ./shifts chaos-ctl start|kill|pid <service> | rabbitmq-stop|rabbitmq-start|postgres-stop|postgres-start" ;;
  esac
}
