"""Running as one of N data-parallel processes under torchrun (see launch.py).

Every rank trains; only rank 0 prints events and writes files (checkpoints, reports, the model).
A worker knows it is one by FLYWHEEL_WORKER=1, which only the launcher sets.
"""
from __future__ import annotations

import importlib.util
import os

from .errors import TrainerError

WORKER_ENV = "FLYWHEEL_WORKER"
RESULT_DIR_ENV = "FLYWHEEL_RESULT_DIR"  # where each rank leaves its exit code and final event
CHECKPOINT_LAYOUT = "flywheel_processes.json"  # in checkpoints/: how many processes wrote them


def is_worker() -> bool:
    return os.environ.get(WORKER_ENV) == "1"


def rank() -> int:
    return int(os.environ.get("RANK", "0")) if is_worker() else 0


def world_size() -> int:
    return int(os.environ.get("WORLD_SIZE", "1")) if is_worker() else 1


def is_main() -> bool:
    return rank() == 0


def resolve_processes(value: int | str) -> int:
    """``auto``: one process per visible GPU (1 without a GPU)."""
    if value != "auto":
        return int(value)
    import torch

    return max(1, torch.cuda.device_count()) if torch.cuda.is_available() else 1


def check_strategy(strategy: str) -> None:
    if strategy == "zero3" and importlib.util.find_spec("deepspeed") is None:
        raise TrainerError("strategy zero3 needs DeepSpeed, which is not installed",
                           "install it in the trainer's environment (pip install deepspeed) or use strategy "
                           "ddp or fsdp (finetuning.distributed.strategy)", "missing_dependency")


def init_process_group() -> None:
    """Joined before anything else so ranks can wait for each other (e.g. for the tiny base model)."""
    import torch
    import torch.distributed as dist

    if not is_worker() or dist.is_initialized():
        return
    backend = "cpu:gloo,cuda:nccl" if torch.cuda.is_available() else "gloo"
    if torch.cuda.is_available():
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
    dist.init_process_group(backend=backend)


def barrier() -> None:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()


def any_rank(flag: bool) -> bool:
    """True on every rank when it is true on one: a cancel must stop all ranks at the same step."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return flag
    t = torch.tensor([1 if flag else 0], dtype=torch.int32)
    if dist.get_backend() == "nccl":
        t = t.cuda()
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def check_checkpoint_layout(checkpoints_dir: str, processes: int) -> None:
    """Resuming needs the process count the checkpoint was written with (per-rank RNG and data order)."""
    import json

    path = os.path.join(checkpoints_dir, CHECKPOINT_LAYOUT)
    try:
        with open(path, encoding="utf-8") as f:
            before = int(json.load(f)["processes"])
    except (OSError, ValueError, KeyError, TypeError):
        before = None
    if before is not None and before != processes and any(n.startswith("checkpoint-") for n in os.listdir(checkpoints_dir)):
        raise TrainerError(
            f"the checkpoint to resume from was written by {before} processes, and this run has {processes}",
            f"resume with {before} processes (finetuning.distributed.processes: {before}), or start a fresh run",
            "usage")
    if is_main():
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"processes": processes}, f)
