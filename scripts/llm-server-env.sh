#!/usr/bin/env bash
# Create (or reuse) a Python virtual environment with a real OpenAI-compatible LLM server, the
# llama.cpp server of `llama-cpp-python[server]` (python -m llama_cpp.server), and the `gguf`
# writer the tests use to make a tiny model offline. Used by the test/llm tier and the bench.
#
# pip compiles llama.cpp from source here (about 4 minutes on 2 cores), so the venv is cached
# outside the repository, where a fresh clone on the same machine (CI) finds it again.
# Idempotent: a stamp records the pinned packages and the interpreter; when it matches and the
# server imports, nothing is installed. Prints the venv's python on the last line of stdout.
# Exits 3 when the package cannot be installed or built here (no compiler, pip or the compile
# fails): the test tier skips with that reason. Any other failure exits 1.
#
# Environment:
#   PYTHON=python3.11                                 interpreter (default python3.11, else python3)
#   LLM_VENV_DIR=$HOME/.cache/finetune-flywheel/llm-venv   where the venv lives
#   FORCE=1                                           reinstall even when the stamp matches
set -euo pipefail

# Pinned so the cache's stamp means something and a new release cannot change the tier under us.
PACKAGES=("llama-cpp-python[server]==0.3.16" "gguf==0.17.1" "numpy")

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/finetune-flywheel"
VENV_DIR="${LLM_VENV_DIR:-$CACHE_ROOT/llm-venv}"
STAMP="$VENV_DIR/.packages.sha256"

log() { printf '[llm-server-env] %s\n' "$*" >&2; }

if [[ -z "${PYTHON:-}" ]]; then
  if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null 2>&1 || { log "error: $PYTHON not found"; exit 1; }
py_version="$("$PYTHON" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')"
want="$(printf '%s\n' "${PACKAGES[@]}" | sha256sum | cut -d' ' -f1)-py$py_version"

ready() {
  [[ -f "$STAMP" && -x "$VENV_DIR/bin/python" && "$(cat "$STAMP")" == "$want" ]] \
    && "$VENV_DIR/bin/python" -c 'import llama_cpp, llama_cpp.server.app, gguf, numpy' >/dev/null 2>&1
}

if [[ "${FORCE:-0}" != 1 ]] && ready; then
  log "up to date: $VENV_DIR"
  echo "$VENV_DIR/bin/python"
  exit 0
fi

# One build at a time: a second caller (another tier, the bench) waits for the first.
mkdir -p "$(dirname "$VENV_DIR")"
exec 9>"$VENV_DIR.lock"
if ! flock -n 9; then
  log "another process is building $VENV_DIR; waiting for it"
  flock 9
  if [[ "${FORCE:-0}" != 1 ]] && ready; then echo "$VENV_DIR/bin/python"; exit 0; fi
fi

if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1; then
  log "error: no C compiler: llama-cpp-python compiles llama.cpp (apt-get install build-essential)"
  exit 3
fi

if [[ ! -x "$VENV_DIR/bin/python" ]]; then
  log "creating virtual environment in $VENV_DIR with $PYTHON ($py_version)"
  "$PYTHON" -m venv "$VENV_DIR" || { rm -rf "$VENV_DIR"; log "error: cannot create a venv with $PYTHON (apt-get install python3-venv)"; exit 3; }
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
# The machine has 2 cores shared with other work; the CPU build needs no BLAS or GPU backend.
export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}"
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=ON -DLLAMA_CURL=OFF}"
log "installing ${PACKAGES[*]} (compiles llama.cpp: about 4 minutes on 2 cores) ..."
started=$SECONDS
"$VENV_DIR/bin/python" -m pip install --quiet --progress-bar off "${PACKAGES[@]}" >&2 \
  || { log "error: pip could not install or build ${PACKAGES[*]} (see above)"; exit 3; }
log "built in $((SECONDS - started)) s; checking imports ..."
"$VENV_DIR/bin/python" -c 'import llama_cpp, llama_cpp.server.app, gguf, numpy; print("[llm-server-env] llama_cpp %s, gguf ok, numpy %s" % (llama_cpp.__version__, numpy.__version__))' >&2
printf '%s\n' "$want" > "$STAMP"
log "done: $VENV_DIR"
echo "$VENV_DIR/bin/python"
