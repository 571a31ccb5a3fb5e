"""Failures end in one ``failed`` event with a reason, a hint and a kind, and a non-zero exit."""
from __future__ import annotations

import json

import pytest

from conftest import run_in_process, run_trainer, toy_samples


def _assert_failed(run, code: int, kind: str) -> dict:
    assert run.returncode == code, run.tail()
    assert run.events and run.events[-1]["event"] == "failed", run.tail()
    failed = run.events[-1]
    assert failed["kind"] == kind and failed["reason"] and failed["hint"], failed
    assert [e["event"] for e in run.events].count("failed") == 1
    assert "completed" not in [e["event"] for e in run.events]
    return failed


def test_bad_dataset_line_is_named(tmp_path):  # a real subprocess: stdout holds only the event
    rows = [json.dumps(r) for r in toy_samples("qa", 6)]
    rows[3] = '{"input": "the output field is missing"}'
    dataset = tmp_path / "bad.jsonl"
    dataset.write_text("\n".join(rows) + "\n")
    run = run_trainer(["--task", "qa", "--dataset", str(dataset), "--base-model", "tiny-random-mistral"],
                      tmp_path / "out")
    failed = _assert_failed(run, 1, "dataset")
    assert failed["reason"].startswith("line 4:") and '"output"' in failed["reason"]
    assert "line 4" in failed["hint"]


def test_bad_flags_exit_2_with_an_event(tmp_path):
    run = run_in_process(["--task", "translation", "--dataset", "x.jsonl"], tmp_path / "out")
    assert "--task" in _assert_failed(run, 2, "usage")["reason"]
    run = run_in_process(["--task", "qa", "--dataset", "x.jsonl", "--model-alias", "no-equals-sign"], tmp_path / "o")
    _assert_failed(run, 2, "usage")


def test_qlora_without_gpu_is_a_clear_error(tmp_path, datasets):
    run = run_in_process(["--task", "qa", "--dataset", str(datasets["qa"]), "--base-model", "tiny-random-t5",
                       "--method", "qlora"], tmp_path / "out")
    failed = _assert_failed(run, 1, "qlora_unavailable")
    assert "GPU" in failed["reason"] and "--method lora" in failed["hint"]


@pytest.mark.parametrize("base, alias, expect", [
    ("mistral-7b", [], "mistralai/Mistral-7B-v0.1"),
    ("mine", ["--model-alias", "mine=some-org/some-model@v2"], "some-org/some-model@v2"),
])
def test_uncached_hub_model_offline_names_the_repo(tmp_path, datasets, base, alias, expect):
    run = run_in_process(["--task", "qa", "--dataset", str(datasets["qa"]), "--base-model", base, *alias],
                      tmp_path / "out")
    failed = _assert_failed(run, 1, "model_unavailable")
    assert expect in failed["reason"] and "HF_HOME" in failed["hint"]
