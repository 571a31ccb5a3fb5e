"""Shared fixtures for the trainer tests: offline environment, toy datasets, running finetune.py.

Real torch/transformers/peft on the CPU with tiny random models; nothing touches the network.
Each trainer run is a real subprocess of docker/finetune.py, cached per session by its arguments.
"""
from __future__ import annotations

import atexit
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKER_DIR = REPO / "docker"
FINETUNE = DOCKER_DIR / "finetune.py"

# Offline, quiet, deterministic: set before anything imports transformers.
_HF_HOME = tempfile.mkdtemp(prefix="flywheel-hf-home-")
atexit.register(shutil.rmtree, _HF_HOME, True)
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HOME": _HF_HOME,
    "TOKENIZERS_PARALLELISM": "false",
    "PYTHONUNBUFFERED": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "OMP_NUM_THREADS": "1",  # tiny models gain nothing from threads; the machine is shared
}
os.environ.update(OFFLINE_ENV)
os.environ.pop("HF_TOKEN", None)
sys.path.insert(0, str(DOCKER_DIR))

EVENTS = {"stage", "started", "progress", "eval", "checkpoint", "saved", "completed", "failed", "cancelled"}



def pytest_configure(config):
    # peft asks transformers a deprecated question while loading adapters; not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:.*is_gradient_checkpointing.*:FutureWarning")


# ---------------------------------------------------------------- toy data
NAMES = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"]
VERBS = {"bought": "positive", "found": "positive", "fixed": "positive",
         "sold": "negative", "lost": "negative", "broke": "negative"}
OBJECTS = ["a red car", "the old house", "a small boat", "two bikes", "the blue door", "a garden"]
FILLER = ["The weather was mild that day.", "Nobody expected it.", "Later they went home.",
          "It took a while.", "Everyone agreed it was fine.", "The shop closed early."]


def toy_samples(task: str, n: int, seed: int = 0) -> list[dict]:
    """Learnable toy tasks: summary = first sentence; label = sentiment of the verb; answer = name."""
    r = random.Random(seed)
    out = []
    for i in range(n):
        name, verb, obj = r.choice(NAMES), r.choice(list(VERBS)), r.choice(OBJECTS)
        rest = " ".join(r.sample(FILLER, 2))
        first = f"{name} {verb} {obj} on day {i}."
        if task == "summarization":
            out.append({"input": f"{first} {rest}", "output": first})
        elif task == "classification":
            out.append({"input": f"{first} {rest}", "output": VERBS[verb]})
        else:
            out.append({"input": f"Context: {first} {rest}\nQuestion: Who {verb} {obj}?", "output": name})
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# ---------------------------------------------------------------- running the trainer
@dataclass
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    output_dir: Path
    events: list[dict] = field(default_factory=list)

    def of(self, kind: str) -> list[dict]:
        return [e for e in self.events if e["event"] == kind]

    def one(self, kind: str) -> dict:
        found = self.of(kind)
        assert len(found) == 1, f"expected one {kind} event, got {len(found)}: {self.tail()}"
        return found[0]

    def tail(self) -> str:
        return f"rc={self.returncode}\nstdout:\n{self.stdout[-3000:]}\nstderr:\n{self.stderr[-3000:]}"


def parse_events(stdout: str) -> list[dict]:
    """Every stdout line must be one JSON object with a known ``event``: nothing else may leak there."""
    events = []
    for number, line in enumerate(stdout.splitlines(), 1):
        obj = json.loads(line)  # raises on any non-JSON line
        assert isinstance(obj, dict) and obj.get("event") in EVENTS, f"stdout line {number}: {line!r}"
        events.append(obj)
    return events


def trainer_command(args: list[str]) -> list[str]:
    return [sys.executable, str(FINETUNE), *args]


def run_trainer(args: list[str], output_dir: Path, timeout: float = 240, env: dict | None = None) -> Run:
    proc = subprocess.run(
        trainer_command([*args, "--output-dir", str(output_dir)]), capture_output=True, text=True,
        timeout=timeout, env={**os.environ, **(env or {})}, cwd=str(DOCKER_DIR),
    )
    run = Run(args, proc.returncode, proc.stdout, proc.stderr, output_dir)
    run.events = parse_events(proc.stdout)
    return run


def run_in_process(args: list[str], output_dir: Path) -> Run:
    """The same CLI (flags, events, exit code) without a new interpreter: saves the ~4 s import of
    torch/transformers per run. Subprocess runs still cover the real stdout and signals."""
    from flywheel_trainer.cli import main

    stream = io.StringIO()
    full = [*args, "--output-dir", str(output_dir)]
    code = main(full, events_stream=stream)
    run = Run(full, code, stream.getvalue(), "(in-process: see captured stderr)", output_dir)
    run.events = parse_events(run.stdout)
    return run


@pytest.fixture(scope="session")
def session_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("trainer")


@pytest.fixture(scope="session")
def datasets(session_dir) -> dict[str, Path]:
    sizes = {"summarization": 64, "classification": 80, "qa": 64}
    return {task: write_jsonl(session_dir / f"{task}.jsonl", toy_samples(task, n, seed=1))
            for task, n in sizes.items()}


@pytest.fixture(scope="session")
def tiny_bases(session_dir, datasets) -> dict[str, Path]:
    """tiny-random-mistral and tiny-random-t5 built once per session into local folders, used as
    a local ``--base-model`` path (the path a downloaded model takes) and for loading tests."""
    from flywheel_trainer.data import render_prompt
    from flywheel_trainer.tiny_models import TINY_MODELS, build_tiny_model

    texts = []
    for task, path in datasets.items():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts += [render_prompt(task, False, row["input"]), render_prompt(task, True, row["input"]),
                      row["output"]]
    return {name: Path(build_tiny_model(name, texts, str(session_dir / "bases" / name), seed=7))
            for name in TINY_MODELS}


@pytest.fixture(scope="session")
def trainer_runs(session_dir):
    """Run the trainer once per distinct argument list in a session; later calls reuse the result."""
    cache: dict[tuple, Run] = {}

    def get(name: str, args: list[str]) -> Run:
        key = (name, tuple(args))
        if key not in cache:
            cache[key] = run_in_process(args, session_dir / "runs" / name)
        return cache[key]

    return get
