"""Data-parallel training under torchrun on the CPU (gloo): two processes with a per-process batch
of 2 learn what one process learns with a batch of 4, and only rank 0 speaks and writes."""
from __future__ import annotations

import json
import os
import signal
import subprocess

import pytest
import torch
from safetensors.torch import load_file

from conftest import DOCKER_DIR, parse_events, run_trainer, trainer_command

STEPS = 8


def _args(dataset, batch: int, processes: int, extra=()) -> list[str]:
    # No dropout: each rank draws its own dropout masks, which no single process can reproduce.
    return ["--task", "summarization", "--dataset", str(dataset), "--base-model", "tiny-random-mistral",
            "--max-steps", str(STEPS), "--batch-size", str(batch), "--learning-rate", "1e-2",
            "--eval-split", "0.2", "--lora-dropout", "0", "--logging-steps", "1", "--save-steps", "1000",
            "--max-new-tokens", "8", "--processes", str(processes), *extra]


@pytest.fixture(scope="module")
def pair(datasets, session_dir):
    one = run_trainer(_args(datasets["summarization"], 4, 1), session_dir / "dist-one")
    two = run_trainer(_args(datasets["summarization"], 2, 2), session_dir / "dist-two", timeout=400)
    assert one.returncode == 0, one.tail()
    assert two.returncode == 0, two.tail()
    return one, two


def test_two_processes_learn_what_one_does_with_the_same_effective_batch(pair):
    one, two = pair
    started = two.one("started")
    assert (started["processes"], started["strategy"], started["effective_batch_size"]) == (2, "ddp", 4)
    assert one.one("started")["effective_batch_size"] == 4
    losses_one = [p["loss"] for p in one.of("progress")]
    losses_two = [p["loss"] for p in two.of("progress")]
    assert [p["step"] for p in two.of("progress")] == list(range(1, STEPS + 1))  # global steps
    assert losses_two == pytest.approx(losses_one, rel=1e-3, abs=1e-4)
    # The held-out loss is a mean over batches, and each rank evaluates its own share in its own
    # batches: close, not equal.
    after_one, after_two = one.of("eval")[1]["metrics"], two.of("eval")[1]["metrics"]
    assert after_two["eval_loss"] == pytest.approx(after_one["eval_loss"], rel=2e-2)
    w1 = load_file(str(one.output_dir / "adapter" / "adapter_model.safetensors"))
    w2 = load_file(str(two.output_dir / "adapter" / "adapter_model.safetensors"))
    assert w1.keys() == w2.keys()
    for k in w1:
        assert torch.allclose(w1[k], w2[k], rtol=1e-3, atol=1e-5), k


def test_only_rank_zero_reports_and_the_run_records_its_processes(pair):
    _, two = pair
    kinds = [e["event"] for e in two.events]
    assert kinds.count("started") == 1 and kinds.count("completed") == 1 and kinds[-1] == "completed"
    metrics = json.loads((two.output_dir / "metrics.json").read_text())
    assert (metrics["processes"], metrics["effective_batch_size"], metrics["steps"]) == (2, 4, STEPS)
    assert two.one("completed")["metrics"]["processes"] == 2
    assert not (two.output_dir / "checkpoints").exists()


def test_cancel_stops_every_rank_keeps_a_checkpoint_and_resume_needs_the_same_processes(datasets, session_dir):
    out = session_dir / "dist-cancel"
    args = _args(datasets["summarization"], 2, 2)
    args[args.index("--max-steps") + 1] = "40"
    proc = subprocess.Popen(trainer_command([*args, "--output-dir", str(out)]), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=str(DOCKER_DIR), env=dict(os.environ))
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if json.loads(line)["event"] == "progress" and json.loads(line)["step"] >= 3:
                proc.send_signal(signal.SIGTERM)
                break
        rest, stderr = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    events = parse_events("".join(lines) + rest)
    assert proc.returncode == 3, stderr[-3000:]
    cancelled = events[-1]
    assert cancelled["event"] == "cancelled" and cancelled["checkpoint"], events[-3:]
    checkpoint = out / "checkpoints" / f"checkpoint-{cancelled['step']}"
    assert {"rng_state_0.pth", "rng_state_1.pth", "trainer_state.json"} <= set(os.listdir(checkpoint))

    other = run_trainer([*_args(datasets["summarization"], 2, 1), "--resume"], out)
    assert other.returncode == 1 and "written by 2 processes" in other.one("failed")["reason"], other.tail()

    resumed = run_trainer([*args, "--resume"], out, timeout=400)
    assert resumed.returncode == 0, resumed.tail()
    assert resumed.one("started")["resumed_from"] == str(checkpoint)
    assert resumed.of("progress")[0]["step"] == cancelled["step"] + 1


def test_fsdp_lands_the_weights_ddp_does(pair, datasets, session_dir):
    _, two = pair
    fsdp = run_trainer(_args(datasets["summarization"], 2, 2, ["--strategy", "fsdp"]), session_dir / "dist-fsdp",
                       timeout=400)
    assert fsdp.returncode == 0, fsdp.tail()
    assert fsdp.one("started")["strategy"] == "fsdp"
    w1 = load_file(str(two.output_dir / "adapter" / "adapter_model.safetensors"))
    w2 = load_file(str(fsdp.output_dir / "adapter" / "adapter_model.safetensors"))
    assert w1.keys() == w2.keys()
    for k in w1:
        assert torch.allclose(w1[k], w2[k], rtol=1e-3, atol=1e-5), k


def test_zero3_without_deepspeed_says_what_to_install(datasets, session_dir):
    pytest.importorskip("torch")
    import importlib.util

    if importlib.util.find_spec("deepspeed") is not None:
        pytest.skip("DeepSpeed is installed here")
    run = run_trainer(_args(datasets["summarization"], 2, 2, ["--strategy", "zero3"]), session_dir / "dist-zero3")
    failed = run.one("failed")
    assert run.returncode == 1 and failed["kind"] == "missing_dependency"
    assert "pip install deepspeed" in failed["hint"]
