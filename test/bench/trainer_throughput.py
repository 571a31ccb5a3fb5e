"""Benchmark: training throughput of the project's trainer path vs a plain Transformers Trainer.

    .venv/bin/python test/bench/trainer_throughput.py [--samples 200] [--max-length 1024]
                                                      [--batch-size 8] [--epochs 1] [--repeats 3]

Not a pass/fail test: prints Markdown tables; ratios are against the plain baseline measured in the
same run, on the same machine, with the same thread count (OMP_NUM_THREADS, default 1).

Every side trains the same tiny-random-mistral (built once with flywheel_trainer's tiny model
helper, then loaded from its folder for every measured run, so every run starts from the same
weights) on the same samples (the project's seeded TypeScript generator, via `npx tsx`), for the
same epochs, batch size, learning rate and seed, on the CPU, method `full`.

  packed    the trainer as it runs (`--packing on`, the default): `collate.encode` (prompt masked
            with -100, loss on completion + EOS only, the *input* truncated so the output fits),
            `packing.PackedCollator` (a batch's samples end to end in one row, per-sample position
            ids, no padding; logits only where a completion token is predicted), per-sample
            attention (`flywheel_varlen_sdpa` on the CPU) and `trainer_setup.build_trainer`
            (length-grouped sampler, token counting, EventCallback progress events every step).
  padded    the same with `--packing off`: `Collator` pads each batch to its longest sample.
  baseline  a plain loop: `tokenizer(prompt + output + eos, padding="max_length", truncation=True)`,
            labels = input_ids (pads included: loss on everything), default random sampler,
            `default_data_collator`, otherwise default TrainingArguments.

Held-out loss: after training, every side's model is scored with the same code on held-out samples
the generator makes with another seed: mean cross-entropy over completion + EOS tokens (what the
trainer is for). Target (issue 12): packed >= 2.5x the baseline in tokens/s, held-out loss no worse
than the padded run's (within 1%: the two see the same samples per step with the same objective,
so they differ only by float rounding).

Measured window: from `on_train_begin` to the `on_step_end` of the last optimizer step, so it
holds data loading, collation, forward/backward/optimizer and the project's per-step logging, but
not the Trainer's end-of-training checkpoint (the project writes one; the baseline does not).
Intermediate checkpoints are switched off for the project (save_steps > total steps) because
checkpoint cadence is a durability setting, not throughput.

tokens/s counts NON-PADDING tokens only (attention_mask == 1; every position of a packed row), for every side: the same real work.
"padded tokens/s" counts every position the model computed, padding included.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Same thread count for every side; set before torch is imported. 1 matches test/trainer.
THREADS = os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", THREADS)
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "docker"))

import torch  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    AutoTokenizer,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    default_data_collator,
)
from transformers.utils import logging as hf_logging  # noqa: E402

from flywheel_trainer import model_loading  # noqa: E402
from flywheel_trainer.args import Config  # noqa: E402
from flywheel_trainer.cancel import CancelFlag  # noqa: E402
from flywheel_trainer.collate import IGNORE, Collator, encode  # noqa: E402
from flywheel_trainer.data import load_jsonl, render_prompt  # noqa: E402
from flywheel_trainer.events import Events  # noqa: E402
from flywheel_trainer.tiny_models import build_tiny_model  # noqa: E402
from flywheel_trainer.trainer_setup import build_trainer, total_update_steps  # noqa: E402

TASK = "summarization"
LEARNING_RATE = 2e-3
SEED = 42


# ------------------------------------------------------------------------------------------ data
def generate_samples(path: Path, count: int, seed: int) -> None:
    """The project's seeded news-like generator (daemon/demo/generator), written as JSONL."""
    script = (
        "import * as fs from 'node:fs';"
        "import { generateSamples } from './daemon/demo/generator';"
        f"const xs = [...generateSamples({{ seed: {seed}, count: {count}, flawedShare: 0 }})];"
        "fs.writeFileSync(process.env.BENCH_OUT, xs.map((s) => JSON.stringify({ input: s.input, output: s.output })).join('\\n') + '\\n');"
    )
    subprocess.run(["npx", "--no-install", "tsx", "-e", script], cwd=REPO, check=True,
                   env={**os.environ, "BENCH_OUT": str(path)})


# ------------------------------------------------------------------------------------- recording
class RecordingCollator:
    """Wraps a collator and records, per batch, positions computed, non-padding and loss tokens."""

    def __init__(self, inner):
        self.inner = inner
        self.positions = self.real = self.loss = self.batches = 0

    def __call__(self, features):
        out = self.inner(features)
        self.batches += 1
        self.positions += out["input_ids"].numel()
        # A packed row has no attention mask: every position is a real token.
        self.real += int(out["attention_mask"].sum()) if "attention_mask" in out else out["input_ids"].numel()
        # A causal LM's loss covers label positions 1..n-1 that are not -100.
        self.loss += int((out["labels"][:, 1:] != IGNORE).sum())
        return out


