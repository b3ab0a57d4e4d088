# shellcheck shell=bash
# smtp4dev for scripts/infra.sh: the mail sink of the "up", "test" and "chaos" instances.

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

