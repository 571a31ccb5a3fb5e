"""End-to-end runs of docker/finetune.py: every task on both model families (causal and seq2seq),
LoRA and full fine-tuning, built-in tiny models and a local base folder."""
from __future__ import annotations

import json
import math

import pytest
import torch

COMMON = ["--batch-size", "8", "--eval-split", "0.2", "--seed", "42", "--max-new-tokens", "24"]

# name: (task, base ("@mistral"/"@t5" = the session's local tiny folder), method, extra args, saved kind)
CASES = {
    "mistral-summarization": ("summarization", "tiny-random-mistral", "lora",
                              ["--learning-rate", "2e-2", "--max-steps", "40", "--merge-adapter",
                               "--dataset-hash", "abc123"], "merged"),
    "mistral-classification": ("classification", "tiny-random-mistral", "full",
                               ["--learning-rate", "3e-3", "--num-epochs", "16",
                                "--gradient-accumulation-steps", "2"], "full"),
    "mistral-qa": ("qa", "@mistral", "lora",
                   ["--learning-rate", "2e-2", "--max-steps", "40", "--gradient-checkpointing", "on"], "adapter"),
    "t5-summarization": ("summarization", "tiny-random-t5", "lora",
                         ["--learning-rate", "2e-2", "--max-steps", "40"], "merged"),
    "t5-classification": ("classification", "tiny-random-t5", "full",
                          ["--learning-rate", "3e-3", "--max-steps", "60"], "full"),
    "t5-qa": ("qa", "@t5", "lora", ["--learning-rate", "2e-2", "--max-steps", "40"], "adapter"),
}


@pytest.fixture(params=list(CASES), scope="module")
def case(request, trainer_runs, datasets, tiny_bases):
    task, base, method, extra, kind = CASES[request.param]
    if base.startswith("@"):
        base = str(tiny_bases[f"tiny-random-{base[1:]}"])
    args = ["--task", task, "--dataset", str(datasets[task]), "--base-model", base, "--method", method,
            "--run-id", request.param, *COMMON, *extra]
    run = trainer_runs(request.param, args)
    assert run.returncode == 0, run.tail()
    return request.param, run, kind


def _model_class(seq2seq: bool):
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    return AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM


def test_event_stream_order_and_schema(case):
    _, run, _ = case
    kinds = [e["event"] for e in run.events]
    assert kinds[0] == "stage" and run.events[0]["stage"] == "loading_data"
    assert kinds[-2:] == ["saved", "completed"]
    assert "failed" not in kinds and "cancelled" not in kinds
    started = run.one("started")
    evals = run.of("eval")
    assert [e["phase"] for e in evals] == ["before", "after"]
    progress = run.of("progress")
    first_progress, last_progress = kinds.index("progress"), len(kinds) - 1 - kinds[::-1].index("progress")
    assert kinds.index("started") < run.events.index(evals[0]) < first_progress
    assert last_progress < run.events.index(evals[1]) < kinds.index("saved")
    assert started["device"] == "cpu" and started["train_samples"] > 0 and started["eval_samples"] > 0
    steps = [p["step"] for p in progress]
    assert steps == sorted(set(steps)) and steps[-1] == started["total_steps"]
    for p in progress:
        assert set(p) >= {"step", "total_steps", "epoch", "loss", "learning_rate", "tokens_per_second"}
        assert p["total_steps"] == started["total_steps"] and math.isfinite(p["loss"])
    times = [e["time"] for e in run.events]
    assert times == sorted(times)
    completed = run.one("completed")["metrics"]
    assert completed["steps"] == started["total_steps"]
    assert run.one("saved")["path"] == str(run.output_dir)


def test_loss_goes_down(case):
    name, run, _ = case
    before, after = [e["metrics"] for e in run.of("eval")]
    assert after["eval_loss"] < before["eval_loss"] - 0.3, (before, after)
    losses = [p["loss"] for p in run.of("progress")]
    assert sum(losses[-5:]) / 5 < sum(losses[:5]) / 5
    if "classification" in name:  # a full fine-tune learns the toy labels
        assert after["accuracy"] >= 0.8 > before["accuracy"]
    if "summarization" in name:
        assert {"rouge1", "rouge2", "rougeL"} <= set(after)


