"""One fine-tuning run: data → model → eval before → train → eval after → save → report."""
from __future__ import annotations

import json
import os
import shutil

from . import distributed
from .args import Config
from .cancel import CancelFlag
from .checkpoints import last_checkpoint, make_readable
from .collate import encode
from .data import dataset_sha256, load_jsonl, render_prompt, split_samples, template_for
from .errors import EXIT_CANCELLED, EXIT_OK, Cancelled
from .evaluate import evaluate_phase
from .events import Events
from .export import save_model
from .report import atomic_write, gpu_name, training_metrics, write_reports
from .tiny_models import TINY_MODELS
from .trainer_setup import build_trainer, total_update_steps, unprepare_after_eval


def _evaluate_before(cfg, trainer, loaded, eval_encoded, eval_samples, cancel, checkpoints_dir, dataset_hash):
    """The base model's scores; kept in checkpoints/ so a resumed run does not measure them again."""
    path = os.path.join(checkpoints_dir, "before_metrics.json")
    key = json.dumps([cfg.base_model, cfg.task, cfg.seed, cfg.eval_split, cfg.max_length, cfg.method,
                      cfg.max_eval_samples, cfg.max_generate_samples, cfg.max_new_tokens, dataset_hash])
    if cfg.resume and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            cached = json.load(f)
        if cached.get("key") == key:
            return cached["metrics"], cached["predictions"]
    metrics, predictions = evaluate_phase(trainer, loaded, cfg, eval_encoded, eval_samples, cancel)
    if distributed.is_main():
        atomic_write(path, json.dumps({"key": key, "metrics": metrics, "predictions": predictions}))
    return metrics, predictions


def run(cfg: Config, events: Events, cancel: CancelFlag) -> int:
    from transformers import set_seed

    from . import model_loading

    def check_cancel():
        if cancel.requested:
            raise Cancelled()

    out = cfg.output_dir = os.path.abspath(cfg.output_dir)
    checkpoints_dir = os.path.join(out, "checkpoints")
    distributed.init_process_group()
    main = distributed.is_main()
    if main and not cfg.resume:  # a fresh run never mixes with an earlier run's checkpoints
        shutil.rmtree(checkpoints_dir, ignore_errors=True)
    if main:
        os.makedirs(checkpoints_dir, exist_ok=True)
    distributed.barrier()
    distributed.check_checkpoint_layout(checkpoints_dir, cfg.processes)
    set_seed(cfg.seed)

    events.emit("stage", stage="loading_data")
    samples = load_jsonl(cfg.dataset)
    train_samples, eval_samples = split_samples(samples, cfg.eval_split, cfg.seed)
    dataset_hash = cfg.dataset_hash or dataset_sha256(cfg.dataset)
    check_cancel()

    events.emit("stage", stage="loading_model", base_model=cfg.base_model)
    seq2seq_hint = TINY_MODELS.get(cfg.base_model) == "seq2seq"
    tiny_texts = [t for s in train_samples for t in (render_prompt(cfg.task, seq2seq_hint, s.input), s.output)]
    loaded = model_loading.load(cfg, tiny_texts)
    check_cancel()

    encoded = [encode(loaded.tokenizer, cfg.task, loaded.seq2seq, s, cfg.max_length) for s in train_samples]
    eval_encoded = [encode(loaded.tokenizer, cfg.task, loaded.seq2seq, s, cfg.max_length)
                    for s in eval_samples[: cfg.max_eval_samples]]
    truncated = sum(e.pop("truncated") for e in encoded + eval_encoded)
    total_steps = total_update_steps(len(encoded), cfg, cfg.processes)
    effective_batch = cfg.batch_size * cfg.gradient_accumulation_steps * cfg.processes
    trainer, callback = build_trainer(cfg, loaded, encoded, checkpoints_dir, total_steps, events, cancel)
    resume_from = last_checkpoint(checkpoints_dir)[1] if cfg.resume else None
    events.emit(
        "started", run_id=cfg.run_id, task=cfg.task, method=cfg.method, base_model=cfg.base_model,
        base_source=cfg.base_model if loaded.base.tiny else loaded.base.source, tiny=loaded.base.random_init,
        seq2seq=loaded.seq2seq, device=loaded.device, gpu=gpu_name(), dtype=loaded.dtype,
        total_steps=total_steps, train_samples=len(encoded), eval_samples=len(eval_encoded),
        truncated_inputs=truncated, trainable_params=loaded.trainable_params,
        total_params=loaded.total_params, resumed_from=resume_from, dataset_hash=dataset_hash,
        processes=cfg.processes, strategy=cfg.strategy, effective_batch_size=effective_batch,
        kernels=loaded.kernels.report(),
    )

    events.emit("stage", stage="evaluating", phase="before")
    before, before_predictions = _evaluate_before(cfg, trainer, loaded, eval_encoded, eval_samples, cancel,
                                                  checkpoints_dir, dataset_hash)
    events.emit("eval", phase="before", metrics=before)
    check_cancel()

    events.emit("stage", stage="training")
    unprepare_after_eval(trainer)
    result = trainer.train(resume_from_checkpoint=resume_from)
    if callback.cancelled_at_step is not None or cancel.requested:
        distributed.barrier()  # rank 0 has written the checkpoint
        step, checkpoint = last_checkpoint(checkpoints_dir)
        if main:
            make_readable(checkpoints_dir)
        events.emit("cancelled", step=step, checkpoint=checkpoint, signal=cancel.signal)
        return EXIT_CANCELLED

    events.emit("stage", stage="evaluating", phase="after")
    after, after_predictions = evaluate_phase(trainer, loaded, cfg, eval_encoded, eval_samples, cancel)
    events.emit("eval", phase="after", metrics=after)
    check_cancel()

    metrics = {"before": before, "after": after,
               **training_metrics(cfg, loaded, trainer, result, callback.session_tokens(trainer.state)),
               "train_samples": len(encoded), "eval_samples": len(eval_encoded), "truncated_inputs": truncated,
               "resumed_from": resume_from, "task": cfg.task, "method": cfg.method,
               "base_model": cfg.base_model, "dataset_hash": dataset_hash, "run_id": cfg.run_id,
               "processes": cfg.processes, "strategy": cfg.strategy, "effective_batch_size": effective_batch,
               "kernels": loaded.kernels.report(), "prompt_template": template_for(cfg.task, loaded.seq2seq)}

    if not main:  # the other ranks' work ends with training and evaluation
        return EXIT_OK
    events.emit("stage", stage="saving")
    saved = save_model(cfg, loaded, trainer.model, out, lambda stage: events.emit("stage", stage=stage))
    metrics["saved"] = saved["kind"]
    metrics["examples"] = [
        {"input": s.input[:1000], "reference": s.output, "before": b, "after": a}
        for s, b, a in zip(eval_samples, before_predictions or [], after_predictions or [])
    ][:5]
    write_reports(cfg, loaded, metrics, saved, out)
    if not cfg.keep_checkpoints:
        shutil.rmtree(checkpoints_dir, ignore_errors=True)
    make_readable(out)
    events.emit("saved", path=out, kind=saved["kind"], adapter_dir=saved.get("adapter_dir"))
    events.emit("completed", metrics={k: v for k, v in metrics.items() if k != "examples"}, output_dir=out)
    return EXIT_OK
