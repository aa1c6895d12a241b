"""The platform's search index: the engine's indexes, kept in step with the database.

Each process holds one :class:`~sangsaeng.engine.index.ExpertiseIndex` in memory per
index the searchable models declare (:mod:`sangsaeng.search.registry`): today
``directory`` (experts, students and organisations) and ``needs`` (needs and offers). They
follow the database through :class:`~sangsaeng.search.models.IndexChange`, an
append-only log that signals write in the same transaction as the change. Before it
answers, :meth:`SearchIndex.current` applies every log entry it has not applied yet
(re-reading those records from the database: an update, or a removal when they are gone),
so a saved profile is searchable by the next search in every process.

A process starts from the newest snapshot under ``settings.ENGINE_INDEX_DIR`` (written by
``sangsaeng reindex`` and, every few hundred changes, by whichever process applied them)
and catches up from the log; without a usable snapshot it builds from the database.
docs/matching.md explains the design.

Beside the engine's indexes the process keeps the records' names
(:class:`~sangsaeng.search.names.NameTable`), read from the database when it starts and
kept in step by the same log, so the search box finds records by name and affiliation.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import ForeignKey
from django.utils import timezone

from sangsaeng.core.indexing import Searchable, profile_key
from sangsaeng.engine.embedders import Embedder, create_embedder
from sangsaeng.engine.index import ExpertiseIndex, Profile
from sangsaeng.engine.text import SEARCH_STOP_WORDS_EN, TextAnalyzer
from sangsaeng.search import registry
from sangsaeng.search.models import IndexChange
from sangsaeng.search.names import NameTable

logger = logging.getLogger(__name__)

# A log entry committed out of id order (a long transaction) is still applied if it is
# at most this old when a process looks.
LATE_COMMIT_WINDOW = datetime.timedelta(seconds=120)
# A process that has applied this many log entries since its snapshot writes a new one.
SNAPSHOT_EVERY_CHANGES = 500
_CURRENT_POINTER = "CURRENT"
# Query embeddings remembered by query text, for both indexes (each costs the embedder a
# fixed tenth of a second or so; people repeat searches, page through them, filter them).
QUERY_EMBEDDINGS_REMEMBERED = 1024
# Analyses of texts remembered (documents when they are indexed, queries): explaining a
# result reads its documents' words again. Enough for the demo cluster's every document.
ANALYSES_REMEMBERED = 8192


def search_analyzer() -> TextAnalyzer:
    """How the search app reads texts: compounds with their parts, identifiers however
    they are spaced or hyphenated, the usual English stop words (see sangsaeng.engine.text)."""
    return TextAnalyzer(
        kiwi_threads=settings.ENGINE_KIWI_THREADS,
        compound_parts=True,
        identifier_variants=True,
        english_stop_words=SEARCH_STOP_WORDS_EN,
        cache_size=ANALYSES_REMEMBERED,
    )


def analysis_fingerprint(analyzer: TextAnalyzer) -> str:
    """Names the analysis a snapshot's terms were read with: another one needs a rebuild."""
    settings_text = json.dumps(analyzer.settings(), sort_keys=True)
    return hashlib.sha1(settings_text.encode("utf-8")).hexdigest()[:16]


class QueryEmbeddingCache:
    """An embedder that remembers its last query embeddings by text (an LRU), shared by
    every index of the process; documents pass straight through."""

    def __init__(self, inner: Embedder, size: int = QUERY_EMBEDDINGS_REMEMBERED) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.size = size
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        # Whatever else the model tells the index (an embedder of two parts says where they
        # meet: english_dimension) is the model's.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_documents(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            known = {text: self._vectors.get(text) for text in texts}
            for text, vector in known.items():
                if vector is not None:
                    self._vectors.move_to_end(text)
        missing = [text for text, vector in known.items() if vector is None]
        if missing:
            embedded = self.inner.embed_queries(missing)
            with self._lock:
                for text, vector in zip(missing, embedded, strict=True):
                    known[text] = vector
                    self._vectors[text] = vector
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([known[text] for text in texts])  # type: ignore[misc]


def parse_profile_key(key: str) -> tuple[str, int]:
    subject, _, object_id = key.partition(":")
    return subject, int(object_id)


def _profiles_from_database(subject: str, ids: Iterable[int] | None = None) -> Iterator[Profile]:
    searchable = registry.by_subject(subject)
    records = searchable.queryset()
    if ids is not None:
        records = records.filter(pk__in=list(ids))
    yield from (searchable.profile(record) for record in records.iterator(chunk_size=500))


# --- the process's index ---------------------------------------------------------------


@dataclass
class _Position:
    """How far along the change log an index is."""

    last_id: int = 0
    # Ids at or below last_id applied late (see LATE_COMMIT_WINDOW), with their times.
    recent: dict[int, datetime.datetime] | None = None