def test_metrics_card_and_layout(case):
    name, run, kind = case
    out = run.output_dir
    metrics = json.loads((out / "metrics.json").read_text())
    for key in ("before", "after", "train_loss", "train_runtime", "tokens_per_second", "train_samples",
                "eval_samples", "steps"):
        assert metrics[key] is not None, key
    assert metrics["saved"] == kind and metrics["run_id"] == name
    assert "{input}" in metrics["prompt_template"]
    assert metrics["examples"] and {"input", "reference", "before", "after"} <= set(metrics["examples"][0])
    assert not (out / "checkpoints").exists()  # removed after success unless --keep-checkpoints

    card = (out / "README.md").read_text()
    head = card.split("---\n")[1]
    assert "library_name: " + ("peft" if kind == "adapter" else "transformers") in head
    assert "pipeline_tag: " + ("text2text-generation" if name.startswith("t5") else "text-generation") in head
    assert '- "fine-tune-flywheel"' in head and "base_model" not in head  # no hub id for local/tiny
    assert "| eval_loss |" in card and "## Prompt format" in card
    if "tiny-random" in run.args[run.args.index("--base-model") + 1]:
        assert "Tiny random model" in card and '- "tiny-random"' in head
    if "--dataset-hash" in run.args:
        assert "abc123" in card and metrics["dataset_hash"] == "abc123"

    if kind == "full":
        assert (out / "model.safetensors").exists() and not (out / "adapter").exists()
    else:
        adapter = json.loads((out / "adapter" / "adapter_config.json").read_text())
        assert adapter["r"] == 16 and adapter["lora_alpha"] == 32
        assert (out / "adapter" / "adapter_model.safetensors").exists()
    if kind == "merged":
        assert (out / "model.safetensors").exists() and not (out / "adapter_config.json").exists()
        assert (out / "base" / "model.safetensors").exists()  # the tiny base the adapter points at
    if kind == "adapter":
        assert (out / "adapter_config.json").exists() and not (out / "model.safetensors").exists()


def test_saved_model_loads_and_generates(case):
    from peft import PeftModel
    from transformers import AutoTokenizer

    name, run, kind = case
    out = run.output_dir
    seq2seq = name.startswith("t5")
    cls = _model_class(seq2seq)
    model = cls.from_pretrained(str(out)).eval()  # plain transformers loading, whatever the kind
    tok = AutoTokenizer.from_pretrained(str(out))
    from flywheel_trainer.data import render_prompt

    task = run.args[run.args.index("--task") + 1]
    prompt = render_prompt(task, seq2seq, "Grace fixed the blue door on day 3. It took a while.")
    ids = tok(prompt, return_tensors="pt")
    with torch.no_grad():
        gen = model.generate(**ids, max_new_tokens=8, do_sample=False, pad_token_id=tok.pad_token_id)
    assert gen.shape[1] >= (1 if seq2seq else ids["input_ids"].shape[1] + 1)

    if kind in ("merged", "adapter"):  # the adapter on its base gives the same model
        adapter_dir = out / "adapter"
        base_path = json.loads((adapter_dir / "adapter_config.json").read_text())["base_model_name_or_path"]
        base = cls.from_pretrained(base_path).eval()
        kwargs = dict(ids, decoder_input_ids=torch.zeros_like(ids["input_ids"][:, :1])) if seq2seq else ids
        with torch.no_grad():
            base_logits = base(**kwargs).logits
            peft_model = PeftModel.from_pretrained(base, str(adapter_dir)).eval()
            peft_logits = peft_model(**kwargs).logits
            loaded_logits = model(**kwargs).logits
        torch.testing.assert_close(loaded_logits, peft_logits, atol=1e-4, rtol=1e-4)
        assert not torch.allclose(base_logits, peft_logits, atol=1e-3)  # the adapter changed something


def test_no_held_out_set(datasets, session_dir):
    from conftest import run_in_process

    run = run_in_process(["--task", "classification", "--dataset", str(datasets["classification"]),
                          "--base-model", "tiny-random-mistral", "--eval-split", "0", "--max-steps", "3",
                          "--keep-checkpoints"], session_dir / "no-eval")
    assert run.returncode == 0, run.tail()
    assert run.one("started")["eval_samples"] == 0
    assert [e["metrics"] for e in run.of("eval")] == [{}, {}]
    metrics = json.loads((run.output_dir / "metrics.json").read_text())
    assert metrics["train_samples"] == 80 and metrics["before"] == {} and metrics["examples"] == []
    assert "No held-out set" in (run.output_dir / "README.md").read_text()
    assert (run.output_dir / "checkpoints" / "checkpoint-3" / "trainer_state.json").exists()
