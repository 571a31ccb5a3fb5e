#!/usr/bin/env bash
# Makes the base image `flywheel-base:bookworm` (Debian bookworm minbase + python3 + python3-venv)
# in the engine at $DOCKER_HOST without pulling anything: debootstrap a root filesystem, then
# `docker import` it. The trainer image is built on top with --build-arg BASE_IMAGE=... (the
# Dockerfile's default FROM stays the CUDA/PyTorch image for GPU users).
#
#   DOCKER_HOST=unix:///var/tmp/flywheel-docker/docker.sock scripts/docker-base-image.sh
#
# Idempotent: nothing happens when the image exists with the same recipe. The root filesystem
# tarball is cached under $FLYWHEEL_CACHE (default ~/.cache/finetune-flywheel), so another engine
# on the same machine (or a CI cache restore) only needs the import (seconds, not minutes).
#
# Environment: BASE_IMAGE (default flywheel-base:bookworm), FLYWHEEL_CACHE,
# FLYWHEEL_DEBIAN_MIRROR (default http://deb.debian.org/debian), FORCE=1 (rebuild everything).
set -euo pipefail

log() { printf '[docker-base-image] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

IMAGE=${BASE_IMAGE:-flywheel-base:bookworm}
SUITE=bookworm
VARIANT=minbase
INCLUDE=python3,python3-venv
MIRROR=${FLYWHEEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
CACHE=${FLYWHEEL_CACHE:-$HOME/.cache/finetune-flywheel}
RECIPE=$(printf '%s\n' "v1" "$SUITE" "$VARIANT" "$INCLUDE" | sha256sum | cut -c1-16)
TARBALL="$CACHE/rootfs-$SUITE-$VARIANT-$RECIPE.tar"

command -v docker >/dev/null 2>&1 || die "no docker CLI: run scripts/docker-engine.sh start first"
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker engine answers at ${DOCKER_HOST:-the default socket}: run scripts/docker-engine.sh start"

have=$(docker image inspect --format '{{index .Config.Labels "flywheel.base-recipe"}}' "$IMAGE" 2>/dev/null || true)
if [[ "${FORCE:-0}" != 1 && "$have" == "$RECIPE" ]]; then
  log "up to date: $IMAGE (recipe $RECIPE)"
  exit 0
fi

mkdir -p "$CACHE"
if [[ "${FORCE:-0}" == 1 || ! -s "$TARBALL" ]]; then
  if ! command -v debootstrap >/dev/null 2>&1; then
    [[ $(id -u) -eq 0 ]] || die "debootstrap is not installed and this is not root"
    log "installing debootstrap (apt) ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
  fi
  [[ $(id -u) -eq 0 ]] || die "debootstrap needs root"
  ROOTFS=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  trap 'rm -rf "$ROOTFS" "$TARBALL.tmp"' EXIT
  log "debootstrap --variant=$VARIANT --include=$INCLUDE $SUITE from $MIRROR (about 2 minutes) ..."
  start=$SECONDS
  debootstrap --variant="$VARIANT" --include="$INCLUDE" "$SUITE" "$ROOTFS" "$MIRROR" \
    >"$CACHE/debootstrap.log" 2>&1 || { tail -n 30 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/debootstrap
  log "debootstrap done in $((SECONDS - start))s; packing $TARBALL"
  tar --numeric-owner -C "$ROOTFS" -cf "$TARBALL.tmp" .
  mv -f "$TARBALL.tmp" "$TARBALL"
  rm -rf "$ROOTFS"
  trap - EXIT
else
  log "using cached root filesystem $TARBALL"
fi

log "importing $TARBALL as $IMAGE ($(du -h "$TARBALL" | cut -f1)) ..."
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["/bin/sh"]' \
  --change "LABEL flywheel.base-recipe=$RECIPE" \
  --message "debootstrap $VARIANT $SUITE +$INCLUDE" \
  "$TARBALL" "$IMAGE" >/dev/null
log "built $IMAGE: $(docker run --rm "$IMAGE" python3 --version 2>&1)"
