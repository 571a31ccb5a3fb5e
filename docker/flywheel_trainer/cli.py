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
from . import distributed
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
    if argv is None:
        argv = sys.argv[1:]
    if events_stream is None:
        events_stream = redirect_stdout_to_stderr()
    if not distributed.is_main():  # only rank 0 speaks; the others' ends reach the launcher by file
        events_stream = open(os.devnull, "w", encoding="utf-8")
    events = Events(events_stream)
    cancel = CancelFlag()
    cancel.install()
    code = EXIT_FAILED
    try:
        code = _main(argv, events, cancel, events_stream)
        return code
    finally:
        cancel.uninstall()
        _leave_result(code, events)


def _leave_result(code: int, events: Events) -> None:
    folder = os.environ.get(distributed.RESULT_DIR_ENV)
    if distributed.is_worker() and folder:
        import json

        with open(os.path.join(folder, f"rank{distributed.rank()}.json"), "w", encoding="utf-8") as f:
            json.dump({"code": code, "final": events.last_final}, f)


def _main(argv: list[str], events: Events, cancel: CancelFlag, events_stream) -> int:
    try:
        cfg = parse_args(argv)
    except UsageError as e:
        events.emit("failed", reason=f"bad arguments: {e}", hint="run finetune.py --help", kind="usage")
        return EXIT_USAGE
    except SystemExit as e:  # --help
        return int(e.code or 0)
    try:
        _quiet_libraries()
        distributed.check_strategy(cfg.strategy)
        processes = distributed.resolve_processes(cfg.processes)
        if processes > 1 and not distributed.is_worker():
            from .launch import launch

            cancel.uninstall()  # the launcher passes signals on to torchrun instead
            return launch(argv, processes, cfg.output_dir, events, events_stream.fileno())
        cfg.processes = distributed.world_size()
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
