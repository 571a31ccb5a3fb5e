"""Strict JSONL loading (errors name the line) and the deterministic, leak-free held-out split."""
import json

import pytest

from conftest import toy_samples, write_jsonl
from flywheel_trainer.data import DatasetError, Sample, load_jsonl, render_prompt, split_key, split_samples


def _write(tmp_path, data: bytes):
    path = tmp_path / "d.jsonl"
    path.write_bytes(data)
    return str(path)


def test_loads_lines_skipping_blank_ones_with_bom_and_crlf(tmp_path):
    data = b"\xef\xbb\xbf" + b'{"input": "a", "output": "b", "extra": 1}\r\n\r\n  \n{"input": "c", "output": "d"}'
    samples = load_jsonl(_write(tmp_path, data))
    assert [(s.input, s.output, s.line) for s in samples] == [("a", "b", 1), ("c", "d", 4)]


@pytest.mark.parametrize("bad, message", [
    (b'{"input": "a", "output": ', "invalid JSON"),
    (b'["a", "b"]', "expected a JSON object"),
    (b'{"input": "a"}', 'field "output" is missing'),
    (b'{"input": 3, "output": "b"}', 'field "input" is a int'),
    (b'{"input": "a", "output": "  "}', 'field "output" is empty'),
    (b'{"input": "\xff", "output": "b"}', "not valid UTF-8"),
    (b'\xef\xbb\xbf{"input": "a", "output": "b"}', "invalid JSON"),  # a BOM is only allowed on line 1
])
def test_bad_line_is_named(tmp_path, bad, message):
    good = b'{"input": "x", "output": "y"}\n'
    with pytest.raises(DatasetError) as err:
        load_jsonl(_write(tmp_path, good + good + bad + b"\n" + good))
    assert err.value.line == 3
    assert str(err.value).startswith("line 3:") and message in str(err.value)


def test_missing_and_empty_dataset(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load_jsonl(str(tmp_path / "nope.jsonl"))
    with pytest.raises(DatasetError, match="no samples"):
        load_jsonl(_write(tmp_path, b"\n\n"))


def _samples(n, seed=0):
    return [Sample(r["input"], r["output"], i + 1) for i, r in enumerate(toy_samples("summarization", n, seed))]


def test_split_is_deterministic_and_disjoint():
    samples = _samples(400)
    train, held = split_samples(samples, 0.1, seed=42)
    again_train, again_held = split_samples(list(reversed(samples)), 0.1, seed=42)
    assert {s.line for s in held} == {s.line for s in again_held}
    assert [s.line for s in held] == [s.line for s in again_held]  # ordered by key, not file order
    assert {s.input for s in train}.isdisjoint({s.input for s in held})
    assert len(train) + len(held) == 400
    assert 20 <= len(held) <= 60  # ~10%
    other_train, other_held = split_samples(samples, 0.1, seed=7)
    assert {s.line for s in other_held} != {s.line for s in held}  # the seed matters


def test_split_is_stable_when_samples_are_added():
    old = _samples(200)
    new = old + [Sample(f"another text number {i}", "x", 1000 + i) for i in range(200)]
    _, held_old = split_samples(old, 0.2, 42)
    train_new, held_new = split_samples(new, 0.2, 42)
    assert {s.line for s in held_old} <= {s.line for s in held_new}
    assert not {s.line for s in held_old} & {s.line for s in train_new}


def test_near_duplicate_inputs_never_straddle_the_split():
    base = _samples(100)
    dupes = [Sample("  " + s.input.upper().replace(" ", "   ") + "\n", "other", 500 + s.line) for s in base]
    train, held = split_samples(base + dupes, 0.3, 42)
    held_keys = {round(split_key(s, 42), 12) for s in held}
    assert held_keys.isdisjoint({round(split_key(s, 42), 12) for s in train})
    assert len(held) % 2 == 0  # each input held out together with its near-duplicate


def test_small_datasets_still_get_a_held_out_sample():
    train, held = split_samples(_samples(3), 0.1, 42)
    assert len(held) >= 1 and len(train) >= 1
    assert split_samples(_samples(3), 0.0, 42) == (_samples(3), [])
    with pytest.raises(DatasetError, match="different inputs"):
        split_samples([Sample("same", "a", 1), Sample("same", "b", 2)], 0.5, 42)


def test_templates_wrap_the_input():
    p = render_prompt("summarization", False, "TEXT")
    assert "TEXT" in p and p.endswith("### Summary:\n")
    assert render_prompt("qa", True, "Q") == "question: Q"


def test_jsonl_roundtrip_helper(tmp_path):
    path = write_jsonl(tmp_path / "x.jsonl", [{"input": "i", "output": "o"}])
    assert json.loads(path.read_text()) == {"input": "i", "output": "o"}
