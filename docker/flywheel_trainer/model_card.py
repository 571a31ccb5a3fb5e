"""The model card (README.md) written next to the model: YAML front matter that Hugging Face
tools read, then what was trained on what, how, and how well."""
from __future__ import annotations

import json

from .data import template_for

PIPELINE = {False: "text-generation", True: "text2text-generation"}


def _yaml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _fmt(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return "—" if value is None else str(value)


def front_matter(info: dict) -> str:
    lines = ["---"]
    if not info["base_local"]:
        lines.append(f"base_model: {_yaml_str(info['base_source'])}")
    lines.append(f"library_name: {'peft' if info['saved_kind'] == 'adapter' else 'transformers'}")
    lines.append(f"pipeline_tag: {PIPELINE[info['seq2seq']]}")
    tags = ["fine-tune-flywheel", info["task"], info["method"]]
    if info["method"] in ("lora", "qlora"):
        tags.append("peft")
    if info["tiny"]:
        tags.append("tiny-random")
    lines.append("tags:")
    lines.extend(f"- {_yaml_str(t)}" for t in tags)
    lines.append("---")
    return "\n".join(lines)


def render(info: dict, metrics: dict) -> str:
    """``info``: task, method, seq2seq, tiny, base_name, base_source, base_local, saved_kind,
    dataset_hash, run_id, hyperparameters (dict), train_samples, eval_samples."""
    before, after = metrics.get("before") or {}, metrics.get("after") or {}
    title = info.get("run_id") or f"{info['base_name']} fine-tuned for {info['task']}"
    out = [front_matter(info), "", f"# {title}", ""]
    if info["tiny"]:
        out += ["> **Tiny random model.** The base `" + info["base_name"] + "` is a randomly initialised "
                "model with a tokenizer trained in-process on example data, built offline for tests and demos. "
                "It is not a real language model and its outputs mean nothing.", ""]
    out += [
        f"Fine-tuned by Fine-tune Flywheel from `{info['base_name']}`"
        + (f" (`{info['base_source']}`)" if not info["tiny"] and info["base_source"] != info["base_name"] else "")
        + f" with {info['method']} for **{info['task']}**.",
        "",
        "## Training data",
        "",
        f"- Task: {info['task']}",
        f"- Data snapshot: `{info.get('dataset') or '—'}`, sha256 `{info.get('dataset_hash') or '—'}`",
        f"- Samples: {info['train_samples'] + info['eval_samples']} "
        f"({info['train_samples']} train, {info['eval_samples']} held out by content hash)",
        "",
        "## Prompt format",
        "",
        "The model was trained on prompts of this form (`{input}` is the sample's input); "
        "it answers after the prompt and ends with the EOS token:",
        "",
        "```text",
        template_for(info["task"], info["seq2seq"]),
        "```",
        "",
        "## Hyperparameters",
        "",
        "| name | value |",
        "| --- | --- |",
    ]
    out += [f"| {k} | {_fmt(v)} |" for k, v in info["hyperparameters"].items()]
    keys = [k for k in ("eval_loss", "perplexity", "rouge1", "rouge2", "rougeL", "accuracy", "exact_match")
            if k in before or k in after]
    out += ["", "## Held-out metrics", ""]
    if keys:
        out += ["| metric | before | after |", "| --- | --- | --- |"]
        out += [f"| {k} | {_fmt(before.get(k))} | {_fmt(after.get(k))} |" for k in keys]
    else:
        out.append("No held-out set (eval split 0).")
    out += [
        "",
        f"Training: {metrics.get('steps')} steps, train loss {_fmt(metrics.get('train_loss'))}, "
        f"{_fmt(metrics.get('train_runtime'))} s, {_fmt(metrics.get('tokens_per_second'))} tokens/s "
        f"on {metrics.get('device')}.",
        "",
        "## Loading",
        "",
        "```python",
        f"from transformers import {'AutoModelForSeq2SeqLM' if info['seq2seq'] else 'AutoModelForCausalLM'}, AutoTokenizer",
        f"model = {'AutoModelForSeq2SeqLM' if info['seq2seq'] else 'AutoModelForCausalLM'}.from_pretrained(path)"
        + ("  # needs peft installed and the base model" if info["saved_kind"] == "adapter" else ""),
        "tokenizer = AutoTokenizer.from_pretrained(path)",
        "```",
        "",
    ]
    return "\n".join(out)
