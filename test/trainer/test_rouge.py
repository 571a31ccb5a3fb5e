"""ROUGE-1/2/L against values worked out by hand."""
import pytest

from flywheel_trainer.rouge import lcs_length, rouge, rouge_l, rouge_n, tokenize

REF = "The quick brown fox jumps over the lazy dog"
PRED = "The brown fox quickly jumps over a dog"


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("The CAT, the cat!  (café_au-lait)") == ["the", "cat", "the", "cat", "café", "au", "lait"]


def test_identical_texts_score_one():
    assert rouge([REF], [REF]) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}


def test_known_values():
    # unigram overlap 6 (the, brown, fox, jumps, over, dog) of 8 predicted / 9 reference: F1 = 12/17
    assert rouge_n(PRED, REF, 1) == pytest.approx(12 / 17)
    # bigram overlap 2 (brown fox, jumps over) of 7 / 8: F1 = 4/15
    assert rouge_n(PRED, REF, 2) == pytest.approx(4 / 15)
    # LCS: the brown fox jumps over dog = 6
    assert rouge_l(PRED, REF) == pytest.approx(12 / 17)


def test_rouge_l_rewards_order_unlike_rouge_1():
    reversed_ref = " ".join(reversed(REF.split()))
    assert rouge_n(reversed_ref, REF, 1) == pytest.approx(1.0)
    assert rouge_n(reversed_ref, REF, 2) == 0.0
    assert lcs_length(tokenize(reversed_ref), tokenize(REF)) == 3  # e.g. "the over the"
    assert rouge_l(reversed_ref, REF) == pytest.approx(1 / 3)


def test_repeated_ngrams_are_clipped():
    assert rouge_n("the the the", "the cat", 1) == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))


def test_empty_and_non_ascii():
    assert rouge_n("", REF, 1) == 0.0 and rouge_l(REF, "") == 0.0
    assert rouge_n("...", "...", 1) == 0.0
    assert rouge_n("Café au lait", "café", 1) == pytest.approx(0.5)


def test_mean_over_pairs():
    scores = rouge([PRED, REF, ""], [REF, REF, REF])
    assert scores["rouge1"] == pytest.approx((12 / 17 + 1 + 0) / 3)
    assert scores["rouge2"] == pytest.approx((4 / 15 + 1 + 0) / 3)
    assert rouge([], []) == {"rouge1": 0.0, "rouge2": 0.0, "rougeL": 0.0}
    with pytest.raises(ValueError):
        rouge(["a"], [])
