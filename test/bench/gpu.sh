#!/usr/bin/env bash
# npm run bench:gpu — the real trainer on a Mistral-7B-shaped model (random weights), LoRA and QLoRA,
# on an NVIDIA GPU: tokens/s, step time, peak GPU memory, MFU (test/bench/gpu_bench.py).
#
# Without a GPU (no working nvidia-smi) it says so and exits 0. With one it makes its own venv
# (.venv-gpu/, or BENCH_GPU_VENV) from PyPI: the CUDA build of the pinned torch (PyPI's Linux wheel),
# bitsandbytes (QLoRA) and the trainer's other pinned requirements; the repo's CPU .venv is untouched.
# BENCH_GPU_LIGER=1 also installs liger-kernel (fused RMSNorm/SwiGLU/RoPE; the trainer uses it when
# present). Extra arguments go to gpu_bench.py (e.g. --steps 20 --methods lora).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="${BENCH_GPU_VENV:-$ROOT/.venv-gpu}"
log() { printf '[bench:gpu] %s\n' "$*" >&2; }

if ! command -v nvidia-smi >/dev/null 2>&1 || ! gpus="$(nvidia-smi -L 2>/dev/null)" || [[ -z "$gpus" ]]; then
  echo "bench:gpu: no NVIDIA GPU on this machine (nvidia-smi missing or lists none); nothing to measure."
  exit 0
fi
log "GPU: ${gpus%%$'\n'*}"

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if [[ ! -x "$VENV/bin/python" ]]; then
  log "creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
packages=()
while read -r line; do
  line="${line%%#*}"; line="${line// /}"
  [[ -n "$line" ]] && packages+=("$line")
done < <(cat "$ROOT/docker/requirements.txt" "$ROOT/docker/requirements-gpu.txt")
[[ "${BENCH_GPU_LIGER:-0}" == 1 ]] && packages+=(liger-kernel)
log "installing into $VENV: ${packages[*]}"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
"$VENV/bin/python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "torch in '"$VENV"' sees no GPU: is the NVIDIA driver new enough for torch " + torch.__version__ + "?")'

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-8}" TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
exec "$VENV/bin/python" "$ROOT/test/bench/gpu_bench.py" "$@"
