# shellcheck shell=bash
# The application: build, the three services, the web app and the gateway, and the
# up/down/status/logs commands built on them and on scripts/infra.sh.

SERVICES=(volunteers events notifications web gateway)

# Project folder (relative to the repo) of each part.
service_dir() {
  case $1 in
    volunteers) echo services/Volunteers/Shifts.Volunteers ;;
    events | events-2) echo services/Events/Shifts.Events ;;
    notifications) echo services/Notifications/Shifts.Notifications ;;
    web) echo web/Shifts.Web ;;
    gateway) echo gateway/Shifts.Gateway ;;
  esac
}

service_dll_name() {
  case $1 in
    volunteers) echo Shifts.Volunteers.dll ;;
    events | events-2) echo Shifts.Events.dll ;;
    notifications) echo Shifts.Notifications.dll ;;
    web) echo Shifts.Web.dll ;;
    gateway) echo Shifts.Gateway.dll ;;
  esac
}

# Reads the service ports (overridable) into VOLUNTEERS_PORT etc.
use_service_ports() {
  set_port GATEWAY SHIFTS_GATEWAY_PORT 8080
  set_port VOLUNTEERS SHIFTS_VOLUNTEERS_PORT 5101
  set_port EVENTS SHIFTS_EVENTS_PORT 5102
  set_port NOTIFICATIONS SHIFTS_NOTIFICATIONS_PORT 5103
  set_port WEB SHIFTS_WEB_PORT 5104
}

service_port() {
  local key=${1^^}_PORT
  printf '%s' "${!key}"
}

service_port_var() {
  local key=${1^^}_PORT_VAR
  printf '%s' "${!key}"
}

service_pid() {
  running_pid "$PID_DIR/$1.pid" "$(service_dll_name "$1")"
}

service_health() {
  http_status "http://127.0.0.1:$(service_port "$1")/health/ready" 2
}

# --- Build ------------------------------------------------------------------
# Builds the solution quietly; on failure shows the compiler errors (not the
# whole log) and where the full log is. Returns non-zero on failure.
build_solution() {
  local configuration=$1 log=$2
  [[ -f $REPO_ROOT/Shifts.sln ]] || { echo "Shifts.sln not found in $REPO_ROOT" >"$log"; cat "$log" >&2; return 1; }
  if (cd "$REPO_ROOT" && dotnet build Shifts.sln -c "$configuration" -nologo -v q -tl:off -clp:NoSummary) >"$log" 2>&1; then
    return 0
  fi
  local errors
  errors=$(grep -E ' error [A-Z]+[0-9]*:|: error ' "$log" | sed -E 's/ \[[^]]*\.csproj\]$//' | sort -u || true)
  if [[ -n $errors ]]; then
    printf '%s\n' "$errors" >&2
  else
    tail -n 30 "$log" >&2
  fi
  printf 'build failed; full log: %s\n' "$log" >&2
  return 1
}

# --- Services ---------------------------------------------------------------
# The settings `up` gives a part, one KEY=value a line: only what differs on this machine
# (addresses, ports, this instance's files). Every other setting keeps the default its part's
# code gives it (docs/operations.md lists them all, and who sets which).
service_env() {
  local name=$1
  local database="ConnectionStrings__Database=Host=127.0.0.1;Port=$PG_PORT;Database=$name;Username=shifts;Password=shifts"
  local broker="RabbitMq__Uri=amqp://shifts:shifts@127.0.0.1:$AMQP_PORT/"
  local links="Shifts__PublicBaseUrl=http://localhost:$GATEWAY_PORT"
  # Access tokens are signed by the volunteers service; the others read its public keys.
  local authority="Auth__Authority=http://127.0.0.1:$VOLUNTEERS_PORT"
  local env=("ASPNETCORE_URLS=http://127.0.0.1:$(service_port "$name")" "ASPNETCORE_ENVIRONMENT=Development")
  case $name in
    volunteers) env+=("$database" "$broker" "$links" "Shifts__Bootstrap__AdminEmail=$ADMIN_EMAIL") ;;
    events) env+=("$database" "$broker" "$links" "$authority") ;;
    notifications) env+=("$database" "$broker" "$links" "$authority" "Smtp__Host=127.0.0.1" "Smtp__Port=$SMTP_PORT") ;;
    # The web app calls the API through the gateway, as every client does; its cookie keys live
    # with this instance's data, so a restart keeps everyone signed in.
    web) env+=("Web__GatewayAddress=http://127.0.0.1:$GATEWAY_PORT" "DataProtection__KeyRingPath=$STATE_DIR/web-keys") ;;
    gateway)
      env+=("Services__Volunteers=http://127.0.0.1:$VOLUNTEERS_PORT" "Services__Events=http://127.0.0.1:$EVENTS_PORT"
        "Services__Notifications=http://127.0.0.1:$NOTIFICATIONS_PORT" "Services__Web=http://127.0.0.1:$WEB_PORT" "$authority")
      ;;
  esac
  # Traces, metrics and logs go to the local dashboard while it runs (scripts/dashboard.sh).
  local otlp
  if otlp=$(dashboard_otlp_endpoint); then
    env+=("OTEL_EXPORTER_OTLP_ENDPOINT=$otlp" "OTEL_EXPORTER_OTLP_PROTOCOL=grpc")
  fi
  printf '%s\n' "${env[@]}"
}