class SearchIndex:
    """The directory and needs indexes of this process, caught up with the change log."""

    def __init__(self, folder: Path | None = None, embedder: Embedder | None = None) -> None:
        self.folder = Path(folder) if folder is not None else None
        self._embedder: Embedder | None = (
            embedder
            if embedder is None or isinstance(embedder, QueryEmbeddingCache)
            else QueryEmbeddingCache(embedder)
        )
        self._analyzer: TextAnalyzer | None = None
        self._lock = threading.RLock()
        self._indexes: dict[str, ExpertiseIndex] | None = None
        self._names = NameTable()
        self._position = _Position()
        self._applied_since_snapshot = 0
        self._follower: _Follower | None = None

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = QueryEmbeddingCache(create_embedder())
        return self._embedder

    @property
    def analyzer(self) -> TextAnalyzer:
        if self._analyzer is None:
            self._analyzer = search_analyzer()
        return self._analyzer

    @property
    def names(self) -> NameTable:
        """The names of the records, as current as the indexes after :meth:`current`."""
        return self._names

    def _new_index(self) -> ExpertiseIndex:
        return ExpertiseIndex(embedder=self.embedder, analyzer=self.analyzer)

    # ----- reading --------------------------------------------------------------------
    def current(self) -> dict[str, ExpertiseIndex]:
        """The indexes by name, with every committed change applied.

        Callers hold no lock while searching: searches only read, and a concurrent
        :meth:`current` in another thread updates under the lock. Once
        :meth:`follow_in_background` was called (web workers), the caller applies nothing
        itself: it asks this process's follower thread and waits for it a moment at most.
        """
        follower = self._follower
        if follower is not None:
            follower.catch_up()
            indexes = self._indexes
            if indexes is None:
                raise RuntimeError("the search index could not be loaded (see the log)")
            return dict(indexes)
        with self._lock:
            self._bring_up_to_date()
            assert self._indexes is not None
            return dict(self._indexes)

    def follow_in_background(self, wait: float) -> None:
        """From now on a thread of this process applies the change log, never a caller.

        A caller of :meth:`current` (a request) waits at most ``wait`` seconds for the
        changes committed so far, then searches what the index holds: one long text being
        indexed no longer holds up every search behind the index lock. (Until the index is
        first loaded there is nothing to search, and callers wait for it.)
        """
        self.stop_following()
        self._follower = _Follower(self, wait)

    def stop_following(self) -> None:
        """Callers of :meth:`current` catch up themselves again; the thread ends."""
        follower, self._follower = self._follower, None
        if follower is not None:
            follower.stop()

    def _bring_up_to_date(self) -> None:
        if self._indexes is None or self._log_was_reset():
            self._start()
        self._catch_up()

    def index_for(self, subject: str) -> ExpertiseIndex:
        """The current index that holds the records of ``subject``."""
        return self.current()[registry.by_subject(subject).index]

    @property
    def position(self) -> int:
        return self._position.last_id

    def reset(self) -> None:
        """Forget the in-memory indexes (the embedding model stays loaded)."""
        with self._lock:
            self._indexes = None
            self._names = NameTable()
            self._position = _Position()
            self._applied_since_snapshot = 0

    # ----- building -------------------------------------------------------------------
    def rebuild(self) -> None:
        """Build both indexes from the database, from scratch."""
        with self._lock:
            # Read the log position first: a change committed during the build is re-applied.
            last_id = IndexChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
            indexes = {name: self._new_index() for name in registry.index_names()}
            for searchable in registry.searchables():
                indexes[searchable.index].add_profiles(_profiles_from_database(searchable.subject))
            self._indexes = indexes
            self._names = _names_from_database()
            self._position = _Position(last_id=last_id, recent={})
            self._applied_since_snapshot = 0

    def _start(self) -> None:
        if self._load_snapshot():
            return
        self.rebuild()
        if self.folder is not None and (self.folder / _CURRENT_POINTER).is_file():
            # The snapshot CURRENT names was not usable: replace it, or every process that
            # starts would rebuild again.
            written = self.save_snapshot()
            logger.warning("search index rebuilt from the database; new snapshot %s", written)

    def _log_was_reset(self) -> bool:
        """True when the log no longer holds the entry we stopped at (a new or reset database)."""
        last_id = self._position.last_id
        return bool(last_id) and not IndexChange.objects.filter(id__gte=last_id).exists()

    def _catch_up(self) -> None:
        assert self._indexes is not None
        position = self._position
        recent = position.recent if position.recent is not None else {}
        now = timezone.now()
        horizon = now - LATE_COMMIT_WINDOW
        entries = list(
            IndexChange.objects.filter(id__gt=position.last_id).values_list(
                "id", "subject", "object_id", "created_at"
            )
        )
        entries += list(
            IndexChange.objects.filter(id__lte=position.last_id, created_at__gte=horizon)
            .exclude(id__in=list(recent))
            .values_list("id", "subject", "object_id", "created_at")
        )
        if not entries:
            return
        changed: dict[str, set[int]] = {}
        for entry_id, subject, object_id, created_at in entries:
            changed.setdefault(subject, set()).add(object_id)
            if created_at >= horizon:
                recent[entry_id] = created_at
        for subject, ids in changed.items():
            self._refresh(subject, ids)
        position.last_id = max(position.last_id, *(entry[0] for entry in entries))
        position.recent = {i: t for i, t in recent.items() if t >= horizon}
        self._applied_since_snapshot += len(entries)
        if self.folder is not None and self._applied_since_snapshot >= SNAPSHOT_EVERY_CHANGES:
            self.save_snapshot()

    def _refresh(self, subject: str, ids: set[int]) -> None:
        assert self._indexes is not None
        index = self._indexes[registry.by_subject(subject).index]
        found = {parse_profile_key(p.id)[1]: p for p in _profiles_from_database(subject, ids)}
        # Records new to the index are added in one batch: the embedder's cost is mostly per
        # call, so a burst of new records (a demo's, an import's) embeds in one go.
        new = [profile for profile in found.values() if profile.id not in index]
        if new:
            index.add_profiles(new)
        for object_id in ids:
            key = profile_key(subject, object_id)
            if object_id in found:
                if found[object_id] not in new:
                    index.update_profile(found[object_id])
            elif key in index:
                index.remove_profile(key)
        _read_names(self._names, registry.by_subject(subject), ids)

    # ----- snapshots ------------------------------------------------------------------
    def save_snapshot(self) -> Path | None:
        """Write both indexes and the log position to a new folder, then point CURRENT at it."""
        if self.folder is None:
            return None
        with self._lock:
            if self._indexes is None:
                self.rebuild()
            assert self._indexes is not None
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"snapshot-{self._position.last_id}-{uuid.uuid4().hex[:8]}"
            target = self.folder / name
            for key, index in self._indexes.items():
                index.save(target / key)
            state = {
                "last_change_id": self._position.last_id,
                "saved_at": timezone.now().isoformat(),
                "analysis": analysis_fingerprint(self.analyzer),
            }
            (target / "state.json").write_text(json.dumps(state), encoding="utf-8")
            pointer = self.folder / f".{_CURRENT_POINTER}.{uuid.uuid4().hex[:8]}"
            pointer.write_text(name, encoding="utf-8")
            os.replace(pointer, self.folder / _CURRENT_POINTER)  # atomic on POSIX
            self._applied_since_snapshot = 0
            self._remove_old_snapshots(keep=name)
            return target

    def _remove_old_snapshots(self, keep: str) -> None:
        assert self.folder is not None
        for old in self.folder.glob("snapshot-*"):
            if old.name != keep:
                shutil.rmtree(old, ignore_errors=True)

    def _load_snapshot(self) -> bool:
        if self.folder is None or not (self.folder / _CURRENT_POINTER).is_file():
            return False
        try:
            target = self.folder / (self.folder / _CURRENT_POINTER).read_text().strip()
            state = json.loads((target / "state.json").read_text(encoding="utf-8"))
            last_id = int(state["last_change_id"])
            # Terms read with another analysis would not meet the queries' terms.
            if state.get("analysis") != analysis_fingerprint(self.analyzer):
                return False
            # A snapshot of another database (or one whose log was reset) is useless here.
            if last_id and not IndexChange.objects.filter(id=last_id).exists():
                return False
            if not last_id and IndexChange.objects.exists():
                return False
            indexes = {
                key: ExpertiseIndex.load(target / key, self.embedder, self.analyzer)
                for key in registry.index_names()
            }
        except Exception as error:  # a damaged file fails in many ways: BadZipFile, EOFError…
            logger.warning(
                "search index snapshot %s not usable (%s: %s); rebuilding from the database",
                self.folder,
                type(error).__name__,
                error,
            )
            return False
        self._indexes = indexes
        self._names = _names_from_database()
        self._position = _Position(last_id=last_id, recent={})
        self._applied_since_snapshot = 0
        self._warm_analyses(list(indexes.values()))
        return True

    def _warm_analyses(self, indexes: list[ExpertiseIndex]) -> None:
        """Read the documents of a loaded snapshot once, in the background, so that the
        first searches explain their results from remembered analyses (a build reads every
        document anyway; a snapshot is loaded without reading any)."""
        analyzer = self.analyzer

        def warm() -> None:
            try:
                texts = [
                    document.full_text
                    for index in indexes
                    for profile_id in index.profile_ids
                    for document in index.profile(profile_id).documents
                ][: analyzer.cache_size]
                for start in range(0, len(texts), 200):
                    analyzer.terms_many(texts[start : start + 200])
            except Exception:  # a profile changed under us: warming is only a head start
                logger.debug("warming the analyses stopped early", exc_info=True)

        threading.Thread(target=warm, name="search-analyses", daemon=True).start()


