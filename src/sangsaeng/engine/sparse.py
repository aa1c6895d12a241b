"""An incremental BM25 index over analysed terms.

The scores are bm25s's Lucene variant (Kamphuis et al., 2020), and a test checks them
against ``bm25s.BM25(method="lucene")`` on the same corpus. bm25s itself precomputes the
score of every (document, term) pair with the corpus's IDF baked in, so one new document
means a full rebuild; here the index keeps raw term counts and applies IDF and length
normalisation at query time. Adding, changing and removing documents then costs only
their own terms, and the scores always equal those of a fresh build over the live documents.

Documents are numbered rows. Rows of removed documents are dead until :meth:`compact`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

# Documents added since the last posting build are scored from a small side matrix; once
# they are this share of the index, the postings are rebuilt (amortised linear cost).
_TAIL_SHARE_BEFORE_REBUILD = 0.1
_TAIL_ROWS_ALWAYS_ALLOWED = 2048


@dataclass(frozen=True)
class BM25Parameters:
    """BM25's term-frequency saturation ``k1`` and length normalisation ``b``."""

    k1: float = 1.2
    b: float = 0.75

    def __post_init__(self) -> None:
        if self.k1 < 0 or not 0 <= self.b <= 1:
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, got k1={self.k1}, b={self.b}")


