"""ROUGE-1, ROUGE-2 and ROUGE-L (F1), implemented here so no metric package or download is needed.

Tokens: lower-cased runs of Unicode letters and digits (``\\w`` without ``_``), so punctuation is
ignored like in the reference ``rouge_score`` tokenizer, but non-Latin text is kept (the reference
drops every non-ASCII character). No stemming. Scores are per pair; ``rouge`` averages them.
"""
from __future__ import annotations

import re
from collections import Counter

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, pred_total: int, ref_total: int) -> float:
    if overlap == 0 or pred_total == 0 or ref_total == 0:
        return 0.0
    precision, recall = overlap / pred_total, overlap / ref_total
    return 2 * precision * recall / (precision + recall)


def _ngrams(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def rouge_n(prediction: str, reference: str, n: int) -> float:
    """F1 of clipped n-gram overlap (each reference n-gram matches at most as often as it occurs)."""
    pred, ref = _ngrams(tokenize(prediction), n), _ngrams(tokenize(reference), n)
    overlap = sum((pred & ref).values())
    return _f1(overlap, sum(pred.values()), sum(ref.values()))


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence; O(len(a)*len(b)) time, O(len(b)) memory."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            cur[j] = prev[j - 1] + 1 if x == y else (prev[j] if prev[j] > cur[j - 1] else cur[j - 1])
        prev = cur
    return prev[-1]


def rouge_l(prediction: str, reference: str) -> float:
    """Sentence-level ROUGE-L F1: LCS over the whole token sequences."""
    pred, ref = tokenize(prediction), tokenize(reference)
    return _f1(lcs_length(pred, ref), len(pred), len(ref))


def rouge(predictions: list[str], references: list[str]) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 over pairs; empty input gives zeros."""
    if len(predictions) != len(references):
        raise ValueError("predictions and references differ in length")
    if not predictions:
        return {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    n = len(predictions)
    pairs = list(zip(predictions, references))
    return {
        "rouge1": sum(rouge_n(p, r, 1) for p, r in pairs) / n,
        "rouge2": sum(rouge_n(p, r, 2) for p, r in pairs) / n,
        "rougeL": sum(rouge_l(p, r) for p, r in pairs) / n,
    }
