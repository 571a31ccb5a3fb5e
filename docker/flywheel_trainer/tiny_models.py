"""Built-in tiny random models, made offline for tests and demos.

``tiny-random-mistral`` (causal) and ``tiny-random-t5`` (seq2seq) are built from a config with
random weights and a byte-level BPE tokenizer trained in-process on the run's own texts. They are
written with ``save_pretrained`` into a folder and then loaded from it like any downloaded model,
so the real loading path is exercised. Everything is seeded, so the same data and seed give the
same tokenizer and weights.
"""
from __future__ import annotations

import json
import os
from typing import Iterable

TINY_MODELS = {
    "tiny-random-mistral": "causal",
    "tiny-random-t5": "seq2seq",
}
MARKER = "flywheel_tiny_model.json"

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"


def is_tiny(name: str) -> bool:
    return name in TINY_MODELS


def train_tokenizer(texts: Iterable[str], family: str, vocab_size: int = 512):
    """Byte-level BPE trained on ``texts``, wrapped in a transformers fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[PAD, BOS, EOS, UNK],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(sorted(set(texts)), trainer=trainer)
    bos_id, eos_id = tok.token_to_id(BOS), tok.token_to_id(EOS)
    if family == "causal":
        # Like Llama/Mistral: BOS in front of every encoded text; EOS is added by the trainer.
        tok.post_processor = processors.TemplateProcessing(
            single=f"{BOS} $A", pair=f"{BOS} $A {BOS} $B", special_tokens=[(BOS, bos_id)]
        )
    else:
        # Like T5: EOS after every encoded text, no BOS.
        tok.post_processor = processors.TemplateProcessing(
            single=f"$A {EOS}", pair=f"$A {EOS} $B {EOS}", special_tokens=[(EOS, eos_id)]
        )
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, pad_token=PAD, bos_token=BOS, eos_token=EOS, unk_token=UNK,
        padding_side="right", model_max_length=4096,
    )


def build_tiny_model(name: str, texts: Iterable[str], folder: str, seed: int = 42) -> str:
    """Create the tiny model ``name`` in ``folder`` (config, weights, tokenizer); return folder."""
    import torch
    from transformers import MistralConfig, MistralForCausalLM, T5Config, T5ForConditionalGeneration

    family = TINY_MODELS[name]
    tokenizer = train_tokenizer(texts, family)
    torch.manual_seed(seed)
    if family == "causal":
        config = MistralConfig(
            vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
            num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
            max_position_embeddings=4096, sliding_window=None,
            pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id, tie_word_embeddings=False,
        )
        model = MistralForCausalLM(config)
    else:
        config = T5Config(
            vocab_size=len(tokenizer), d_model=64, d_kv=16, d_ff=128, num_layers=2,
            num_decoder_layers=2, num_heads=4, relative_attention_num_buckets=8,
            dropout_rate=0.0, feed_forward_proj="relu", is_encoder_decoder=True,
            pad_token_id=tokenizer.pad_token_id, eos_token_id=tokenizer.eos_token_id,
            bos_token_id=tokenizer.bos_token_id, decoder_start_token_id=tokenizer.pad_token_id,
        )
        model = T5ForConditionalGeneration(config)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    with open(os.path.join(folder, MARKER), "w", encoding="utf-8") as f:
        json.dump({"name": name, "family": family, "seed": seed,
                   "note": "tiny random model for tests and demos; not a real language model"}, f)
    return folder
