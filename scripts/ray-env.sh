#!/usr/bin/env bash
# Create (or reuse) a Python virtual environment with Ray (`ray[default,train]`: the head's job
# server and dashboard, Ray Train's TorchTrainer) and the trainer's own requirements
# (docker/requirements.txt), for the test/ray tier: it starts a Ray cluster on loopback from this
# venv, and the jobs the daemon submits run docker/finetune.py in it.
#
# Cached outside the repository, where a fresh clone on the same machine (CI) finds it again.
# Idempotent: a stamp records the pinned packages, the trainer's requirements and the interpreter;
# when it matches and everything imports, nothing is installed. Prints the venv's bin folder on
# the last line of stdout. Exits 3 when Ray cannot be installed here (no wheel for this platform,
# no index): the tier skips with that reason. Any other failure exits 1.
#
# Environment:
#   PYTHON=python3.11                                     interpreter (default python3.11, else python3)
#   RAY_VENV_DIR=$HOME/.cache/finetune-flywheel/ray-venv  where the venv lives
#   FORCE=1                                               reinstall even when the stamp matches
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Pinned so the cache's stamp means something and a new release cannot change the tier under us.
PACKAGES=("ray[default,train]==2.58.0")
REQ="$ROOT/docker/requirements.txt"

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/finetune-flywheel"
VENV_DIR="${RAY_VENV_DIR:-$CACHE_ROOT/ray-venv}"
STAMP="$VENV_DIR/.packages.sha256"
IMPORTS='import ray, ray.train.torch, ray.job_submission, torch, transformers, peft, accelerate'

log() { printf '[ray-env] %s\n' "$*" >&2; }

if [[ -z "${PYTHON:-}" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null 2>&1 || { log "error: $PYTHON not found"; exit 1; }
py_version="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
want="$({ printf '%s\n' "${PACKAGES[@]}"; cat "$REQ"; } | sha256sum | cut -d' ' -f1)-py$py_version"

ready() {
  [[ -f "$STAMP" && -x "$VENV_DIR/bin/python" && "$(cat "$STAMP")" == "$want" ]] \
    && "$VENV_DIR/bin/python" -c "$IMPORTS" >/dev/null 2>&1
}

if [[ "${FORCE:-0}" != 1 ]] && ready; then
  log "up to date: $VENV_DIR"
  echo "$VENV_DIR/bin"
  exit 0
fi

# One install at a time: a second caller waits for the first.
mkdir -p "$(dirname "$VENV_DIR")"
exec 9>"$VENV_DIR.lock"
if ! flock -n 9; then
  log "another process is installing into $VENV_DIR; waiting for it"
  flock 9
  if [[ "${FORCE:-0}" != 1 ]] && ready; then echo "$VENV_DIR/bin"; exit 0; fi
fi

if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  log "creating virtual environment in $VENV_DIR with $PYTHON ($py_version)"
  "$PYTHON" -m venv "$VENV_DIR" || { rm -rf "$VENV_DIR"; log "error: cannot create a venv with $PYTHON (apt-get install python3-venv)"; exit 3; }
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
log "installing ${PACKAGES[*]} and docker/requirements.txt (a few minutes the first time) ..."
started=$SECONDS
"$VENV_DIR/bin/python" -m pip install --quiet --progress-bar off "${PACKAGES[@]}" -r "$REQ" >&2 \
  || { log "error: pip could not install ${PACKAGES[*]} (see above)"; exit 3; }
log "installed in $((SECONDS - started)) s; checking imports ..."
"$VENV_DIR/bin/python" -c "$IMPORTS; print('[ray-env] ray %s, torch %s' % (ray.__version__, torch.__version__))" >&2 \
  || { log "error: Ray or the trainer's packages do not import (see above)"; exit 3; }
printf '%s\n' "$want" > "$STAMP"
log "done: $VENV_DIR"
echo "$VENV_DIR/bin"