class Window(TrainerCallback):
    """on_train_begin → on_step_end of the last step (before the final checkpoint)."""

    def __init__(self):
        self.t0 = self.t1 = None
        self.steps = 0

    def on_train_begin(self, args, state, control, **kwargs):
        self.t0 = time.perf_counter()

    def on_step_end(self, args, state, control, **kwargs):
        self.steps = state.global_step
        if state.global_step >= state.max_steps:
            self.t1 = time.perf_counter()


def _result(name, trainer, rec, window, n_samples, epochs):
    seconds = window.t1 - window.t0
    return {
        "name": name, "seconds": seconds, "steps": window.steps, "samples": n_samples * epochs,
        "positions": rec.positions, "real": rec.real, "loss_tokens": rec.loss, "batches": rec.batches,
    }


# ----------------------------------------------------------------------------------------- sides
def run_project(base_dir: str, samples, held_out, out: str, max_length: int, batch_size: int, epochs: float,
                packing: bool) -> dict:
    cfg = Config(task=TASK, dataset="", output_dir=out, base_model=base_dir, method="full",
                 batch_size=batch_size, learning_rate=LEARNING_RATE, num_epochs=epochs,
                 max_length=max_length, seed=SEED, device="cpu", eval_split=0.0, packing=packing)
    loaded = model_loading.load(cfg, [])
    encoded = [encode(loaded.tokenizer, TASK, loaded.seq2seq, s, max_length) for s in samples]
    for e in encoded:
        e.pop("truncated")
    total = total_update_steps(len(encoded), cfg)
    cfg.save_steps = total + 1  # no intermediate checkpoints (see module docstring)
    events = io.StringIO()
    trainer, _ = build_trainer(cfg, loaded, encoded, os.path.join(out, "checkpoints"), total,
                               Events(events), CancelFlag())
    rec = RecordingCollator(trainer.data_collator)
    trainer.data_collator = rec
    window = Window()
    trainer.add_callback(window)
    trainer.train()
    r = _result("packed" if packing else "padded", trainer, rec, window, len(samples), epochs)
    r["held_out_loss"] = held_out_loss(trainer.model, loaded.tokenizer, held_out, max_length)
    r["kernels"] = loaded.kernels.report()
    r["progress_events"] = sum(1 for line in events.getvalue().splitlines() if '"progress"' in line)
    r["tokens_seen"] = int(trainer.state.num_input_tokens_seen or 0)
    return r


def run_baseline(base_dir: str, samples, held_out, out: str, max_length: int, batch_size: int, epochs: float) -> dict:
    tokenizer = AutoTokenizer.from_pretrained(base_dir)
    model = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32)
    texts = [render_prompt(TASK, False, s.input) + s.output + tokenizer.eos_token for s in samples]
    enc = tokenizer(texts, padding="max_length", truncation=True, max_length=max_length)
    dataset = [{"input_ids": ids, "attention_mask": mask, "labels": list(ids)}
               for ids, mask in zip(enc["input_ids"], enc["attention_mask"])]
    args = TrainingArguments(
        output_dir=os.path.join(out, "checkpoints"), per_device_train_batch_size=batch_size,
        num_train_epochs=epochs, learning_rate=LEARNING_RATE, seed=SEED, use_cpu=True,
        # Quiet and side-effect free; none of these changes the work per step.
        report_to="none", disable_tqdm=True, save_strategy="no", logging_strategy="no",
    )
    rec = RecordingCollator(default_data_collator)
    trainer = Trainer(model=model, args=args, train_dataset=dataset, data_collator=rec)
    window = Window()
    trainer.add_callback(window)
    trainer.train()
    r = _result("baseline", trainer, rec, window, len(samples), epochs)
    r["held_out_loss"] = held_out_loss(trainer.model, tokenizer, held_out, max_length)
    return r


def held_out_loss(model, tokenizer, samples, max_length: int) -> float:
    """Mean cross-entropy over the completion + EOS tokens of held-out samples (the same code for
    every side, padded batches, no packing involved)."""
    encoded = [encode(tokenizer, TASK, False, s, max_length) for s in samples]
    collate = Collator(tokenizer.pad_token_id)
    total, count = 0.0, 0
    model.eval()
    with torch.no_grad():
        for i in range(0, len(encoded), 8):
            batch = collate([{k: e[k] for k in ("input_ids", "labels")} for e in encoded[i:i + 8]])
            logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
            targets = batch["labels"][:, 1:]
            total += float(torch.nn.functional.cross_entropy(
                logits[:, :-1].reshape(-1, logits.shape[-1]).float(), targets.reshape(-1),
                ignore_index=IGNORE, reduction="sum"))
            count += int((targets != IGNORE).sum())
    return total / count


