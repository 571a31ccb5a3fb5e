"""Dataset loading (strict JSONL), the held-out split, and prompt templates per task."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    input: str
    output: str
    line: int  # 1-based line number in the dataset file


class DatasetError(Exception):
    """The dataset cannot be used; ``line`` names the offending line when there is one."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _parse_line(raw: bytes, number: int) -> Sample | None:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DatasetError(f"line {number}: not valid UTF-8 (byte {e.start})", number) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise DatasetError(f"line {number}: invalid JSON ({e.msg} at column {e.colno})", number) from None
    if not isinstance(obj, dict):
        raise DatasetError(f"line {number}: expected a JSON object, got {type(obj).__name__}", number)
    for key in ("input", "output"):
        value = obj.get(key)
        if not isinstance(value, str):
            what = "missing" if key not in obj else f"a {type(value).__name__}, not a string"
            raise DatasetError(f"line {number}: field \"{key}\" is {what}", number)
        if not value.strip():
            raise DatasetError(f"line {number}: field \"{key}\" is empty", number)
    return Sample(obj["input"], obj["output"], number)


def load_jsonl(path: str) -> list[Sample]:
    """Read ``{"input": str, "output": str}`` objects, one a line; blank lines are skipped.

    Any other malformed line fails the whole load with a ``DatasetError`` naming the line: the
    trainer never silently drops a user's sample. The file is streamed, not read whole.
    """
    samples: list[Sample] = []
    try:
        with open(path, "rb") as f:
            for number, raw in enumerate(f, start=1):
                sample = _parse_line(raw.rstrip(b"\n"), number)
                if sample is not None:
                    samples.append(sample)
    except FileNotFoundError:
        raise DatasetError(f"dataset not found: {path}") from None
    except IsADirectoryError:
        raise DatasetError(f"dataset is a directory, not a JSONL file: {path}") from None
    if not samples:
        raise DatasetError(f"dataset has no samples: {path}")
    return samples


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def split_key(sample: Sample, seed: int) -> float:
    """A number in [0, 1) from the seed and the sample's normalized input text.

    Samples with the same input (up to case and whitespace) get the same key, so they always land
    on the same side of the split: a near-duplicate can never leak from training into held-out.
    The key depends on nothing else, so adding samples never moves existing ones across.
    """
    digest = hashlib.sha256(f"{seed}\x00{_normalize(sample.input)}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def split_samples(samples: list[Sample], eval_split: float, seed: int) -> tuple[list[Sample], list[Sample]]:
    """Deterministic held-out split by content hash. Returns (train, held_out).

    Held-out samples are those whose key is below ``eval_split``; held-out is ordered by key so a
    cap takes a stable subset. If none falls below it (small datasets), the group with the smallest
    key is held out, so every run with ``eval_split > 0`` and two distinct inputs has an eval set.
    """
    if eval_split <= 0:
        return list(samples), []
    keyed = [(split_key(s, seed), s) for s in samples]
    held = [k < eval_split for k, _ in keyed]
    if not any(held):
        smallest = min(k for k, _ in keyed)
        held = [k == smallest for k, _ in keyed]
    elif all(held):  # tiny dataset that hashed entirely below the fraction: hold out one group only
        smallest = min(k for k, _ in keyed)
        held = [k == smallest for k, _ in keyed]
    train = [s for (_, s), h in zip(keyed, held) if not h]
    held_out = sorted((ks for ks, h in zip(keyed, held) if h), key=lambda ks: (ks[0], ks[1].line))
    if not train:
        raise DatasetError("need at least two samples with different inputs to hold some out for evaluation "
                           "(or pass --eval-split 0)")
    return train, [s for _, s in held_out]


# Prompt templates. A causal LM sees prompt + completion; the loss covers the completion only.
# Seq2seq models (T5/BART) get the short task prefix the T5 family was trained with.
CAUSAL_TEMPLATES = {
    "summarization": "### Instruction:\nSummarize the following text.\n\n### Text:\n{input}\n\n### Summary:\n",
    "classification": "### Instruction:\nClassify the following text. Answer with the label only.\n\n"
                      "### Text:\n{input}\n\n### Label:\n",
    "qa": "### Instruction:\nAnswer the question using the context.\n\n### Context and question:\n{input}\n\n"
          "### Answer:\n",
}
SEQ2SEQ_TEMPLATES = {
    "summarization": "summarize: {input}",
    "classification": "classify: {input}",
    "qa": "question: {input}",
}


def template_for(task: str, seq2seq: bool) -> str:
    return (SEQ2SEQ_TEMPLATES if seq2seq else CAUSAL_TEMPLATES)[task]


def render_prompt(task: str, seq2seq: bool, text: str) -> str:
    prefix, suffix = template_for(task, seq2seq).split("{input}")
    return prefix + text + suffix


def dataset_sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
