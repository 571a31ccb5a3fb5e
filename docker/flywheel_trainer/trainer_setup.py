"""Configuring the Hugging Face Trainer: arguments, step count, callbacks, console quiet."""
from __future__ import annotations

import inspect
import math
import sys

from .args import Config
from .callbacks import EventCallback
from .cancel import CancelFlag
from .collate import Collator
from .events import Events
from .packing import PackedCollator


def total_update_steps(n_train: int, cfg: Config, processes: int = 1) -> int:
    """The optimizer steps the Trainer will run (same arithmetic as Trainer.set_initial_training_values;
    each process takes its own batches, so N processes take N batches a step)."""
    if cfg.max_steps:
        return cfg.max_steps
    batches = math.ceil(n_train / (cfg.batch_size * processes))
    per_epoch = max(math.ceil(batches / cfg.gradient_accumulation_steps), 1)
    return math.ceil(cfg.num_epochs * per_epoch)


def _compatible_kwargs(cls, kwargs: dict) -> dict:
    """Keep the kwargs this transformers version accepts (renamed ones are mapped back)."""
    params = inspect.signature(cls.__init__).parameters
    renamed = {"activation_checkpointing": "gradient_checkpointing",
               "activation_checkpointing_kwargs": "gradient_checkpointing_kwargs"}
    out = {}
    for key, value in kwargs.items():
        if key in params:
            out[key] = value
        elif renamed.get(key) in params:
            out[renamed[key]] = value
        elif key == "train_sampling_strategy" and "group_by_length" in params:
            out["group_by_length"] = value == "group_by_length"
        else:
            print(f"[trainer] TrainingArguments has no {key}; ignored", file=sys.stderr)
    return out


def training_arguments(cfg: Config, loaded, checkpoints_dir: str, total_steps: int):
    from transformers import TrainingArguments

    logging_steps = cfg.logging_steps or max(1, math.ceil(total_steps / 200))
    save_steps = cfg.save_steps or max(1, math.ceil(total_steps / 4))
    kwargs = dict(
        output_dir=checkpoints_dir,
        per_device_train_batch_size=cfg.batch_size,
        per_device_eval_batch_size=cfg.batch_size,
        gradient_accumulation_steps=cfg.gradient_accumulation_steps,
        learning_rate=cfg.learning_rate,
        num_train_epochs=cfg.num_epochs,
        max_steps=cfg.max_steps or -1,
        lr_scheduler_type="cosine",
        warmup_steps=cfg.warmup_ratio,
        weight_decay=cfg.weight_decay,
        logging_strategy="steps",
        logging_steps=logging_steps,
        logging_first_step=True,
        save_strategy="steps",
        save_steps=save_steps,
        save_total_limit=2,
        eval_strategy="no",
        report_to="none",
        disable_tqdm=True,
        bf16=loaded.mixed_precision == "bf16",
        fp16=loaded.mixed_precision == "fp16",
        use_cpu=loaded.device == "cpu",
        activation_checkpointing=loaded.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False} if loaded.gradient_checkpointing else None,
        seed=cfg.seed,
        data_seed=cfg.seed,
        remove_unused_columns=False,
        label_names=["labels"],
        train_sampling_strategy="group_by_length",
        # Packed rows hold no padding, and a pad id equal to EOS would miscount them as padding.
        include_num_input_tokens_seen="all" if loaded.kernels.packing else "non_padding",
        dataloader_num_workers=0,
        save_only_model=False,
        ddp_find_unused_parameters=False,  # LoRA leaves the base frozen on purpose
        **_sharding(cfg),
    )
    return TrainingArguments(**_compatible_kwargs(TrainingArguments, kwargs))


def _sharding(cfg: Config) -> dict:
    """FSDP or DeepSpeed ZeRO-3 through the Trainer's own arguments; DDP needs none."""
    if cfg.processes < 2 or cfg.strategy == "ddp":
        return {}
    if cfg.strategy == "fsdp":
        return {"fsdp": "full_shard auto_wrap", "fsdp_config": {"use_orig_params": True}}
    # "auto" values are filled in by the Trainer from the arguments above.
    return {"deepspeed": {"zero_optimization": {"stage": 3}, "train_micro_batch_size_per_gpu": "auto",
                          "gradient_accumulation_steps": "auto", "train_batch_size": "auto",
                          "bf16": {"enabled": "auto"}, "fp16": {"enabled": "auto"}}}


def _strip_console_callbacks(trainer) -> None:
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    trainer.remove_callback(PrinterCallback)
    trainer.remove_callback(ProgressCallback)


def _trainer_class():
    from transformers import Trainer
    from transformers.trainer_pt_utils import LengthGroupedSampler

    class FlywheelTrainer(Trainer):
        def _get_train_sampler(self, train_dataset=None):
            sampler = super()._get_train_sampler(train_dataset)
            if not isinstance(sampler, LengthGroupedSampler) or self.args.world_size < 2:
                return sampler
            # Group lengths over the whole global batch, as one process would: the same samples
            # then make each step whatever the number of processes (each takes its share).
            dataset = train_dataset if train_dataset is not None else self.train_dataset
            return LengthGroupedSampler(self.args.train_batch_size * self.args.gradient_accumulation_steps
                                        * self.args.world_size, dataset=dataset,
                                        model_input_name=self.processing_class.model_input_names[0])

    return FlywheelTrainer


def data_collator(loaded):
    """One padding-free row per batch for causal LMs with packing; right-padded rows otherwise."""
    if loaded.kernels.packing:
        return PackedCollator()
    return Collator(loaded.tokenizer.pad_token_id, 8 if loaded.device == "cuda" else None)


def build_trainer(cfg: Config, loaded, train_dataset: list[dict], checkpoints_dir: str, total_steps: int,
                  events: Events, cancel: CancelFlag):
    """A Trainer that prints nothing to stdout and reports through ``EventCallback``."""
    trainer = _trainer_class()(
        model=loaded.model,
        args=training_arguments(cfg, loaded, checkpoints_dir, total_steps),
        train_dataset=train_dataset,
        data_collator=data_collator(loaded),
        processing_class=loaded.tokenizer,
    )
    _strip_console_callbacks(trainer)
    callback = EventCallback(events, cancel)
    trainer.add_callback(callback)
    return trainer, callback


def unprepare_after_eval(trainer) -> None:
    """trainer.evaluate() before train() marks the model as prepared by Accelerate (for evaluation:
    no DDP wrapper), and train() then skips wrapping it: every rank would train alone. Forget it."""
    if trainer.args.world_size < 2 or trainer.is_fsdp_enabled or trainer.is_deepspeed_enabled:
        return
    if getattr(trainer.model, "_is_accelerate_prepared", False):
        trainer.model._is_accelerate_prepared = False
    trainer.accelerator._models.clear()
    trainer.model_wrapped = trainer.model
