"""Resolving and loading the base model and tokenizer, and wrapping it for LoRA/QLoRA."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from typing import Any

from .args import Config
from .errors import TrainerError
from .kernels import Kernels, apply_liger, choose as choose_kernels
from .tiny_models import MARKER, build_tiny_model, is_tiny


@dataclass
class BaseRef:
    name: str              # what the user asked for (alias, hub id, path or tiny name)
    source: str            # what from_pretrained gets: hub id or local folder
    revision: str | None
    tiny: bool
    local: bool            # source is a local folder
    random_init: bool = False  # a tiny random model (built-in, or a folder one was saved to)


@dataclass
class Loaded:
    model: Any
    tokenizer: Any
    seq2seq: bool
    base: BaseRef
    device: str            # "cuda" or "cpu"
    dtype: str             # "bfloat16" or "float32"
    mixed_precision: str | None  # "bf16", "fp16" or None
    gradient_checkpointing: bool
    trainable_params: int
    total_params: int
    kernels: Kernels


def resolve_base(cfg: Config) -> BaseRef:
    name = cfg.base_model
    if is_tiny(name):
        return BaseRef(name, name, None, True, True)
    target = cfg.model_aliases.get(name, name)
    if os.path.isdir(target):
        return BaseRef(name, target, None, False, True)
    repo, _, rev = target.partition("@")
    return BaseRef(name, repo, cfg.revision or rev or None, False, False)


def pick_device(cfg: Config) -> str:
    import torch

    if cfg.device == "cpu":
        return "cpu"
    if torch.cuda.is_available():
        return "cuda"
    if cfg.device == "cuda":
        raise TrainerError("--device cuda was asked for but no CUDA GPU is visible",
                           "run the container with GPUs (NVIDIA Container Toolkit, --gpus all) or use --device cpu",
                           "no_gpu")
    return "cpu"


def prepare_tiny_base(cfg: Config, texts: list[str]) -> str:
    """Build the tiny model into OUTPUT_DIR/base (or reuse it when resuming)."""
    from . import distributed

    folder = os.path.join(cfg.output_dir, "base")
    if distributed.is_main():  # one rank builds it, the others wait and load it
        _build_tiny_base(cfg, texts, folder)
    distributed.barrier()
    return folder


def _build_tiny_base(cfg: Config, texts: list[str], folder: str) -> None:
    marker = os.path.join(folder, MARKER)
    if cfg.resume and os.path.exists(marker):
        with open(marker, encoding="utf-8") as f:
            if json.load(f).get("name") == cfg.base_model:
                return
    shutil.rmtree(folder, ignore_errors=True)
    build_tiny_model(cfg.base_model, texts, folder, seed=cfg.seed)


def _hub_kwargs(base: BaseRef) -> dict:
    kw: dict = {}
    if base.revision:
        kw["revision"] = base.revision
    token = os.environ.get("HF_TOKEN") or os.environ.get("HUGGING_FACE_HUB_TOKEN")
    if token and not base.local:
        kw["token"] = token
    return kw


def load_tokenizer(source: str, **kw):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(source, **kw)
    if tokenizer.pad_token is None:
        # Mistral/Llama ship no pad token; unk (or eos) is safe because padding is masked by
        # position (attention mask, -100 labels), never by token id.
        tokenizer.pad_token = tokenizer.unk_token or tokenizer.eos_token
    if tokenizer.eos_token_id is None:
        raise TrainerError("the base model's tokenizer has no EOS token",
                           "pick a base model whose tokenizer defines eos_token", "model_unsupported")
    return tokenizer


def _check_qlora(device: str) -> None:
    import importlib.util

    if device != "cuda":
        raise TrainerError("QLoRA (4-bit) needs a CUDA GPU and none is visible",
                           "use --method lora on a CPU, or run with a GPU", "qlora_unavailable")
    if importlib.util.find_spec("bitsandbytes") is None:
        raise TrainerError("QLoRA needs the bitsandbytes package, which is not installed",
                           "install bitsandbytes in the trainer image or use --method lora",
                           "qlora_unavailable")


def _count(model) -> tuple[int, int]:
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return trainable, total


def load(cfg: Config, tiny_texts: list[str]) -> Loaded:
    base = resolve_base(cfg)
    try:
        return _load(cfg, base, tiny_texts)
    except Exception as e:
        where = base.source + (f"@{base.revision}" if base.revision else "")
        e.flywheel_context = f"cannot load base model {cfg.base_model!r} ({where})"  # read by errors.describe
        raise


def _load(cfg: Config, base: BaseRef, tiny_texts: list[str]) -> Loaded:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM

    device = pick_device(cfg)
    if cfg.method == "qlora":
        _check_qlora(device)
    if base.tiny:
        base.source = prepare_tiny_base(cfg, tiny_texts)
    base.random_init = base.tiny or (base.local and os.path.exists(os.path.join(base.source, MARKER)))
    kw = _hub_kwargs(base)
    config = AutoConfig.from_pretrained(base.source, **kw)
    seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    tokenizer = load_tokenizer(base.source, **kw)

    bf16 = device == "cuda" and torch.cuda.is_bf16_supported()
    dtype = torch.bfloat16 if bf16 else torch.float32
    mixed = "bf16" if bf16 else ("fp16" if device == "cuda" else None)
    gc = cfg.gradient_checkpointing == "on" or (cfg.gradient_checkpointing == "auto" and device == "cuda")

    kernels = choose_kernels(device, seq2seq, cfg.packing)
    load_kw: dict = dict(kw, dtype=dtype)
    if kernels.attention:
        load_kw["attn_implementation"] = kernels.attention
    if device == "cuda":
        load_kw["device_map"] = {"": int(os.environ.get("LOCAL_RANK", "0"))}  # straight onto the GPU: no full copy in host memory
    if cfg.method == "qlora":
        from transformers import BitsAndBytesConfig

        load_kw["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=torch.bfloat16 if bf16 else torch.float16,
        )
    auto_cls = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
    model = auto_cls.from_pretrained(base.source, **load_kw)
    model.config.pad_token_id = tokenizer.pad_token_id
    if getattr(model, "generation_config", None) is not None:
        model.generation_config.pad_token_id = tokenizer.pad_token_id
    if gc:
        model.config.use_cache = False
    apply_liger(model, kernels)

    if cfg.method in ("lora", "qlora"):
        from peft import LoraConfig, TaskType, get_peft_model

        if cfg.method == "qlora":
            from peft import prepare_model_for_kbit_training

            model = prepare_model_for_kbit_training(
                model, use_gradient_checkpointing=gc,
                gradient_checkpointing_kwargs={"use_reentrant": False})
        lora = LoraConfig(
            r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout,
            target_modules="all-linear", bias="none",
            task_type=TaskType.SEQ_2_SEQ_LM if seq2seq else TaskType.CAUSAL_LM,
        )
        model = get_peft_model(model, lora)
    trainable, total = _count(model)
    return Loaded(model, tokenizer, seq2seq, base, device, str(dtype).replace("torch.", ""), mixed,
                  gc, trainable, total, kernels)