# --- names ------------------------------------------------------------------------------


def _teaches_transliterations(searchable: Searchable) -> bool:
    """Records others belong to (organisations) have names that are translations of each
    other; people's names would only teach how each person spells theirs."""
    return any(
        other.affiliation is not None
        and other.model._meta.get_field(other.affiliation).related_model is searchable.model
        for other in registry.searchables()
    )


def _read_names(table: NameTable, searchable: Searchable, ids: Iterable[int] | None) -> None:
    """Put the names of ``searchable``'s records (all, or those of ``ids``) in ``table``."""
    if not searchable.name_fields:
        return
    records = searchable.model._default_manager.all()
    if ids is not None:
        ids = list(ids)
        records = records.filter(pk__in=ids)
    affiliation_subject = None
    columns = ["pk", *searchable.name_fields]
    if searchable.affiliation:
        field = searchable.model._meta.get_field(searchable.affiliation)
        assert isinstance(field, ForeignKey), f"{searchable.affiliation} is no foreign key"
        affiliation_subject = registry.for_model(field.related_model).subject  # type: ignore[arg-type]
        columns.append(field.attname)
    teaches = _teaches_transliterations(searchable)
    seen = set()
    for row in records.values_list(*columns).iterator(chunk_size=2000):
        object_id, names = row[0], row[1 : 1 + len(searchable.name_fields)]
        affiliation = None
        if affiliation_subject is not None and row[-1] is not None:
            affiliation = profile_key(affiliation_subject, row[-1])
        table.set(profile_key(searchable.subject, object_id), names, affiliation, teaches)
        seen.add(object_id)
    for object_id in set(ids or ()) - seen:
        table.remove(profile_key(searchable.subject, object_id))


