"""SIGTERM mid-run: a checkpoint, a ``cancelled`` event and exit code 3; ``--resume`` continues."""
from __future__ import annotations

import json
import os
import signal
import subprocess

from conftest import DOCKER_DIR, parse_events, run_trainer, trainer_command

TOTAL = 60


def _args(dataset) -> list[str]:
    return ["--task", "summarization", "--dataset", str(dataset), "--base-model", "tiny-random-mistral",
            "--max-steps", str(TOTAL), "--batch-size", "4", "--learning-rate", "1e-2", "--eval-split", "0.2",
            "--logging-steps", "1", "--save-steps", "1000", "--max-new-tokens", "8"]


def test_sigterm_saves_a_checkpoint_and_resume_finishes(datasets, session_dir):
    out = session_dir / "cancel-run"
    proc = subprocess.Popen(trainer_command([*_args(datasets["summarization"]), "--output-dir", str(out)]),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(DOCKER_DIR),
                            env=dict(os.environ))
    lines = []
    try:
        for line in proc.stdout:  # wait for real progress, then stop it like `docker stop` would
            lines.append(line)
            event = json.loads(line)
            if event["event"] == "progress" and event["step"] >= 3:
                proc.send_signal(signal.SIGTERM)
                break
        rest, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    events = parse_events("".join(lines) + rest)
    assert proc.returncode == 3, stderr[-3000:]
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "cancelled" and "completed" not in kinds and "saved" not in kinds
    cancelled = events[-1]
    step = cancelled["step"]
    assert cancelled["signal"] == "SIGTERM" and 3 <= step < TOTAL
    checkpoint = out / "checkpoints" / f"checkpoint-{step}"
    assert cancelled["checkpoint"] == str(checkpoint)
    assert {"adapter_model.safetensors", "trainer_state.json", "optimizer.pt"} <= set(os.listdir(checkpoint))
    assert json.loads((checkpoint / "trainer_state.json").read_text())["global_step"] == step
    assert any(e["event"] == "checkpoint" and e["step"] == step for e in events)
    assert not (out / "metrics.json").exists()
    before_first = next(e for e in events if e["event"] == "eval")["metrics"]

    resumed = run_trainer([*_args(datasets["summarization"]), "--resume"], out)
    assert resumed.returncode == 0, resumed.tail()
    assert resumed.one("started")["resumed_from"] == str(checkpoint)
    progress = resumed.of("progress")
    assert progress[0]["step"] == step + 1 and progress[-1]["step"] == TOTAL
    before_again, after = [e["metrics"] for e in resumed.of("eval")]
    assert before_again == before_first  # the base model's score is measured once per run
    assert after["eval_loss"] < before_first["eval_loss"]
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["steps"] == TOTAL and metrics["resumed_from"] == str(checkpoint)
    assert (out / "model.safetensors").exists()


def test_resume_without_checkpoint_starts_fresh(datasets, session_dir):
    out = session_dir / "resume-fresh"
    args = _args(datasets["summarization"])
    args[args.index("--max-steps") + 1] = "4"
    run = run_trainer([*args, "--resume"], out)
    assert run.returncode == 0, run.tail()
    assert run.one("started")["resumed_from"] is None
    assert run.of("progress")[-1]["step"] == 4
