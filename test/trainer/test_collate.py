"""Prompt/completion encoding: loss only on the output, input truncated so the output always fits."""
import pytest

from flywheel_trainer.collate import IGNORE, Collator, encode, encode_prompt
from flywheel_trainer.data import Sample, render_prompt


@pytest.fixture(scope="module")
def tokenizers(tiny_bases):
    from transformers import AutoTokenizer

    return {name: AutoTokenizer.from_pretrained(str(path)) for name, path in tiny_bases.items()}


def test_causal_labels_cover_only_the_output_and_eos(tokenizers):
    tok = tokenizers["tiny-random-mistral"]
    sample = Sample("Alice bought a red car on day 1. It took a while.", "Alice bought a red car on day 1.", 1)
    enc = encode(tok, "summarization", False, sample, max_length=256)
    prompt_ids = tok(render_prompt("summarization", False, sample.input))["input_ids"]
    assert enc["input_ids"][: len(prompt_ids)] == prompt_ids  # prompt tokenized whole, BOS first
    assert enc["input_ids"][0] == tok.bos_token_id
    assert enc["labels"][: len(prompt_ids)] == [IGNORE] * len(prompt_ids)
    completion = enc["labels"][len(prompt_ids):]
    assert completion[-1] == tok.eos_token_id
    assert tok.decode(completion[:-1]) == sample.output
    assert not enc["truncated"]


def test_long_input_is_cut_so_the_summary_fits(tokenizers):
    tok = tokenizers["tiny-random-mistral"]
    long_input = " ".join(["Nobody expected it. Later they went home."] * 80)
    sample = Sample(long_input, "Carol fixed two bikes on day 9.", 1)
    enc = encode(tok, "summarization", False, sample, max_length=64)
    assert len(enc["input_ids"]) <= 64 and enc["truncated"]
    kept = [t for t, label in zip(enc["input_ids"], enc["labels"]) if label != IGNORE]
    assert tok.decode(kept[:-1]) == sample.output and kept[-1] == tok.eos_token_id
    text = tok.decode(enc["input_ids"], skip_special_tokens=True)
    assert text.rstrip().endswith("### Summary:\n" + sample.output)  # the answer cue survives


def test_encode_prompt_budget(tokenizers):
    tok = tokenizers["tiny-random-mistral"]
    ids, truncated = encode_prompt(tok, "qa", False, "word " * 500, 40)
    assert len(ids) <= 40 and truncated
    assert tok.decode(ids, skip_special_tokens=True).endswith("### Answer:\n")


def test_seq2seq_labels_are_the_output(tokenizers):
    tok = tokenizers["tiny-random-t5"]
    sample = Sample("Erin lost a garden. " * 50, "Erin lost a garden.", 1)
    enc = encode(tok, "summarization", True, sample, max_length=48)
    assert len(enc["input_ids"]) <= 48 and enc["truncated"]
    assert enc["input_ids"][-1] == tok.eos_token_id
    assert tok.decode(enc["input_ids"], skip_special_tokens=True).startswith("summarize: Erin")
    assert enc["labels"][-1] == tok.eos_token_id
    assert tok.decode(enc["labels"], skip_special_tokens=True) == sample.output


def test_collator_pads_with_masks():
    batch = Collator(pad_token_id=0)([
        {"input_ids": [5, 6, 7], "labels": [IGNORE, 6, 7]},
        {"input_ids": [5], "labels": [5]},
    ])
    assert batch["input_ids"].tolist() == [[5, 6, 7], [5, 0, 0]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert batch["labels"].tolist() == [[IGNORE, 6, 7], [5, IGNORE, IGNORE]]
    assert Collator(0, pad_to_multiple_of=8)([{"input_ids": [1], "labels": [1]}])["input_ids"].shape[1] == 8


def test_tiny_model_build_is_deterministic(tmp_path):
    from flywheel_trainer.tiny_models import build_tiny_model

    texts = ["The cat sat on the mat.", "A dog ran home.", "The cat ran."] * 3
    a = build_tiny_model("tiny-random-mistral", texts, str(tmp_path / "a"), seed=3)
    b = build_tiny_model("tiny-random-mistral", texts, str(tmp_path / "b"), seed=3)
    for name in ("model.safetensors", "tokenizer.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert a != b
