"""Why a record was found, in words a person can check.

An explanation names the words the query and the record share, as whole words of their
texts ("RISC-V", "칩렛", "형식 검증": never a particle, an ending, a stop word, a verb stem
or a piece of a word), the record's best-matching document, and a sentence of it in each
language the record writes in, so that a Korean page quotes Korean text when there is some.

It reads only what the index already holds: each document's scores for the query
(:meth:`~sangsaeng.engine.index.ExpertiseIndex.document_scores`) and the analyser's
remembered analysis of each text. Nothing is embedded, so explaining the twenty results
of a page costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache
from typing import Any

from sangsaeng.engine.index import DocumentScore, ExpertiseIndex, Query
from sangsaeng.engine.text import Language, TextAnalyzer, detect_language, split_sentences
from sangsaeng.search.names import compact

SHARED_TERMS_SHOWN = 8
# As in sangsaeng.search.ranking: a cosine above which texts are related in meaning.
MEANING_THRESHOLD = 0.3
# The terms of this many best documents (by BM25) are the profile's shared terms.
DOCUMENTS_FOR_TERMS = 3


def explain(
    index: ExpertiseIndex,
    analyzer: TextAnalyzer,
    query: Query | str,
    profile_id: str,
    *,
    language: str | None = None,
    sparse: float = 0.0,
    dense: float = 0.0,
    by_name: bool = False,
    by_affiliation: bool = False,
    names: Collection[str] = (),
) -> dict[str, Any]:
    """The explanation of ``profile_id`` for ``query`` (a JSON-ready dict).

    ``best_sentence`` is in ``language`` when the record has text in it (else in the
    other); ``sentences`` holds one per language, for pages that choose when they show it.
    """
    query_text = query.full_text if isinstance(query, Query) else query
    documents = index.document_scores(query, profile_id)
    # Found by its name, the name line says why; its name among the shared words would
    # only say it again.
    shared = shared_words(analyzer, query_text, documents, names, by_name)
    sentences = best_sentences(documents, shared)
    wanted = (language or detect_language(query_text))[:2]
    # A best-matching document only where the texts match: a record found by its name
    # alone has none to show.
    best = (
        max(documents, key=lambda scored: scored.score)
        if documents and (sparse > 0 or dense >= MEANING_THRESHOLD)
        else None
    )
    explanation: dict[str, Any] = {
        "shared_terms": shared,
        "best_document": {"id": best.document.id, "title": best.document.title or None}
        if best is not None
        else None,
        "best_sentence": sentences.get(wanted) or next(iter(sentences.values()), None),
        "sentences": sentences,
        "sparse": round(sparse, 4),
        "dense": round(dense, 4),
    }
    if by_name:
        explanation["by_name"] = True
    if by_affiliation:
        explanation["by_affiliation"] = True
    return explanation


def shared_words(
    analyzer: TextAnalyzer,
    query_text: str,
    documents: list[DocumentScore],
    names: Collection[str] = (),
    drop_names: bool = False,
) -> list[str]:
    """The query terms the documents share, most telling first, as the documents write
    them; only terms that are whole content words (or phrases) on both sides.

    A piece of the record's own name ("검증" read inside the name 이검증) is no shared
    word, unless the query writes the name too; ``names`` are the record's names,
    compacted (see :mod:`sangsaeng.search.names`), whose matches are told apart."""
    in_query = analyzer.display_words(query_text)
    weights: dict[str, float] = {}
    written: dict[str, str] = {}
    best_first = sorted(documents, key=lambda scored: -scored.sparse)[:DOCUMENTS_FOR_TERMS]
    for scored in best_first:
        if not scored.shared_terms:
            continue
        in_document = analyzer.display_words(scored.document.full_text)
        for term, weight in scored.shared_terms.items():
            word = in_document.get(term)
            if word is None or term not in in_query:
                continue
            if compact(word) in names and (drop_names or compact(in_query[term]) != compact(word)):
                continue
            weights[term] = weights.get(term, 0.0) + weight
            written.setdefault(term, word)
    words: list[str] = []
    seen: set[str] = set()
    for term in sorted(weights, key=lambda term: -weights[term]):
        word = written[term]
        if word.casefold() not in seen:
            seen.add(word.casefold())
            words.append(word)
    # A word already inside a shown phrase ("검증" beside "형식 검증") says nothing more.
    phrases = [word.casefold().split() for word in words if " " in word]
    kept = [
        word
        for word in words
        if " " in word or not any(word.casefold() in phrase for phrase in phrases)
    ]
    return kept[:SHARED_TERMS_SHOWN]


def best_sentences(documents: list[DocumentScore], shared: list[str]) -> dict[str, str]:
    """For each language, the sentence that holds most of the shared words, from the
    documents that share terms; where none of those is in a language, the first sentence
    in it of the record's best document that has one.

    Only a document's text is quoted, never its title (names and capabilities)."""
    lowered = [word.casefold() for word in shared]
    best: dict[str, tuple[int, float, int]] = {}
    chosen: dict[str, str] = {}
    for scored in documents:
        if not scored.shared_terms:
            continue
        for order, (sentence, language) in enumerate(_sentences(scored.document.text)):
            folded = sentence.casefold()
            rank = (sum(word in folded for word in lowered), scored.score, -order)
            if language not in best or rank > best[language]:
                best[language], chosen[language] = rank, sentence
    for scored in sorted(documents, key=lambda scored: -scored.score):
        for sentence, language in _sentences(scored.document.text):
            chosen.setdefault(language, sentence)
    return chosen


@lru_cache(maxsize=8192)
def _sentences(text: str) -> tuple[tuple[str, Language], ...]:
    """A text's sentences, each with its language (remembered: documents are re-read)."""
    return tuple((sentence, detect_language(sentence)) for sentence in split_sentences(text))
