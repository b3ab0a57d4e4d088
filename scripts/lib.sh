# shellcheck shell=bash
# Shared helpers for ./shifts: messages, ports, processes, system packages.
# Sourced by ./shifts; expects REPO_ROOT to be set.

# --- Messages ---------------------------------------------------------------
# Colour only when a person is watching: CI logs and pipes get plain text.
if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  C_BOLD=$'\e[1m' C_RED=$'\e[31m' C_GREEN=$'\e[32m' C_YELLOW=$'\e[33m' C_RESET=$'\e[0m'
else
  C_BOLD='' C_RED='' C_GREEN='' C_YELLOW='' C_RESET=''
fi

step() { printf '%s==>%s %s\n' "$C_BOLD" "$C_RESET" "$*"; }
info() { printf '    %s\n' "$*"; }
ok()   { printf '    %s%s%s\n' "$C_GREEN" "$*" "$C_RESET"; }
warn() { printf '%swarning:%s %s\n' "$C_YELLOW" "$C_RESET" "$*" >&2; }
# die prints exactly one line saying what went wrong, then stops the script.
die()  { printf '%sshifts: %s%s\n' "$C_RED" "$*" "$C_RESET" >&2; exit 1; }

# --- Environment ------------------------------------------------------------
is_root() { [[ $(id -u) -eq 0 ]]; }

# The platform admin the volunteers service creates at start, and whom the demo loader, the bench
# and the chaos run log in as.
ADMIN_EMAIL=${SHIFTS_ADMIN_EMAIL:-admin@example.org}

# --- Ports ------------------------------------------------------------------
# True when something listens on the TCP port (any address).
port_in_use() {
  [[ -n $(ss -Hltn "sport = :$1" 2>/dev/null) ]]
}

# Pid of the process listening on the TCP port, empty when unknown.
port_owner_pid() {
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
}

# Stops the script with a one-line cause when a port we are about to use is taken.
require_free_port() {
  local port=$1 var=$2
  if port_in_use "$port"; then
    die "port $port is in use by another program; set $var"
  fi
}

# --- Processes --------------------------------------------------------------
# True when the pid is alive and its command line contains the pattern.
# The pattern guards against a stale pid file whose pid was reused.
pid_matches() {
  local pid=$1 pattern=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# Prints the pid from a pid file when that process is alive and matches.
running_pid() {
  local file=$1 pattern=$2 pid
  [[ -f $file ]] || return 1
  pid=$(head -n1 "$file" 2>/dev/null | tr -dc '0-9')
  pid_matches "$pid" "$pattern" || return 1
  printf '%s' "$pid"
}

# Waits until a pid is gone; returns non-zero after the timeout (seconds).
wait_pid_gone() {
  local pid=$1 timeout=${2:-20} i
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

# Stops processes we started with setsid: TERM to each whole process group
# (dotnet tool run has a child process), all at once so slow graceful
# shutdowns overlap; KILL whatever has not gone after 20 s.
# Arguments: pairs of pid and name.
stop_process_groups() {
  local pids=() names=() i
  while (($# >= 2)); do
    pids+=("$1") names+=("$2")
    kill -TERM -- "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null || true
    shift 2
  done
  for i in "${!pids[@]}"; do
    if ! wait_pid_gone "${pids[i]}" 20; then
      warn "${names[i]} (pid ${pids[i]}) did not stop within 20 s; killing it"
      kill -KILL -- "-${pids[i]}" 2>/dev/null || kill -KILL "${pids[i]}" 2>/dev/null || true
      wait_pid_gone "${pids[i]}" 5 || true
    fi
  done
}

# Runs a command in the background in its own session (so Ctrl-C in the
# terminal does not reach it and we can stop its whole process group later),
# with output to a log file; prints the pid.
start_background() {
  local log=$1 dir=$2
  shift 2
  (cd "$dir" && exec setsid "$@" >>"$log" 2>&1 </dev/null) &
  printf '%s' "$!"
}

# --- HTTP -------------------------------------------------------------------
# Prints the HTTP status code of a GET (000 when nothing answers).
http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time "${2:-3}" "$1" 2>/dev/null || true
}

# --- System packages --------------------------------------------------------
# Debian packages the servers need (and jq, which the printed demo commands use),
# and the command that proves each is there. TEST_PACKAGES serve only the
# deployment tests (docker-compose.yml parsed without an engine, the Kubernetes
# manifests validated offline with Node.js, the browser tests with Debian's
# Chromium driven by Playwright, which runs its own driver on Node.js and is
# never allowed to download a browser); kubectl is not packaged usably by
# Debian (its kubernetes-client is too old for kustomize overlays), so those
# tests name it when missing.
REQUIRED_PACKAGES=(postgresql rabbitmq-server curl jq iproute2 procps)
TEST_PACKAGES=(docker-compose nodejs npm chromium)
declare -A PACKAGE_PROBES=(
  [postgresql]='ls /usr/lib/postgresql/*/bin/initdb'
  [rabbitmq-server]='test -x /usr/lib/rabbitmq/bin/rabbitmq-server'
  [curl]='command -v curl'
  [jq]='command -v jq'
  [iproute2]='command -v ss'
  [procps]='command -v ps'
  [docker-compose]='command -v docker-compose'
  [nodejs]='command -v node'
  [npm]='command -v npm'
  [chromium]='test -x /usr/bin/chromium'
)

# Installs what is missing (the required packages and any named) when root;
# otherwise says exactly what to install.
ensure_packages() {
  local pkg missing=()
  for pkg in "${REQUIRED_PACKAGES[@]}" "$@"; do
    eval "${PACKAGE_PROBES[$pkg]}" >/dev/null 2>&1 || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  if ! is_root; then
    die "missing packages; run: sudo apt-get install -y ${missing[*]}"
  fi
  command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get to install them"

  step "Installing ${missing[*]} (apt-get)"
  # The packages would start system-wide servers on the default ports; we
  # run our own project-local ones, so keep the package scripts from starting
  # any service while installing (policy-rc.d, the Debian way to say so).
  local policy=/usr/sbin/policy-rc.d created_policy=''
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local log=$REPO_ROOT/.local/apt.log rc=0
  mkdir -p "$REPO_ROOT/.local"
  {
    apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } >"$log" 2>&1 || rc=$?
  [[ -n $created_policy ]] && rm -f "$policy"
  if ((rc != 0)); then
    tail -n 20 "$log" >&2
    die "apt-get install ${missing[*]} failed (full log: $log)"
  fi
  ok "installed ${missing[*]}"
}

# The .NET SDK is a prerequisite we do not install ourselves.
ensure_dotnet() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is missing; install it (https://dotnet.microsoft.com/download) and retry"
}
