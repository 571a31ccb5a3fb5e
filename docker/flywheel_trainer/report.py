"""What a finished run writes besides the model: metrics.json, the model card, throughput/MFU."""
from __future__ import annotations

import json
import math
import os
import sys

from .args import Config
from .model_card import render as render_card

# Dense bf16 tensor-core peaks (FLOP/s) for MFU, matched in order against the device name; None
# where the card is not listed (FLYWHEEL_GPU_PEAK_TFLOPS sets it for any card).
GPU_PEAK_BF16 = (("H100 PCIe", 756e12), ("H100", 989e12), ("H200", 989e12), ("GH200", 989e12),
                 ("B200", 2250e12), ("A100", 312e12), ("A10G", 70e12), ("A10", 125e12),
                 ("L40S", 362e12), ("L40", 181e12), ("L4", 121e12), ("RTX 4090", 165e12),
                 ("RTX 3090", 71e12))
PEAK_ENV = "FLYWHEEL_GPU_PEAK_TFLOPS"


def peak_bf16_flops(gpu: str | None) -> float | None:
    """The GPU's dense bf16 peak in FLOP/s: FLYWHEEL_GPU_PEAK_TFLOPS if set, else the table."""
    override = os.environ.get(PEAK_ENV)
    if override:
        try:
            value = float(override)
        except ValueError:
            value = 0.0
        if value > 0:
            return value * 1e12
        # A bad value must not fail a finished run: say so, and fall back to the table.
        print(f"[trainer] ignoring {PEAK_ENV}={override!r}: not a positive number of TFLOP/s (e.g. 989)",
              file=sys.stderr)
    if not gpu:
        return None
    return next((p for key, p in GPU_PEAK_BF16 if key in gpu), None)


def _matmul_params(model) -> int:
    """Parameters that take part in matmuls (embeddings and LoRA weights excluded)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    total = 0
    for name, p in base.named_parameters():
        if "lora_" in name:
            continue
        shape = getattr(getattr(p, "quant_state", None), "shape", None)
        total += math.prod(shape) if shape is not None else p.numel()
    emb = base.get_input_embeddings()
    return total - (emb.weight.numel() if emb is not None else 0)


def gpu_name() -> str | None:
    import torch

    return torch.cuda.get_device_name(0) if torch.cuda.is_available() else None


def _mfu(tokens_per_second: float | None, flops_per_token: float, gpu: str | None) -> float | None:
    if not tokens_per_second or not gpu:
        return None
    peak = peak_bf16_flops(gpu)
    return round(tokens_per_second * flops_per_token / peak, 4) if peak else None


def atomic_write(path: str, text: str) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)



def hyperparameters(cfg: Config, loaded) -> dict:
    hyper = {
        "method": cfg.method, "learning_rate": cfg.learning_rate, "lr_scheduler": "cosine",
        "warmup_ratio": cfg.warmup_ratio, "num_epochs": cfg.num_epochs, "max_steps": cfg.max_steps,
        "batch_size": cfg.batch_size, "gradient_accumulation_steps": cfg.gradient_accumulation_steps,
        "processes": cfg.processes, "strategy": cfg.strategy,
        "effective_batch_size": cfg.batch_size * cfg.gradient_accumulation_steps * cfg.processes,
        "max_length": cfg.max_length, "seed": cfg.seed, "eval_split": cfg.eval_split,
        "precision": loaded.mixed_precision or "fp32",
        "gradient_checkpointing": loaded.gradient_checkpointing,
        "packing": loaded.kernels.packing, "attention": loaded.kernels.attention or "default",
        "fused_kernels": ", ".join(loaded.kernels.fused) or "none",
    }
    if cfg.method != "full":
        hyper.update(lora_r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
                     lora_target_modules="all-linear")
    return hyper


def training_metrics(cfg: Config, loaded, trainer, result, session_tokens: int) -> dict:
    """Throughput and counters of the training phase (this process only, when resumed)."""
    import torch

    gpu = gpu_name()
    runtime = float(result.metrics.get("train_runtime") or 0.0)
    tps = session_tokens / runtime if runtime > 0 else None
    # Model FLOPs per trained token (no recompute counted): 6N full, 4N LoRA (no weight gradients).
    flops_per_token = (6 if cfg.method == "full" else 4) * _matmul_params(trainer.model)
    return {
        "train_loss": result.metrics.get("train_loss", result.training_loss),
        "train_runtime": runtime,
        "train_tokens": session_tokens,
        "tokens_per_second": round(tps, 1) if tps else None,
        "flops_per_token": flops_per_token,
        "mfu": _mfu(tps, flops_per_token, gpu),
        "steps": trainer.state.global_step,
        "epochs": trainer.state.epoch,
        "device": loaded.device,
        "gpu": gpu,
        "peak_gpu_memory_bytes": torch.cuda.max_memory_allocated() if torch.cuda.is_available() else None,
        "trainable_params": loaded.trainable_params,
        "total_params": loaded.total_params,
    }


def write_reports(cfg: Config, loaded, metrics: dict, saved: dict, out: str) -> None:
    """metrics.json and README.md (also into adapter/, replacing peft's placeholder card)."""
    info = {
        "task": cfg.task, "method": cfg.method, "seq2seq": loaded.seq2seq, "tiny": loaded.base.random_init,
        "base_name": cfg.base_model, "base_source": loaded.base.source, "base_local": loaded.base.local,
        "saved_kind": saved["kind"], "dataset": cfg.dataset, "dataset_hash": metrics["dataset_hash"],
        "run_id": cfg.run_id, "hyperparameters": hyperparameters(cfg, loaded),
        "train_samples": metrics["train_samples"], "eval_samples": metrics["eval_samples"],
    }
    atomic_write(os.path.join(out, "metrics.json"), json.dumps(metrics, indent=2, ensure_ascii=False))
    card = render_card(info, metrics)
    atomic_write(os.path.join(out, "README.md"), card)
    if saved.get("adapter_dir"):
        atomic_write(os.path.join(saved["adapter_dir"], "README.md"), card)