# Starts one part with the environment service_env gives it. Optional: the build configuration
# (default Debug), then extra KEY=value settings that are added to (and may override) those.
service_start() {
  local name=$1 configuration=${2:-Debug} pid dir dll port env
  local extra=("${@:3}")
  if pid=$(service_pid "$name"); then
    info "$name already running (pid $pid, port $(service_port "$name"))"
    return 0
  fi
  dir=$REPO_ROOT/$(service_dir "$name")
  dll=$dir/bin/$configuration/net10.0/$(service_dll_name "$name")
  [[ -f $dll ]] || die "$dll is missing after the build"
  port=$(service_port "$name")
  mapfile -t env < <(service_env "$name")
  env+=("${extra[@]}")
  info "starting $name on 127.0.0.1:$port"
  local log=$LOG_DIR/$name.log
  [[ -f $log ]] && mv -f "$log" "$log.prev"
  # Working directory = project folder, so the content root (appsettings) is right.
  pid=$(start_background "$log" "$dir" env "${env[@]}" dotnet "$dll")
  echo "$pid" >"$PID_DIR/$name.pid"
}

# Waits for /health/ready to answer 200; on timeout or exit shows the log tail.
service_wait() {
  local name=$1 i log=$LOG_DIR/$1.log
  for ((i = 0; i < 180; i++)); do
    [[ $(service_health "$name") == 200 ]] && { ok "$name ready"; return 0; }
    if ! service_pid "$name" >/dev/null; then
      tail -n 30 "$log" >&2
      die "$name exited during start; see $log"
    fi
    sleep 0.5
  done
  tail -n 30 "$log" >&2
  die "$name did not answer 200 on /health/ready within 90 s; see $log"
}

