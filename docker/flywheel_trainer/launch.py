"""More than one process: finetune.py starts itself N times under torchrun and speaks for them.

The launcher keeps the trainer's contract whatever happens to the ranks: rank 0's events reach
stdout as they are; a SIGTERM is passed on once (torchrun stops every rank, which checkpoint and
exit); and the exit code is the trainer's (0, 1, 2, 3), not torchrun's. When a rank other than 0
fails, its ``failed`` event is the run's. torchrun runs in its own session, so a signal to the
launcher's process group reaches torchrun only through the launcher.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

from .checkpoints import last_checkpoint
from .distributed import RESULT_DIR_ENV, WORKER_ENV
from .errors import EXIT_CANCELLED, EXIT_FAILED, EXIT_OK
from .events import Events

FINETUNE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "finetune.py")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def torchrun_command(processes: int, argv: list[str]) -> list[str]:
    # One node over loopback, not --standalone: that names the host, which a container without a
    # network (offline runs) cannot resolve.
    return [sys.executable, "-m", "torch.distributed.run", "--nnodes=1", f"--nproc-per-node={processes}",
            "--master-addr=127.0.0.1", f"--master-port={_free_port()}", FINETUNE, *argv]


def _rank_results(folder: str, processes: int) -> list[dict]:
    out = []
    for r in range(processes):
        try:
            with open(os.path.join(folder, f"rank{r}.json"), encoding="utf-8") as f:
                out.append(json.load(f))
        except (OSError, ValueError):
            out.append({"code": None, "final": None})
    return out


def launch(argv: list[str], processes: int, output_dir: str, events: Events, events_fd: int) -> int:
    results = tempfile.mkdtemp(prefix="flywheel-ranks-")
    # gloo picks its interface by the host's name unless told: loopback, as for the rendezvous.
    env = {"GLOO_SOCKET_IFNAME": "lo", **os.environ, WORKER_ENV: "1", RESULT_DIR_ENV: results}
    stopped: list[str] = []
    child = subprocess.Popen(torchrun_command(processes, argv), env=env, stdout=events_fd, stderr=sys.stderr,
                             start_new_session=True)

    def forward(signum, _frame):
        if not stopped:  # once: a second SIGTERM would cut torchrun's own graceful stop short
            stopped.append(signal.Signals(signum).name)
            child.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = child.wait()
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
    ranks = _rank_results(results, processes)
    shutil.rmtree(results, ignore_errors=True)
    main = ranks[0]
    if code == 0 and main["code"] == EXIT_OK:
        return EXIT_OK
    if stopped:
        if (main.get("final") or {}).get("event") != "cancelled":
            step, checkpoint = last_checkpoint(os.path.join(output_dir, "checkpoints"))
            events.emit("cancelled", step=step, checkpoint=checkpoint, signal=stopped[0])
        return EXIT_CANCELLED
    # Not asked to stop: a rank failed, and torchrun stopped the others (rank 0 may say "cancelled").
    # The first failure is the cause; the others are often only "connection closed by peer".
    failed = sorted(((r, res) for r, res in enumerate(ranks) if (res.get("final") or {}).get("event") == "failed"),
                    key=lambda item: item[1]["final"].get("time", 0))
    if failed:
        r, result = failed[0]
        final = result["final"]
        reason = final.get("reason", "failed") if r == 0 else f"process {r} of {processes}: {final.get('reason')}"
        events.emit("failed", reason=reason, hint=final.get("hint"), kind=final.get("kind", "error"))
        return result.get("code") or EXIT_FAILED
    lost = [r for r, result in enumerate(ranks) if result.get("code") is None]
    events.emit("failed", reason=f"training process {lost[0] if lost else '?'} of {processes} died "
                                 f"(torchrun exit code {code})",
                hint="see the trainer's stderr; a process killed without a word is often out of memory "
                     "(lower batch_size or max_length, or use fewer processes)", kind="error")
    return EXIT_FAILED
