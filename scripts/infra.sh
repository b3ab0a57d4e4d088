# shellcheck shell=bash
# The backing servers (PostgreSQL, RabbitMQ, smtp4dev), run project-local under
# .local/<instance>/ so they never touch a system-wide installation.
# Instances: "up" (long-running, data kept), "test" (throwaway), "bench"
# (throwaway, started by ./shifts bench; no smtp4dev: the load generator is its
# own SMTP sink on SMTP_PORT, see bench/README.md) and "chaos" (throwaway,
# durable settings: ./shifts chaos restarts and kills its servers).

# --- Instance selection -----------------------------------------------------
# Sets a port variable KEY_PORT from an environment override and remembers the
# override's name in KEY_PORT_VAR for error messages.
set_port() {
  local key=$1 var=$2 default=$3 value
  value=${!var:-$default}
  if ! [[ $value =~ ^[0-9]+$ ]] || ((value < 1 || value > 65535)); then
    die "$var=$value is not a port number"
  fi
  printf -v "${key}_PORT" '%s' "$value"
  printf -v "${key}_PORT_VAR" '%s' "$var"
}

# Selects which instance the functions below act on; every path and port is
# derived here so "up" and "test" can run side by side.
use_instance() {
  INSTANCE=$1
  WITH_SMTP4DEV=1
  STATE_DIR=$REPO_ROOT/.local/$INSTANCE
  LOG_DIR=$STATE_DIR/logs
  PID_DIR=$STATE_DIR/pids
  case $INSTANCE in
    up)
      set_port PG SHIFTS_POSTGRES_PORT 54329
      set_port AMQP SHIFTS_AMQP_PORT 56729
      set_port MGMT SHIFTS_RABBITMQ_MANAGEMENT_PORT 15672
      set_port DIST SHIFTS_RABBITMQ_DIST_PORT 25729
      set_port EPMD SHIFTS_EPMD_PORT 4370
      set_port SMTP SHIFTS_SMTP_PORT 2525
      set_port SMTP_WEB SHIFTS_SMTP_WEB_PORT 5080
      ;;
    test)
      set_port PG SHIFTS_TEST_POSTGRES_PORT 54339
      set_port AMQP SHIFTS_TEST_AMQP_PORT 56739
      set_port MGMT SHIFTS_TEST_RABBITMQ_MANAGEMENT_PORT 15679
      set_port DIST SHIFTS_TEST_RABBITMQ_DIST_PORT 25739
      set_port EPMD SHIFTS_TEST_EPMD_PORT 4371
      set_port SMTP SHIFTS_TEST_SMTP_PORT 2526
      set_port SMTP_WEB SHIFTS_TEST_SMTP_WEB_PORT 5081
      ;;
    bench)
      set_port PG SHIFTS_BENCH_POSTGRES_PORT 54359
      set_port AMQP SHIFTS_BENCH_AMQP_PORT 56759
      set_port MGMT SHIFTS_BENCH_RABBITMQ_MANAGEMENT_PORT 15699
      set_port DIST SHIFTS_BENCH_RABBITMQ_DIST_PORT 25759
      set_port EPMD SHIFTS_BENCH_EPMD_PORT 4391
      # The port of the bench's own SMTP sink (in bench/Shifts.Bench), not smtp4dev's.
      set_port SMTP SHIFTS_BENCH_SMTP_PORT 2556
      WITH_SMTP4DEV=0
      ;;
    chaos)
      set_port PG SHIFTS_CHAOS_POSTGRES_PORT 54369
      set_port AMQP SHIFTS_CHAOS_AMQP_PORT 56769
      set_port MGMT SHIFTS_CHAOS_RABBITMQ_MANAGEMENT_PORT 15709
      set_port DIST SHIFTS_CHAOS_RABBITMQ_DIST_PORT 25769
      set_port EPMD SHIFTS_CHAOS_EPMD_PORT 4401
      set_port SMTP SHIFTS_CHAOS_SMTP_PORT 2566
      set_port SMTP_WEB SHIFTS_CHAOS_SMTP_WEB_PORT 5106
      ;;
    *) die "unknown instance '$INSTANCE'" ;;
  esac
  RMQ_DIR=$STATE_DIR/rabbitmq
  RMQ_NODE=shifts-$INSTANCE@localhost
  RMQ_PID_FILE=$RMQ_DIR/rabbitmq.pid
  RMQ_CTL=$RMQ_DIR/rabbitmqctl
  SMTP4DEV_DIR=$STATE_DIR/smtp4dev
  resolve_pg_home
}

