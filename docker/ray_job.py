#!/usr/bin/env python3
"""A training run as a Ray job: what the daemon's Ray runner submits (daemon/runs/runners/ray/).

    python ray_job.py --workers 2|auto --gpus auto|none -- <finetune.py flags>

The job reserves one bundle per worker (1 CPU, or 1 GPU) in a placement group spread over the
cluster's nodes, and starts finetune.py once per worker as one rank of a torch.distributed run:
the same trainer, in the same worker mode torchrun gives it on one host (FLYWHEEL_WORKER, RANK,
WORLD_SIZE, MASTER_ADDR, ...). Rank 0's events are relayed to this job's stdout, which the daemon
reads through the job's logs; rank 0 writes the model to --output-dir.

A job stop (the daemon's cancel) is passed to every rank as SIGTERM: they checkpoint and stop.
When a worker or its node dies, the others are stopped and the job ends with a ``failed`` event
naming the worker and its node. Exit codes are the trainer's (0 ok, 1 failed, 2 usage, 3 cancelled).
"""
from __future__ import annotations

import argparse
import collections
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flywheel_trainer.distributed import WORKER_ENV  # noqa: E402
from flywheel_trainer.errors import EXIT_CANCELLED, EXIT_FAILED, EXIT_USAGE  # noqa: E402
from flywheel_trainer.events import Events  # noqa: E402

FINETUNE = "finetune.py"  # in the job's working directory, on every node
PR_SET_PDEATHSIG = 1
STOP_GRACE_S = 120.0  # a cancelled rank's time to write its checkpoint before it is killed


