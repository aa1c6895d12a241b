"""The expertise index: who in the cluster knows most about this?

An :class:`ExpertiseIndex` holds profiles (experts, organisations, students), each a set of
documents (publications, patents, projects, descriptions). It answers a query (a company's
need, a grant application, an internship) with the profiles that know most about it, each
with a readable explanation, and scores given (query, profile) pairs.

Profiles can be added, changed and removed one at a time: the BM25 statistics update in
place and a document whose text did not change keeps its embedding. The whole index saves
to a folder and loads back; loading refuses a folder written by another format version or
another embedding model, because mixing vectors of two models gives meaningless scores.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from sangsaeng.engine.embedders import Embedder, create_embedder
from sangsaeng.engine.scoring import (
    Aggregation,
    ChannelStatistics,
    ScoringConfig,
    aggregate_segments,
    tuned_config,
)
from sangsaeng.engine.sparse import BM25Index
from sangsaeng.engine.text import Language, TextAnalyzer, detect_language, split_sentences

# Bump when the saved layout or the analysis changes in a way old folders cannot follow.
INDEX_FORMAT_VERSION = 1
_MANIFEST = "manifest.json"
# Profiles whose documents are fully rescored for a search over a large index: the union of
# the best documents by BM25 and by embedding, then their owners.
_CANDIDATE_DOCUMENTS_PER_CHANNEL = 1000
_SHARED_TERMS_SHOWN = 8
# Sentence embeddings kept for explanations across languages (about 2 KiB each with USE).
_SENTENCE_CACHE_SIZE = 20_000
_RECENT_QUERIES = 256
# Prepared queries (every document's scores) kept until the index changes: a search box
# ranks with one call and explains the results it shows with another.
_PREPARED_QUERIES = 8


# From this many documents on, optimise() adds an approximate vector index (about 0.1 s of
# a full scan per query at 500k documents of 512 floats on two cores).
APPROXIMATE_SEARCH_FROM = 50_000


class ApproximateVectorSearch:
    """An inverted-file (IVF) index of unit vectors (faiss), searched by inner product.

    Rows removed from the expertise index stay in here until the next ``optimise``; the
    caller drops them from the results, so they cost a little time but never a wrong answer.
    """

    def __init__(self, vectors: np.ndarray, rows: np.ndarray, seed: int = 0) -> None:
        import faiss

        dimension = vectors.shape[1]
        # about 2 sqrt(n) lists, at most 1024 (k-means on two cores), at least 39 points each
        lists = max(1, min(1024, int(2 * np.sqrt(len(vectors))), len(vectors) // 39))
        self._quantizer = faiss.IndexFlatIP(dimension)
        self._index = faiss.IndexIVFFlat(
            self._quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(seed).permutation(len(vectors))[: 32 * lists]
        self._index.cp.seed = seed
        self._index.train(np.ascontiguousarray(vectors[sample], dtype=np.float32))
        self._index.nprobe = max(8, lists // 32)
        self.add(vectors, rows)
        # One query at a time gains nothing from OpenMP threads, and their busy-waiting
        # after each search starves NumPy's BLAS threads (the query embedding) of the CPU.
        faiss.omp_set_num_threads(1)

    def add(self, vectors: np.ndarray, rows: np.ndarray) -> None:
        if len(rows):
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), rows.astype(np.int64)
            )

    def search(self, vector: np.ndarray, count: int) -> np.ndarray:
        _, found = self._index.search(vector.reshape(1, -1).astype(np.float32), count)
        return found[0][found[0] >= 0]


class IndexCompatibilityError(ValueError):
    """A saved index cannot be used with this engine version or this embedding model."""


@dataclass(frozen=True)
class Document:
    """One publication, patent, project or description of a profile."""

    id: str
    text: str
    title: str = ""
    lang: Language | None = None  # detected when not given

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Profile:
    """An expert or an organisation: an id and its documents."""

    id: str
    documents: tuple[Document, ...] = ()


@dataclass(frozen=True)
class Query:
    """What somebody needs an expert for."""

    id: str
    text: str
    title: str = ""

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Explanation:
    """Why a profile scored as it did, in words a person can check."""

    shared_terms: list[str]
    best_document_id: str | None
    best_document_title: str | None
    best_sentence: str | None
    sparse_score: float
    dense_score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "shared_terms": self.shared_terms,
            "best_document": {"id": self.best_document_id, "title": self.best_document_title}
            if self.best_document_id is not None
            else None,
            "best_sentence": self.best_sentence,
            "sparse": round(self.sparse_score, 4),
            "dense": round(self.dense_score, 4),
        }


@dataclass(frozen=True)
class Match:
    """One scored (query, profile) pair; scores are comparable within one query."""

    query_id: str
    profile_id: str
    score: float
    explanation: Explanation | None = None

    def to_dict(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "query": self.query_id,
            "profile": self.profile_id,
            "score": round(self.score, 6),
        }
        if self.explanation is not None:
            line["explanation"] = self.explanation.to_dict()
        return line


@dataclass(frozen=True)
class ChannelScores:
    """Scores of one query for some profiles, without explanations: the mixed score and
    the two channels it mixes (BM25 and embedding cosine, each aggregated over the profile's
    documents, before normalisation). A profile with neither a shared term (``sparse`` 0)
    nor a close meaning (low ``dense``) is unrelated to the query."""

    profile_ids: list[str]
    score: np.ndarray
    sparse: np.ndarray
    dense: np.ndarray


@dataclass(frozen=True)
class DocumentScore:
    """One document of a profile scored for one query: its mixed score, its BM25 score and
    embedding cosine, and each query term it shares with that term's share of its BM25."""

    document: Document
    language: Language
    score: float
    sparse: float
    dense: float
    shared_terms: dict[str, float]


@dataclass
class _DocumentRecord:
    profile_id: str
    document: Document
    lang: Language
    text_hash: str


