"""Held-out evaluation: loss over the held-out set, and greedy generations scored with ROUGE
(every task), label accuracy (classification) and exact match (qa)."""
from __future__ import annotations

import math
import time

from .collate import encode_prompt
from .data import Sample
from .errors import Cancelled
from .rouge import rouge


def normalize_answer(text: str) -> str:
    return " ".join(text.strip().lower().split()).strip(" .!?\"'")


def generation_metrics(task: str, predictions: list[str], references: list[str]) -> dict:
    metrics = dict(rouge(predictions, references))
    if predictions:
        matches = sum(normalize_answer(p) == normalize_answer(r) for p, r in zip(predictions, references))
        metrics["accuracy" if task == "classification" else "exact_match"] = matches / len(predictions)
    return metrics


def new_token_budget(tokenizer, references: list[str], cap: int) -> int:
    """Generate no more than ~1.5x the longest reference (and at most ``cap``) new tokens."""
    longest = max((len(tokenizer(r, add_special_tokens=False)["input_ids"]) for r in references), default=1)
    return max(1, min(cap, int(longest * 1.5) + 4))


def generate(model, tokenizer, task: str, seq2seq: bool, samples: list[Sample], max_length: int,
             max_new_tokens: int, batch_size: int, cancel=None) -> list[str]:
    """Greedy generations for ``samples`` (batched; causal prompts are left-padded)."""
    import torch

    device = next(model.parameters()).device
    pad, eos = tokenizer.pad_token_id, tokenizer.eos_token_id
    budget = max_length if seq2seq else max(8, max_length - max_new_tokens)
    was_training = model.training
    model.eval()
    outputs: list[str] = []
    try:
        for start in range(0, len(samples), batch_size):
            if cancel is not None and cancel.requested:
                raise Cancelled()
            prompts = [encode_prompt(tokenizer, task, seq2seq, s.input, budget)[0]
                       for s in samples[start : start + batch_size]]
            width = max(len(p) for p in prompts)
            if seq2seq:  # encoder inputs: right padding
                ids = [p + [pad] * (width - len(p)) for p in prompts]
                mask = [[1] * len(p) + [0] * (width - len(p)) for p in prompts]
            else:        # decoder-only: left padding so every prompt ends where generation starts
                ids = [[pad] * (width - len(p)) + p for p in prompts]
                mask = [[0] * (width - len(p)) + [1] * len(p) for p in prompts]
            with torch.no_grad():
                out = model.generate(
                    input_ids=torch.tensor(ids, device=device),
                    attention_mask=torch.tensor(mask, device=device),
                    max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                    pad_token_id=pad, eos_token_id=eos, use_cache=True,
                )
            new = out if seq2seq else out[:, width:]
            outputs.extend(t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True))
    finally:
        if was_training:
            model.train()
    return outputs


def evaluate_phase(trainer, loaded, cfg, eval_dataset: list[dict], eval_samples: list[Sample],
                   cancel=None) -> tuple[dict, list[str]]:
    """Loss on the held-out set and generation metrics on its first ``max_generate_samples``."""
    if not eval_dataset:
        return {}, []
    t0 = time.monotonic()
    raw = trainer.evaluate(eval_dataset=eval_dataset)
    loss = float(raw["eval_loss"])
    metrics: dict = {"eval_loss": loss, "perplexity": math.exp(loss) if loss < 50 else None}
    if cancel is not None and cancel.requested:
        raise Cancelled()
    gen_samples = eval_samples[: cfg.max_generate_samples]
    references = [s.output for s in gen_samples]
    n_new = new_token_budget(loaded.tokenizer, references, cfg.max_new_tokens)
    predictions = generate(trainer.model, loaded.tokenizer, cfg.task, loaded.seq2seq, gen_samples,
                           cfg.max_length, n_new, max(1, cfg.batch_size), cancel)
    metrics.update(generation_metrics(cfg.task, predictions, references))
    metrics["eval_samples"] = len(eval_dataset)
    metrics["generated_samples"] = len(gen_samples)
    metrics["eval_seconds"] = round(time.monotonic() - t0, 3)
    return metrics, predictions
