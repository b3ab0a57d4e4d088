# shellcheck shell=bash
# PostgreSQL for scripts/infra.sh: a project-local cluster per instance, on a loopback port.

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

