#!/usr/bin/env bash
# A private Docker engine for tests and CI: its own socket, data root, exec root and pid file, all
# under one folder, so it never touches a system Docker (and a system Docker never touches it).
#
#   scripts/docker-engine.sh start [DIR]   install docker.io if dockerd is missing, start dockerd
#                                          (or reuse the one already running for DIR), wait for
#                                          /_ping, print DOCKER_HOST=unix://DIR/docker.sock
#   scripts/docker-engine.sh stop  [DIR]   stop it by its pid and wait until it is gone
#   scripts/docker-engine.sh env   [DIR]   print `export DOCKER_HOST=unix://DIR/docker.sock`
#   scripts/docker-engine.sh status [DIR]  exit 0 when it answers /_ping
#
# DIR defaults to $FLYWHEEL_DOCKER_DIR, else /var/tmp/flywheel-docker. Progress lines go to stderr;
# the DOCKER_HOST line is the only thing on stdout, so `eval "$(scripts/docker-engine.sh env)"`
# and `export "$(scripts/docker-engine.sh start)"` both work.
#
# Environment: FLYWHEEL_DOCKER_START_TIMEOUT (seconds, default 60), FLYWHEEL_DOCKERD_ARGS (extra
# dockerd flags, word-split).
set -euo pipefail

log() { printf '[docker-engine] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

cmd=${1:-}
DIR=${2:-${FLYWHEEL_DOCKER_DIR:-/var/tmp/flywheel-docker}}
case "$cmd" in start|stop|env|status) ;; *) die "usage: $0 start|stop|env|status [DIR]";; esac
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
SOCK="$DIR/docker.sock"
PIDFILE="$DIR/pid"
LOG="$DIR/log"
TIMEOUT=${FLYWHEEL_DOCKER_START_TIMEOUT:-60}
# A unix socket path is limited to 107 bytes; containerd's socket lives deeper than ours.
(( ${#DIR} <= 70 )) || die "DIR is too long for unix sockets (${#DIR} > 70 chars): $DIR"

ping() {
  if command -v curl >/dev/null 2>&1; then
    [[ "$(curl -fsS --max-time 3 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null)" == OK ]]
  else
    DOCKER_HOST="unix://$SOCK" timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
  fi
}

running_pid() { # prints the pid of our dockerd when it is alive
  [[ -s "$PIDFILE" ]] || return 1
  local pid; pid=$(cat "$PIDFILE")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]] || return 1
  echo "$pid"
}

install_docker() {
  command -v dockerd >/dev/null 2>&1 && return 0
  [[ $(id -u) -eq 0 ]] || die "dockerd is not installed and this is not root: apt-get install docker.io"
  command -v apt-get >/dev/null 2>&1 || die "dockerd is not installed and there is no apt-get"
  log "installing docker.io (apt) ..."
  # Keep the package's init script from starting a system-wide dockerd: we run our own.
  local policy=/usr/sbin/policy-rc.d added=0
  if [[ ! -e $policy ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added=1; fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >&2; } || rc=$?
  [[ $added -eq 1 ]] && rm -f "$policy"
  [[ $rc -eq 0 ]] || die "apt-get install docker.io failed ($rc)"
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is not on PATH"
  log "installed $(dockerd --version)"
}

wait_ping() { # pid
  local pid=$1 deadline=$((SECONDS + TIMEOUT))
  while ! ping; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "dockerd (pid $pid) exited; last lines of $LOG:"; tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    if (( SECONDS >= deadline )); then
      log "dockerd (pid $pid) did not answer /_ping within ${TIMEOUT}s; last lines of $LOG:"
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}

start() {
  local pid
  if pid=$(running_pid); then
    log "reusing dockerd (pid $pid) for $DIR"
    wait_ping "$pid"
    echo "DOCKER_HOST=unix://$SOCK"
    return 0
  fi
  install_docker
  mkdir -p "$DIR/data" "$DIR/exec"
  rm -f "$SOCK"
  log "starting dockerd: data root $DIR/data, socket $SOCK, log $LOG"
  # setsid: the engine outlives the shell (and the test runner) that started it.
  # shellcheck disable=SC2086
  setsid dockerd --data-root "$DIR/data" --exec-root "$DIR/exec" --host "unix://$SOCK" \
    --pidfile "$PIDFILE" ${FLYWHEEL_DOCKERD_ARGS:-} </dev/null >>"$LOG" 2>&1 &
  pid=$!
  wait_ping "$pid"
  log "ready: $(DOCKER_HOST="unix://$SOCK" docker version --format 'engine {{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo 'engine up') (pid $pid)"
  echo "DOCKER_HOST=unix://$SOCK"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    log "no dockerd running for $DIR"
    return 0
  fi
  log "stopping dockerd (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      log "still running after 40s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$SOCK"
  log "stopped"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env) echo "export DOCKER_HOST=unix://$SOCK" ;;
  status) if ping; then log "up: unix://$SOCK"; else log "down: unix://$SOCK"; exit 1; fi ;;
esac