def _die_with_parent() -> None:
    """The trainer must not outlive its Ray worker (a killed node, a force-stopped job)."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _rank_actor(ray):
    @ray.remote(max_concurrency=3)
    class Rank:
        """One trainer process on the node Ray placed this worker on."""

        def __init__(self):
            self.proc: subprocess.Popen | None = None
            self.lines: collections.deque[str] = collections.deque()

        def where(self) -> tuple[str, str, int]:
            """This node's id and address, and a free port on it (rank 0's are the rendezvous)."""
            node_id = ray.get_runtime_context().get_node_id()
            ip = next(n["NodeManagerAddress"] for n in ray.nodes() if n["NodeID"] == node_id)
            with socket.socket() as s:
                s.bind((ip, 0))
                return node_id, ip, s.getsockname()[1]

        def run(self, argv: list[str], env: dict[str, str]) -> int:
            self.proc = subprocess.Popen([sys.executable, FINETUNE, *argv], env={**os.environ, **env},
                                         stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
            return self.proc.wait()

        def take_lines(self) -> list[str]:
            out = []
            while self.lines:
                out.append(self.lines.popleft())
            return out

        def stop(self, kill: bool) -> None:
            if self.proc and self.proc.poll() is None:
                self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)

    return Rank


def _parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--workers", default="auto",
                   help="trainer processes over the cluster: a count, or auto (one per GPU, else one per node)")
    p.add_argument("--gpus", choices=("auto", "none"), default="auto",
                   help="auto: one GPU per worker when the cluster has GPUs; none: CPU workers")
    p.add_argument("trainer_args", nargs=argparse.REMAINDER, help="-- then finetune.py's flags")
    ns = p.parse_args(argv)
    if ns.trainer_args[:1] == ["--"]:
        ns.trainer_args = ns.trainer_args[1:]
    return ns


def _rank_envs(places: list[tuple[str, str, int]]) -> list[dict[str, str]]:
    """torchrun's variables for each rank: its place among all ranks and among its node's."""
    _, master_ip, master_port = places[0]
    nodes = list(dict.fromkeys(node for node, _, _ in places))
    envs = []
    for rank, (node, _, _) in enumerate(places):
        same_node = [r for r, (other, _, _) in enumerate(places) if other == node]
        envs.append({
            WORKER_ENV: "1", "RANK": str(rank), "WORLD_SIZE": str(len(places)),
            "LOCAL_RANK": str(same_node.index(rank)), "LOCAL_WORLD_SIZE": str(len(same_node)),
            "GROUP_RANK": str(nodes.index(node)), "MASTER_ADDR": master_ip, "MASTER_PORT": str(master_port),
            # gloo finds its interface by the host's name unless told; loopback clusters use lo.
            **({"GLOO_SOCKET_IFNAME": "lo"} if master_ip.startswith("127.") else {}),
            "PYTHONUNBUFFERED": "1",
        })
    return envs


def main(argv: list[str]) -> int:
    events = Events(sys.stdout)
    try:
        ns = _parse(argv)
    except SystemExit as e:
        if e.code:
            events.emit("failed", reason="bad arguments to ray_job.py", hint="see ray_job.py --help", kind="usage")
            return EXIT_USAGE
        return 0
    import ray
    from ray.exceptions import RayActorError, RayError
    from ray.util.placement_group import placement_group
    from ray.util.scheduling_strategies import PlacementGroupSchedulingStrategy

    ray.init(log_to_driver=True)
    # After ray.init, which installs its own SIGTERM handler (a stack dump and exit): a job stop
    # must reach the ranks as a cancel instead.
    stop_requested = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_requested.set())
    signal.signal(signal.SIGINT, lambda *_: stop_requested.set())
    gpus = ray.cluster_resources().get("GPU", 0) if ns.gpus == "auto" else 0
    alive = sum(1 for n in ray.nodes() if n["Alive"])
    workers = int(ns.workers) if ns.workers != "auto" else int(gpus) or alive
    bundle = {"GPU": 1} if gpus else {"CPU": 1}
    pg = placement_group([bundle] * workers, strategy="SPREAD")
    print(f"[ray_job] waiting for {workers} workers of {bundle} on the cluster", file=sys.stderr, flush=True)
    waited = 0.0
    while not stop_requested.is_set():
        ready, _ = ray.wait([pg.ready()], timeout=5)
        if ready:
            break
        waited += 5
        if waited % 30 == 0:
            print(f"[ray_job] still waiting for {workers} workers ({waited:.0f} s): the cluster has "
                  f"{ray.available_resources()}", file=sys.stderr, flush=True)
    if stop_requested.is_set():
        events.emit("cancelled", step=None, checkpoint=None, signal="SIGTERM")
        return EXIT_CANCELLED

    Rank = _rank_actor(ray)
    ranks = [Rank.options(num_cpus=0 if gpus else 1, num_gpus=1 if gpus else 0,
                          scheduling_strategy=PlacementGroupSchedulingStrategy(pg, placement_group_bundle_index=i)).remote()
             for i in range(workers)]
    places = ray.get([r.where.remote() for r in ranks])
    print(f"[ray_job] {workers} ranks on {len({p[0] for p in places})} nodes; rendezvous {places[0][1]}:{places[0][2]}",
          file=sys.stderr, flush=True)
    runs = [r.run.remote(ns.trainer_args, env) for r, env in zip(ranks, _rank_envs(places))]

    def relay() -> None:
        try:
            for line in ray.get(ranks[0].take_lines.remote(), timeout=30):
                print(line, flush=True)
        except RayError:
            pass

    codes: dict[int, int] = {}
    stop_sent = 0.0
    while len(codes) < len(runs):
        relay()
        if stop_requested.is_set() and not stop_sent:
            stop_sent = time.monotonic()
            for r in ranks:
                r.stop.remote(False)
        if stop_sent and time.monotonic() - stop_sent > STOP_GRACE_S:
            for r in ranks:
                r.stop.remote(True)
        done, _ = ray.wait([runs[i] for i in range(len(runs)) if i not in codes], timeout=0.5)
        for ref in done:
            i = runs.index(ref)
            try:
                codes[i] = ray.get(ref)
            except RayError as e:
                return _worker_lost(ray, events, ranks, i, places[i][1], e, isinstance(e, RayActorError), relay)
    relay()
    return codes[0] if codes[0] != 0 or all(c == 0 for c in codes.values()) else EXIT_FAILED


def _worker_lost(ray, events: Events, ranks, i: int, ip: str, error: Exception, died: bool, relay) -> int:
    """A rank's worker (or its node) is gone: stop the others, then say why, last."""
    for r in ranks:
        try:
            r.stop.remote(True)
        except Exception:  # noqa: BLE001 - a dead actor cannot be asked anything
            pass
    relay()
    what = "died (its node left the cluster or the process was killed)" if died else "failed"
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    events.emit("failed", reason=f"Ray worker {i} of {len(ranks)} on node {ip} {what}: {first_line}",
                hint="check the cluster's nodes (ray status), then start the run again (finetune run)",
                kind="worker_lost")
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
