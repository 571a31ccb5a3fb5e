#!/usr/bin/env bash
# Builds the trainer image `fine-tuning:latest` from docker/ in the engine at $DOCKER_HOST, on the
# locally made base `flywheel-base:bookworm` (scripts/docker-base-image.sh, run here when missing),
# installing Python packages from the wheelhouse docker/wheels/ (docker/make-wheelhouse.sh, run
# here when it is empty or requirements.txt changed), with the classic builder (no BuildKit).
#
#   DOCKER_HOST=unix:///var/tmp/flywheel-docker/docker.sock scripts/docker-image.sh
#
# Idempotent: the image carries the label flywheel.source-hash (see `source_hash` below, the same
# algorithm as daemon/runs/runners/docker/sourceHash.ts); when an image with that label value
# exists nothing is built. `scripts/docker-image.sh --print-hash` prints the hash and exits.
#
# Environment: IMAGE (default fine-tuning:latest), BASE_IMAGE (default flywheel-base:bookworm),
# REUSE_BASE_TORCH (build arg, default 1), PYTHON (for the wheelhouse, default python3.11),
# FLYWHEEL_CACHE, FORCE=1 (build even when up to date).
set -euo pipefail

log() { printf '[docker-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CTX="$ROOT/docker"
IMAGE=${IMAGE:-fine-tuning:latest}
BASE_IMAGE=${BASE_IMAGE:-flywheel-base:bookworm}
REUSE_BASE_TORCH=${REUSE_BASE_TORCH:-1}
CACHE=${FLYWHEEL_CACHE:-$HOME/.cache/finetune-flywheel}

# Hash of what the build depends on: every file of docker/ (content; wheels by name, since a
# wheel file name pins its content), minus Python caches, plus the base image id and build args.
source_hash() { # base-image-id
  {
    (cd "$CTX" && find . -type d \( -name __pycache__ -o -name .pytest_cache \) -prune -o \
        -type f ! -name '*.pyc' -print | sed 's|^\./||' | LC_ALL=C sort) |
    while IFS= read -r f; do
      if [[ "$f" == *.whl ]]; then printf 'wheel  %s\n' "$f"
      else printf '%s  %s\n' "$(sha256sum <"$CTX/$f" | cut -d' ' -f1)" "$f"; fi
    done
    printf 'base %s\nreuse-base-torch %s\n' "$1" "$REUSE_BASE_TORCH"
  } | sha256sum | cut -c1-32
}

command -v docker >/dev/null 2>&1 || die "no docker CLI: run scripts/docker-engine.sh start first"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker engine answers at ${DOCKER_HOST:-the default socket}: run scripts/docker-engine.sh start"

# 1. Base image.
if [[ "$BASE_IMAGE" == flywheel-base:bookworm ]]; then
  BASE_IMAGE="$BASE_IMAGE" bash "$ROOT/scripts/docker-base-image.sh"
fi
base_id=$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE" 2>/dev/null) \
  || die "base image $BASE_IMAGE is missing in this engine (nothing can be pulled here)"

if [[ "${1:-}" == --print-hash ]]; then source_hash "$base_id"; exit 0; fi

# 2. Wheelhouse: filled when empty or when requirements.txt changed since it was made.
mkdir -p "$CACHE"
wh_key=$(sha256sum <"$CTX/requirements.txt" | cut -c1-32)
wh_stamp="$CACHE/wheelhouse-$(printf '%s' "$CTX" | sha256sum | cut -c1-12).stamp"
if ! ls "$CTX"/wheels/*.whl >/dev/null 2>&1 || [[ "$(cat "$wh_stamp" 2>/dev/null)" != "$wh_key" ]]; then
  PY=${PYTHON:-python3.11}
  command -v "$PY" >/dev/null 2>&1 || PY=python3
  if ! "$PY" -m pip --version >/dev/null 2>&1; then
    # Debian's python3 has no pip: a throwaway venv has one (ensurepip).
    log "no pip for $PY: creating $CACHE/pip-venv"
    "$PY" -m venv "$CACHE/pip-venv" || die "$PY -m venv failed: apt-get install python3-venv"
    PY="$CACHE/pip-venv/bin/python"
  fi
  log "making the wheelhouse docker/wheels with $PY (docker/make-wheelhouse.sh) ..."
  start=$SECONDS
  PYTHON="$PY" bash "$CTX/make-wheelhouse.sh" >&2
  printf '%s\n' "$wh_key" >"$wh_stamp"
  log "wheelhouse ready in $((SECONDS - start))s"
else
  log "wheelhouse up to date ($(find "$CTX/wheels" -maxdepth 1 -name "*.whl" | wc -l) wheels)"
fi

# 3. The image.
hash=$(source_hash "$base_id")
have=$(docker image inspect --format '{{index .Config.Labels "flywheel.source-hash"}}' "$IMAGE" 2>/dev/null || true)
if [[ "${FORCE:-0}" != 1 && "$have" == "$hash" ]]; then
  log "up to date: $IMAGE (flywheel.source-hash=$hash)"
  exit 0
fi
log "building $IMAGE from docker/ on $BASE_IMAGE (flywheel.source-hash=$hash; was ${have:-none}) ..."
start=$SECONDS
DOCKER_BUILDKIT=0 docker build \
  --build-arg "BASE_IMAGE=$BASE_IMAGE" \
  --build-arg "REUSE_BASE_TORCH=$REUSE_BASE_TORCH" \
  --label "flywheel.source-hash=$hash" \
  --label "flywheel.base-image=$BASE_IMAGE" \
  --tag "$IMAGE" "$CTX" >&2
log "built $IMAGE in $((SECONDS - start))s ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.2f GB", $1/1e9}'))"
# Drop the untagged image an earlier build left behind (only ours: same label key, no tag).
docker image prune -f --filter "label=flywheel.source-hash" >/dev/null 2>&1 || true
