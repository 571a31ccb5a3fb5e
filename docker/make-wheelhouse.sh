#!/usr/bin/env bash
# Downloads every wheel the trainer image needs into docker/wheels/ so `docker build` works with no
# index reachable from the build. Uses the host's pip (its index and its local torch CPU build).
#   PYTHON=python3.11 bash docker/make-wheelhouse.sh
#   WITH_GPU=1 ...   also bitsandbytes (requirements-gpu.txt), for a CUDA base image
# The image's Python must match the wheels' Python version (3.11 for a Debian bookworm base).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYTHON="${PYTHON:-python3.11}"
echo "[wheelhouse] downloading docker/requirements.txt into $DIR/wheels with $PYTHON"
REQS=(-r "$DIR/requirements.txt")
[[ "${WITH_GPU:-0}" == 1 ]] && REQS+=(-r "$DIR/requirements-gpu.txt")
"$PYTHON" -m pip download --disable-pip-version-check --progress-bar off -q -d "$DIR/wheels" "${REQS[@]}"
echo "[wheelhouse] $(ls "$DIR"/wheels/*.whl | wc -l) wheels, $(du -sh "$DIR/wheels" | cut -f1)"
