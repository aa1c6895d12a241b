"""A BERT sentence encoder in NumPy, for sentence-transformers models shipped inside packages.

Reads a model folder as sentence-transformers writes it (``config.json``,
``model.safetensors``, ``tokenizer.json``, ``sentence_bert_config.json``) and computes the
mean-pooled, L2-normalised sentence embedding of a BERT encoder: word + position + type
embeddings, then post-layer-norm blocks of multi-head self-attention and an exact-GELU
feed-forward layer. No torch: the matrices are NumPy float32 and the tokenizer is Hugging
Face's ``tokenizers`` (Rust). The published reference pair of all-MiniLM-L6-v2 ("A man is
eating food." / "A man is eating a piece of bread.", cosine 0.755) is checked by a test.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.special import erf

_DTYPES = {"F32": np.float32, "F16": np.float16}
# Texts embedded in one NumPy pass; sorted by length first so padding stays small.
_BATCH = 16


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a ``.safetensors`` file as a float32 array (the format is a JSON
    header with byte offsets, then raw little-endian data)."""
    raw = Path(path).read_bytes()
    (header_size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + header_size])
    start_of_data = 8 + header_size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] not in ("F32", "F16"):
            continue
        begin, end = info["data_offsets"]
        data = np.frombuffer(
            raw[start_of_data + begin : start_of_data + end], dtype=_DTYPES[info["dtype"]]
        )
        tensors[name] = data.reshape(info["shape"]).astype(np.float32)
    return tensors


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * gain + bias


class BertSentenceEncoder:
    """Mean-pooled, unit-length sentence embeddings of a BERT model folder."""

    def __init__(self, folder: str | Path) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        settings_path = folder / "sentence_bert_config.json"
        settings = (
            json.loads(settings_path.read_text(encoding="utf-8")) if settings_path.exists() else {}
        )
        self.dimension = int(config["hidden_size"])
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        weights = read_safetensors(folder / "model.safetensors")
        prefix = "" if "embeddings.word_embeddings.weight" in weights else "bert."
        self._weights = {
            name.removeprefix(prefix): value
            for name, value in weights.items()
            if name.startswith(prefix)
        }
        # Transposed once here, so every forward pass multiplies without copying.
        for name in list(self._weights):
            if name.startswith("encoder.") and name.endswith(".weight") and "LayerNorm" not in name:
                self._weights[name] = np.ascontiguousarray(self._weights[name].T)
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(int(settings.get("max_seq_length", 256)))
        self._tokenizer.no_padding()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, float32."""
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(encoding.ids) for encoding in encodings], kind="stable")
        for start in range(0, len(order), _BATCH):
            batch = order[start : start + _BATCH]
            length = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), length), dtype=np.int64)
            mask = np.zeros((len(batch), length), dtype=np.float32)
            for row, i in enumerate(batch):
                tokens = encodings[i].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            result[batch] = self._forward(ids, mask)
        return result

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self._weights
        batch, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps
        )
        heads, size = self._heads, self.dimension // self._heads
        # Padding positions get no attention.
        padding = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(self._layers):
            p = f"encoder.layer.{layer}."

            def linear(t: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return t @ w[f"{p}{name}.weight"] + w[f"{p}{name}.bias"]

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

            query = split(linear(x, "attention.self.query"))
            key = split(linear(x, "attention.self.key"))
            value = split(linear(x, "attention.self.value"))
            attention = query @ key.transpose(0, 1, 3, 2) / np.sqrt(size) + padding
            attention = np.exp(attention - attention.max(axis=-1, keepdims=True))
            attention /= attention.sum(axis=-1, keepdims=True)
            context = (attention @ value).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = _layer_norm(
                x + linear(context, "attention.output.dense"),
                w[f"{p}attention.output.LayerNorm.weight"],
                w[f"{p}attention.output.LayerNorm.bias"],
                self._eps,
            )
            hidden = linear(x, "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
            x = _layer_norm(
                x + linear(hidden, "output.dense"),
                w[f"{p}output.LayerNorm.weight"],
                w[f"{p}output.LayerNorm.bias"],
                self._eps,
            )
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)