prepare_dirs() {
  mkdir -p "$LOG_DIR" "$PID_DIR" "$RMQ_DIR/home"
  if ((WITH_SMTP4DEV)); then mkdir -p "$SMTP4DEV_DIR"; fi
}

# --- PostgreSQL -------------------------------------------------------------
PG_BIN=''
find_pg_bin() {
  # Prefer PostgreSQL 15 (what production uses); accept a newer one on other distros.
  local dir
  for dir in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    [[ -x $dir/initdb ]] && { PG_BIN=$dir; return 0; }
  done
  die "PostgreSQL server binaries not found under /usr/lib/postgresql; run: sudo apt-get install -y postgresql"
}

# PostgreSQL refuses to run as root, so as root we run it as the "postgres"
# system user; that user must be able to reach the data folder. When the
# checkout is somewhere it cannot enter (e.g. under /root), or the path is too
# long for a unix socket, the data lives under /var/tmp instead.
resolve_pg_home() {
  PG_HOME=$STATE_DIR/postgres
  local fallback
  fallback=/var/tmp/shifts-$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-12)/$INSTANCE/postgres
  if { is_root && ! runuser -u postgres -- test -x "$REPO_ROOT" 2>/dev/null; } || ((${#PG_HOME} > 80)); then
    PG_HOME=$fallback
  fi
  PG_DATA=$PG_HOME/data
  PG_SOCKET_DIR=$PG_HOME/run
  # The server writes its log itself, so the log must be where it can write.
  PG_LOG=$LOG_DIR/postgres.log
  [[ $PG_HOME == "$STATE_DIR/postgres" ]] || PG_LOG=$PG_HOME/postgres.log
}

# Runs a command as the owner of the PostgreSQL files.
as_pg_owner() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_pid() {
  running_pid "$PG_DATA/postmaster.pid" "$PG_DATA"
}

pg_psql() {
  as_pg_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U postgres -d postgres
}

# Creates the cluster once; later starts reuse it (data survives down/up).
pg_init() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  info "initialising PostgreSQL data in $PG_DATA"
  mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
  if [[ $PG_HOME != "$STATE_DIR/postgres" ]]; then
    ln -sfn "$PG_HOME" "$STATE_DIR/postgres"
  fi
  if is_root; then chown -R postgres:postgres "$PG_HOME"; fi
  chmod 700 "$PG_DATA" "$PG_SOCKET_DIR"
  # Local socket: trust, but the socket folder is private to the owner.
  # TCP: password (scram) only, and only on 127.0.0.1.
  as_pg_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >"$STATE_DIR/initdb.log" 2>&1 ||
    die "initdb failed; see $STATE_DIR/initdb.log"
  {
    echo "# added by ./shifts"
    echo "listen_addresses = '127.0.0.1'"
    echo "max_connections = 300"
    echo "password_encryption = 'scram-sha-256'"
    if [[ $INSTANCE == bench ]]; then
      # Where a benchmark's time goes inside the database (./shifts bench prints the top statements).
      echo "shared_preload_libraries = 'pg_stat_statements'"
    fi
    if [[ $INSTANCE == test ]]; then
      # Throwaway data: durability costs time and buys nothing here.
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    fi
  } | as_pg_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

pg_start() {
  find_pg_bin
  local pid
  if pid=$(pg_pid); then
    info "PostgreSQL already running (pid $pid, port $PG_PORT)"
    return 0
  fi
  pg_init
  touch "$PG_LOG"
  if is_root; then chown postgres:postgres "$PG_LOG"; fi
  # Keep `./shifts logs postgres` working when the log lives outside .local.
  [[ $PG_LOG == "$LOG_DIR/postgres.log" ]] || ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  info "starting PostgreSQL on 127.0.0.1:$PG_PORT"
  # Port and socket folder are passed at start, so overriding the port later works.
  if ! as_pg_owner "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
    -o "-p $PG_PORT -k '$PG_SOCKET_DIR'" >"$LOG_DIR/pg_ctl.log" 2>&1; then
    tail -n 5 "$LOG_DIR/pg_ctl.log" "$PG_LOG" >&2 2>/dev/null || true
    die "PostgreSQL did not start; see $PG_LOG"
  fi
}

# Creates the application role (and, for "up", one database per service).
# Idempotent, so it runs on every start.
pg_bootstrap() {
  local role_options='LOGIN CREATEDB'
  [[ $INSTANCE == test ]] && role_options='LOGIN CREATEDB SUPERUSER'
  local sql="
SELECT 'CREATE ROLE shifts' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'shifts') \\gexec
ALTER ROLE shifts $role_options PASSWORD 'shifts';"
  if [[ $INSTANCE == up || $INSTANCE == bench || $INSTANCE == chaos ]]; then
    local db
    for db in volunteers events notifications; do
      sql+="
SELECT 'CREATE DATABASE $db OWNER shifts' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$db') \\gexec"
    done
  fi
  printf '%s\n' "$sql" | pg_psql >>"$PG_LOG" 2>&1 || die "could not create the PostgreSQL role/databases; see $PG_LOG"
}

pg_stop() {
  local pid
  pid=$(pg_pid) || return 0
  find_pg_bin
  info "stopping PostgreSQL (pid $pid)"
  as_pg_owner "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null 2>&1 || {
    warn "pg_ctl stop failed; sending SIGTERM to pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
  }
  wait_pid_gone "$pid" 30 || warn "PostgreSQL (pid $pid) is still running"
}

