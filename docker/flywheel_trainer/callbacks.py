"""Trainer callbacks: progress events, cancel on SIGTERM, periodic checkpoints."""
from __future__ import annotations

import os
import time

from transformers import TrainerCallback

from .cancel import CancelFlag
from .distributed import any_rank
from .events import Events


class EventCallback(TrainerCallback):
    """Emits ``progress`` and ``checkpoint`` events and turns a cancel request into save + stop."""

    def __init__(self, events: Events, cancel: CancelFlag, checkpoint_interval_s: float = 1800.0):
        self.events = events
        self.cancel = cancel
        self.checkpoint_interval_s = checkpoint_interval_s
        self.cancelled_at_step: int | None = None
        self._t0 = self._last_t = self._last_save_t = time.monotonic()
        self._tokens0 = self._last_tokens = 0
        self._step0 = 0

    def on_train_begin(self, args, state, control, **kwargs):
        now = time.monotonic()
        self._t0 = self._last_t = self._last_save_t = now
        self._tokens0 = self._last_tokens = int(state.num_input_tokens_seen or 0)
        self._step0 = state.global_step  # > 0 when resumed

    def on_step_end(self, args, state, control, **kwargs):
        # Every rank asks every step, so all of them stop (and save) at the same one.
        if any_rank(self.cancel.requested) and self.cancelled_at_step is None:
            self.cancelled_at_step = state.global_step
            control.should_save = True
            control.should_training_stop = True
        elif time.monotonic() - self._last_save_t > self.checkpoint_interval_s:
            control.should_save = True
        return control

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or "loss" not in logs:
            return
        now = time.monotonic()
        tokens = int(state.num_input_tokens_seen or 0)
        dt = now - self._last_t
        tps = (tokens - self._last_tokens) / dt if dt > 0 and tokens > self._last_tokens else None
        self._last_t, self._last_tokens = now, tokens
        done = state.global_step - self._step0
        eta = (now - self._t0) / done * (state.max_steps - state.global_step) if done > 0 else None
        self.events.emit(
            "progress",
            step=state.global_step,
            total_steps=state.max_steps,
            epoch=round(state.epoch or 0.0, 4),
            loss=logs.get("loss"),
            learning_rate=logs.get("learning_rate"),
            grad_norm=logs.get("grad_norm"),
            tokens_per_second=round(tps, 1) if tps is not None else None,
            eta_seconds=round(eta, 1) if eta is not None else None,
        )

    def on_save(self, args, state, control, **kwargs):
        self._last_save_t = time.monotonic()
        path = os.path.join(args.output_dir, f"checkpoint-{state.global_step}")
        self.events.emit("checkpoint", step=state.global_step, path=path)

    def session_tokens(self, state) -> int:
        return int(state.num_input_tokens_seen or 0) - self._tokens0
