"""``sangsaeng engine score``: expertise scores for queries against profiles, in batch.

Reads profiles and queries as JSON Lines, builds (or reuses) an expertise index, and
writes one line per scored (query, profile) pair with a readable explanation. The defaults
are the configuration chosen by cross-validation over the reviewers of the reviewer-expertise
development split (docs/engine.md), with the batch embedder ``minilm-use``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from sangsaeng.engine.embedders import (
    DEFAULT_BATCH_EMBEDDER,
    EMBEDDER_CHOICES,
    Embedder,
    create_embedder,
)
from sangsaeng.engine.index import (
    Document,
    ExpertiseIndex,
    IndexCompatibilityError,
    Profile,
    Query,
)
from sangsaeng.engine.jsonl import (
    JsonlError,
    field,
    identifier,
    read_jsonl,
    require_known,
    write_jsonl,
)
from sangsaeng.engine.scoring import ScoringConfig

EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score queries against expertise profiles (JSON Lines in, JSON Lines out)",
        description=(
            "Score each query against profiles by expertise: BM25 over Korean and English "
            "terms mixed with multilingual sentence embeddings, aggregated over each "
            "profile's documents. Give --top-k for the best profiles of every query, or "
            "--pairs for chosen (query, profile) pairs. Scores are comparable within one "
            "query; higher means more expert."
        ),
        epilog=(
            'profile line: {"id": "...", "documents": [{"id": "...", "title": "...", '
            '"text": "...", "lang": "ko"|"en"}]}  query line: {"id": "...", "title": "...", '
            '"text": "..."}  pair line: {"query": "...", "profile": "..."}'
        ),
    )
    parser.add_argument("--profiles", required=True, type=Path, help="profiles, JSON Lines")
    parser.add_argument("--queries", required=True, type=Path, help="queries, JSON Lines")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--top-k", type=int, metavar="K", help="write the K best profiles per query")
    mode.add_argument("--pairs", type=Path, help="score only these pairs, JSON Lines")
    parser.add_argument("--out", required=True, type=Path, help="output scores, JSON Lines")
    parser.add_argument(
        "--model",
        choices=EMBEDDER_CHOICES,
        default=DEFAULT_BATCH_EMBEDDER,
        help=(
            f"sentence embedding model (default: {DEFAULT_BATCH_EMBEDDER}: all-MiniLM-L6-v2 "
            "between English texts, multilingual USE whenever Korean is involved; 'use' is "
            "many times faster and slightly less accurate on English papers)"
        ),
    )
    parser.add_argument(
        "--index",
        type=Path,
        metavar="DIR",
        help="save the built index here; reuse it (updating changed profiles) when compatible",
    )
    parser.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace) -> int:
    if args.top_k is not None and args.top_k < 1:
        print(
            f"sangsaeng engine score: error: --top-k must be at least 1, got {args.top_k}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return score_files(
        profiles_path=args.profiles,
        queries_path=args.queries,
        out_path=args.out,
        top_k=args.top_k,
        pairs_path=args.pairs,
        embedder=lambda: create_embedder(args.model),
        index_folder=args.index,
    )


def score_files(
    *,
    profiles_path: Path,
    queries_path: Path,
    out_path: Path,
    top_k: int | None = None,
    pairs_path: Path | None = None,
    embedder: Callable[[], Embedder],
    index_folder: Path | None = None,
    config: ScoringConfig | None = None,
) -> int:
    """The command's whole run, callable in-process (the quality benchmark uses it).

    Exactly one of ``top_k`` and ``pairs_path`` is given. Returns the exit code: 0, or 2
    with the file, line and reason on stderr when an input line is malformed.
    """
    try:
        profiles = read_profiles(profiles_path)
        queries = read_queries(queries_path)
        pairs = read_pairs(pairs_path, queries, profiles) if pairs_path else None
    except ValueError as error:  # JsonlError included: file, line and reason
        print(f"sangsaeng engine score: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT

    index = _build_or_reuse_index(profiles, embedder(), index_folder, config)
    if pairs is None:
        assert top_k is not None
        matches = (
            match for query in queries.values() for match in index.search(query, top_k=top_k)
        )
    else:
        matches = (
            match
            for query_id, profile_ids in _group_pairs(pairs)
            for match in index.score_pairs(queries[query_id], profile_ids)
        )
    if str(out_path) != "-":
        Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    write_jsonl(out_path, (match.to_dict() for match in matches))
    return 0


def _build_or_reuse_index(
    profiles: dict[str, Profile],
    embedder: Embedder,
    folder: Path | None,
    config: ScoringConfig | None,
) -> ExpertiseIndex:
    index: ExpertiseIndex | None = None
    if folder is not None and (folder / "manifest.json").exists():
        try:
            index = ExpertiseIndex.load(folder, embedder)
            if config is not None and index.config != config:
                raise IndexCompatibilityError(f"{folder} was built with another scoring config")
        except IndexCompatibilityError as error:
            print(f"sangsaeng engine score: rebuilding the index: {error}", file=sys.stderr)
            index = None
    if index is None:
        index = ExpertiseIndex(embedder, config)
        index.add_profiles(profiles.values())
    else:
        _synchronise(index, profiles)
    if folder is not None:
        index.save(folder)
    return index


def _synchronise(index: ExpertiseIndex, profiles: dict[str, Profile]) -> None:
    """Bring a reused index in line with the profiles file, touching only what changed."""
    for profile_id in [pid for pid in index.profile_ids if pid not in profiles]:
        index.remove_profile(profile_id)
    for profile in profiles.values():
        if profile.id not in index:
            index.add_profile(profile)
        elif index.profile(profile.id) != profile:
            index.update_profile(profile)


def _group_pairs(pairs: list[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for query_id, profile_id in pairs:
        grouped.setdefault(query_id, []).append(profile_id)
    yield from grouped.items()


# ----- reading and checking the input files ------------------------------------------------
def read_profiles(path: Path) -> dict[str, Profile]:
    """Profiles by id, in file order; any bad line raises :class:`JsonlError`."""
    profiles: dict[str, Profile] = {}
    for line, record in read_jsonl(path):
        profile_id = identifier(record, "id", path=path, line=line)
        if profile_id in profiles:
            raise JsonlError(path, line, f"profile id {profile_id!r} appears twice")
        documents = field(record, "documents", list, path=path, line=line)
        parsed: list[Document] = []
        for position, document in enumerate(documents, start=1):
            parsed.append(_document(document, position, path, line))
        if len({document.id for document in parsed}) != len(parsed):
            raise JsonlError(path, line, f"profile {profile_id!r} repeats a document id")
        profiles[profile_id] = Profile(profile_id, tuple(parsed))
    return profiles


def _document(document: object, position: int, path: Path, line: int) -> Document:
    where = f"document {position}"
    if not isinstance(document, dict):
        raise JsonlError(path, line, f"{where} must be a JSON object")
    try:
        lang = field(document, "lang", str, path=path, line=line, default=None)
        if lang not in (None, "ko", "en"):
            raise JsonlError(path, line, f'"lang" must be "ko" or "en", got {lang!r}')
        return Document(
            id=identifier(document, "id", path=path, line=line),
            text=field(document, "text", str, path=path, line=line),
            title=field(document, "title", str, path=path, line=line, default=""),
            lang=lang,
        )
    except JsonlError as error:
        raise JsonlError(path, line, f"{where}: {error.reason}") from None


def read_queries(path: Path) -> dict[str, Query]:
    """Queries by id, in file order; any bad line raises :class:`JsonlError`."""
    queries: dict[str, Query] = {}
    for line, record in read_jsonl(path):
        query_id = identifier(record, "id", path=path, line=line)
        if query_id in queries:
            raise JsonlError(path, line, f"query id {query_id!r} appears twice")
        queries[query_id] = Query(
            id=query_id,
            text=field(record, "text", str, path=path, line=line),
            title=field(record, "title", str, path=path, line=line, default=""),
        )
    return queries


def read_pairs(
    path: Path, queries: dict[str, Query], profiles: dict[str, Profile]
) -> list[tuple[str, str]]:
    """(query id, profile id) pairs naming known queries and profiles."""
    pairs: list[tuple[str, str]] = []
    for line, record in read_jsonl(path):
        query_id = identifier(record, "query", path=path, line=line)
        profile_id = identifier(record, "profile", path=path, line=line)
        require_known(query_id, queries, noun="query", source="queries", path=path, line=line)
        require_known(profile_id, profiles, noun="profile", source="profiles", path=path, line=line)
        pairs.append((query_id, profile_id))
    return pairs