# --- RabbitMQ ---------------------------------------------------------------
RMQ_LIB=/usr/lib/rabbitmq/bin

# Writes the node's config, plugin list, environment file and a rabbitmqctl
# wrapper. The wrapper carries the same environment (cookie, node name, epmd
# port) so `rabbitmqctl` talks to this node and no other.
rmq_write_files() {
  cat >"$RMQ_DIR/rabbitmq.conf" <<EOF
# generated by ./shifts; loopback only
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
log.console = false
log.file.level = info
EOF
  echo '[rabbitmq_management].' >"$RMQ_DIR/enabled_plugins"
  : >"$RMQ_DIR/rabbitmq-env.conf"
  cat >"$RMQ_DIR/env.sh" <<EOF
# generated by ./shifts: environment of the RabbitMQ node $RMQ_NODE
export HOME='$RMQ_DIR/home'
export RABBITMQ_NODENAME='$RMQ_NODE'
export RABBITMQ_NODE_IP_ADDRESS='127.0.0.1'
export RABBITMQ_NODE_PORT='$AMQP_PORT'
export RABBITMQ_DIST_PORT='$DIST_PORT'
export RABBITMQ_MNESIA_BASE='$RMQ_DIR/mnesia'
export RABBITMQ_LOG_BASE='$LOG_DIR'
export RABBITMQ_LOGS='$LOG_DIR/rabbitmq.log'
export RABBITMQ_CONFIG_FILE='$RMQ_DIR/rabbitmq.conf'
export RABBITMQ_ADVANCED_CONFIG_FILE='$RMQ_DIR/advanced.config'
export RABBITMQ_CONF_ENV_FILE='$RMQ_DIR/rabbitmq-env.conf'
export RABBITMQ_ENABLED_PLUGINS_FILE='$RMQ_DIR/enabled_plugins'
export RABBITMQ_PID_FILE='$RMQ_PID_FILE'
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export ERL_EPMD_PORT='$EPMD_PORT'
export ERL_EPMD_ADDRESS='127.0.0.1'
EOF
  cat >"$RMQ_CTL" <<EOF
#!/usr/bin/env bash
# generated by ./shifts: rabbitmqctl for the node $RMQ_NODE
. '$RMQ_DIR/env.sh'
exec '$RMQ_LIB/rabbitmqctl' "\$@"
EOF
  chmod +x "$RMQ_CTL"
}

# The beam process of this node: from the pid file, or, while the node is
# still booting and has not written it yet, by its unique HOME folder.
rmq_pid() {
  local pid
  if pid=$(running_pid "$RMQ_PID_FILE" "-home $RMQ_DIR/home"); then
    printf '%s' "$pid"
    return 0
  fi
  pid=$(pgrep -f -- "-home $RMQ_DIR/home" 2>/dev/null | while read -r p; do
    [[ $(cat "/proc/$p/comm" 2>/dev/null) == beam* ]] && echo "$p"
  done | head -n1 || true)
  [[ -n $pid ]] && printf '%s' "$pid"
}

