"""GPU benchmark of the real trainer on a Mistral-7B-shaped model with random weights (issue 11 part 4).

    python test/bench/gpu_bench.py [--steps 12] [--warmup 2] [--methods lora,qlora] [--work DIR]

Run through `npm run bench:gpu` (test/bench/gpu.sh), which makes the CUDA venv first. Nothing is
downloaded here: the model is built from Mistral-7B-v0.1's shape with random weights, the tokenizer
is trained offline on generated text, the samples are generated. For each method the real trainer
(docker/finetune.py) runs a fixed number of steps; the first --warmup steps are left out of the
numbers. Printed: tokens/s, step time, peak GPU memory, MFU, the kernels the trainer used.

MFU = model FLOPs per token x tokens/s / the GPU's dense bf16 peak. FLOPs per token count the
matmuls (2 per weight per token forward, embeddings excluded, lm_head included) plus attention
(4 x layers x hidden x mean attended length, causal); a training step is 3x forward for full
fine-tuning and 2x for LoRA/QLoRA (no weight gradients for the frozen base). Gradient-checkpointing
recompute and QLoRA's dequantization are not model FLOPs. The peak comes from
flywheel_trainer.report's table of known GPUs, or FLYWHEEL_GPU_PEAK_TFLOPS.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "docker"))

from flywheel_trainer.report import peak_bf16_flops  # noqa: E402

# Mistral-7B-v0.1's config.json, minus the weights (MistralConfig keyword arguments).
MISTRAL_7B = dict(vocab_size=32000, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                  num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=32768,
                  sliding_window=4096, rope_theta=10000.0, rms_norm_eps=1e-5, tie_word_embeddings=False)
# The same architecture at test size (CPU): every ratio of the real shape kept, small numbers.
TINY_SHAPE = dict(MISTRAL_7B, vocab_size=512, hidden_size=64, intermediate_size=224, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=1, max_position_embeddings=2048, sliding_window=1024)

WORDS = ("market city council river school harvest storm bridge report budget station festival "
         "mayor engineers voters farmers museum hospital railway harbour library summit").split()


def matmul_params(shape: dict) -> int:
    """Weights that take part in a matmul per token: attention, MLP and lm_head (not embeddings)."""
    h, layers, inter = shape["hidden_size"], shape["num_hidden_layers"], shape["intermediate_size"]
    head_dim = h // shape["num_attention_heads"]
    kv = shape["num_key_value_heads"] * head_dim
    attention = h * h + 2 * h * kv + h * h  # q, k, v, o
    mlp = 3 * h * inter  # gate, up, down
    return layers * (attention + mlp) + h * shape["vocab_size"]


def total_params(shape: dict) -> int:
    h, layers = shape["hidden_size"], shape["num_hidden_layers"]
    norms = (2 * layers + 1) * h
    return matmul_params(shape) + shape["vocab_size"] * h + norms


def flops_per_token(shape: dict, method: str, mean_length: float) -> float:
    """Model FLOPs to train on one token (see the module docstring)."""
    attended = (mean_length + 1) / 2  # causal: token i attends to i tokens
    forward = 2 * matmul_params(shape) + 4 * shape["num_hidden_layers"] * shape["hidden_size"] * attended
    return (3 if method == "full" else 2) * forward


def mfu(tokens_per_second: float, flops: float, gpu: str) -> float | None:
    peak = peak_bf16_flops(gpu)
    return tokens_per_second * flops / peak if peak else None


def make_samples(count: int, seed: int) -> list[dict]:
    """News-like (input, output) pairs, ~300-900 words in, ~40 out: the lengths a summarizer sees."""
    r = random.Random(seed)
    rows = []
    for _ in range(count):
        sentences = [" ".join(r.choice(WORDS) for _ in range(r.randint(8, 18))).capitalize() + "."
                     for _ in range(r.randint(25, 60))]
        rows.append({"input": " ".join(sentences), "output": " ".join(sentences[:3])})
    return rows


def build_base(shape: dict, folder: Path, texts: list[str], device: str, seed: int = 0) -> Path:
    """A local base-model folder: config + random weights (bf16 on a GPU) + an offline tokenizer."""
    import torch
    from transformers import MistralConfig, MistralForCausalLM

    from flywheel_trainer.tiny_models import train_tokenizer

    tokenizer = train_tokenizer(texts, "causal", vocab_size=min(shape["vocab_size"], 4096))
    assert len(tokenizer) <= shape["vocab_size"], "tokenizer larger than the model's vocabulary"
    config = MistralConfig(**shape, bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                           pad_token_id=tokenizer.pad_token_id)
    torch.manual_seed(seed)
    # Built directly in bf16 on the GPU: 14.5 GB for the 7B shape, never an fp32 copy.
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    default = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            model = MistralForCausalLM(config)
    finally:
        torch.set_default_dtype(default)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    del model
    return folder


def steady_numbers(events: list[dict], warmup: int) -> dict:
    """Tokens/s and step time over the progress events after the warm-up steps."""
    progress = [e for e in events if e["event"] == "progress"]
    start = next(e for e in progress if e["step"] >= warmup)
    later = [e for e in progress if e["step"] > start["step"]]
    seconds = later[-1]["time"] - start["time"]
    tokens = 0.0
    previous = start
    for e in later:
        tokens += (e["tokens_per_second"] or 0) * (e["time"] - previous["time"])
        previous = e
    steps = later[-1]["step"] - start["step"]
    return {"tokens_per_second": tokens / seconds, "step_seconds": seconds / steps, "measured_steps": steps}


def run_trainer(base: Path, dataset: Path, out: Path, method: str, steps: int, batch_size: int,
                max_length: int) -> tuple[list[dict], dict]:
    cmd = [sys.executable, str(REPO / "docker" / "finetune.py"), "--task", "summarization",
           "--dataset", str(dataset), "--base-model", str(base), "--method", method, "--max-steps", str(steps),
           "--batch-size", str(batch_size), "--max-length", str(max_length), "--logging-steps", "1",
           "--save-steps", str(steps + 1), "--eval-split", "0", "--output-dir", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        failed = next((e for e in events if e["event"] == "failed"), {})
        raise RuntimeError(f"{method}: trainer exited {proc.returncode}: {failed.get('reason')} "
                           f"({failed.get('hint')})\n{proc.stderr[-3000:]}")
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    return events, metrics


def main() -> int:
    import torch

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=12)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--methods", default="lora,qlora")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--max-length", type=int, default=1024)
    ap.add_argument("--work", help="working folder (default: a temporary one, removed afterwards)")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print("bench:gpu: torch sees no CUDA GPU; nothing to measure.")
        return 0
    gpu = torch.cuda.get_device_name(0)
    work = Path(a.work or tempfile.mkdtemp(prefix="flywheel-bench-gpu-"))
    try:
        rows = make_samples(a.batch_size * a.steps, seed=1)
        dataset = work / "samples.jsonl"
        dataset.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"[bench:gpu] building a Mistral-7B-shaped model with random weights ({total_params(MISTRAL_7B) / 1e9:.2f} B params)",
              file=sys.stderr, flush=True)
        base = build_base(MISTRAL_7B, work / "base", [r["input"] for r in rows], "cuda")
        torch.cuda.empty_cache()
        lines = [f"## GPU trainer benchmark ({gpu}, Mistral-7B shape, random weights, {a.steps} steps of "
                 f"batch {a.batch_size}, max_length {a.max_length}; the first {a.warmup} steps are warm-up)", "",
                 "| method | tokens/s | step time (s) | peak GPU memory (GiB) | model TFLOPs/token | MFU | attention | fused kernels |",
                 "|---|---|---|---|---|---|---|---|"]
        for method in a.methods.split(","):
            print(f"[bench:gpu] training {method}", file=sys.stderr, flush=True)
            events, metrics = run_trainer(base, dataset, work / method, method, a.steps, a.batch_size, a.max_length)
            steady = steady_numbers(events, a.warmup)
            mean_length = metrics["train_tokens"] / max(1, metrics["steps"] * a.batch_size)
            flops = flops_per_token(MISTRAL_7B, method, mean_length)
            u = mfu(steady["tokens_per_second"], flops, gpu)
            kernels = metrics.get("kernels", {})
            lines.append(
                f"| {method} | {steady['tokens_per_second']:,.0f} | {steady['step_seconds']:.3f} | "
                f"{(metrics['peak_gpu_memory_bytes'] or 0) / 2**30:.1f} | {flops / 1e12:.4f} | "
                f"{f'{100 * u:.1f}%' if u is not None else 'unknown GPU (set FLYWHEEL_GPU_PEAK_TFLOPS)'} | "
                f"{kernels.get('attention')} | {', '.join(kernels.get('fused') or []) or 'none'} |")
            shutil.rmtree(work / method, ignore_errors=True)
        print("\n".join(lines))
        return 0
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