@dataclass
class _QueryScores:
    """Everything computed once per query and reused by every profile it is scored against."""

    terms: list[str]
    sparse: np.ndarray  # per document row
    dense: np.ndarray | None  # per document row; None when only candidates were searched
    sparse_statistics: ChannelStatistics
    dense_statistics: ChannelStatistics
    vector: np.ndarray = field(repr=False)
    language: Language = "en"
    dense_candidates: np.ndarray | None = None  # rows found by approximate search
    text: str = ""
    # The words behind the query's terms, read when the first explanation needs them.
    surface_forms: dict[str, str] | None = None
    # The query's known terms' ids in the BM25 vocabulary, looked up once for explanations.
    term_ids: np.ndarray | None = None


@dataclass(frozen=True, eq=False)
class ScoreMatrix:
    """Scores of many queries against many profiles (:meth:`ExpertiseIndex.score_matrix`).

    ``scores[q, p]`` is query ``q``'s score for profile ``p``, in the order given.
    """

    index: ExpertiseIndex
    query_ids: tuple[str, ...]
    profile_ids: tuple[str, ...]
    scores: np.ndarray
    rows: tuple[np.ndarray, ...] = field(repr=False)
    prepared: tuple[_QueryScores, ...] = field(repr=False)
    cosines: np.ndarray = field(repr=False)
    row_offsets: np.ndarray = field(repr=False)

    def explain(self, query_position: int, profile_position: int) -> Explanation:
        """Why the profile scores as it does for the query: its best document among those
        that counted and the terms they share (without a best sentence)."""
        start = int(self.row_offsets[profile_position])
        rows = self.rows[profile_position]
        cosines = self.cosines[query_position, start : start + len(rows)]
        prepared = self.prepared[query_position]
        if prepared.dense is not None:
            cosines = prepared.dense[rows]
        return self.index._pair_explanation(prepared, rows, cosines)


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer goes before new readers.

    Both sides are reentrant in the thread that holds them (a search reads profiles, an
    update removes then adds), and the writer may read.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers: dict[int, int] = {}
        self._writer: int | None = None
        self._writes = 0
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._condition:
            if self._writer != me and me not in self._readers:
                self._condition.wait_for(lambda: self._writer is None and not self._writers_waiting)
            self._readers[me] = self._readers.get(me, 0) + 1
        try:
            yield
        finally:
            with self._condition:
                self._readers[me] -= 1
                if not self._readers[me]:
                    del self._readers[me]
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._condition:
            if self._writer != me:
                self._writers_waiting += 1
                try:
                    self._condition.wait_for(
                        lambda: (
                            self._writer is None
                            and not any(thread != me for thread in self._readers)
                        )
                    )
                finally:
                    self._writers_waiting -= 1
                self._writer = me
            self._writes += 1
        try:
            yield
        finally:
            with self._condition:
                self._writes -= 1
                if not self._writes:
                    self._writer = None
                    self._condition.notify_all()


_T = TypeVar("_T")


def _reading(method: Callable[..., _T]) -> Callable[..., _T]:
    """The method reads the index under its read lock: never half of an update."""

    @functools.wraps(method)
    def read(self: ExpertiseIndex, *args: Any, **kwargs: Any) -> _T:
        with self._access.reading():
            return method(self, *args, **kwargs)

    return read