# The epmd (Erlang port mapper) of this instance, found by its port.
epmd_pid() {
  local pid
  pid=$(port_owner_pid "$EPMD_PORT")
  [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == epmd ]] && printf '%s' "$pid"
}

# Starts the node without waiting for it (it takes ~10 s; callers overlap
# that with other work and call rmq_wait later).
rmq_start_async() {
  local pid
  if pid=$(rmq_pid); then
    info "RabbitMQ already running (pid $pid, port $AMQP_PORT)"
    return 0
  fi
  rmq_write_files
  info "starting RabbitMQ on 127.0.0.1:$AMQP_PORT (management $MGMT_PORT)"
  rm -f "$RMQ_PID_FILE"
  # The /usr/sbin wrappers switch user and lose our HOME (and cookie), so
  # call the server script directly with our environment.
  # shellcheck source=/dev/null
  (. "$RMQ_DIR/env.sh" && "$RMQ_LIB/rabbitmq-server" -detached) >>"$LOG_DIR/rabbitmq-start.log" 2>&1 ||
    die "RabbitMQ did not start; see $LOG_DIR/rabbitmq-start.log and $LOG_DIR/rabbitmq.log"
}

rmq_wait() {
  "$RMQ_CTL" wait "$RMQ_PID_FILE" --timeout 90 >>"$LOG_DIR/rabbitmq-start.log" 2>&1 ||
    die "RabbitMQ did not become ready; see $LOG_DIR/rabbitmq.log"
}

# Creates user shifts/shifts (administrator: tests create vhosts through the
# management API) once per data folder.
rmq_bootstrap() {
  local marker=$RMQ_DIR/mnesia/.shifts-bootstrapped
  [[ -f $marker ]] && return 0
  {
    if ! "$RMQ_CTL" -q list_users | grep -q '^shifts\b'; then
      "$RMQ_CTL" add_user shifts shifts
    fi &&
      "$RMQ_CTL" set_user_tags shifts administrator &&
      "$RMQ_CTL" set_permissions -p / shifts '.*' '.*' '.*'
  } >>"$LOG_DIR/rabbitmq-start.log" 2>&1 || die "could not create the RabbitMQ user; see $LOG_DIR/rabbitmq-start.log"
  touch "$marker"
}

rmq_stop() {
  local pid epmd
  if pid=$(rmq_pid); then
    info "stopping RabbitMQ (pid $pid)"
    [[ -x $RMQ_CTL ]] || rmq_write_files
    if [[ -f $RMQ_PID_FILE ]]; then
      "$RMQ_CTL" stop "$RMQ_PID_FILE" >>"$LOG_DIR/rabbitmq-start.log" 2>&1 || true
    fi
    if ! wait_pid_gone "$pid" 30; then
      kill -TERM "$pid" 2>/dev/null || true
      wait_pid_gone "$pid" 15 || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Each instance has its own epmd (ERL_EPMD_PORT); stopping it by pid leaves
  # any other Erlang node on the machine alone.
  if epmd=$(epmd_pid); then
    info "stopping epmd (pid $epmd, port $EPMD_PORT)"
    kill -TERM "$epmd" 2>/dev/null || true
    wait_pid_gone "$epmd" 10 || kill -KILL "$epmd" 2>/dev/null || true
  fi
}

# --- smtp4dev ---------------------------------------------------------------
smtp4dev_pid() {
  running_pid "$PID_DIR/smtp4dev.pid" "smtp4dev"
}

