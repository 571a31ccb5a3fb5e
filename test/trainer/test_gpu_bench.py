"""npm run bench:gpu, the parts that run without a GPU: the no-GPU exit, the Mistral-7B shape and its
FLOP count, the GPU peak table, and the model/tokenizer building + trainer run at a tiny shape."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "test" / "bench"))
import gpu_bench  # noqa: E402
from flywheel_trainer.report import PEAK_ENV, peak_bf16_flops  # noqa: E402

GPU_SH = REPO / "test" / "bench" / "gpu.sh"


@pytest.mark.parametrize("fake", ["exit 9", "true"], ids=["driver-fails", "lists-no-gpu"])
def test_without_a_gpu_it_says_so_and_exits_0(tmp_path, fake):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "nvidia-smi").write_text(f"#!/bin/sh\n{fake}\n")
    (bin_dir / "nvidia-smi").chmod(0o755)
    venv = tmp_path / "venv"
    proc = subprocess.run(["bash", str(GPU_SH)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "BENCH_GPU_VENV": str(venv)})
    assert proc.returncode == 0, proc.stderr
    assert "no NVIDIA GPU" in proc.stdout
    assert not venv.exists()  # nothing installed


def test_package_json_runs_it():
    scripts = json.loads((REPO / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert scripts["bench:gpu"] == "bash test/bench/gpu.sh"


def test_mistral_7b_shape_and_parameter_count():
    """The analytic count is Mistral-7B-v0.1's published size and that of the model the config builds."""
    import torch
    from transformers import MistralConfig, MistralForCausalLM

    assert gpu_bench.total_params(gpu_bench.MISTRAL_7B) == 7_241_732_096
    with torch.device("meta"):  # no memory: shapes only
        model = MistralForCausalLM(MistralConfig(**gpu_bench.MISTRAL_7B))
    assert sum(p.numel() for p in model.parameters()) == 7_241_732_096
    embeddings = model.get_input_embeddings().weight.numel()
    norms = sum(p.numel() for n, p in model.named_parameters() if "norm" in n)
    assert gpu_bench.matmul_params(gpu_bench.MISTRAL_7B) == 7_241_732_096 - embeddings - norms


def test_flops_per_token():
    shape = gpu_bench.MISTRAL_7B
    n = gpu_bench.matmul_params(shape)
    attention = 4 * 32 * 4096 * (511 + 1) / 2
    assert gpu_bench.flops_per_token(shape, "full", 511) == 3 * (2 * n + attention)
    assert gpu_bench.flops_per_token(shape, "lora", 511) == 2 * (2 * n + attention)
    assert gpu_bench.flops_per_token(shape, "qlora", 511) == gpu_bench.flops_per_token(shape, "lora", 511)
    assert 2.8e10 < gpu_bench.flops_per_token(shape, "lora", 511) < 3.0e10  # ~4 x 7.1 B + attention


def test_gpu_peak_table_and_override(monkeypatch):
    monkeypatch.delenv(PEAK_ENV, raising=False)
    assert peak_bf16_flops("NVIDIA H200") == 989e12
    assert peak_bf16_flops("NVIDIA H100 PCIe") == 756e12
    assert peak_bf16_flops("NVIDIA A100-SXM4-80GB") == 312e12
    assert peak_bf16_flops("NVIDIA L4") == 121e12
    assert peak_bf16_flops("Some Future GPU") is None and peak_bf16_flops(None) is None
    monkeypatch.setenv(PEAK_ENV, "500")
    assert peak_bf16_flops("Some Future GPU") == 500e12
    assert gpu_bench.mfu(1000.0, 1e9, "Some Future GPU") == pytest.approx(1000 * 1e9 / 500e12)
    monkeypatch.setenv(PEAK_ENV, "fast")  # ignored with a message, the table still answers
    assert peak_bf16_flops("NVIDIA H200") == 989e12


def test_tiny_shape_builds_offline_and_trains_with_the_real_trainer(tmp_path):
    """The bench's own path (samples, offline tokenizer, random model folder, trainer run, numbers)
    at the tiny shape on the CPU."""
    rows = gpu_bench.make_samples(8, seed=1)
    dataset = tmp_path / "samples.jsonl"
    dataset.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    base = gpu_bench.build_base(gpu_bench.TINY_SHAPE, tmp_path / "base", [r["input"] for r in rows], "cpu")

    from transformers import AutoConfig, AutoTokenizer

    config, tok = AutoConfig.from_pretrained(base), AutoTokenizer.from_pretrained(base)
    assert config.hidden_size == 64 and config.num_key_value_heads == 1
    ids = tok(rows[0]["input"])["input_ids"]
    assert max(ids) < config.vocab_size and tok.decode(ids, skip_special_tokens=True) == rows[0]["input"]

    events, metrics = gpu_bench.run_trainer(base, dataset, tmp_path / "out", "lora", steps=4, batch_size=2,
                                            max_length=256)
    assert metrics["steps"] == 4 and metrics["kernels"]["packing"] is True
    steady = gpu_bench.steady_numbers(events, warmup=1)
    assert steady["measured_steps"] == 3 and steady["tokens_per_second"] > 0 and steady["step_seconds"] > 0
