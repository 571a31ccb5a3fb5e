"""docker/ray_job.py without a cluster: the torchrun variables each rank gets, and bad arguments.

The job itself runs against a real Ray cluster in test/ray (the daemon's Ray runner).
"""
from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout

from conftest import DOCKER_DIR

sys.path.insert(0, str(DOCKER_DIR))
import ray_job  # noqa: E402


def test_each_rank_knows_its_place_overall_and_on_its_node():
    # Ranks 0 and 2 share node a; rank 1 is alone on node b. Rank 0's node is the rendezvous.
    places = [("a", "10.0.0.1", 29500), ("b", "10.0.0.2", 41000), ("a", "10.0.0.1", 41001)]
    envs = ray_job._rank_envs(places)
    assert [e["RANK"] for e in envs] == ["0", "1", "2"]
    assert {e["WORLD_SIZE"] for e in envs} == {"3"}
    assert [e["LOCAL_RANK"] for e in envs] == ["0", "0", "1"]
    assert [e["LOCAL_WORLD_SIZE"] for e in envs] == ["2", "1", "2"]
    assert [e["GROUP_RANK"] for e in envs] == ["0", "1", "0"]
    assert {(e["MASTER_ADDR"], e["MASTER_PORT"]) for e in envs} == {("10.0.0.1", "29500")}
    assert {e["FLYWHEEL_WORKER"] for e in envs} == {"1"}, "finetune.py runs as one rank, not as a launcher"
    assert all("GLOO_SOCKET_IFNAME" not in e for e in envs), "a real network: gloo finds its interface"


def test_a_loopback_rendezvous_pins_gloo_to_lo():
    envs = ray_job._rank_envs([("a", "127.0.0.1", 29500), ("b", "127.0.0.1", 29501)])
    assert {e["GLOO_SOCKET_IFNAME"] for e in envs} == {"lo"}


def test_bad_arguments_end_in_a_usage_failure_event_before_any_cluster():
    out = io.StringIO()
    with redirect_stdout(out):
        code = ray_job.main(["--gpus", "some"])
    assert code == 2
    event = json.loads(out.getvalue().strip().splitlines()[-1])
    assert event["event"] == "failed" and event["kind"] == "usage"