smtp4dev_start() {
  local pid
  if pid=$(smtp4dev_pid); then
    info "smtp4dev already running (pid $pid, SMTP $SMTP_PORT, web $SMTP_WEB_PORT)"
    return 0
  fi
  # The tool version is pinned in .config/dotnet-tools.json.
  (cd "$REPO_ROOT" && dotnet tool restore) >"$LOG_DIR/smtp4dev-restore.log" 2>&1 ||
    die "dotnet tool restore failed (smtp4dev); see $LOG_DIR/smtp4dev-restore.log"
  info "starting smtp4dev (SMTP 127.0.0.1:$SMTP_PORT, web 127.0.0.1:$SMTP_WEB_PORT)"
  # In-memory mail store, no IMAP/POP3, SMTP and web on loopback only,
  # settings kept in our folder instead of ~/.config. smtp4dev keeps only the
  # newest 100 mails by default: "up" keeps the demo's (a few hundred) and
  # more; ./shifts chaos counts every mail it caused (exactly once each), so
  # its sink keeps them all; the test suites mail in parallel (the demo test
  # alone reads some fifty login links), so 100 let a test's mail be pushed
  # out before it looked: the test sink keeps what a whole run sends.
  local keep=()
  case $INSTANCE in
    up) keep=(--messagestokeep=10000 --sessionstokeep=100) ;;
    chaos) keep=(--messagestokeep=1000000) ;;
    test) keep=(--messagestokeep=5000 --sessionstokeep=100) ;;
  esac
  [[ -f $LOG_DIR/smtp4dev.log ]] && mv -f "$LOG_DIR/smtp4dev.log" "$LOG_DIR/smtp4dev.log.prev"
  pid=$(start_background "$LOG_DIR/smtp4dev.log" "$REPO_ROOT" \
    dotnet tool run smtp4dev -- \
    --smtpport="$SMTP_PORT" --urls="http://127.0.0.1:$SMTP_WEB_PORT" \
    --bindaddress=127.0.0.1 --disableipv6 --imapport= --pop3port= \
    --db= --nousersettings --baseappdatapath="$SMTP4DEV_DIR" \
    ${keep[@]+"${keep[@]}"})
  echo "$pid" >"$PID_DIR/smtp4dev.pid"
}

smtp4dev_wait() {
  local i pid
  for ((i = 0; i < 600; i++)); do
    [[ $(http_status "http://127.0.0.1:$SMTP_WEB_PORT/api/messages?pageSize=1") == 200 ]] && port_in_use "$SMTP_PORT" && return 0
    pid=$(smtp4dev_pid) || { tail -n 20 "$LOG_DIR/smtp4dev.log" >&2; die "smtp4dev exited during start; see $LOG_DIR/smtp4dev.log"; }
    sleep 0.1
  done
  die "smtp4dev did not answer within 60 s; see $LOG_DIR/smtp4dev.log"
}

smtp4dev_stop() {
  local pid
  pid=$(smtp4dev_pid) || { rm -f "$PID_DIR/smtp4dev.pid"; return 0; }
  info "stopping smtp4dev (pid $pid)"
  stop_process_groups "$pid" smtp4dev
  rm -f "$PID_DIR/smtp4dev.pid"
}

# --- All servers ------------------------------------------------------------
# Checks every port of the servers that are not running yet, before starting
# anything, so a conflict is reported at once and nothing is left half-started.
infra_check_ports() {
  if ! pg_pid >/dev/null; then require_free_port "$PG_PORT" "$PG_PORT_VAR"; fi
  if ! rmq_pid >/dev/null; then
    require_free_port "$AMQP_PORT" "$AMQP_PORT_VAR"
    require_free_port "$MGMT_PORT" "$MGMT_PORT_VAR"
    require_free_port "$DIST_PORT" "$DIST_PORT_VAR"
    # A leftover epmd of ours on that port is fine: the node registers with it.
    if ! epmd_pid >/dev/null; then require_free_port "$EPMD_PORT" "$EPMD_PORT_VAR"; fi
  fi
  if ((!WITH_SMTP4DEV)); then
    require_free_port "$SMTP_PORT" "$SMTP_PORT_VAR"
  elif ! smtp4dev_pid >/dev/null; then
    require_free_port "$SMTP_PORT" "$SMTP_PORT_VAR"
    require_free_port "$SMTP_WEB_PORT" "$SMTP_WEB_PORT_VAR"
  fi
}

# Starts all three servers, overlapping RabbitMQ's slow boot with the others.
infra_start() {
  rmq_start_async
  pg_start
  if ((WITH_SMTP4DEV)); then smtp4dev_start; fi
}

infra_wait() {
  pg_bootstrap
  rmq_wait
  rmq_bootstrap
  if ((WITH_SMTP4DEV)); then smtp4dev_wait; fi
}

# smtp4dev is stopped whatever the instance: a leftover of an older bench run holds its port.
infra_stop() {
  smtp4dev_stop
  rmq_stop
  pg_stop
}