# ---------------------------------------------------------------------------------------- report
def _fmt(x: float, digits: int = 0) -> str:
    return f"{x:,.{digits}f}"


def _best(runs: list[dict]) -> dict:
    """The fastest run of a side: on a shared machine, interference only ever adds time."""
    return min(runs, key=lambda r: r["seconds"])


LABELS = {
    "baseline": "baseline: plain Trainer, pad to max_length, labels = input_ids",
    "padded": "padded: the trainer with --packing off (pad to the batch's longest, length-grouped)",
    "packed": "packed: the trainer as it runs (padding-free rows, per-sample attention)",
}
SIDES = ("baseline", "padded", "packed")
TARGET_RATIO = 2.5
LOSS_TOLERANCE = 1.01


def report(results: dict[str, list[dict]], meta: dict) -> str:
    base = _best(results["baseline"])
    base_tps = base["real"] / base["seconds"]
    base_pps = base["positions"] / base["seconds"]
    lines = [
        f"## Trainer throughput (CPU, tiny-random-mistral, method full, {meta['samples']} samples, "
        f"max_length {meta['max_length']}, batch {meta['batch_size']}, {meta['epochs']:g} epoch(s) = "
        f"{meta['steps']} steps, seed {SEED}, OMP_NUM_THREADS={THREADS}; best of {meta['repeats']} interleaved runs a side)",
        "",
        "tokens/s = NON-PADDING tokens (attention_mask == 1; every position of a packed row) per second; every side trains the same "
        f"{_fmt(base['real'])} of them. padded tokens/s = every position the model computed, padding included.",
        "",
        "| setup | wall (s) | samples/s | tokens/s | ratio | padded tokens/s | padding share | positions in the loss | held-out loss | all runs (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in SIDES:
        if name not in results:
            continue
        r = _best(results[name])
        tps = r["real"] / r["seconds"]
        lines.append(
            f"| {LABELS[name]} | {_fmt(r['seconds'], 2)} | {_fmt(r['samples'] / r['seconds'], 1)} | {_fmt(tps)} | "
            f"{tps / base_tps:.2f}x | {_fmt(r['positions'] / r['seconds'])} | {100 * (1 - r['real'] / r['positions']):.1f}% | "
            f"{100 * r['loss_tokens'] / r['positions']:.1f}% | {r['held_out_loss']:.4f} | "
            f"{', '.join(_fmt(x['seconds'], 2) for x in results[name])} |"
        )
    lines += [
        "",
        "### What produces the ratio",
        "",
        "With the same non-padding tokens on both sides, tokens/s ratio = (positions the baseline computes / "
        "positions this setup computes) x (this setup's padded tokens/s / the baseline's): fewer padded "
        "positions, and cheaper positions (shorter rows: attention cost grows with the square of the row width). "
        "(b) is large here because in a 64-wide, 2-layer model attention dominates the per-position cost; "
        "in a 7B model the matmuls dominate, (b) tends to 1 and the gain tends to (a) alone.",
        "",
        "| setup | positions computed | padding positions | (a) baseline positions / these | (b) positions/s vs baseline | (a) x (b) = tokens/s ratio | mean padded row width |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in SIDES:
        r = _best(results[name])
        pad_factor = base["positions"] / r["positions"]
        speed_factor = (r["positions"] / r["seconds"]) / base_pps
        lines.append(
            f"| {name} | {_fmt(r['positions'])} | {_fmt(r['positions'] - r['real'])} | {pad_factor:.2f}x | "
            f"{speed_factor:.2f}x | {pad_factor * speed_factor:.2f}x | {r['positions'] / r['batches'] / meta['batch_size']:.0f} |"
        )
    proj = _best(results["packed"])
    lines += [
        "",
        "| quantity | baseline | packed |",
        "|---|---|---|",
        f"| tokens in the loss | {_fmt(base['loss_tokens'])} (every position, padding included) | "
        f"{_fmt(proj['loss_tokens'])} (completion + EOS only) |",
        f"| samples longer than max_length | {meta['baseline_truncated']} (cut at the right end: the summary is lost) | "
        f"{meta['project_truncated']} (the input is cut; the summary is kept whole) |",
        f"| per-step extras inside the window | none (logging off, no checkpoints) | {proj['progress_events']} progress "
        f"events (logging_steps=1 at this size), token counting ({_fmt(proj['tokens_seen'])} counted) |",
        "",
        "Completion-only loss changes what is learned (the baseline spends most of its loss on predicting "
        "padding and the prompt) and, packed, also the compute: logits are projected onto the vocabulary "
        "only where a completion token is predicted (`logits_to_keep` + `shift_labels`). Attention "
        f"implementation of the packed run: {proj['kernels']['attention']}; fused kernels: "
        f"{', '.join(proj['kernels']['fused']) or 'none (CPU)'}.",
        "",
        f"Token lengths (prompt + output + EOS, untruncated): min {meta['len_min']}, median {meta['len_med']}, "
        f"max {meta['len_max']}. Set-up (sample generation, tokenizer training + model build, once) "
        f"{meta['build_s']:.1f} s and each side's model load are not in the window.",
    ]
    lines += ["", verdict(results)]
    return "\n".join(lines)


def verdict(results: dict[str, list[dict]]) -> str:
    base, padded, packed = (_best(results[n]) for n in SIDES)
    ratio = (packed["real"] / packed["seconds"]) / (base["real"] / base["seconds"])
    speed_ok = ratio >= TARGET_RATIO
    loss_ok = packed["held_out_loss"] <= padded["held_out_loss"] * LOSS_TOLERANCE
    return (f"**Trainer target (issue 12): {'PASS' if speed_ok and loss_ok else 'FAIL'}**: packed tokens/s "
            f"{ratio:.2f}x the plain Trainer loop (target >= {TARGET_RATIO}x: {'PASS' if speed_ok else 'FAIL'}); "
            f"held-out loss packed {packed['held_out_loss']:.4f} vs padded {padded['held_out_loss']:.4f} "
            f"(no worse, within 1%: {'PASS' if loss_ok else 'FAIL'}); baseline {base['held_out_loss']:.4f}.")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--max-length", type=int, default=1024, help="the trainer's default")
    ap.add_argument("--batch-size", type=int, default=8)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=3, help="runs per side, interleaved; the fastest is reported")
    ap.add_argument("--held-out", type=int, default=40, help="held-out samples scored after training")
    ap.add_argument("--json", help="also write raw results here")
    a = ap.parse_args()

    torch.set_num_threads(int(THREADS))
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    tmp = Path(tempfile.mkdtemp(prefix="flywheel-bench-tp-"))
    try:
        t = time.perf_counter()
        data = tmp / "samples.jsonl"
        generate_samples(data, a.samples, seed=11)
        samples = load_jsonl(str(data))
        held_path = tmp / "held_out.jsonl"
        generate_samples(held_path, a.held_out, seed=12)
        held_out = load_jsonl(str(held_path))
        texts = [x for s in samples for x in (render_prompt(TASK, False, s.input), s.output)]
        base_dir = build_tiny_model("tiny-random-mistral", texts, str(tmp / "base"), seed=SEED)
        build_s = time.perf_counter() - t

        tok = AutoTokenizer.from_pretrained(base_dir)
        full = [len(tok(render_prompt(TASK, False, s.input) + s.output)["input_ids"]) + 1 for s in samples]
        proj_trunc = sum(encode(tok, TASK, False, s, a.max_length)["truncated"] for s in samples)
        full.sort()
        meta = {"samples": len(samples), "max_length": a.max_length, "batch_size": a.batch_size,
                "epochs": a.epochs, "repeats": a.repeats, "build_s": build_s,
                "len_min": full[0], "len_med": int(statistics.median(full)), "len_max": full[-1],
                "baseline_truncated": sum(n > a.max_length for n in full), "project_truncated": proj_trunc}

        results: dict[str, list[dict]] = {name: [] for name in SIDES}
        for i in range(a.repeats):
            for name in results:  # interleaved, so machine noise hits every side alike
                out = str(tmp / f"{name}-{i}")
                with contextlib.redirect_stdout(sys.stderr):  # the Trainer prints its final metrics
                    if name == "baseline":
                        r = run_baseline(base_dir, samples, held_out, out, a.max_length, a.batch_size, a.epochs)
                    else:
                        r = run_project(base_dir, samples, held_out, out, a.max_length, a.batch_size, a.epochs,
                                        packing=name == "packed")
                results[name].append(r)
                shutil.rmtree(out, ignore_errors=True)
                print(f"[bench] {name} run {i + 1}: {r['seconds']:.2f} s", file=sys.stderr)
        meta["steps"] = results["packed"][0]["steps"]
        assert all(r["steps"] == meta["steps"] for rs in results.values() for r in rs), "step counts differ"
        if a.json:
            Path(a.json).write_text(json.dumps({"meta": meta, "results": results}, indent=2))
        print(report(results, meta))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
