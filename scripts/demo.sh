# shellcheck shell=bash
# The demo data (README, "Demo data"): `./shifts up` loads it into an empty system,
# `./shifts demo --reset` wipes the installation and loads it afresh, and
# `./shifts login EMAIL` prints an access token for a person (demo or not).
# The loader (demo/Shifts.Demo) only talks to the gateway and reads login links
# from the smtp4dev inbox, as a person would.

DEMO_PROJECT=demo/Shifts.Demo
DEMO_ORG=kv-mitte-ost
DEMO_HELPER=lena.hoffmann@example.org
DEMO_COORDINATOR=carla.brandt@example.org

demo_dll() {
  echo "$REPO_ROOT/$DEMO_PROJECT/bin/Debug/net10.0/Shifts.Demo.dll"
}

# `up` builds the loader with the solution; `demo` and `login` build it when missing.
demo_ensure_built() {
  [[ -f $(demo_dll) ]] && return 0
  (cd "$REPO_ROOT" && dotnet build "$DEMO_PROJECT" -c Debug -nologo -v q -tl:off -clp:NoSummary) >"$LOG_DIR/demo-build.log" 2>&1 ||
    die "building the demo loader failed; see $LOG_DIR/demo-build.log"
}

demo_run() {
  dotnet "$(demo_dll)" "$@" --gateway "http://127.0.0.1:$GATEWAY_PORT" --inbox "http://127.0.0.1:$SMTP_WEB_PORT"
}

demo_enabled() {
  [[ ${SHIFTS_DEMO:-1} != 0 ]]
}

# Loads the demo unless its organisation exists already (the loader checks, so
# a second `up` adds nothing) or SHIFTS_DEMO=0. Returns the loader's status.
demo_load() {
  if ! demo_enabled; then
    info "demo data skipped (SHIFTS_DEMO=0)"
    return 0
  fi
  step "Demo data"
  demo_ensure_built
  demo_run load --admin "$ADMIN_EMAIL"
}

# What a newcomer does to see it work: open the web app and log in as the demo helper
# (the mailed link opens the open-shift list); curl users get ./shifts login.
print_demo_hint() {
  demo_enabled || return 0
  local g="http://localhost:$GATEWAY_PORT"
  step "Demo: Kreisverband Mitte/Ost ($DEMO_ORG) and Kreisverband Nord (kv-nord); README, Demo data"
  echo
  printf '    %sopen %s and log in as %s%s\n' "$C_GREEN" "$g" "$DEMO_HELPER" "$C_RESET"
  echo
  info "There is no password: the login link is mailed, and every mail lands in the inbox at http://127.0.0.1:$SMTP_WEB_PORT"
  info "A coordinator: $DEMO_COORDINATOR.  The public plan: $g/o/$DEMO_ORG.  The API reference: $g/api/docs"
  info "From a terminal: TOKEN=\$(./shifts login ADDRESS) prints an access token (10 minutes) for curl."
}

# Everything of this installation goes: the three databases (recreated empty;
# the services migrate them at start), the messages still queued, the mails.
demo_wipe() {
  find_pg_bin
  local db sql=''
  for db in volunteers events notifications; do
    sql+="DROP DATABASE IF EXISTS $db WITH (FORCE);"$'\n'
  done
  printf '%s' "$sql" | pg_psql >>"$PG_LOG" 2>&1 || die "could not drop the databases; see $PG_LOG"
  pg_bootstrap
  local queue
  while IFS= read -r queue; do
    [[ -n $queue ]] && "$RMQ_CTL" -q purge_queue "$queue" >/dev/null 2>&1
  done < <("$RMQ_CTL" -q list_queues name --no-table-headers 2>/dev/null || true)
  curl -s -o /dev/null -X DELETE "http://127.0.0.1:$SMTP_WEB_PORT/api/messages/*" || true
  ok "databases, queues and the inbox emptied"
}

cmd_demo() {
  local reset=''
  case ${1:-} in
    '') ;;
    --reset) reset=1 ;;
    *) die "usage: ./shifts demo [--reset]" ;;
  esac
  ensure_dotnet
  use_instance up
  use_service_ports
  pg_pid >/dev/null && rmq_pid >/dev/null && smtp4dev_pid >/dev/null || die "the servers are not running; start Shifts with ./shifts up"
  local name
  for name in "${SERVICES[@]}"; do
    service_pid "$name" >/dev/null || die "$name is not running; start Shifts with ./shifts up"
  done

  if [[ -n $reset ]]; then
    step "Resetting: every organisation, person, event and mail of this installation is deleted"
    services_stop gateway web notifications events volunteers
    demo_wipe
    step "Starting services"
    for name in "${SERVICES[@]}"; do service_start "$name"; done
    for name in "${SERVICES[@]}"; do service_wait "$name"; done
  fi
  SHIFTS_DEMO=1 demo_load || die "the demo data did not load (cause above); ./shifts demo --reset loads it afresh"
  SHIFTS_DEMO=1 print_demo_hint
}

cmd_login() {
  [[ $# -eq 1 ]] || die "usage: ./shifts login EMAIL   (prints an access token for EMAIL; Shifts must be up)"
  ensure_dotnet
  use_instance up
  use_service_ports
  [[ $(service_health gateway) == 200 ]] || die "the gateway does not answer on port $GATEWAY_PORT; start Shifts with ./shifts up"
  mkdir -p "$LOG_DIR"
  demo_ensure_built
  demo_run login "$1"
}