def _names_from_database() -> NameTable:
    table = NameTable()
    for searchable in registry.searchables():
        _read_names(table, searchable, None)
    return table


class _Follower:
    """The thread that keeps one process's index caught up with the change log.

    Callers take a ticket and wait (at most ``wait`` seconds) until a round that began
    after they asked has finished; one round serves every caller that asked before it.
    """

    def __init__(self, index: SearchIndex, wait: float) -> None:
        self.index = index
        self.wait = wait
        self._condition = threading.Condition()
        self._asked = 0
        self._done = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="search-index-follower", daemon=True)
        self._thread.start()

    def catch_up(self) -> bool:
        """Ask for a round and wait for it; False when the wait ran out first."""
        with self._condition:
            self._asked += 1
            ticket = self._asked
            self._condition.notify_all()
            loaded = self.index._indexes is not None
            return self._condition.wait_for(
                lambda: self._done >= ticket, timeout=self.wait if loaded else None
            )

    @property
    def busy(self) -> bool:
        """Whether a round has been asked for and has not finished."""
        with self._condition:
            return self._asked > self._done

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._done = self._asked  # nobody waits for a round that will not come
            self._condition.notify_all()
        self._thread.join()

    def _run(self) -> None:
        try:
            while True:
                with self._condition:
                    self._condition.wait_for(lambda: self._stopped or self._asked > self._done)
                    if self._stopped:
                        return
                    target = self._asked
                close_old_connections()  # this thread's own connection, as a request would
                try:
                    with self.index._lock:
                        self.index._bring_up_to_date()
                except Exception:
                    logger.exception("the search index could not catch up; trying again later")
                with self._condition:
                    self._done = target
                    self._condition.notify_all()
        finally:
            connection.close()


_process_index: SearchIndex | None = None
_process_lock = threading.Lock()


def search_index() -> SearchIndex:
    """This process's index (created on first use, snapshots under ENGINE_INDEX_DIR)."""
    global _process_index
    with _process_lock:
        if _process_index is None:
            folder = getattr(settings, "ENGINE_INDEX_DIR", None)
            _process_index = SearchIndex(Path(folder) if folder else None)
        return _process_index


def record_change(subject: str, object_id: int) -> None:
    IndexChange.objects.create(subject=subject, object_id=object_id)


def prune_change_log(up_to_id: int) -> int:
    """Delete log entries older than ``up_to_id`` (kept: snapshots check that it exists)."""
    deleted, _ = IndexChange.objects.filter(id__lt=up_to_id).delete()
    return deleted
