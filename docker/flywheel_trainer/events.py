"""JSON-lines events on stdout: the trainer's only output channel to the daemon.

One JSON object a line, flushed at once. Every object has ``event`` and ``time`` (Unix seconds).

  {"event":"stage","stage":"loading_data"|"loading_model"|"evaluating"|"training"|"saving"|"merging"}
  {"event":"started","total_steps","train_samples","eval_samples","device","base_model",
   "method","task","resumed_from","trainable_params","total_params","run_id"}
  {"event":"progress","step","total_steps","epoch","loss","learning_rate","tokens_per_second",
   "grad_norm","eta_seconds"}
  {"event":"eval","phase":"before"|"after","metrics":{"eval_loss",...}}
  {"event":"checkpoint","step","path"}
  {"event":"saved","path","kind":"merged"|"full"|"adapter"}
  {"event":"completed","metrics":{...},"output_dir"}
  {"event":"failed","reason","hint","kind"}
  {"event":"cancelled","step","checkpoint"}

Anything that is not an event goes to stderr (``redirect_stdout_to_stderr``).

The daemon reads these with one schema, daemon/runs/runners/trainerEvents.ts (strict: a new field
is added there too); test/e2e/trainerEvents.test.ts checks this trainer's output against it.
"""
from __future__ import annotations

import json
import math
import os
import sys
import threading
import time
from typing import Any, TextIO


def _clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN/inf become null, tensors and numpy scalars become numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if value is None or isinstance(value, (str, int, bool)):
        return value
    item = getattr(value, "item", None)
    if callable(item):
        try:
            return _clean(item())
        except (TypeError, ValueError, RuntimeError):
            pass
    return str(value)


class Events:
    """Writes events to a text stream, one flushed JSON line each; thread-safe."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._lock = threading.Lock()
        self.last_final: dict | None = None  # the last completed/failed/cancelled, for the launcher

    def emit(self, event: str, **fields: Any) -> dict:
        record = {"event": event, "time": round(time.time(), 3)}
        record.update(_clean(fields))
        line = json.dumps(record, ensure_ascii=False, allow_nan=False)
        if event in ("completed", "failed", "cancelled"):
            self.last_final = record
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()
        return record


def redirect_stdout_to_stderr() -> TextIO:
    """Keep the real stdout for events only; point fd 1 and ``sys.stdout`` at stderr.

    Libraries that print (Trainer's PrinterCallback, warnings written with print, C extensions)
    then land on stderr and never corrupt the event stream. Returns the event stream.
    """
    sys.stdout.flush()
    events_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(events_fd, "w", encoding="utf-8", buffering=1)
