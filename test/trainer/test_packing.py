"""Padding-free packed batches: no attention across samples, the same loss as padded batches,
and a run that packs reports it and learns as well as a padded one."""
import pytest
import torch

from flywheel_trainer.args import Config
from flywheel_trainer.collate import IGNORE, Collator, encode
from flywheel_trainer.data import Sample
from flywheel_trainer.packing import PackedCollator

from conftest import toy_samples

TEXTS = [s["input"] for s in toy_samples("summarization", 6, seed=3)]


@pytest.fixture(scope="module")
def packed_model(tiny_bases, tmp_path_factory):
    """The tiny causal model loaded the way a run loads it (packing on), with encoded samples."""
    from flywheel_trainer import model_loading

    cfg = Config(task="summarization", dataset="", output_dir=str(tmp_path_factory.mktemp("pack")),
                 base_model=str(tiny_bases["tiny-random-mistral"]), method="full", device="cpu")
    loaded = model_loading.load(cfg, [])
    samples = [Sample(t, t.split(".")[0] + ".", i + 1) for i, t in enumerate(TEXTS)]
    encoded = [encode(loaded.tokenizer, "summarization", False, s, 256) for s in samples]
    for e in encoded:
        e.pop("truncated")
    return loaded, encoded


def test_packed_row_layout():
    batch = PackedCollator()([
        {"input_ids": [5, 6, 7], "labels": [IGNORE, 6, 7]},
        {"input_ids": [8, 9], "labels": [8, 9]},
    ])
    assert batch["input_ids"].tolist() == [[5, 6, 7, 8, 9]]
    assert batch["position_ids"].tolist() == [[0, 1, 2, 0, 1]]
    assert "attention_mask" not in batch  # nothing is padding
    # The second sample's first token is never a target of the first sample's last one.
    assert batch["labels"].tolist() == [[IGNORE, 6, 7, IGNORE, 9]]
    assert batch["cu_seq_lens_q"].tolist() == [0, 3, 5] and batch["max_length_q"] == 3
    # Logits only where the next token is a target: positions 0, 1 (→ 6, 7) and 3 (→ 9).
    assert batch["logits_to_keep"].tolist() == [[True, True, False, True, False]]
    assert batch["shift_labels"].tolist() == [[6, 7, 9]]


def test_run_reports_packing_and_portable_attention_on_cpu(packed_model):
    loaded, _ = packed_model
    assert loaded.kernels.report() == {"attention": "flywheel_varlen_sdpa", "packing": True, "fused": []}
    assert loaded.model.config._attn_implementation == "flywheel_varlen_sdpa"


def _stock_sdpa(loaded, **config_changes):
    """The same weights under Transformers' own SDPA attention (the reference a sample alone gets)."""
    import copy

    from transformers import AutoModelForCausalLM

    # A copy: from_config would otherwise switch the run's own model to SDPA through the shared config.
    model = AutoModelForCausalLM.from_config(copy.deepcopy(loaded.model.config), attn_implementation="sdpa")
    for key, value in config_changes.items():
        setattr(model.config, key, value)
    model.load_state_dict(loaded.model.state_dict())
    return model.eval()


@pytest.mark.parametrize("sliding_window", [None, 16], ids=["causal", "sliding-window-16"])
def test_no_attention_crosses_samples(packed_model, sliding_window):
    """Each sample's logits in a packed row equal its logits run alone through stock SDPA, also
    when samples are longer than a sliding window (Mistral's)."""
    loaded, encoded = packed_model
    model = loaded.model.eval()
    reference = _stock_sdpa(loaded, sliding_window=sliding_window)
    model.config.sliding_window = sliding_window
    batch = PackedCollator()(encoded)
    batch.pop("logits_to_keep"), batch.pop("shift_labels"), batch.pop("labels")
    bounds = batch["cu_seq_lens_q"].tolist()
    assert max(b - a for a, b in zip(bounds, bounds[1:])) > 16
    try:
        with torch.no_grad():
            packed = model(**batch).logits[0]
            for i, e in enumerate(encoded):
                alone = reference(input_ids=torch.tensor([e["input_ids"]])).logits[0]
                torch.testing.assert_close(packed[bounds[i]:bounds[i + 1]], alone, rtol=1e-4, atol=1e-5)
            # Without the boundaries, the position ids alone still keep the samples apart.
            by_positions = model(input_ids=batch["input_ids"], position_ids=batch["position_ids"]).logits[0]
            torch.testing.assert_close(by_positions, packed, rtol=1e-4, atol=1e-5)
            # The check can fail: one causal row over the same tokens (no boundaries) gives other logits.
            crossed = reference(input_ids=batch["input_ids"]).logits[0]
            assert not torch.allclose(crossed[bounds[1]:bounds[2]], packed[bounds[1]:bounds[2]], atol=1e-3)
    finally:
        model.config.sliding_window = None


