"""Writing the trained model into the output folder.

Layout (see docker/README.md):
  <out>/            always loadable with AutoModelFor{CausalLM,Seq2SeqLM}.from_pretrained(<out>):
                    merged full weights (--method full, --merge-adapter, or a tiny base), or else the
                    LoRA adapter itself (adapter_config.json names the hub base; transformers loads
                    it through peft), plus the tokenizer
  <out>/adapter/    the LoRA adapter and tokenizer, for every lora/qlora run
  <out>/base/       tiny random base only (built for the run; the adapter's base path points here)
"""
from __future__ import annotations

import json
import os
import shutil

ADAPTER_FILES = ("adapter_config.json", "adapter_model.safetensors", "adapter_model.bin")


def _link_or_copy(src: str, dst: str) -> None:
    if os.path.exists(dst):
        os.remove(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _point_adapter_at_base(adapter_dir: str, base_path: str, revision: str | None) -> None:
    path = os.path.join(adapter_dir, "adapter_config.json")
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    config["base_model_name_or_path"] = base_path
    if revision:
        config["revision"] = revision
    with open(path, "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True)


def _remove_stale_weights(out: str) -> None:
    """A reused output folder must not mix an old model with the new one."""
    for name in os.listdir(out):
        stale = name in ("config.json", "generation_config.json", *ADAPTER_FILES) or (
            name.startswith("model") and (name.endswith(".safetensors") or name.endswith(".safetensors.index.json")))
        if stale and os.path.isfile(os.path.join(out, name)):
            os.remove(os.path.join(out, name))


def _merge_qlora(loaded, adapter_dir: str):
    """Never merge into 4-bit weights: reload the base in bf16 and merge the adapter there."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    cls = AutoModelForSeq2SeqLM if loaded.seq2seq else AutoModelForCausalLM
    kw = {"revision": loaded.base.revision} if loaded.base.revision else {}
    base = cls.from_pretrained(loaded.base.source, dtype=torch.bfloat16, **kw)
    return PeftModel.from_pretrained(base, adapter_dir).merge_and_unload()


def save_model(cfg, loaded, model, out: str, emit_stage=None) -> dict:
    """Save the trained ``model``; returns {"kind", "path", "adapter_dir"?}."""
    tokenizer = loaded.tokenizer
    os.makedirs(out, exist_ok=True)
    _remove_stale_weights(out)
    if hasattr(model, "config"):
        model.config.use_cache = True
    if cfg.method == "full":
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
        return {"kind": "full", "path": out}

    adapter_dir = os.path.join(out, "adapter")
    model.save_pretrained(adapter_dir)
    tokenizer.save_pretrained(adapter_dir)
    base_path = os.path.abspath(loaded.base.source) if loaded.base.local else loaded.base.source
    _point_adapter_at_base(adapter_dir, base_path, loaded.base.revision)

    if cfg.merge_adapter or loaded.base.tiny:
        if emit_stage:
            emit_stage("merging")
        merged = _merge_qlora(loaded, adapter_dir) if cfg.method == "qlora" else model.merge_and_unload()
        merged.config.use_cache = True
        merged.save_pretrained(out)
        tokenizer.save_pretrained(out)
        return {"kind": "merged", "path": out, "adapter_dir": adapter_dir}

    for name in ADAPTER_FILES:
        src = os.path.join(adapter_dir, name)
        if os.path.exists(src):
            _link_or_copy(src, os.path.join(out, name))
    tokenizer.save_pretrained(out)
    return {"kind": "adapter", "path": out, "adapter_dir": adapter_dir}
