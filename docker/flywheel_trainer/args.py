"""Command-line flags and the run configuration they produce."""
from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field

TASKS = ("summarization", "classification", "qa")
METHODS = ("lora", "qlora", "full")
STRATEGIES = ("ddp", "fsdp", "zero3")

# Short names the daemon and users may give instead of a hub id ("name=repo[@revision]").
DEFAULT_ALIASES = {
    "mistral-7b": "mistralai/Mistral-7B-v0.1",
    "mistral-7b-instruct": "mistralai/Mistral-7B-Instruct-v0.2",
}

# LoRA trains few, freshly initialised weights and wants a larger step than a full fine-tune.
DEFAULT_LEARNING_RATE = {"lora": 2e-4, "qlora": 2e-4, "full": 2e-5}


class UsageError(Exception):
    """A flag has a bad value; reported as a failed event with exit code 2."""


@dataclass
class Config:
    task: str
    dataset: str
    output_dir: str
    base_model: str = "mistral-7b"
    batch_size: int = 4
    learning_rate: float = 2e-4
    num_epochs: float = 3.0
    method: str = "lora"
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    max_length: int = 1024
    eval_split: float = 0.1
    seed: int = 42
    gradient_accumulation_steps: int = 1
    merge_adapter: bool = False
    resume: bool = False
    max_steps: int | None = None
    model_aliases: dict[str, str] = field(default_factory=dict)
    dataset_hash: str | None = None
    run_id: str | None = None
    revision: str | None = None
    warmup_ratio: float = 0.03
    weight_decay: float = 0.0
    logging_steps: int | None = None
    save_steps: int | None = None
    max_eval_samples: int = 256
    max_generate_samples: int = 32
    max_new_tokens: int = 128
    keep_checkpoints: bool = False
    gradient_checkpointing: str = "auto"
    device: str = "auto"
    # "auto" (one per visible GPU, else 1) or a count; more than 1 runs under torchrun (launch.py).
    processes: int | str = 1
    strategy: str = "ddp"
    packing: bool = True  # causal LMs: padding-free packed batches (packing.py)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not (0.0 <= value < 1.0):
        raise argparse.ArgumentTypeError(f"must be in [0, 1), got {text}")
    return value


def _processes(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        return _positive_int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected auto or a positive whole number, got {text!r}") from None


def _alias(text: str) -> tuple[str, str]:
    name, sep, target = text.partition("=")
    if not sep or not name.strip() or not target.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=REPO[@REVISION], got {text!r}")
    return name.strip(), target.strip()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # raise instead of printing usage and exiting
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="finetune.py", description="Fine-tune a base model on (input, output) samples.")
    p.add_argument("--task", required=True, choices=TASKS)
    p.add_argument("--dataset", required=True, help="JSONL file, one {\"input\", \"output\"} object a line")
    p.add_argument("--output-dir", required=True)
    p.add_argument("--base-model", default="mistral-7b",
                   help="alias, hub id, local folder, or tiny-random-mistral / tiny-random-t5")
    p.add_argument("--revision", default=None, help="hub revision (branch, tag or commit) of the base model")
    p.add_argument("--model-alias", action="append", default=[], type=_alias, metavar="NAME=REPO[@REV]")
    p.add_argument("--method", default="lora", choices=METHODS)
    p.add_argument("--batch-size", type=_positive_int, default=4)
    p.add_argument("--gradient-accumulation-steps", type=_positive_int, default=1)
    p.add_argument("--learning-rate", type=_positive_float, default=None,
                   help="default 2e-4 for lora/qlora, 2e-5 for full")
    p.add_argument("--num-epochs", type=_positive_float, default=3.0)
    p.add_argument("--max-steps", type=_positive_int, default=None, help="overrides --num-epochs")
    p.add_argument("--warmup-ratio", type=_fraction, default=0.03)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--lora-r", type=_positive_int, default=16)
    p.add_argument("--lora-alpha", type=_positive_int, default=32)
    p.add_argument("--lora-dropout", type=_fraction, default=0.05)
    p.add_argument("--max-length", type=_positive_int, default=1024)
    p.add_argument("--eval-split", type=_fraction, default=0.1)
    p.add_argument("--max-eval-samples", type=_positive_int, default=256, help="cap for eval loss")
    p.add_argument("--max-generate-samples", type=_positive_int, default=32, help="cap for ROUGE/accuracy")
    p.add_argument("--max-new-tokens", type=_positive_int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--merge-adapter", action="store_true")
    p.add_argument("--resume", action="store_true", help="continue from the last checkpoint in OUTPUT_DIR/checkpoints")
    p.add_argument("--keep-checkpoints", action="store_true", help="keep OUTPUT_DIR/checkpoints after success")
    p.add_argument("--logging-steps", type=_positive_int, default=None)
    p.add_argument("--save-steps", type=_positive_int, default=None)
    p.add_argument("--gradient-checkpointing", choices=("auto", "on", "off"), default="auto",
                   help="auto: on for GPU, off for CPU")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    p.add_argument("--processes", type=_processes, default=1,
                   help="data-parallel processes (torchrun): auto = one per visible GPU, else 1")
    p.add_argument("--strategy", choices=STRATEGIES, default="ddp",
                   help="ddp (a full copy per process), fsdp or zero3 (DeepSpeed) shard the model")
    p.add_argument("--packing", choices=("on", "off"), default="on",
                   help="causal LMs: pack each batch into one padding-free row (seq2seq: always padded)")
    p.add_argument("--dataset-hash", default=None)
    p.add_argument("--run-id", default=None)
    return p


def parse_args(argv: list[str] | None = None) -> Config:
    ns = build_parser().parse_args(argv)
    if ns.max_length < 16:
        raise UsageError(f"--max-length must be >= 16, got {ns.max_length}")
    if ns.learning_rate is None:
        ns.learning_rate = DEFAULT_LEARNING_RATE[ns.method]
    aliases = dict(DEFAULT_ALIASES)
    aliases.update(dict(ns.model_alias))
    return Config(
        task=ns.task, dataset=ns.dataset, output_dir=ns.output_dir, base_model=ns.base_model,
        batch_size=ns.batch_size, learning_rate=ns.learning_rate, num_epochs=ns.num_epochs,
        method=ns.method, lora_r=ns.lora_r, lora_alpha=ns.lora_alpha, lora_dropout=ns.lora_dropout,
        max_length=ns.max_length, eval_split=ns.eval_split, seed=ns.seed,
        gradient_accumulation_steps=ns.gradient_accumulation_steps, merge_adapter=ns.merge_adapter,
        resume=ns.resume, max_steps=ns.max_steps, model_aliases=aliases,
        dataset_hash=ns.dataset_hash, run_id=ns.run_id, revision=ns.revision,
        warmup_ratio=ns.warmup_ratio, weight_decay=ns.weight_decay, logging_steps=ns.logging_steps,
        save_steps=ns.save_steps, max_eval_samples=ns.max_eval_samples,
        max_generate_samples=ns.max_generate_samples, max_new_tokens=ns.max_new_tokens,
        keep_checkpoints=ns.keep_checkpoints, gradient_checkpointing=ns.gradient_checkpointing,
        device=ns.device, processes=ns.processes, strategy=ns.strategy, packing=ns.packing == "on",
    )
