"""Choosing the checkpoint to resume from."""
import os
import stat

from flywheel_trainer.checkpoints import last_checkpoint, make_readable


def test_newest_complete_checkpoint_wins(tmp_path):
    assert last_checkpoint(str(tmp_path / "missing")) == (None, None)
    for step, complete in ((5, True), (10, True), (15, False)):  # 15 was cut short by a hard kill
        d = tmp_path / f"checkpoint-{step}"
        d.mkdir()
        if complete:
            (d / "trainer_state.json").write_text("{}")
    (tmp_path / "checkpoint-x").mkdir()
    (tmp_path / "before_metrics.json").write_text("{}")
    assert last_checkpoint(str(tmp_path)) == (10, str(tmp_path / "checkpoint-10"))


def test_make_readable(tmp_path):
    f = tmp_path / "sub" / "model.safetensors"
    f.parent.mkdir()
    f.write_bytes(b"x")
    os.chmod(f, 0o600)
    os.chmod(f.parent, 0o700)
    make_readable(str(tmp_path))
    assert stat.S_IMODE(os.stat(f).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(f.parent).st_mode) == 0o755
