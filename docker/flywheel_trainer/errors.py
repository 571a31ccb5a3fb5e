"""Failures the trainer reports as a ``failed`` event: a one-line reason, a hint saying what to do
next, and a kind the daemon can match on without parsing English."""
from __future__ import annotations

import errno

from .data import DatasetError


# Process exit codes (documented in docker/README.md).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANCELLED = 0, 1, 2, 3


class TrainerError(Exception):
    def __init__(self, reason: str, hint: str, kind: str = "error"):
        super().__init__(reason)
        self.reason, self.hint, self.kind = reason, hint, kind


class Cancelled(Exception):
    """SIGTERM/SIGINT arrived; raised at a phase boundary outside the training loop."""


OOM_HINT = ("lower --batch-size or --max-length (raise --gradient-accumulation-steps to keep the "
            "effective batch), keep gradient checkpointing on, or use --method lora / qlora")


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def describe(exc: BaseException) -> tuple[str, str, str]:
    """Map an exception to (reason, hint, kind)."""
    reason, hint, kind = _describe(exc)
    context = getattr(exc, "flywheel_context", None)
    if context and kind not in ("gpu_oom", "qlora_unavailable", "no_gpu"):
        reason = f"{context}: {reason}"
    return reason, hint, kind


def _describe(exc: BaseException) -> tuple[str, str, str]:
    if isinstance(exc, TrainerError):
        return exc.reason, exc.hint, exc.kind
    if isinstance(exc, DatasetError):
        where = f"fix line {exc.line} of the dataset" if exc.line else "check the dataset path and contents"
        return str(exc), f"{where}; every line must be a JSON object with string \"input\" and \"output\"", "dataset"
    names = _names(exc)
    text = f"{type(exc).__name__}: {exc}".strip()
    first = text.splitlines()[0][:500] if text else type(exc).__name__
    if "OutOfMemoryError" in names or "CUDA out of memory" in str(exc):
        return "GPU out of memory", OOM_HINT, "gpu_oom"
    if "GatedRepoError" in names:
        return first, ("the base model is gated: accept its terms on the Hugging Face hub and pass "
                       "HF_TOKEN (a token of that account) to the trainer"), "gated_repo"
    if "RepositoryNotFoundError" in names:
        return first, ("check --base-model (or its --model-alias); a private repository also needs "
                       "HF_TOKEN"), "model_not_found"
    if "RevisionNotFoundError" in names:
        return first, "check the revision given with --revision or NAME=REPO@REVISION", "model_not_found"
    if "LocalEntryNotFoundError" in names or "OfflineModeIsEnabled" in names or (
        isinstance(exc, OSError) and ("offline" in str(exc).lower() or "couldn't connect" in str(exc).lower())
    ):
        return first, ("the base model is not in the local cache and the hub cannot be reached: mount a "
                       "model cache at HF_HOME (e.g. /cache/hf) or a local model folder, or allow "
                       "downloads (unset HF_HUB_OFFLINE)"), "model_unavailable"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return first, "the disk is full: free space in the output folder or the model cache", "disk_full"
    if isinstance(exc, PermissionError):
        return first, ("the trainer cannot write there: make the output folder and HF_HOME writable by "
                       "the container's user"), "permission"
    if isinstance(exc, OSError) and "is not a valid model identifier" in str(exc):
        return first, "check --base-model: a hub id like org/name, an alias, or a local model folder", "model_not_found"
    return first, "see the trainer's stderr for the traceback", "error"
