"""Writes a tiny random Llama model as GGUF, offline and deterministically, for the llama.cpp server.

    python make_tiny_gguf.py OUT.gguf

No model hub here, so the model is made from nothing with the `gguf` package (llama.cpp's own
GGUF writer): a 2-layer, 64-wide Llama with a SentencePiece-style vocabulary (every byte, the
characters and words of the judge's prompt and JSON answers) and a chat template. Its words mean
nothing; what the tests need from it is what the server does around it: grammar-constrained JSON,
logprobs, timing, errors.

The weights are random (seeded) except for one deliberate shape, so a test run stays short and the
logprobs say something:
- dimension 0 of every token embedding is a constant that no layer writes to, so after the final
  norm it acts as an output bias;
- that bias ranks end-of-text first, then the double quote, then the digits 1..5 (close together,
  so the context decides which wins), then everything else. Unconstrained, the model stops at once;
  under a JSON grammar it closes every string at once (short answers) and, where the grammar wants
  a score, picks a digit from a spread of probabilities over 1..5 that varies with the sample.
"""
import sys

import gguf
import numpy as np

SEED = 20240521
N_EMBD = 64
N_LAYER = 2
N_HEAD = 4
N_HEAD_KV = 2
N_FF = 128
N_CTX = 8192

CHAT_TEMPLATE = (
    "{{ bos_token }}{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)

# Pieces beside the 256 byte tokens: single characters, then words of the prompt and the answer.
CHARS = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") + list(
    "{}[]\":,.;!?'()-_<>/|=+*&%$#@~`\\"
)
WORDS = [
    "score", "reason", "coherence", "consistency", "fluency", "relevance", "correctness", "format",
    "confidence", "groundedness", "completeness", "summary", "source", "the", "and", "of", "to",
    "is", "in", "The", "Evaluation", "steps", "SOURCE", "SUMMARY", "END", "system", "user",
    "assistant", "<<<", ">>>", "<|", "|>",
]


def vocabulary():
    """(tokens, scores, types) in SentencePiece's layout: <unk>, <s>, </s>, <0x00>..<0xFF>, pieces."""
    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    types = [gguf.TokenType.UNKNOWN, gguf.TokenType.CONTROL, gguf.TokenType.CONTROL] + [gguf.TokenType.BYTE] * 256
    scores = [0.0] * len(tokens)
    pieces = ["\u2581"] + CHARS + ["\u2581" + w for w in WORDS] + WORDS
    seen = set(tokens)
    for p in pieces:
        if p in seen:
            continue
        seen.add(p)
        tokens.append(p)
        types.append(gguf.TokenType.NORMAL)
        # Longer pieces merge first (SentencePiece scores are merge priorities).
        scores.append(float(len(p)) - len(tokens) * 1e-4)
    return tokens, scores, types


def output_bias(tokens):
    """Per-token bias carried by embedding dimension 0 (see the module docstring)."""
    bias = np.full(len(tokens), -4.0, dtype=np.float32)
    bias[tokens.index("</s>")] = 6.0
    bias[tokens.index('"')] = 5.0
    for d in "12345":
        bias[tokens.index(d)] = 3.0
    return bias


def main(out_path):
    rng = np.random.default_rng(SEED)
    tokens, scores, types = vocabulary()
    n_vocab = len(tokens)
    head_dim = N_EMBD // N_HEAD

    def rand(*shape, std=0.2):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    embd = rand(n_vocab, N_EMBD, std=1.0)
    embd[:, 0] = 16.0  # the bias carrier: dominant, so the final norm scales it to about 7
    # Linear weights in PyTorch's (out, in) layout, which the GGUF writer stores as llama.cpp wants.
    out = rand(n_vocab, N_EMBD, std=0.3)
    out[:, 0] = output_bias(tokens)

    def reads_context(rows, cols):
        """A layer input weight that ignores the bias carrier, so the context alone moves it."""
        m = rand(rows, cols, std=0.3)
        m[:, 0] = 0.0
        return m

    def writes_context(rows, cols):
        """A layer output weight that never writes to the bias carrier."""
        m = rand(rows, cols, std=0.3)
        m[0, :] = 0.0
        return m

    w = gguf.GGUFWriter(out_path, "llama")
    w.add_name("tiny-random-llama")
    w.add_context_length(N_CTX)
    w.add_embedding_length(N_EMBD)
    w.add_block_count(N_LAYER)
    w.add_feed_forward_length(N_FF)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(head_dim)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    w.add_tokenizer_model("llama")
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(0)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(True)
    w.add_add_eos_token(False)
    w.add_chat_template(CHAT_TEMPLATE)

    w.add_tensor("token_embd.weight", embd)
    ones = np.ones(N_EMBD, dtype=np.float32)
    for i in range(N_LAYER):
        w.add_tensor(f"blk.{i}.attn_norm.weight", ones)
        w.add_tensor(f"blk.{i}.attn_q.weight", reads_context(N_HEAD * head_dim, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_k.weight", reads_context(N_HEAD_KV * head_dim, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_v.weight", reads_context(N_HEAD_KV * head_dim, N_EMBD))
        w.add_tensor(f"blk.{i}.attn_output.weight", writes_context(N_EMBD, N_HEAD * head_dim))
        w.add_tensor(f"blk.{i}.ffn_norm.weight", ones)
        w.add_tensor(f"blk.{i}.ffn_gate.weight", reads_context(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_up.weight", reads_context(N_FF, N_EMBD))
        w.add_tensor(f"blk.{i}.ffn_down.weight", writes_context(N_EMBD, N_FF))
    w.add_tensor("output_norm.weight", ones)
    w.add_tensor("output.weight", out)

    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_tiny_gguf.py OUT.gguf")
    main(sys.argv[1])
