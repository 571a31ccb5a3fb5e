"""Command-line entry: parse flags, run, and turn every outcome into one final event + exit code.

Exit codes: 0 completed; 1 failed (a ``failed`` event says why); 2 bad command-line flags (also
a ``failed`` event, kind "usage"); 3 cancelled by SIGTERM/SIGINT (``cancelled`` event; a
checkpoint is kept in OUTPUT_DIR/checkpoints when training had started, ``--resume`` continues).
"""
from __future__ import annotations

import os
import sys
import traceback

from .args import UsageError, parse_args
from .cancel import CancelFlag
from .checkpoints import last_checkpoint
from .errors import EXIT_CANCELLED, EXIT_FAILED, EXIT_USAGE, Cancelled, describe
from .events import Events, redirect_stdout_to_stderr


def _quiet_libraries() -> None:
    import warnings

    warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_warning()
        hf_logging.disable_progress_bar()
    except ImportError:
        pass


def main(argv: list[str] | None = None, events_stream=None) -> int:
    if events_stream is None:
        events_stream = redirect_stdout_to_stderr()
    events = Events(events_stream)
    cancel = CancelFlag()
    cancel.install()
    try:
        return _main(argv, events, cancel)
    finally:
        cancel.uninstall()


def _main(argv: list[str] | None, events: Events, cancel: CancelFlag) -> int:
    try:
        cfg = parse_args(argv)
    except UsageError as e:
        events.emit("failed", reason=f"bad arguments: {e}", hint="run finetune.py --help", kind="usage")
        return EXIT_USAGE
    except SystemExit as e:  # --help
        return int(e.code or 0)
    try:
        _quiet_libraries()
        from .train import run

        return run(cfg, events, cancel)
    except Cancelled:
        step, checkpoint = last_checkpoint(os.path.join(cfg.output_dir, "checkpoints"))
        events.emit("cancelled", step=step, checkpoint=checkpoint, signal=cancel.signal)
        return EXIT_CANCELLED
    except BaseException as e:  # noqa: BLE001 - every failure must end in a failed event
        traceback.print_exc(file=sys.stderr)
        reason, hint, kind = describe(e)
        events.emit("failed", reason=reason, hint=hint, kind=kind)
        return EXIT_FAILED