# Stops the given parts together (their graceful shutdowns overlap).
services_stop() {
  local name pid targets=()
  for name in "$@"; do
    if pid=$(service_pid "$name"); then
      info "stopping $name (pid $pid)"
      targets+=("$pid" "$name")
    fi
  done
  ((${#targets[@]} == 0)) || stop_process_groups "${targets[@]}"
  for name in "$@"; do rm -f "$PID_DIR/$name.pid"; done
}

# --- Commands ---------------------------------------------------------------
cmd_up() {
  ensure_dotnet
  ensure_packages
  use_instance up
  use_service_ports
  prepare_dirs

  # Refuse early, before anything starts, if a port we need is taken.
  infra_check_ports
  local name pending=()
  for name in "${SERVICES[@]}"; do
    if ! service_pid "$name" >/dev/null; then
      pending+=("$name")
      require_free_port "$(service_port "$name")" "$(service_port_var "$name")"
    fi
  done

  step "Starting servers (data in .local/up)"
  infra_start
  dashboard_start

  # Build only when something has to start: rebuilding over the files of
  # running services could break them.
  if ((${#pending[@]} > 0)); then
    step "Building Shifts.sln (Debug)"
    build_solution Debug "$LOG_DIR/build.log" || die "the build failed (errors above)"
    ok "build succeeded"
  fi

  infra_wait
  ok "PostgreSQL, RabbitMQ and smtp4dev ready"

  step "Starting services"
  for name in "${SERVICES[@]}"; do service_start "$name"; done
  for name in "${SERVICES[@]}"; do service_wait "$name"; done

  local demo_status=0
  demo_load || demo_status=$?
  print_urls
  ((demo_status == 0)) || die "the demo data did not load (cause above); Shifts runs without it; ./shifts demo --reset loads it afresh"
  print_demo_hint
}

print_urls() {
  local dashboard="not running (the reason is above; SHIFTS_DASHBOARD=0 turns it off)"
  dashboard_pid >/dev/null && dashboard="$DASHBOARD_URL  (traces, logs, metrics of every part)"
  step "Shifts is up"
  printf '    %-22s %s\n' \
    "Gateway (app + API)" "http://localhost:$GATEWAY_PORT" \
    "Aspire dashboard" "$dashboard" \
    "smtp4dev inbox" "http://127.0.0.1:$SMTP_WEB_PORT" \
    "RabbitMQ management" "http://127.0.0.1:$MGMT_PORT  (user shifts / shifts)" \
    "PostgreSQL" "postgresql://shifts:shifts@127.0.0.1:$PG_PORT/{volunteers,events,notifications}" \
    "Logs" "./shifts logs [part]   Stop: ./shifts down"
}

cmd_down() {
  use_instance up
  # The gateway and the services first, the servers they use last.
  services_stop gateway web notifications events volunteers
  # After the parts, so the telemetry they flush when stopping still arrives.
  dashboard_stop
  infra_stop
  ok "stopped"
}

# Starts or stops only the servers of the "up" instance (for running the
# services from an IDE against them).
cmd_infra() {
  case ${1:-} in
    up)
      ensure_dotnet
      ensure_packages
      use_instance up
      prepare_dirs
      infra_check_ports
      step "Starting servers (data in .local/up)"
      infra_start
      dashboard_start
      infra_wait
      ok "PostgreSQL :$PG_PORT, RabbitMQ :$AMQP_PORT (management :$MGMT_PORT), smtp4dev SMTP :$SMTP_PORT web :$SMTP_WEB_PORT"
      if dashboard_pid >/dev/null; then
        ok "Aspire dashboard $DASHBOARD_URL; export to it with OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$OTLP_GRPC_PORT"
      fi
      ;;
    down)
      use_instance up
      dashboard_stop
      infra_stop
      ok "servers stopped"
      ;;
    *) die "usage: ./shifts infra up|down" ;;
  esac
}

# One line per part: state, pid, port, and for the services their readiness.
cmd_status() {
  use_instance up
  use_service_ports
  use_dashboard
  local pid
  status_line() { # name pid port extra
    local state="${C_RED}stopped${C_RESET}"
    [[ -n $2 ]] && state="${C_GREEN}running${C_RESET}"
    printf '%-14s %-18s pid %-8s port %-6s %s\n' "$1" "$state" "${2:--}" "$3" "${4:-}"
  }
  pid=$(pg_pid) || pid=''
  status_line postgres "$pid" "$PG_PORT"
  pid=$(rmq_pid) || pid=''
  status_line rabbitmq "$pid" "$AMQP_PORT" "management $MGMT_PORT"
  pid=$(smtp4dev_pid) || pid=''
  status_line smtp4dev "$pid" "$SMTP_PORT" "web $SMTP_WEB_PORT"
  pid=$(dashboard_pid) || pid=''
  status_line dashboard "$pid" "$DASHBOARD_PORT" "OTLP gRPC $OTLP_GRPC_PORT, HTTP $OTLP_HTTP_PORT"
  local name code
  for name in "${SERVICES[@]}"; do
    pid=$(service_pid "$name") || pid=''
    code=''
    if [[ -n $pid ]]; then
      code=$(service_health "$name")
      if [[ $code == 200 ]]; then code="ready (/health/ready 200)"; else code="${C_YELLOW}not ready (/health/ready $code)${C_RESET}"; fi
    fi
    status_line "$name" "$pid" "$(service_port "$name")" "$code"
  done
}

cmd_logs() {
  use_instance up
  local part=${1:-} files=() f
  case $part in
    '') for f in postgres rabbitmq smtp4dev dashboard "${SERVICES[@]}"; do [[ -f $LOG_DIR/$f.log ]] && files+=("$LOG_DIR/$f.log"); done ;;
    postgres | rabbitmq | smtp4dev | dashboard | volunteers | events | notifications | web | gateway) files=("$LOG_DIR/$part.log") ;;
    *) die "unknown part '$part'; use one of: volunteers events notifications web gateway postgres rabbitmq smtp4dev dashboard" ;;
  esac
  if ((${#files[@]} == 0)) || [[ ! -f ${files[0]} ]]; then
    die "no logs yet${part:+ for $part}; run ./shifts up first"
  fi
  # Follow only when someone is watching; piped output just gets the tail.
  if [[ -t 1 ]]; then exec tail -n 200 -F "${files[@]}"; else exec tail -n 200 "${files[@]}"; fi
}
