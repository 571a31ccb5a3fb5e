"""Turning samples into token ids (prompt masking, input-side truncation) and padding batches."""
from __future__ import annotations

from dataclasses import dataclass

from .data import Sample, render_prompt

IGNORE = -100


def _ids(tokenizer, text: str, special: bool = True) -> list[int]:
    return list(tokenizer(text, add_special_tokens=special)["input_ids"])


def encode_prompt(tokenizer, task: str, seq2seq: bool, text: str, budget: int) -> tuple[list[int], bool]:
    """Token ids of the prompt for ``text``, at most ``budget`` long. Returns (ids, truncated).

    Only the sample's input is shortened (from the end, at a token boundary); the template around it
    always stays whole, so the model always sees the instruction and the answer cue. The prompt is
    tokenized in one piece, exactly as it will be at inference.
    """
    ids = _ids(tokenizer, render_prompt(task, seq2seq, text))
    if len(ids) <= budget:
        return ids, False
    try:
        offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    except (NotImplementedError, ValueError, KeyError, TypeError):  # slow tokenizer: cut by characters
        offsets = [(i, i + 1) for i in range(len(text))]
    keep = len(offsets) - (len(ids) - budget)
    for _ in range(8):
        cut = text[: offsets[keep - 1][1]] if keep > 0 else ""
        ids = _ids(tokenizer, render_prompt(task, seq2seq, cut))
        if len(ids) <= budget or keep <= 0:
            break
        keep -= max(1, len(ids) - budget)
    if len(ids) > budget:  # only when the template alone is longer than the budget
        ids = ids[:budget]
    return ids, True


def encode_causal(tokenizer, task: str, sample: Sample, max_length: int) -> dict:
    """prompt + output + EOS; labels are -100 on the prompt, so the loss covers the output only."""
    completion = _ids(tokenizer, sample.output, special=False) + [tokenizer.eos_token_id]
    template_len = len(_ids(tokenizer, render_prompt(task, False, "")))
    max_completion = max(1, max_length - template_len - min(32, max_length // 4))
    if len(completion) > max_completion:
        completion = completion[:max_completion]
    prompt, truncated = encode_prompt(tokenizer, task, False, sample.input, max_length - len(completion))
    return {
        "input_ids": prompt + completion,
        "labels": [IGNORE] * len(prompt) + completion,
        "truncated": truncated,
    }


def encode_seq2seq(tokenizer, task: str, sample: Sample, max_length: int) -> dict:
    """Encoder input = prompt (input truncated to ``max_length``); labels = tokenized output."""
    prompt, truncated = encode_prompt(tokenizer, task, True, sample.input, max_length)
    labels = list(tokenizer(text_target=sample.output)["input_ids"])
    if len(labels) > max_length:
        labels = labels[: max_length - 1] + [tokenizer.eos_token_id]
    return {"input_ids": prompt, "labels": labels, "truncated": truncated}


def encode(tokenizer, task: str, seq2seq: bool, sample: Sample, max_length: int) -> dict:
    return (encode_seq2seq if seq2seq else encode_causal)(tokenizer, task, sample, max_length)


@dataclass
class Collator:
    """Right-pads ``input_ids`` (pad id), ``attention_mask`` (0) and ``labels`` (-100)."""

    pad_token_id: int
    pad_to_multiple_of: int | None = None

    def _width(self, n: int) -> int:
        m = self.pad_to_multiple_of
        return n if not m else -(-n // m) * m

    def __call__(self, features: list[dict]):
        import torch

        width = self._width(max(len(f["input_ids"]) for f in features))
        label_width = self._width(max(len(f["labels"]) for f in features))
        ids, mask, labels = [], [], []
        for f in features:
            n = len(f["input_ids"])
            ids.append(list(f["input_ids"]) + [self.pad_token_id] * (width - n))
            mask.append([1] * n + [0] * (width - n))
            labels.append(list(f["labels"]) + [IGNORE] * (label_width - len(f["labels"])))
        return {
            "input_ids": torch.tensor(ids, dtype=torch.long),
            "attention_mask": torch.tensor(mask, dtype=torch.long),
            "labels": torch.tensor(labels, dtype=torch.long),
        }