class BM25Index:
    """BM25 over rows of terms, with add and remove that never need a full rebuild."""

    def __init__(self, parameters: BM25Parameters | None = None) -> None:
        self.parameters = parameters or BM25Parameters()
        self.vocabulary: dict[str, int] = {}
        self.terms_by_id: list[str] = []
        self._row_terms: list[np.ndarray] = []  # term ids of each row (unique, sorted)
        self._row_counts: list[np.ndarray] = []  # their counts
        self._lengths = np.zeros(0, dtype=np.float32)
        self._live = np.zeros(0, dtype=bool)
        self._doc_freq = np.zeros(0, dtype=np.int64)
        self._live_count = 0
        self._live_length_sum = 0.0
        self._postings: sparse.csr_matrix | None = None  # terms x rows, rows < _indexed_rows
        self._indexed_rows = 0
        self._tail: sparse.csr_matrix | None = None

    # ----- changes -------------------------------------------------------------------
    def add(self, terms: Sequence[str]) -> int:
        """Index one document's terms; return its row."""
        counts = Counter(terms)
        ids = np.fromiter(
            (self._term_id(term) for term in counts), dtype=np.int64, count=len(counts)
        )
        values = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        order = np.argsort(ids)
        ids, values = ids[order], values[order]
        row = len(self._row_terms)
        self._row_terms.append(ids)
        self._row_counts.append(values)
        length = float(values.sum())
        self._lengths = _append(self._lengths, length)
        self._live = _append(self._live, True)
        if len(self._doc_freq) < len(self.terms_by_id):
            self._doc_freq = np.concatenate(
                [self._doc_freq, np.zeros(len(self.terms_by_id) - len(self._doc_freq), np.int64)]
            )
        self._doc_freq[ids] += 1
        self._live_count += 1
        self._live_length_sum += length
        self._tail = None
        return row

    def add_many(self, documents: Iterable[Sequence[str]]) -> list[int]:
        """Index several documents; return their rows in order."""
        return [self.add(terms) for terms in documents]

    def remove(self, row: int) -> None:
        """Forget one row; its terms no longer count in document frequencies."""
        if not 0 <= row < len(self._live) or not self._live[row]:
            raise KeyError(f"row {row} is not a live document of this index")
        self._live[row] = False
        self._doc_freq[self._row_terms[row]] -= 1
        self._live_count -= 1
        self._live_length_sum -= float(self._lengths[row])

    @property
    def row_count(self) -> int:
        """Rows ever added (live or dead) since the last compaction."""
        return len(self._row_terms)

    @property
    def live_count(self) -> int:
        return self._live_count

    def is_live(self, row: int) -> bool:
        return bool(self._live[row])

    def row_terms(self, row: int) -> dict[str, float]:
        """The terms of one row with their counts."""
        return {
            self.terms_by_id[term_id]: float(count)
            for term_id, count in zip(self._row_terms[row], self._row_counts[row], strict=True)
        }

    # ----- scoring -------------------------------------------------------------------
    def idf(self, term_ids: np.ndarray) -> np.ndarray:
        """Lucene's IDF, log(1 + (N - df + 0.5) / (df + 0.5)), over live documents."""
        df = self._doc_freq[term_ids].astype(np.float64)
        n = float(self._live_count)
        return np.log1p((n - df + 0.5) / (df + 0.5))

    def term_weights(self, query_terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The known query terms as (term ids, query counts)."""
        counts = Counter(term for term in query_terms if term in self.vocabulary)
        ids = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        return ids, np.fromiter(counts.values(), dtype=np.float64, count=len(counts))

    def idf_mass(self, query_terms: Sequence[str], use_query_counts: bool = False) -> float:
        """The query's summed IDF: the BM25 limit of a document holding every query term
        very often, so ``scores / idf_mass`` is a share between 0 and 1."""
        term_ids, query_counts = self.term_weights(query_terms)
        if len(term_ids) == 0 or self._live_count == 0:
            return 0.0
        return float((self.idf(term_ids) * (query_counts if use_query_counts else 1.0)).sum())

    def scores(self, query_terms: Sequence[str], use_query_counts: bool = False) -> np.ndarray:
        """BM25 of the query against every row (0 for dead rows and rows sharing no term).

        ``use_query_counts`` weights a term by how often the query repeats it, which helps
        long queries (a whole abstract) say what they are mostly about.
        """
        result = np.zeros(self.row_count, dtype=np.float64)
        term_ids, query_counts = self.term_weights(query_terms)
        if len(term_ids) == 0 or self._live_count == 0:
            return result
        weights = self.idf(term_ids) * (query_counts if use_query_counts else 1.0)
        k1, b = self.parameters.k1, self.parameters.b
        average_length = self._live_length_sum / self._live_count
        # The length part of BM25's denominator, once per row rather than once per posting.
        length_norm = (k1 * ((1 - b) + b * self._lengths / average_length)).astype(np.float32)
        self._ensure_postings()
        assert self._postings is not None
        for matrix, offset in ((self._postings, 0), (self._tail_matrix(), self._indexed_rows)):
            if matrix is None or matrix.shape[1] == 0:
                continue
            for term_id, weight in zip(term_ids, weights, strict=True):
                if term_id >= matrix.shape[0]:
                    continue
                start, end = matrix.indptr[term_id], matrix.indptr[term_id + 1]
                rows = matrix.indices[start:end] + offset
                tf = matrix.data[start:end]
                # a row appears once per term, so this fancy-index add is exact
                result[rows] += weight * (tf / (length_norm[rows] + tf))
        result[~self._live] = 0.0
        return result

    def contributions(self, query_terms: Sequence[str], row: int) -> dict[str, float]:
        """Each shared term's share of one row's BM25 score (for explanations)."""
        return self.contributions_of_ids(self.term_weights(query_terms)[0], row)

    def contributions_of_ids(self, term_ids: np.ndarray, row: int) -> dict[str, float]:
        """:meth:`contributions` for query terms already looked up (``term_weights``), so
        that explaining many rows for one query looks its terms up once."""
        if len(term_ids) == 0 or not self._live[row]:
            return {}
        row_ids, row_counts = self._row_terms[row], self._row_counts[row]
        shared, _, row_at = np.intersect1d(term_ids, row_ids, return_indices=True)
        if len(shared) == 0:
            return {}
        k1, b = self.parameters.k1, self.parameters.b
        average_length = self._live_length_sum / self._live_count
        tf = row_counts[row_at].astype(np.float64)
        length_norm = k1 * ((1 - b) + b * self._lengths[row] / average_length)
        values = self.idf(shared) * tf / (length_norm + tf)
        return {
            self.terms_by_id[term_id]: float(value)
            for term_id, value in zip(shared, values, strict=True)
        }

    # ----- housekeeping --------------------------------------------------------------
    def compact(self) -> np.ndarray:
        """Drop dead rows and unused terms; return old-row -> new-row (-1 for dropped rows)."""
        old_to_new = np.full(self.row_count, -1, dtype=np.int64)
        live_rows = np.flatnonzero(self._live)
        old_to_new[live_rows] = np.arange(len(live_rows))
        used = np.flatnonzero(self._doc_freq > 0)
        term_map = np.full(len(self.terms_by_id), -1, dtype=np.int64)
        term_map[used] = np.arange(len(used))
        self.terms_by_id = [self.terms_by_id[i] for i in used]
        self.vocabulary = {term: i for i, term in enumerate(self.terms_by_id)}
        self._row_terms = [term_map[self._row_terms[r]] for r in live_rows]
        self._row_counts = [self._row_counts[r] for r in live_rows]
        self._lengths = self._lengths[live_rows]
        self._live = np.ones(len(live_rows), dtype=bool)
        self._doc_freq = self._doc_freq[used]
        self._postings, self._indexed_rows, self._tail = None, 0, None
        return old_to_new

    def state(self) -> dict[str, np.ndarray]:
        """Arrays that :meth:`from_state` restores the index from (for saving)."""
        lengths_per_row = np.fromiter(
            (len(ids) for ids in self._row_terms), dtype=np.int64, count=self.row_count
        )
        return {
            "row_offsets": np.concatenate([[0], np.cumsum(lengths_per_row)]).astype(np.int64),
            "row_terms": _concat(self._row_terms, np.int64),
            "row_counts": _concat(self._row_counts, np.float32),
            "live": self._live.copy(),
            "vocabulary": np.array(self.terms_by_id, dtype=object),
            "parameters": np.array([self.parameters.k1, self.parameters.b]),
        }

    @classmethod
    def from_state(cls, state: dict[str, np.ndarray]) -> BM25Index:
        k1, b = (float(x) for x in state["parameters"])
        index = cls(BM25Parameters(k1=k1, b=b))
        index.terms_by_id = [str(term) for term in state["vocabulary"]]
        index.vocabulary = {term: i for i, term in enumerate(index.terms_by_id)}
        offsets = state["row_offsets"]
        index._row_terms = [
            state["row_terms"][offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)
        ]
        index._row_counts = [
            state["row_counts"][offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)
        ]
        index._lengths = np.array([c.sum() for c in index._row_counts], dtype=np.float32)
        index._live = state["live"].astype(bool)
        index._doc_freq = np.zeros(len(index.terms_by_id), dtype=np.int64)
        for row in np.flatnonzero(index._live):
            index._doc_freq[index._row_terms[row]] += 1
        index._live_count = int(index._live.sum())
        index._live_length_sum = float(index._lengths[index._live].sum())
        return index

    def _term_id(self, term: str) -> int:
        term_id = self.vocabulary.get(term)
        if term_id is None:
            term_id = len(self.terms_by_id)
            self.vocabulary[term] = term_id
            self.terms_by_id.append(term)
        return term_id

    def _ensure_postings(self) -> None:
        tail_rows = self.row_count - self._indexed_rows
        allowed = max(_TAIL_ROWS_ALWAYS_ALLOWED, _TAIL_SHARE_BEFORE_REBUILD * self._indexed_rows)
        if self._postings is None or tail_rows > allowed:
            self._postings = self._term_major(0, self.row_count)
            self._indexed_rows = self.row_count
            self._tail = None

    def _tail_matrix(self) -> sparse.csr_matrix | None:
        if self._indexed_rows == self.row_count:
            return None
        if self._tail is None:
            self._tail = self._term_major(self._indexed_rows, self.row_count)
        return self._tail

    def _term_major(self, first_row: int, end_row: int) -> sparse.csr_matrix:
        """A terms x rows matrix of counts for rows [first_row, end_row)."""
        row_ids = self._row_terms[first_row:end_row]
        matrix = sparse.csc_matrix(
            (
                _concat(self._row_counts[first_row:end_row], np.float32),
                _concat(row_ids, np.int64),
                np.concatenate([[0], np.cumsum([len(ids) for ids in row_ids])]).astype(np.int64),
            ),
            shape=(len(self.terms_by_id), end_row - first_row),
        )
        return matrix.tocsr()


def _append(array: np.ndarray, value: float | bool) -> np.ndarray:
    """``array`` plus one value; the buffer doubles when full, so n appends cost O(n)."""
    size = len(array)
    base = array.base if isinstance(array.base, np.ndarray) else array
    if size == len(base):
        grown = np.zeros(max(16, 2 * size), dtype=array.dtype)
        grown[:size] = array
        base = grown
    base[size] = value
    return base[: size + 1]


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