class ExpertiseIndex:
    """Profiles searchable by expertise, with hybrid BM25 + embedding scores.

    Thread-safe: searches read under a shared lock and see an update whole or not at all;
    an update analyses and embeds its texts before it takes the exclusive lock, so
    searches wait only for the bookkeeping, never for the model.
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        config: ScoringConfig | None = None,
        analyzer: TextAnalyzer | None = None,
    ) -> None:
        self.embedder: Embedder = embedder if embedder is not None else create_embedder()
        self.config = config or _tuned_or_plain_config(self.embedder.name)
        self.analyzer = analyzer or TextAnalyzer()
        self._sparse = BM25Index(self.config.bm25)
        self._vectors = np.zeros((0, self.embedder.dimension), dtype=np.float32)
        self._row_is_korean = np.zeros(0, dtype=bool)
        self._records: list[_DocumentRecord | None] = []  # per row; None once removed
        self._sentence_cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._recent_queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._profile_rows: dict[str, np.ndarray] = {}
        self._row_by_hash: dict[str, int] = {}
        self._population_cache: tuple[list[str], np.ndarray, np.ndarray] | None = None
        self._approximate: ApproximateVectorSearch | None = None
        self._access = _ReadWriteLock()
        # Bumped by every change, so that prepared queries of an older state are not reused.
        self._generation = 0
        self._prepared_queries: OrderedDict[tuple[str, int], _QueryScores] = OrderedDict()
        self._prepared_lock = threading.Lock()

    # ----- profiles ------------------------------------------------------------------
    @_reading
    def __len__(self) -> int:
        return len(self._profile_rows)

    @_reading
    def __contains__(self, profile_id: object) -> bool:
        return profile_id in self._profile_rows

    @property
    def profile_ids(self) -> list[str]:
        with self._access.reading():
            return list(self._profile_rows)

    def add_profiles(self, profiles: Iterable[Profile]) -> None:
        """Add new profiles; documents are analysed and embedded in batches."""
        profiles = list(profiles)
        seen: set[str] = set()
        for profile in profiles:
            if profile.id in seen or profile.id in self:
                raise KeyError(f"profile {profile.id!r} is already in the index; use update")
            seen.add(profile.id)
        prepared = self._prepare_documents(profiles, reusable={})
        with self._access.writing():
            for profile in profiles:
                if profile.id in self._profile_rows:
                    raise KeyError(f"profile {profile.id!r} is already in the index; use update")
            self._insert(profiles, prepared)

    def _prepare_documents(
        self, profiles: list[Profile], reusable: dict[str, np.ndarray]
    ) -> tuple[list[str], np.ndarray, list[list[str]]]:
        """The documents' hashes, embeddings and terms: the slow part of an update, done
        before it takes the write lock."""
        texts = [document.full_text for p in profiles for document in p.documents]
        hashes = [_text_hash(text) for text in texts]
        vectors = self._vectors_for(texts, hashes, reusable)
        all_terms = self.analyzer.terms_many(texts)
        return hashes, vectors, all_terms

    def _insert(
        self, profiles: list[Profile], prepared: tuple[list[str], np.ndarray, list[list[str]]]
    ) -> None:
        hashes, vectors, all_terms = prepared
        pending = [(p.id, d) for p in profiles for d in p.documents]
        rows_by_profile: dict[str, list[int]] = {p.id: [] for p in profiles}
        first_row = len(self._records)
        for (profile_id, document), terms, text_hash in zip(
            pending, all_terms, hashes, strict=True
        ):
            row = self._sparse.add(terms)
            lang = document.lang or detect_language(document.full_text)
            self._records.append(_DocumentRecord(profile_id, document, lang, text_hash))
            self._row_by_hash.setdefault(text_hash, row)
            rows_by_profile[profile_id].append(row)
        self._vectors = _append_rows(self._vectors, vectors, first_row)
        # Records of removed documents are None; they are never scored.
        korean = np.array(
            [r is not None and r.lang == "ko" for r in self._records[first_row:]], dtype=np.bool_
        )
        self._row_is_korean = np.concatenate([self._row_is_korean[:first_row], korean])
        for profile_id, rows in rows_by_profile.items():
            self._profile_rows[profile_id] = np.array(rows, dtype=np.int64)
        if self._approximate is not None:
            self._approximate.add(vectors, np.arange(first_row, len(self._records)))
        self._population_cache = None
        self._generation += 1

    def add_profile(self, profile: Profile) -> None:
        self.add_profiles([profile])

    def remove_profile(self, profile_id: str) -> None:
        """Remove a profile and its documents from every statistic."""
        with self._access.writing():
            self._remove(profile_id)

    def _remove(self, profile_id: str) -> None:
        rows = self._profile_rows.pop(profile_id, None)
        if rows is None:
            raise KeyError(f"profile {profile_id!r} is not in the index")
        for row in rows:
            record = self._records[row]
            assert record is not None
            self._sparse.remove(int(row))
            self._records[row] = None
            if self._row_by_hash.get(record.text_hash) == row:
                del self._row_by_hash[record.text_hash]
        self._population_cache = None
        self._generation += 1

    def update_profile(self, profile: Profile) -> None:
        """Replace a profile's documents (or add it); unchanged texts keep their embeddings."""
        with self._access.reading():
            kept = {
                record.text_hash: self._vectors[row]
                for row in self._profile_rows.get(profile.id, ())
                if (record := self._records[row]) is not None
            }
        prepared = self._prepare_documents([profile], reusable=kept)
        with self._access.writing():  # searches see the old profile or the new one
            if profile.id in self._profile_rows:
                self._remove(profile.id)
            self._insert([profile], prepared)

    def optimise(self) -> None:
        """Prepare for fast searches now rather than on the first one.

        Builds the BM25 postings and, from ``APPROXIMATE_SEARCH_FROM`` documents on, an
        approximate (IVF) vector index that finds the best documents by embedding without
        reading every vector; their profiles are then rescored exactly.
        """
        with self._access.writing():
            self._optimise()

    def _optimise(self) -> None:
        self._sparse.scores([])
        live = [row for row, record in enumerate(self._records) if record is not None]
        if len(live) >= APPROXIMATE_SEARCH_FROM and self.config.normalisation == "query":
            rows = np.array(live, dtype=np.int64)
            self._approximate = ApproximateVectorSearch(self._vectors[rows], rows)
        else:
            self._approximate = None
        self._generation += 1

    @_reading
    def profile(self, profile_id: str) -> Profile:
        """The profile as it was given (documents in order)."""
        rows = self._profile_rows.get(profile_id)
        if rows is None:
            raise KeyError(f"profile {profile_id!r} is not in the index")
        return Profile(profile_id, tuple(self._record(row).document for row in rows))

    # ----- scoring -------------------------------------------------------------------
    @_reading
    def search(
        self,
        query: Query | str,
        top_k: int = 10,
        profile_ids: Collection[str] | None = None,
        explain: bool = True,
        sentences: bool = True,
    ) -> list[Match]:
        """The ``top_k`` profiles that know most about ``query``, best first.

        ``profile_ids`` restricts the answer to those profiles (scores stay comparable with
        an unrestricted search, because the normalisation always uses the whole index).
        ``sentences=False`` leaves out a best sentence that only the embedder could find
        (no word shared): the costly part of an explanation, for callers that only filter
        or rank and explain the few results they show with :meth:`explain`.
        """
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, got {top_k}")
        query = _as_query(query)
        prepared = self._prepared(query)
        if profile_ids is not None:
            unknown = [pid for pid in profile_ids if pid not in self._profile_rows]
            if unknown:
                raise KeyError(f"profiles not in the index: {', '.join(map(str, unknown[:5]))}")
            candidates = list(dict.fromkeys(profile_ids))
        elif len(self._profile_rows) <= self.config.normalisation_sample:
            candidates = list(self._profile_rows)
        else:
            candidates = self._candidate_profiles(prepared)
        scores = self._final_scores(prepared, candidates)
        best = np.argsort(-scores, kind="stable")[:top_k]
        return self._matches(
            query, prepared, [(candidates[i], float(scores[i])) for i in best], explain, sentences
        )

    @_reading
    def score_pairs(
        self, query: Query | str, profile_ids: Sequence[str], explain: bool = True
    ) -> list[Match]:
        """Scores of one query against the given profiles, in the order given."""
        query = _as_query(query)
        unknown = [pid for pid in profile_ids if pid not in self._profile_rows]
        if unknown:
            raise KeyError(f"profiles not in the index: {', '.join(map(str, unknown[:5]))}")
        prepared = self._prepared(query)
        scores = self._final_scores(prepared, list(profile_ids))
        return self._matches(
            query,
            prepared,
            [(pid, float(score)) for pid, score in zip(profile_ids, scores, strict=True)],
            explain,
            sentences=True,
        )

    @_reading
    def explain(self, query: Query | str, profile_id: str) -> Explanation:
        """Why ``profile_id`` scores as it does for ``query``."""
        match = self.score_pairs(query, [profile_id], explain=True)[0]
        assert match.explanation is not None
        return match.explanation

    # ----- scores for callers that rank and explain in their own way -----------------
    @_reading
    def channel_scores(self, query: Query | str, profile_ids: Sequence[str]) -> ChannelScores:
        """The scores of ``query`` for ``profile_ids`` (in that order), without explanations.

        For a caller that counts and ranks every related profile and explains only the few
        it shows (:meth:`document_scores`); both calls share one preparation of the query.
        """
        query = _as_query(query)
        profile_ids = list(profile_ids)
        unknown = [pid for pid in profile_ids if pid not in self._profile_rows]
        if unknown:
            raise KeyError(f"profiles not in the index: {', '.join(map(str, unknown[:5]))}")
        prepared = self._prepared(query)
        sparse, dense = self._channel_scores(prepared, profile_ids)
        return ChannelScores(profile_ids, self._final_scores(prepared, profile_ids), sparse, dense)

    @_reading
    def document_scores(self, query: Query | str, profile_id: str) -> list[DocumentScore]:
        """Every document of ``profile_id`` scored for ``query``, in the profile's order."""
        query = _as_query(query)
        rows = self._profile_rows.get(profile_id)
        if rows is None:
            raise KeyError(f"profile {profile_id!r} is not in the index")
        if len(rows) == 0:
            return []
        prepared = self._prepared(query)
        weight = self._sparse_weights(prepared, rows, np.arange(len(rows)), len(rows))
        sparse = prepared.sparse[rows]
        dense = self._dense(prepared, rows)
        mixed = weight * prepared.sparse_statistics.standardise(sparse) + (
            1 - weight
        ) * prepared.dense_statistics.standardise(dense)
        scored = []
        for position, row in enumerate(rows):
            record = self._record(int(row))
            shared = (
                self._sparse.contributions(prepared.terms, int(row)) if sparse[position] else {}
            )
            scored.append(
                DocumentScore(
                    record.document,
                    record.lang,
                    float(mixed[position]),
                    float(sparse[position]),
                    float(dense[position]),
                    shared,
                )
            )
        return scored

    @_reading
    def score_matrix(
        self,
        queries: Sequence[Query],
        profile_ids: Sequence[str],
        *,
        query_vectors: np.ndarray | None = None,
        query_terms: Sequence[Sequence[tuple[str, str]]] | None = None,
        documents: Mapping[str, Collection[str]] | None = None,
    ) -> ScoreMatrix:
        """Every query scored against every profile, as :meth:`score_pairs` scores them.

        The batch form for assignment problems (a thousand applications against hundreds
        of reviewers): the queries are analysed and embedded in one batch, or their
        embeddings are given (``query_vectors``, one row per query, e.g. stored when each
        application was submitted), and the cosines come from one matrix product.
        ``query_terms`` may give each query's analysed terms, as
        ``TextAnalyzer.terms_with_words_many`` returns them (also stored when the query's text
        was written), so that the queries are not analysed again.
        ``documents`` narrows a profile to some of its documents (by document id: a
        reviewer's chosen evidence); a profile it names with none of its documents left
        scores as a profile without documents. Explanations are made on demand
        (:meth:`ScoreMatrix.explain`).
        """
        unknown = [pid for pid in profile_ids if pid not in self._profile_rows]
        if unknown:
            raise KeyError(f"profiles not in the index: {', '.join(map(str, unknown[:5]))}")
        texts = [query.full_text for query in queries]
        if query_vectors is None:
            query_vectors = self.embedder.embed_queries(texts)
        query_vectors = np.asarray(query_vectors, dtype=np.float32)
        if query_vectors.shape != (len(queries), self.embedder.dimension):
            raise ValueError(
                f"query_vectors must have shape ({len(queries)}, {self.embedder.dimension}), "
                f"got {query_vectors.shape}"
            )
        row_lists = []
        for profile_id in profile_ids:
            rows = self._profile_rows[profile_id]
            if documents is not None and profile_id in documents:
                allowed = set(documents[profile_id])
                rows = rows[[self._record(int(row)).document.id in allowed for row in rows]]
            row_lists.append(np.asarray(rows, dtype=np.int64))
        rows = np.concatenate(row_lists) if row_lists else np.zeros(0, dtype=np.int64)
        segments = np.repeat(np.arange(len(row_lists)), [len(r) for r in row_lists])
        count = len(profile_ids)
        languages = [detect_language(text) for text in texts]
        cosines = self._cosine_matrix(rows, query_vectors, languages)
        if query_terms is not None and len(query_terms) != len(queries):
            raise ValueError(
                f"query_terms must have one entry per query ({len(queries)}), "
                f"got {len(query_terms)}"
            )
        read = (
            [[(str(term), str(word)) for term, word in found] for found in query_terms]
            if query_terms is not None
            else self.analyzer.terms_with_words_many(texts)
        )
        scores = np.zeros((len(queries), count), dtype=np.float64)
        prepared_queries = []
        for position, query in enumerate(queries):
            terms = [term for term, _ in read[position]]
            prepared = self._prepare(
                query, terms=terms, vector=query_vectors[position], dense_later=True
            )
            prepared.surface_forms = {}
            for term, word in read[position]:
                prepared.surface_forms.setdefault(term, word)
            dense_rows = cosines[position] if prepared.dense is None else None
            scores[position] = self._scores_over(prepared, rows, segments, count, dense_rows)
            prepared_queries.append(prepared)
        return ScoreMatrix(
            index=self,
            query_ids=tuple(query.id for query in queries),
            profile_ids=tuple(profile_ids),
            scores=scores,
            rows=tuple(row_lists),
            prepared=tuple(prepared_queries),
            cosines=cosines,
            row_offsets=np.concatenate([[0], np.cumsum([len(r) for r in row_lists])]),
        )

    @_reading
    def _pair_explanation(
        self,
        prepared: _QueryScores,
        rows: np.ndarray,
        cosines: np.ndarray,
    ) -> Explanation:
        """A quick explanation from the documents at ``rows``: the best one, the shared terms
        (as the query's words), no best sentence (that needs reading every sentence)."""
        if len(rows) == 0:
            return Explanation([], None, None, None, 0.0, 0.0)
        segments = np.zeros(len(rows), dtype=np.int64)
        weight = self._sparse_weights(prepared, rows, segments, 1)
        sparse = prepared.sparse[rows]
        per_document = weight * prepared.sparse_statistics.standardise(sparse) + (
            1 - weight
        ) * prepared.dense_statistics.standardise(cosines)
        best = int(np.argmax(per_document))
        record = self._record(int(rows[best]))
        if prepared.term_ids is None:
            prepared.term_ids = self._sparse.term_weights(prepared.terms)[0]
        contributions: dict[str, float] = {}
        for row in rows[np.argsort(-sparse)[:3]]:
            if prepared.sparse[row] <= 0:
                continue  # shares no term with the query
            for term, value in self._sparse.contributions_of_ids(
                prepared.term_ids, int(row)
            ).items():
                contributions[term] = contributions.get(term, 0.0) + value
        shared = sorted(contributions, key=lambda term: -contributions[term])
        surfaces = prepared.surface_forms or {}
        words = list(dict.fromkeys(surfaces.get(term, term) for term in shared))
        return Explanation(
            shared_terms=words[:_SHARED_TERMS_SHOWN],
            best_document_id=record.document.id,
            best_document_title=record.document.title or None,
            best_sentence=None,
            sparse_score=_aggregate_one(sparse, self.config.sparse_aggregation),
            dense_score=_aggregate_one(cosines, self.config.dense_aggregation),
        )

    # ----- persistence ---------------------------------------------------------------
    def save(self, folder: str | Path) -> None:
        """Write the index to ``folder`` (created if missing), compacting removed rows first."""
        with self._access.writing():
            self._save(folder)

    def _save(self, folder: str | Path) -> None:
        self._compact()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {
            "format_version": INDEX_FORMAT_VERSION,
            "embedder": self.embedder.name,
            "dimension": self.embedder.dimension,
            "config": self.config.to_dict(),
            "profiles": len(self._profile_rows),
            "documents": len(self._records),
        }
        np.save(folder / "vectors.npy", self._vectors[: len(self._records)])
        np.savez(folder / "sparse.npz", **self._sparse.state())  # type: ignore[arg-type]
        with open(folder / "documents.jsonl", "w", encoding="utf-8") as out:
            for record in self._records:
                assert record is not None
                document = record.document
                line = {
                    "profile": record.profile_id,
                    "id": document.id,
                    "title": document.title,
                    "text": document.text,
                    "lang": record.lang,
                    "given_lang": document.lang,
                    "hash": record.text_hash,
                }
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        with open(folder / "profiles.json", "w", encoding="utf-8") as out:
            json.dump({pid: rows.tolist() for pid, rows in self._profile_rows.items()}, out)
        # The manifest goes last: a folder without one was never completely written.
        (folder / _MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")

    @classmethod
    def load(
        cls,
        folder: str | Path,
        embedder: Embedder | None = None,
        analyzer: TextAnalyzer | None = None,
    ) -> ExpertiseIndex:
        """Read an index written by :meth:`save`.

        Raises :class:`IndexCompatibilityError` when the folder holds no index, was written
        by another format version, or with another embedding model than ``embedder``.
        """
        manifest = read_manifest(folder)
        folder = Path(folder)
        if embedder is None:
            embedder = create_embedder(_embedder_kind(manifest["embedder"]))
        if manifest["embedder"] != embedder.name:
            raise IndexCompatibilityError(
                f"{folder} was built with the embedding model {manifest['embedder']}, "
                f"not {embedder.name}; rebuild the index for this model"
            )
        index = cls(embedder, ScoringConfig.from_dict(manifest["config"]), analyzer)
        with np.load(folder / "sparse.npz", allow_pickle=True) as state:
            index._sparse = BM25Index.from_state(dict(state))
        index._vectors = np.load(folder / "vectors.npy")
        with open(folder / "documents.jsonl", encoding="utf-8") as lines:
            for line in lines:
                data = json.loads(line)
                document = Document(data["id"], data["text"], data["title"], data["given_lang"])
                index._records.append(
                    _DocumentRecord(data["profile"], document, data["lang"], data["hash"])
                )
        with open(folder / "profiles.json", encoding="utf-8") as source:
            index._profile_rows = {
                pid: np.array(rows, dtype=np.int64) for pid, rows in json.load(source).items()
            }
        for row, record in enumerate(index._records):
            if record is not None:
                index._row_by_hash.setdefault(record.text_hash, row)
        index._row_is_korean = np.array([r is not None and r.lang == "ko" for r in index._records])
        return index

    # ----- internals -----------------------------------------------------------------
    def _record(self, row: int) -> _DocumentRecord:
        record = self._records[row]
        assert record is not None
        return record

    def _vectors_for(
        self, texts: list[str], hashes: list[str], reusable: dict[str, np.ndarray]
    ) -> np.ndarray:
        """Embeddings for new documents, reusing those of identical texts already held."""
        vectors = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._access.reading():
            for i, text_hash in enumerate(hashes):
                if text_hash in reusable:
                    vectors[i] = reusable[text_hash]
                elif text_hash in self._row_by_hash:
                    vectors[i] = self._vectors[self._row_by_hash[text_hash]]
                else:
                    missing.setdefault(text_hash, []).append(i)
        if missing:
            positions = [indices[0] for indices in missing.values()]
            embedded = self.embedder.embed_documents([texts[i] for i in positions])
            for indices, vector in zip(missing.values(), embedded, strict=True):
                vectors[indices] = vector
        return vectors

    def _prepared(self, query: Query) -> _QueryScores:
        """:meth:`_prepare`, remembered for a few queries until the index changes."""
        key = (query.full_text, self._generation)
        with self._prepared_lock:
            prepared = self._prepared_queries.get(key)
            if prepared is not None:
                self._prepared_queries.move_to_end(key)
                return prepared
        prepared = self._prepare(query)
        with self._prepared_lock:
            for stale in [k for k in self._prepared_queries if k[1] != self._generation]:
                del self._prepared_queries[stale]
            self._prepared_queries[key] = prepared
            while len(self._prepared_queries) > _PREPARED_QUERIES:
                self._prepared_queries.popitem(last=False)
        return prepared

    def _prepare(
        self,
        query: Query,
        terms: list[str] | None = None,
        vector: np.ndarray | None = None,
        dense_later: bool = False,
    ) -> _QueryScores:
        """What every profile's score for ``query`` needs. ``terms`` and ``vector`` may be
        given when computed in a batch; ``dense_later`` leaves the cosines to be computed
        for the rows scored only (query normalisation only)."""
        text = query.full_text
        language = detect_language(text)
        if terms is None:
            # A query keeps its compounds whole; only documents also give their parts.
            terms = self.analyzer.query_terms(text)
        counts = self.config.use_query_term_counts
        sparse = self._sparse.scores(terms, counts)
        if vector is None:
            vector = self._query_vector(text)
        dense: np.ndarray | None = None
        dense_candidates = None
        if dense_later and self.config.normalisation == "query":
            pass
        elif self._approximate is not None and self.config.normalisation == "query":
            dense_candidates = self._approximate.search(vector, _CANDIDATE_DOCUMENTS_PER_CHANNEL)
        else:
            dense = self._cosines(slice(0, len(self._records)), vector, language)
        if self.config.normalisation == "population":
            assert dense is not None
            _, sparse_population, dense_population = self._population(sparse, dense)
            sparse_statistics = ChannelStatistics.of(sparse_population)
            dense_statistics = ChannelStatistics.of(dense_population)
        else:
            sparse_statistics = ChannelStatistics(0.0, self._sparse.idf_mass(terms, counts) or 1.0)
            dense_statistics = ChannelStatistics(0.0, 1.0)
        return _QueryScores(
            terms,
            sparse,
            dense,
            sparse_statistics,
            dense_statistics,
            vector,
            language,
            dense_candidates,
            text,
        )

    def _query_vector(self, text: str) -> np.ndarray:
        """The query's embedding; a query asked again (other filters, explanations) reuses it."""
        vector = self._recent_queries.get(text)
        if vector is None:
            vector = self.embedder.embed_queries([text])[0]
            self._recent_queries[text] = vector
            if len(self._recent_queries) > _RECENT_QUERIES:
                self._recent_queries.popitem(last=False)
        else:
            self._recent_queries.move_to_end(text)
        return vector

    def _dense(self, prepared: _QueryScores, rows: np.ndarray) -> np.ndarray:
        """Cosines of the query with the documents at ``rows``."""
        if prepared.dense is not None:
            return prepared.dense[rows]
        return self._cosines(rows, prepared.vector, prepared.language)

    def _cosines(
        self, rows: np.ndarray | slice, vector: np.ndarray, language: Language
    ) -> np.ndarray:
        """Cosines of a query vector with the documents at ``rows``.

        An embedder of two parts (``english_dimension``: an English model beside a
        multilingual one) compares English with English by the English part, and any pair
        with Korean on a side by the multilingual part.
        """
        vectors = self._vectors[rows]
        split = getattr(self.embedder, "english_dimension", None)
        if split is None:
            return (vectors @ vector).astype(np.float64)
        multilingual = vectors[:, split:] @ vector[split:]
        if language != "en":
            return multilingual.astype(np.float64)
        english = vectors[:, :split] @ vector[:split]
        return np.where(self._row_is_korean[rows], multilingual, english).astype(np.float64)

    def _cosine_matrix(
        self, rows: np.ndarray, vectors: np.ndarray, languages: Sequence[Language]
    ) -> np.ndarray:
        """:meth:`_cosines` of many queries at once (one row per query), in matrix products."""
        documents = self._vectors[rows]
        split = getattr(self.embedder, "english_dimension", None)
        if split is None:
            return (vectors @ documents.T).astype(np.float64)
        multilingual = (vectors[:, split:] @ documents[:, split:].T).astype(np.float64)
        english = (vectors[:, :split] @ documents[:, :split].T).astype(np.float64)
        korean_rows = self._row_is_korean[rows]
        for position, language in enumerate(languages):
            if language == "en":
                multilingual[position] = np.where(
                    korean_rows, multilingual[position], english[position]
                )
        return multilingual

    def _population(
        self, sparse: np.ndarray, dense: np.ndarray
    ) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Aggregated channel scores of the profiles that set the per-query normalisation.

        All profiles, or above ``normalisation_sample`` profiles an evenly spread fixed
        subset of them (the mean and spread of a few thousand are as good as of all).
        """
        if self._population_cache is None:
            profile_ids = sorted(self._profile_rows)
            limit = self.config.normalisation_sample
            if len(profile_ids) > limit:
                step = len(profile_ids) / limit
                profile_ids = [profile_ids[int(i * step)] for i in range(limit)]
            rows, segments = self._segments(profile_ids)
            self._population_cache = (profile_ids, rows, segments)
        profile_ids, rows, segments = self._population_cache
        count = len(profile_ids)
        return (
            profile_ids,
            aggregate_segments(sparse[rows], segments, count, self.config.sparse_aggregation),
            aggregate_segments(dense[rows], segments, count, self.config.dense_aggregation),
        )

    def _segments(self, profile_ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        row_lists = [self._profile_rows[pid] for pid in profile_ids]
        if not row_lists:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        rows = np.concatenate(row_lists)
        segments = np.repeat(np.arange(len(row_lists)), [len(r) for r in row_lists])
        return rows, segments

    def _channel_scores(
        self, prepared: _QueryScores, profile_ids: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        rows, segments = self._segments(profile_ids)
        count = len(profile_ids)
        sparse = aggregate_segments(
            prepared.sparse[rows], segments, count, self.config.sparse_aggregation
        )
        dense = aggregate_segments(
            self._dense(prepared, rows), segments, count, self.config.dense_aggregation
        )
        return sparse, dense

    def _final_scores(self, prepared: _QueryScores, profile_ids: Sequence[str]) -> np.ndarray:
        return self._scores_over(prepared, *self._segments(profile_ids), len(profile_ids))

    def _scores_over(
        self,
        prepared: _QueryScores,
        rows: np.ndarray,
        segments: np.ndarray,
        count: int,
        dense_rows: np.ndarray | None = None,
    ) -> np.ndarray:
        """Profile scores from the documents at ``rows`` (``segments`` says whose);
        ``dense_rows`` holds their cosines when already computed."""
        config = self.config
        sparse = aggregate_segments(
            prepared.sparse[rows], segments, count, config.sparse_aggregation
        )
        cosines = dense_rows if dense_rows is not None else self._dense(prepared, rows)
        dense = aggregate_segments(cosines, segments, count, config.dense_aggregation)
        weight = self._sparse_weights(prepared, rows, segments, count)
        return weight * prepared.sparse_statistics.standardise(sparse) + (
            1 - weight
        ) * prepared.dense_statistics.standardise(dense)

    def _sparse_weights(
        self, prepared: _QueryScores, rows: np.ndarray, segments: np.ndarray, count: int
    ) -> np.ndarray:
        """BM25's weight per profile: the same-language and cross-language weights, mixed by
        the share of the profile's documents written in the query's language."""
        same = self._row_is_korean[rows] == (prepared.language == "ko")
        documents = np.bincount(segments, minlength=count)
        share_same = np.ones(count)
        np.divide(
            np.bincount(segments, weights=same, minlength=count),
            documents,
            out=share_same,
            where=documents > 0,
        )
        config = self.config
        return share_same * config.sparse_weight + (1 - share_same) * (
            config.cross_language_sparse_weight
        )

    def _candidate_profiles(self, prepared: _QueryScores) -> list[str]:
        rows: set[int] = set()
        channels = [prepared.sparse] + ([prepared.dense] if prepared.dense is not None else [])
        for channel in channels:
            limit = min(_CANDIDATE_DOCUMENTS_PER_CHANNEL, len(channel))
            if limit:
                rows.update(np.argpartition(-channel, limit - 1)[:limit].tolist())
        if prepared.dense_candidates is not None:
            rows.update(prepared.dense_candidates.tolist())
        owners = {record.profile_id for row in rows if (record := self._records[row]) is not None}
        return sorted(owners)

    def _matches(
        self,
        query: Query,
        prepared: _QueryScores,
        scored: list[tuple[str, float]],
        explain: bool,
        sentences: bool,
    ) -> list[Match]:
        if not explain:
            return [Match(query.id, pid, score, None) for pid, score in scored]
        explained = [self._explanation(prepared, pid) for pid, _ in scored]
        explanations = [explanation for explanation, _ in explained]
        if sentences:
            explanations = self._with_sentences_by_meaning(prepared, explained)
        return [
            Match(query.id, pid, score, explanation)
            for (pid, score), explanation in zip(scored, explanations, strict=True)
        ]

    def _with_sentences_by_meaning(
        self, prepared: _QueryScores, explained: list[tuple[Explanation, Document | None]]
    ) -> list[Explanation]:
        """Fill the best sentences only the embedder can find, embedding them in one batch."""
        explanations = [explanation for explanation, _ in explained]
        wanting = [
            (position, document)
            for position, (explanation, document) in enumerate(explained)
            if explanation.best_sentence is None and document is not None
        ]
        if not wanting:
            return explanations
        # One embedder call for every sentence needed (each call has a fixed cost).
        self._sentence_vectors(
            [
                sentence
                for _, document in wanting
                for sentence in split_sentences(document.text) or split_sentences(document.title)
            ]
        )
        result = list(explanations)
        for position, document in wanting:
            sentence = self._best_sentence(prepared, document, by_meaning=True)
            result[position] = dataclasses.replace(result[position], best_sentence=sentence)
        return result

    def _explanation(
        self, prepared: _QueryScores, profile_id: str
    ) -> tuple[Explanation, Document | None]:
        """The explanation, with a best sentence only where words are shared, and its document."""
        rows = self._profile_rows[profile_id]
        sparse_agg, dense_agg = self._channel_scores(prepared, [profile_id])
        if len(rows) == 0:
            empty = Explanation([], None, None, None, float(sparse_agg[0]), float(dense_agg[0]))
            return empty, None
        weight = self._sparse_weights(prepared, rows, np.arange(len(rows)), len(rows))
        per_document = weight * prepared.sparse_statistics.standardise(prepared.sparse[rows]) + (
            1 - weight
        ) * prepared.dense_statistics.standardise(self._dense(prepared, rows))
        best_row = int(rows[int(np.argmax(per_document))])
        record = self._record(best_row)
        # Shared terms: those contributing most to BM25, over the profile's best documents.
        contributions: dict[str, float] = {}
        for row in rows[np.argsort(-prepared.sparse[rows])[:3]]:
            for term, value in self._sparse.contributions(prepared.terms, int(row)).items():
                contributions[term] = contributions.get(term, 0.0) + value
        shared = sorted(contributions, key=lambda term: -contributions[term])
        explanation = Explanation(
            shared_terms=self._as_words(shared[:_SHARED_TERMS_SHOWN], prepared, record.document),
            best_document_id=record.document.id,
            best_document_title=record.document.title or None,
            best_sentence=self._best_sentence(prepared, record.document, by_meaning=False),
            sparse_score=float(sparse_agg[0]),
            dense_score=float(dense_agg[0]),
        )
        return explanation, record.document

    def _as_words(self, terms: list[str], prepared: _QueryScores, document: Document) -> list[str]:
        """Terms as the words a reader recognises ("verif" -> "verification").

        The best document's own word comes first, so the reader can find it there; every
        shared term is also one of the query's, which gives the fallback.
        """
        if prepared.surface_forms is None:
            prepared.surface_forms = self.analyzer.surface_forms(prepared.text)
        in_document = self.analyzer.surface_forms(document.full_text)
        words = [in_document.get(term) or prepared.surface_forms.get(term, term) for term in terms]
        return list(dict.fromkeys(words))

    def _best_sentence(
        self, prepared: _QueryScores, document: Document, by_meaning: bool = True
    ) -> str | None:
        sentences = split_sentences(document.text) or split_sentences(document.title)
        if not sentences:
            return None
        if len(sentences) == 1:
            return sentences[0]
        query_terms = set(prepared.terms)
        term_ids, _ = self._sparse.term_weights(list(query_terms))
        idf = dict(
            zip(
                (self._sparse.terms_by_id[i] for i in term_ids),
                self._sparse.idf(term_ids),
                strict=True,
            )
        )
        overlap = np.array(
            [
                sum(idf.get(term, 0.0) for term in set(terms))
                for terms in self.analyzer.terms_many(sentences)
            ]
        )
        if overlap.max() > 0:
            return sentences[int(np.argmax(overlap))]
        if not by_meaning:
            return None
        # No shared words (a Korean need against an English paper): ask the embedder.
        similarities = self._sentence_vectors(sentences) @ prepared.vector
        return sentences[int(np.argmax(similarities))]

    def _sentence_vectors(self, sentences: list[str]) -> np.ndarray:
        """Embeddings of sentences, remembered (a bounded number) across searches."""
        if not sentences:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_cache]
        if missing:
            for sentence, vector in zip(
                missing, self.embedder.embed_documents(missing), strict=True
            ):
                self._sentence_cache[sentence] = vector
            while len(self._sentence_cache) > _SENTENCE_CACHE_SIZE:
                self._sentence_cache.popitem(last=False)
        for sentence in sentences:
            self._sentence_cache.move_to_end(sentence)
        return np.stack([self._sentence_cache[sentence] for sentence in sentences])

    def _compact(self) -> None:
        """Drop removed rows from every array, keeping row numbers dense."""
        if all(record is not None for record in self._records):
            return
        old_to_new = self._sparse.compact()
        live = old_to_new >= 0
        self._vectors = self._vectors[: len(self._records)][live]
        self._row_is_korean = self._row_is_korean[live]
        self._approximate = None  # row numbers changed; optimise() builds it again
        self._records = [record for record in self._records if record is not None]
        self._profile_rows = {pid: old_to_new[rows] for pid, rows in self._profile_rows.items()}
        self._row_by_hash = {}
        for row, record in enumerate(self._records):
            assert record is not None
            self._row_by_hash.setdefault(record.text_hash, row)
        self._population_cache = None
        self._generation += 1


def _aggregate_one(values: np.ndarray, aggregation: Aggregation) -> float:
    """What ``aggregate_segments`` gives one profile's documents, without its sorting of
    segments (an explanation asks for one profile at a time, thousands of times)."""
    if len(values) == 0:
        return 0.0
    scores = np.asarray(values, dtype=np.float64)
    if aggregation.method == "mean":
        return float(scores.mean())
    if aggregation.method == "max":
        return float(scores.max())
    if aggregation.method == "top_k_mean":
        return float(np.sort(scores)[::-1][: aggregation.k].mean())
    weights = np.exp((scores - scores.max()) / aggregation.temperature)
    return float((weights * scores).sum() / weights.sum())


def read_manifest(folder: str | Path) -> dict[str, Any]:
    """The manifest of a saved index, checked for the format version this engine reads."""
    path = Path(folder) / _MANIFEST
    if not path.is_file():
        raise IndexCompatibilityError(
            f"{folder} holds no saved expertise index ({_MANIFEST} missing)"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise IndexCompatibilityError(
            f"{path} is not a readable index manifest: {error}"
        ) from error
    found = manifest.get("format_version")
    if found != INDEX_FORMAT_VERSION:
        raise IndexCompatibilityError(
            f"{folder} was written by index format version {found}; this engine reads version "
            f"{INDEX_FORMAT_VERSION}. Rebuild the index."
        )
    return manifest


def _tuned_or_plain_config(embedder_name: str) -> ScoringConfig:
    try:
        return tuned_config(_embedder_kind(embedder_name))
    except IndexCompatibilityError:
        return ScoringConfig()  # an embedder of the caller's own, never measured here


def _embedder_kind(name: str) -> str:
    if name.startswith("all-MiniLM-L6-v2@"):
        return "minilm-use" if "+use-" in name else "minilm"
    if name.startswith("use-"):
        return "use"
    if name.startswith("multilingual-e5"):
        return "e5"
    raise IndexCompatibilityError(f"the index was built with an unknown embedding model {name!r}")


def _as_query(query: Query | str) -> Query:
    return query if isinstance(query, Query) else Query(id="query", text=query)


def _text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _append_rows(matrix: np.ndarray, rows: np.ndarray, first_row: int) -> np.ndarray:
    """Write ``rows`` at ``first_row``; the buffer doubles when full (amortised O(1) adds)."""
    needed = first_row + len(rows)
    if needed > len(matrix):
        grown = np.zeros((max(needed, 2 * len(matrix), 64), matrix.shape[1]), dtype=np.float32)
        grown[:first_row] = matrix[:first_row]
        matrix = grown
    matrix[first_row:needed] = rows
    return matrix