def test_packed_loss_equals_padded_loss(packed_model):
    """Same samples, same completion-only loss and gradients, padded or packed."""
    loaded, encoded = packed_model
    model = loaded.model.train()
    losses, grads = [], []
    for batch in (Collator(loaded.tokenizer.pad_token_id)(encoded), PackedCollator()(encoded)):
        model.zero_grad()
        loss = model(**batch).loss
        loss.backward()
        losses.append(loss.detach())
        grads.append(model.get_input_embeddings().weight.grad.clone())
    torch.testing.assert_close(losses[0], losses[1], rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(grads[0], grads[1], rtol=1e-4, atol=1e-6)
    model.zero_grad()


def test_packed_run_learns_like_padded(datasets, tiny_bases, trainer_runs):
    """A packed run and a padded run of the same data: packing reported, held-out loss no worse."""
    args = ["--task", "summarization", "--dataset", str(datasets["summarization"]),
            "--base-model", str(tiny_bases["tiny-random-mistral"]), "--method", "full",
            "--learning-rate", "2e-3", "--num-epochs", "2", "--max-generate-samples", "1", "--seed", "5"]
    packed = trainer_runs("packed", args)
    padded = trainer_runs("padded", [*args, "--packing", "off"])
    assert packed.returncode == 0, packed.tail()
    assert padded.returncode == 0, padded.tail()
    assert packed.one("started")["kernels"] == {"attention": "flywheel_varlen_sdpa", "packing": True, "fused": []}
    assert padded.one("started")["kernels"] == {"attention": "default", "packing": False, "fused": []}
    packed_m, padded_m = packed.one("completed")["metrics"], padded.one("completed")["metrics"]
    assert packed_m["kernels"]["packing"] is True
    # Same samples per step and the same objective: held-out loss within noise of the padded run's.
    assert packed_m["after"]["eval_loss"] <= padded_m["after"]["eval_loss"] * 1.02
    assert packed_m["after"]["eval_loss"] < packed_m["before"]["eval_loss"]
    # Every token is counted once: packed rows have no padding to leave out.
    assert packed_m["train_tokens"] == padded_m["train_tokens"]
    card = (packed.output_dir / "README.md").read_text(encoding="utf-8")
    assert "flywheel_varlen_sdpa" in card and "| fused_kernels | none |" in card


def test_seq2seq_keeps_padded_batches(datasets, tiny_bases, trainer_runs):
    run = trainer_runs("t5-packing", ["--task", "summarization", "--dataset", str(datasets["summarization"]),
                                      "--base-model", "tiny-random-t5", "--method", "full", "--max-steps", "2",
                                      "--max-generate-samples", "1", "--eval-split", "0"])
    assert run.returncode == 0, run.tail()
    assert run.one("started")["kernels"] == {"attention": "default", "packing": False, "fused": []}


@pytest.mark.parametrize("gpus, flash, expected", [
    (1, True, {"attention": "flash_attention_2", "packing": True, "fused": ["flash_attention_2"]}),
    (1, False, {"attention": "flywheel_varlen_sdpa", "packing": True, "fused": []}),
    # One process over two GPUs is DataParallel, which splits batches by rows: padded batches.
    (2, True, {"attention": "flash_attention_2", "packing": False, "fused": ["flash_attention_2"]}),
    (2, False, {"attention": "default", "packing": False, "fused": []}),
], ids=["1gpu-flash", "1gpu-no-flash", "2gpus-flash", "2gpus-no-flash"])
def test_kernel_choice_on_a_gpu(monkeypatch, gpus, flash, expected):
    """What a GPU run picks; the GPU count and installed packages are stand-ins (no GPU here), the
    choice is the real code."""
    from flywheel_trainer import kernels

    monkeypatch.setattr(kernels, "_visible_gpus", lambda: gpus)
    monkeypatch.setattr(kernels, "_installed", lambda module: flash and module == "flash_attn")
    assert kernels.choose("cuda", seq2seq=False, packing=True).report() == expected
    assert kernels.choose("cuda", seq2seq=True, packing=True).report() == {"attention": "default", "packing": False, "fused": []}
    assert kernels.choose("cuda", seq2seq=False, packing=False).report()["packing"] is False
