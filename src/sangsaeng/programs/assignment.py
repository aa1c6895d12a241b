"""Computing a call's reviewer assignment with the engine (run by a background task).

From the eligible applications in the database to a saved proposal:

1. conflicts of interest are detected afresh and saved (``services.conflicts_refresh``);
2. each application's text becomes a query whose embedding and analysed terms were stored
   when it was submitted (:class:`~sangsaeng.programs.models.ApplicationVector`; missing ones
   are embedded and analysed now, in one batch);
3. every application is scored against every opted-in reviewer by the platform's search
   index, each reviewer narrowed to the evidence they chose (their profile and the chosen
   publications since the year they gave): Korean and English texts meet through the
   multilingual embedding;
4. the engine assigns (``engine.assignment.assign_reviewers``): bids as bonuses, active
   conflicts excluded, loads capped by the reviewer and the call, ``total`` or ``fair``, with
   ranked alternates per application;
5. the proposal is saved, each pair with its reason (the best evidence, shared words).

An infeasible problem is saved as facts the page puts in words (:func:`problems_of`).
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from django.db import transaction
from django.utils import timezone

from sangsaeng.directory.models import Publication
from sangsaeng.directory.search import PERSON, tag_names
from sangsaeng.engine.assignment import (
    AffinityMatrix,
    AssignmentInfeasible,
    BidKind,
    Item,
    Objective,
    Reviewer,
    assign_reviewers,
)
from sangsaeng.engine.assignment import Bid as EngineBid
from sangsaeng.engine.assignment import Conflict as EngineConflict
from sangsaeng.engine.embedders import Embedder
from sangsaeng.engine.index import Query
from sangsaeng.engine.text import TextAnalyzer
from sangsaeng.programs.models import (
    Application,
    ApplicationVector,
    AssignmentRun,
    Bid,
    Call,
    Conflict,
    FormField,
    ProposedReviewer,
    ReviewerProfile,
)
from sangsaeng.search.index import search_index

Progress = Callable[[int, str], None]
REASON_TERMS = 5


# --- the applications' texts and embeddings -----------------------------------------------


def application_query(application: Application, fields: Sequence[FormField]) -> Query:
    """What an application is about: its title, area and written answers (not its files)."""
    parts = []
    if application.area is not None:
        parts.append(tag_names([application.area]))
    answers = application.answers or {}
    for field in fields:
        value = answers.get(field.key)
        if value in (None, ""):
            continue
        if field.kind in FormField.TEXT_KINDS:
            parts.append(str(value))
        elif field.kind == FormField.Kind.CHOICE:
            parts.append(field.choice_label(value))
    return Query(id=f"application:{application.pk}", title=application.title, text="\n".join(parts))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def application_vectors(
    applications: Sequence[Application],
    queries: Sequence[Query],
    embedder: Embedder,
    analyzer: TextAnalyzer,
) -> tuple[np.ndarray, list[list[tuple[str, str]]]]:
    """The stored embedding and terms of each application's query (in order); those missing
    or outdated are embedded and analysed now, in one batch, and stored."""
    hashes = [text_hash(query.full_text) for query in queries]
    stored = {
        row.application_id: row
        for row in ApplicationVector.objects.filter(
            application_id__in=[a.pk for a in applications], model=embedder.name
        )
    }
    vectors = np.zeros((len(applications), embedder.dimension), dtype=np.float32)
    terms: list[list[tuple[str, str]]] = [[] for _ in applications]
    missing = []
    for position, (application, digest) in enumerate(zip(applications, hashes, strict=True)):
        row = stored.get(application.pk)
        if row is not None and row.text_hash == digest and row.terms:
            vectors[position] = np.frombuffer(bytes(row.vector), dtype=np.float32)
            terms[position] = [(term, word) for term, word in row.terms]
        else:
            missing.append(position)
    if missing:
        texts = [queries[p].full_text for p in missing]
        embedded = embedder.embed_queries(texts)
        analysed = analyzer.terms_with_words_many(texts)
        for position, vector, found in zip(missing, embedded, analysed, strict=True):
            vectors[position] = vector
            terms[position] = found
        store_vectors(
            [applications[p] for p in missing],
            [hashes[p] for p in missing],
            embedded,
            analysed,
            embedder,
        )
    return vectors, terms


def store_vectors(
    applications: Sequence[Application],
    hashes: Sequence[str],
    vectors: np.ndarray,
    terms: Sequence[Sequence[tuple[str, str]]],
    embedder: Embedder,
) -> None:
    ApplicationVector.objects.filter(application_id__in=[a.pk for a in applications]).delete()
    ApplicationVector.objects.bulk_create(
        ApplicationVector(
            application_id=application.pk,
            model=embedder.name,
            text_hash=digest,
            vector=np.asarray(vector, dtype=np.float32).tobytes(),
            terms=[list(pair) for pair in found],
        )
        for application, digest, vector, found in zip(
            applications, hashes, vectors, terms, strict=True
        )
    )


def embed_application(application: Application) -> None:
    """Store the embedding and terms of one submitted application (when it is submitted)."""
    fields = list(application.call.form_fields.all())
    query = application_query(application, fields)
    index = search_index()
    vector = index.embedder.embed_queries([query.full_text])
    terms = index.analyzer.terms_with_words_many([query.full_text])
    store_vectors([application], [text_hash(query.full_text)], vector, terms, index.embedder)


# --- the reviewers' evidence ---------------------------------------------------------------


def evidence_documents(reviewers: Sequence[ReviewerProfile]) -> dict[str, list[str]]:
    """Per reviewer (as the index's profile id), the documents that count as evidence: the
    profile itself and the chosen publications (all when none are chosen) since the year
    the reviewer gave."""
    chosen: dict[int, set[int]] = defaultdict(set)
    for reviewer_id, publication_id in ReviewerProfile.evidence.through.objects.filter(
        reviewerprofile_id__in=[r.pk for r in reviewers]
    ).values_list("reviewerprofile_id", "publication_id"):
        chosen[reviewer_id].add(publication_id)
    publications: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for person_id, publication_id, year in Publication.objects.filter(
        person_id__in=[r.person_id for r in reviewers]
    ).values_list("person_id", "pk", "year"):
        publications[person_id].append((publication_id, year))
    documents = {}
    for reviewer in reviewers:
        since = reviewer.evidence_since_year
        picked = chosen.get(reviewer.pk)
        kept = [
            f"publication:{publication_id}"
            for publication_id, year in publications.get(reviewer.person_id, ())
            if (not picked or publication_id in picked)
            and (since is None or (year is not None and year >= since))
        ]
        documents[f"{PERSON}:{reviewer.person_id}"] = [f"{PERSON}:{reviewer.person_id}", *kept]
    return documents


# --- the run -------------------------------------------------------------------------------


def assignable_applications(call: Call) -> list[Application]:
    """The applications a call's assignment covers: those screened in as eligible."""
    return list(
        Application.objects.filter(call=call, status=Application.Status.ELIGIBLE)
        .select_related("area", "organisation")
        .order_by("receipt_number", "pk")
    )


def reviewer_pool() -> list[ReviewerProfile]:
    """Every expert who opted in as a reviewer."""
    return list(ReviewerProfile.objects.filter(opted_in=True).order_by("pk"))


def load_cap(reviewer: ReviewerProfile, call: Call) -> int:
    return min(reviewer.max_load, call.reviewer_max_load)


def compute(run: AssignmentRun, progress: Progress, refresh_conflicts: Callable[[], Any]) -> None:
    """Compute and save ``run``'s proposal (or why there is none)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 3)
        return now

    call = run.call
    progress(5, "conflicts")
    refresh_conflicts()
    mark = lap("conflicts", started)
    applications = assignable_applications(call)
    reviewers = reviewer_pool()
    fields = list(call.form_fields.all())
    progress(20, "texts")
    queries = [application_query(application, fields) for application in applications]
    index = search_index().index_for(PERSON)
    vectors, terms = application_vectors(applications, queries, index.embedder, index.analyzer)
    mark = lap("embeddings", mark)
    progress(35, "fit")
    profile_ids = [f"{PERSON}:{reviewer.person_id}" for reviewer in reviewers]
    matrix = index.score_matrix(
        queries,
        profile_ids,
        query_vectors=vectors,
        query_terms=terms,
        documents=evidence_documents(reviewers),
    )
    mark = lap("affinities", mark)
    progress(70, "solving")
    application_ids = [a.pk for a in applications]
    reviewer_ids = [r.pk for r in reviewers]
    conflicts = [
        EngineConflict(str(application_id), str(reviewer_id), reason)
        for application_id, reviewer_id, reason in Conflict.objects.filter(
            application_id__in=application_ids, reviewer_id__in=reviewer_ids, lifted_at__isnull=True
        ).values_list("application_id", "reviewer_id", "reason")
    ]
    conflicts = list({(c.item, c.reviewer): c for c in conflicts}.values())
    bids = [
        EngineBid(str(application_id), str(reviewer_id), cast(BidKind, kind))
        for application_id, reviewer_id, kind in Bid.objects.filter(
            application_id__in=application_ids, reviewer_id__in=reviewer_ids
        ).values_list("application_id", "reviewer_id", "kind")
    ]
    per_application = call.reviewers_per_application
    items = [Item(str(pk), per_application, per_application) for pk in application_ids]
    pool = [Reviewer(str(r.pk), load_cap(r, call)) for r in reviewers]
    try:
        result = assign_reviewers(
            items,
            pool,
            AffinityMatrix.from_dense(matrix.scores),
            conflicts,
            objective=cast(Objective, run.objective),
            bids=bids,
            alternates=run.alternates,
        )
    except AssignmentInfeasible as infeasible:
        lap("solving", mark)
        _finish(
            run,
            AssignmentRun.Status.INFEASIBLE,
            problems=problems_of(infeasible, applications, pool, conflicts, per_application),
            summary={"timings": timings, "seconds": round(time.perf_counter() - started, 3)},
        )
        return
    mark = lap("solving", mark)
    progress(90, "saving")
    application_position = {str(pk): position for position, pk in enumerate(application_ids)}
    reviewer_position = {str(pk): position for position, pk in enumerate(reviewer_ids)}

    def reason(item: str, reviewer: str) -> dict[str, Any]:
        explanation = matrix.explain(application_position[item], reviewer_position[reviewer])
        return {
            "document": explanation.best_document_title,
            "profile": (explanation.best_document_id or "").startswith(f"{PERSON}:"),
            "terms": explanation.shared_terms[:REASON_TERMS],
        }

    rows = [
        ProposedReviewer(
            run=run,
            application_id=int(pair.item),
            reviewer_id=int(pair.reviewer),
            role=ProposedReviewer.Role.ASSIGNED,
            rank=0,
            score=pair.score,
            affinity=pair.affinity if pair.affinity is not None else pair.score,
            bid=pair.bid or "",
            reason=reason(pair.item, pair.reviewer),
        )
        for pair in result.pairs
    ]
    rows += [
        ProposedReviewer(
            run=run,
            application_id=int(alternate.item),
            reviewer_id=int(alternate.reviewer),
            role=ProposedReviewer.Role.ALTERNATE,
            rank=alternate.rank,
            score=alternate.score,
            affinity=alternate.affinity,
            bid=alternate.bid or "",
            reason=reason(alternate.item, alternate.reviewer),
        )
        for alternate in result.alternates
    ]
    with transaction.atomic():
        ProposedReviewer.objects.filter(run=run).delete()
        ProposedReviewer.objects.bulk_create(rows, batch_size=1000)
    lap("saving", mark)
    summary = {
        "applications": len(applications),
        "reviewers": len(reviewers),
        "pairs_scored": int(matrix.scores.size),
        "conflicts": len(conflicts),
        "bids": len(bids),
        "assigned": len(result.pairs),
        "alternates": len(result.alternates),
        "short_of_alternates": len(result.items_short_of_alternates),
        "total_fit": round(result.total_affinity, 4),
        "lowest_fit": round(result.minimum_pair_affinity, 4),
        "solve_seconds": round(result.solve_seconds, 3),
        "timings": timings,
        "seconds": round(time.perf_counter() - started, 3),
    }
    _finish(run, AssignmentRun.Status.DONE, summary=summary)


def _finish(
    run: AssignmentRun,
    status: str,
    *,
    summary: dict[str, Any] | None = None,
    problems: dict[str, Any] | None = None,
) -> None:
    run.status, run.progress, run.finished_at = status, 100, timezone.now()
    run.summary = summary or {}
    run.problems = problems or {}
    run.stage = ""
    run.save(update_fields=["status", "progress", "finished_at", "summary", "problems", "stage"])


def problems_of(
    infeasible: AssignmentInfeasible,
    applications: Sequence[Application],
    pool: Sequence[Reviewer],
    conflicts: Sequence[EngineConflict],
    per_application: int,
) -> dict[str, Any]:
    """The engine's diagnosis as facts: which applications cannot get their reviewers, how
    many they could get, how many reviewers conflicts took away, and the totals."""
    by_id = {str(a.pk): a for a in applications}
    conflicted: dict[str, int] = defaultdict(int)
    for conflict in conflicts:
        conflicted[conflict.item] += 1
    items = [
        {
            "application": int(item.item),
            "receipt": by_id[item.item].receipt_number if item.item in by_id else "",
            "title": by_id[item.item].title if item.item in by_id else "",
            "needed": item.needed,
            "attainable": item.attainable,
            "conflicts": conflicted.get(item.item, 0),
            "competing": "competes" in item.reason,
        }
        for item in infeasible.items
    ]
    return {
        "applications": len(applications),
        "reviewers": len(pool),
        "needed": len(applications) * per_application,
        "capacity": int(sum(reviewer.max_load for reviewer in pool)),
        "per_application": per_application,
        "items": items,
        "totals_short": any("at most" in reason for reason in infeasible.reasons),
    }
