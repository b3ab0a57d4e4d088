# shellcheck shell=bash
# The backing servers (PostgreSQL, RabbitMQ, smtp4dev: scripts/postgres.sh,
# rabbitmq.sh, smtp4dev.sh), run project-local under
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

# --- The servers, one file each -----------------------------------------------
# shellcheck source=scripts/postgres.sh
. "${BASH_SOURCE[0]%/*}/postgres.sh"
# shellcheck source=scripts/rabbitmq.sh
. "${BASH_SOURCE[0]%/*}/rabbitmq.sh"
# shellcheck source=scripts/smtp4dev.sh
. "${BASH_SOURCE[0]%/*}/smtp4dev.sh"

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
