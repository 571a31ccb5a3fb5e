"""Finding the checkpoint to resume from, and making saved files readable outside the container."""
from __future__ import annotations

import os
import stat

STATE_FILE = "trainer_state.json"  # the Trainer writes it last, so its presence means complete


def last_checkpoint(folder: str) -> tuple[int | None, str | None]:
    """(step, path) of the newest complete ``checkpoint-N`` in ``folder``, or (None, None).

    A checkpoint cut short by a hard kill has no trainer_state.json and is skipped, so the one
    before it (the Trainer keeps two) is used.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return None, None
    steps = sorted((int(n.split("-", 1)[1]) for n in names
                    if n.startswith("checkpoint-") and n.split("-", 1)[1].isdigit()), reverse=True)
    for step in steps:
        path = os.path.join(folder, f"checkpoint-{step}")
        if os.path.isfile(os.path.join(path, STATE_FILE)):
            return step, path
    return None, None


def make_readable(folder: str) -> None:
    """Some writers create 0600 files; the daemon may read them as another uid than the container's."""
    for root, dirs, files in os.walk(folder):
        for name in files + dirs:
            path = os.path.join(root, name)
            try:
                mode = os.stat(path, follow_symlinks=False).st_mode
                if stat.S_ISLNK(mode):
                    continue
                extra = stat.S_IRGRP | stat.S_IROTH | ((stat.S_IXGRP | stat.S_IXOTH) if stat.S_ISDIR(mode) else 0)
                os.chmod(path, stat.S_IMODE(mode) | extra)
            except OSError:
                pass
