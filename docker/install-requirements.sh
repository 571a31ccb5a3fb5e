#!/bin/sh
# Installs the trainer's Python dependencies into a virtual environment; run by the Dockerfile.
#   install-requirements.sh VENV REQUIREMENTS WHEELS_DIR [GPU_REQUIREMENTS]
# - The venv sees the base image's site-packages, so a GPU base image's CUDA torch is reused
#   (REUSE_BASE_TORCH=1, the default) instead of downloading another multi-GB torch. With
#   REUSE_BASE_TORCH=0, or when the base has no torch, the pinned torch is installed.
# - When WHEELS_DIR holds wheels, nothing is fetched from an index (--no-index --find-links).
# - GPU_REQUIREMENTS (bitsandbytes for QLoRA) are added when the venv's torch is a CUDA build.
set -eu
VENV=$1 REQ=$2 WHEELS=$3 GPU_REQ=${4:-}
PY=$(command -v python3 || command -v python)
echo "[image] creating $VENV with $PY ($("$PY" --version 2>&1))"
"$PY" -m venv --system-site-packages "$VENV"

TMP_REQ=$(mktemp)
if [ "${REUSE_BASE_TORCH:-1}" = 1 ] && "$PY" -c "import torch" >/dev/null 2>&1; then
  echo "[image] keeping the base image's torch $("$PY" -c 'import torch; print(torch.__version__)')"
  grep -v -i '^torch==' "$REQ" > "$TMP_REQ"
else
  cp "$REQ" "$TMP_REQ"
fi

pip_install() {
  if ls "$WHEELS"/*.whl >/dev/null 2>&1; then
    echo "[image] installing $1 from the wheelhouse ($(ls "$WHEELS"/*.whl | wc -l) wheels, no index)"
    "$VENV/bin/pip" install --no-cache-dir --no-index --find-links "$WHEELS" -r "$1"
  else
    echo "[image] installing $1 from the package index"
    "$VENV/bin/pip" install --no-cache-dir -r "$1"
  fi
}
pip_install "$TMP_REQ"
rm -f "$TMP_REQ"
if [ -n "$GPU_REQ" ] && "$VENV/bin/python" -c "import sys, torch; sys.exit(0 if torch.version.cuda else 1)"; then
  pip_install "$GPU_REQ"
fi
"$VENV/bin/python" -c "import torch, transformers, peft, accelerate, tokenizers, safetensors; \
print('[image] torch', torch.__version__, '| transformers', transformers.__version__, '| peft', peft.__version__)"
