"""Which attention implementation and fused kernels a run uses, chosen from what is installed.

Recorded in the ``started`` event, metrics.json and the model card (``kernels``), so a user can
see whether FlashAttention / Liger did the work or the portable PyTorch path did.
"""
from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field

from .distributed import world_size
from .packing import register_varlen_sdpa


@dataclass
class Kernels:
    attention: str | None  # attn_implementation passed to from_pretrained (None: the model's default)
    packing: bool           # padding-free batches (causal LMs only)
    fused: list[str] = field(default_factory=list)  # fused kernels in use, e.g. ["flash_attention_2", "liger"]

    def report(self) -> dict:
        return {"attention": self.attention or "default", "packing": self.packing, "fused": list(self.fused)}


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _visible_gpus() -> int:
    import torch

    return torch.cuda.device_count()


def choose(device: str, seq2seq: bool, packing: bool) -> Kernels:
    """FlashAttention varlen on a GPU where ``flash_attn`` is installed, else per-sample SDPA for
    packed rows; seq2seq models keep their default attention and padded batches."""
    if seq2seq:
        return Kernels(attention=None, packing=False)
    if packing and device == "cuda" and world_size() == 1 and _visible_gpus() > 1:
        # One process over several GPUs means the Trainer's nn.DataParallel, which splits a batch by
        # rows: a packed batch is one row. Several processes (distributed.processes: auto) pack.
        print("[trainer] packing off: one process sees several GPUs (DataParallel splits batches by rows); "
              "set finetuning.distributed.processes: auto to pack with one process per GPU", file=sys.stderr)
        packing = False
    if device == "cuda" and _installed("flash_attn"):
        return Kernels(attention="flash_attention_2", packing=packing, fused=["flash_attention_2"])
    if packing:
        return Kernels(attention=register_varlen_sdpa(), packing=True)
    return Kernels(attention=None, packing=False)


def apply_liger(model, kernels: Kernels) -> None:
    """Liger's fused RMSNorm / SwiGLU / RoPE on a GPU where ``liger_kernel`` is installed. Its fused
    linear cross-entropy stays off: logits are already computed on completion tokens only."""
    if model.device.type != "cuda" or not _installed("liger_kernel"):
        return
    try:
        from liger_kernel.transformers import _apply_liger_kernel_to_instance

        _apply_liger_kernel_to_instance(model=model, cross_entropy=False, fused_linear_cross_entropy=False)
    except Exception as e:  # an unsupported architecture or version: train without it, and say so
        print(f"[trainer] Liger kernels not applied: {e}", file=sys.stderr)
        return
    kernels.fused.append("liger")
