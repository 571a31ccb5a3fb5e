"""Padding-free batches for causal LMs: a step's samples laid end to end in one row.

Each sample keeps its own position ids (0, 1, … restarting at every sample) and the batch carries
the samples' boundaries (``cu_seq_lens_*``, as Transformers' ``DataCollatorWithFlattening`` does),
so attention never crosses samples: FlashAttention varlen reads the boundaries on a GPU, and
``varlen_sdpa`` below (registered as an attention implementation) runs causal SDPA sample by
sample elsewhere. Logits are computed only where a completion token is predicted
(``logits_to_keep`` + ``shift_labels``): the prompt is context, not a target, so projecting it onto
the vocabulary would be wasted work.
"""
from __future__ import annotations

from dataclasses import dataclass

from .collate import IGNORE

VARLEN_SDPA = "flywheel_varlen_sdpa"


@dataclass
class PackedCollator:
    """Flattens ``input_ids``/``labels`` features into one padding-free row (batch size 1)."""

    def __call__(self, features: list[dict]):
        import torch

        ids, positions, labels, bounds = [], [], [], [0]
        for f in features:
            n = len(f["input_ids"])
            ids += f["input_ids"]
            positions += range(n)
            # The first token of a sample is never predicted from the previous sample's last one.
            labels += [IGNORE] + list(f["labels"][1:])
            bounds.append(bounds[-1] + n)
        next_labels = labels[1:] + [IGNORE]  # what each position predicts
        keep = torch.tensor([[t != IGNORE for t in next_labels]])
        longest = max(b - a for a, b in zip(bounds, bounds[1:]))
        cu = torch.tensor(bounds, dtype=torch.int32)
        return {
            "input_ids": torch.tensor([ids], dtype=torch.long),
            "position_ids": torch.tensor([positions], dtype=torch.long),
            "labels": torch.tensor([labels], dtype=torch.long),
            "shift_labels": torch.tensor([[t for t in next_labels if t != IGNORE]], dtype=torch.long),
            "logits_to_keep": keep,
            "cu_seq_lens_q": cu, "cu_seq_lens_k": cu,
            "max_length_q": longest, "max_length_k": longest,
        }


def _segments(query, kwargs) -> list[tuple[int, int]] | None:
    """The samples' [start, end) in a packed row, from the collator's boundaries or the position ids."""
    cu = kwargs.get("cu_seq_lens_q")
    if cu is not None:
        b = cu.tolist()
        return list(zip(b, b[1:]))
    positions = kwargs.get("position_ids")
    if positions is None or query.shape[0] != 1:
        return None
    starts = (positions[0] == 0).nonzero().flatten().tolist()
    if not starts or starts[0] != 0:
        return None
    return list(zip(starts, starts[1:] + [positions.shape[1]]))


def varlen_sdpa(module, query, key, value, attention_mask, dropout: float = 0.0, scaling=None,
                sliding_window=None, **kwargs):
    """Causal SDPA over each sample of a packed row on its own: cost Σ lᵢ², no cross-sample keys.

    Rows with a padding mask (left-padded generation, padded batches) or a cache go to the
    stock SDPA path unchanged.
    """
    import torch
    from transformers.integrations.sdpa_attention import repeat_kv, sdpa_attention_forward

    segments = _segments(query, kwargs) if attention_mask is None and query.shape[2] == key.shape[2] else None
    if segments is None:
        return sdpa_attention_forward(module, query, key, value, attention_mask, dropout=dropout,
                                      scaling=scaling, sliding_window=sliding_window, **kwargs)
    groups = getattr(module, "num_key_value_groups", 1)
    if groups > 1:
        key, value = repeat_kv(key, groups), repeat_kv(value, groups)
    outs = []
    for start, end in segments:
        q, k, v = query[:, :, start:end], key[:, :, start:end], value[:, :, start:end]
        n = end - start
        mask = None
        if sliding_window and n > sliding_window:  # a sample longer than the window: band it
            i = torch.arange(n, device=q.device)
            mask = (i[None, :] <= i[:, None]) & (i[:, None] - i[None, :] < sliding_window)
        outs.append(torch.nn.functional.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=dropout, scale=scaling, is_causal=mask is None))
    return torch.cat(outs, dim=2).transpose(1, 2).contiguous(), None


def _varlen_mask(*args, attention_mask=None, q_length=None, kv_length=None, kv_offset=0, **kwargs):
    """No padding and no cache: ``varlen_sdpa`` applies causality per sample, so no dense mask is built."""
    from transformers.masking_utils import sdpa_mask

    if attention_mask is None and q_length == kv_length and not kv_offset:
        return None
    return sdpa_mask(*args, attention_mask=attention_mask, q_length=q_length, kv_length=kv_length,
                     kv_offset=kv_offset, **kwargs)


def register_varlen_sdpa() -> str:
    """Makes ``VARLEN_SDPA`` a valid ``attn_implementation``; returns its name."""
    from transformers import AttentionInterface
    from transformers.masking_utils import ALL_MASK_ATTENTION_FUNCTIONS

    AttentionInterface.register(VARLEN_SDPA, varlen_sdpa)
    ALL_MASK_ATTENTION_FUNCTIONS.register(VARLEN_SDPA, _varlen_mask)
    return VARLEN_SDPA
