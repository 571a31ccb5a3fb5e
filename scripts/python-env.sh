#!/usr/bin/env bash
# Create (or reuse) the repo's Python virtual environment in .venv/ with the trainer's
# dependencies (docker/requirements.txt) and the test runner (docker/requirements-test.txt).
#
# Idempotent: a stamp file records a hash of the requirement files and the interpreter; when it
# matches and the venv's python works, nothing is installed.
#
# Environment:
#   PYTHON=python3.11     interpreter used to create the venv (default: python3.11, else python3)
#   VENV_DIR=<repo>/.venv where to create it
#   FORCE=1               reinstall even when the stamp matches
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV_DIR="${VENV_DIR:-$ROOT/.venv}"
REQ="$ROOT/docker/requirements.txt"
REQ_TEST="$ROOT/docker/requirements-test.txt"
STAMP="$VENV_DIR/.requirements.sha256"

log() { printf '[python-env] %s\n' "$*"; }

if [[ -z "${PYTHON:-}" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null 2>&1 || { log "error: $PYTHON not found"; exit 1; }

py_version="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
want="$(cat "$REQ" "$REQ_TEST" | sha256sum | cut -d' ' -f1)-py$py_version"

if [[ "${FORCE:-0}" != 1 && -f "$STAMP" && -x "$VENV_DIR/bin/python" ]] \
   && [[ "$(cat "$STAMP")" == "$want" ]] \
   && "$VENV_DIR/bin/python" -c 'import torch, transformers, peft, accelerate, pytest' >/dev/null 2>&1; then
  log "up to date: $VENV_DIR (python $py_version, requirements unchanged)"
  exit 0
fi

if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  log "creating virtual environment in $VENV_DIR with $PYTHON ($py_version)"
  "$PYTHON" -m venv "$VENV_DIR"
else
  log "reusing virtual environment in $VENV_DIR"
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
log "installing docker/requirements-test.txt (torch CPU build, transformers, peft, pytest) ..."
"$VENV_DIR/bin/python" -m pip install --quiet --progress-bar off -r "$REQ_TEST"
log "checking imports ..."
"$VENV_DIR/bin/python" - <<'PY'
import torch, transformers, peft, accelerate, tokenizers, safetensors, pytest
print("[python-env] torch %s (cuda build: %s), transformers %s, peft %s, accelerate %s, tokenizers %s"
      % (torch.__version__, torch.version.cuda, transformers.__version__, peft.__version__,
         accelerate.__version__, tokenizers.__version__))
PY
printf '%s\n' "$want" > "$STAMP"
log "done: $VENV_DIR"
