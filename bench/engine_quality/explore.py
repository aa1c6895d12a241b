"""Ideas measured fast: document-level score matrices once, every variant in NumPy.

``run.py`` scores through the command's own code path; this script is for measuring many
ideas cheaply with the same protocol (folds over reviewers, bootstrap over reviewers). It
computes, per ``d_20_x`` version, BM25 of every rated paper against every profile document
(several analysis variants) and the cosine under each embedder, then aggregates per
reviewer in NumPy. Every idea is reported as a cross-validated loss when it has a choice
to make (chosen on training folds only), or as its plain loss when it has none.

    .venv/bin/python bench/engine_quality/explore.py [--models use,e5] [--only GROUP]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
from protocol import (
    VERSIONS,
    bootstrap_interval,
    cross_validate,
    default_data,
    denominators,
    paired_difference,
    read_archive,
    read_ratings,
    read_submissions,
    reviewer_loss_parts,
)

from sangsaeng.engine.embedders import CachedEmbedder, create_embedder
from sangsaeng.engine.sparse import BM25Index, BM25Parameters
from sangsaeng.engine.text import TextAnalyzer

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


@dataclass
class Version:
    name: str
    reviewers: list[str]
    documents: list[dict]  # {"title", "abstract", "year", "owner"}
    owner: np.ndarray  # document -> reviewer index
    queries: list[str]  # rated paper ids
    query_text: dict[str, tuple[str, str]]
    rows_of: list[np.ndarray] = field(default_factory=list)  # reviewer -> document rows


def load(data: Path, ratings: dict) -> list[Version]:
    versions = []
    reviewers = list(ratings)
    queries = sorted({paper for rated in ratings.values() for paper in rated})
    for name in VERSIONS:
        documents = []
        for i, reviewer in enumerate(reviewers):
            for paper in read_archive(data, name, reviewer):
                content = paper["content"]
                documents.append(
                    {
                        "title": content.get("title") or "",
                        "abstract": content.get("abstract") or "",
                        "year": content.get("year") or 0,
                        "owner": i,
                    }
                )
        submissions = read_submissions(data, name)
        query_text = {
            q: (
                submissions[q]["content"].get("title") or "",
                submissions[q]["content"].get("abstract") or "",
            )
            for q in queries
        }
        owner = np.array([d["owner"] for d in documents])
        version = Version(name, reviewers, documents, owner, queries, query_text)
        version.rows_of = [np.flatnonzero(owner == i) for i in range(len(reviewers))]
        versions.append(version)
    return versions


def full(title: str, text: str) -> str:
    return f"{title}\n{text}" if title else text


# ----- channel matrices (queries x documents) ----------------------------------------------
ANALYZERS = {"pairs": TextAnalyzer(), "nopairs": TextAnalyzer(word_pairs=False)}


class WeightedBM25(BM25Index):
    """BM25 whose query-term weight is ``idf * transform(count in the query)``."""

    transform: Callable[[np.ndarray], np.ndarray] = staticmethod(lambda c: c)

    def term_weights(self, query_terms):
        ids, counts = super().term_weights(query_terms)
        return ids, self.transform(counts)


QUERY_TRANSFORMS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "count": lambda c: c,
    "sqrt": np.sqrt,
    "log": lambda c: 1 + np.log(c),
    "k3=2": lambda c: 3 * c / (2 + c),
    "k3=8": lambda c: 9 * c / (8 + c),
}


def bm25_matrix(
    version: Version,
    analyzer: str = "pairs",
    k1: float = 1.2,
    b: float = 0.75,
    counts: bool = True,
    field_: str = "both",
    query_field: str = "both",
    query_transform: str = "count",
    profile_documents: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """BM25 (queries x documents) and each query's IDF mass.

    ``profile_documents``: each reviewer's papers concatenated into one document; the
    matrix then repeats the reviewer's score on each of the reviewer's rows.
    """
    text_analyzer = ANALYZERS[analyzer]
    index = WeightedBM25(BM25Parameters(k1=k1, b=b))
    index.transform = QUERY_TRANSFORMS[query_transform]

    def pick(title: str, abstract: str, which: str) -> str:
        if which == "title":
            return title
        if which == "abstract":
            return abstract
        if which == "title2":
            return full(f"{title}\n{title}", abstract)
        return full(title, abstract)

    texts = [pick(d["title"], d["abstract"], field_) for d in version.documents]
    if profile_documents:
        texts = ["\n".join(texts[i] for i in rows) for rows in version.rows_of]
    for terms in text_analyzer.terms_many(texts):
        index.add(terms)
    query_terms = text_analyzer.terms_many(
        [pick(*version.query_text[q], query_field) for q in version.queries]
    )
    matrix = np.stack([index.scores(terms, counts) for terms in query_terms])
    if profile_documents:
        matrix = matrix[:, version.owner]
    mass = np.array([index.idf_mass(terms, counts) or 1.0 for terms in query_terms])
    return matrix, mass


EMBEDDERS: dict[str, CachedEmbedder] = {}


def embedder(model: str, work: Path) -> CachedEmbedder:
    if model not in EMBEDDERS:
        EMBEDDERS[model] = CachedEmbedder(create_embedder(model), work / f"embeddings-{model}.npz")
    return EMBEDDERS[model]


def dense_matrix(version: Version, model: str, work: Path, field_: str = "both") -> np.ndarray:
    model_embedder = embedder(model, work)

    def pick(title: str, abstract: str) -> str:
        return title if field_ == "title" else full(title, abstract)

    documents = model_embedder.embed_documents(
        [pick(d["title"], d["abstract"]) for d in version.documents]
    )
    queries = model_embedder.embed_queries([full(*version.query_text[q]) for q in version.queries])
    model_embedder.save()
    return (queries @ documents.T).astype(np.float64)


# ----- aggregation and evaluation -----------------------------------------------------------
def aggregate(values: np.ndarray, how: str) -> float:
    """One reviewer's document scores (for one query) -> one score."""
    ordered = np.sort(values)[::-1]
    if how == "max":
        return float(ordered[0])
    if how == "mean":
        return float(ordered.mean())
    if how.startswith("top"):
        return float(ordered[: int(how[3:])].mean())
    if how.startswith("soft"):  # softmax with temperature relative to the spread
        temperature = float(how[4:])
        weights = np.exp((ordered - ordered[0]) / temperature)
        return float((weights * ordered).sum() / weights.sum())
    if how.startswith("frac"):  # mean of the best share of documents (at least one)
        share = float(how[4:])
        return float(ordered[: max(1, int(np.ceil(share * len(ordered))))].mean())
    raise ValueError(how)


def numerators(
    versions: list[Version],
    ratings: dict,
    score: Callable[[Version, int, int], float],
) -> np.ndarray:
    """Per-reviewer numerators (mean over versions) for ``score(version, query, reviewer)``."""
    result = np.zeros(len(ratings))
    for version in versions:
        position = {q: i for i, q in enumerate(version.queries)}
        for r, rated in enumerate(ratings.values()):
            result[r] += reviewer_loss_parts(
                rated, lambda p, v=version, at=position, r=r: score(v, at[p], r)
            )[0]
    return result / len(versions)


PROFILE_LIMIT: list[int | None] = [None]


def pair_scores(
    versions: list[Version], matrices: list[np.ndarray], how: str, ratings: dict
) -> list[dict[tuple[int, int], float]]:
    """Aggregated scores of every rated (query, reviewer) pair, per version.

    With ``PROFILE_LIMIT[0]`` set, each reviewer keeps only that many papers (a fixed
    random choice per version), to see how a method copes with short profiles.
    """
    result = []
    limit = PROFILE_LIMIT[0]
    for version, matrix in zip(versions, matrices, strict=True):
        position = {q: i for i, q in enumerate(version.queries)}
        scores = {}
        rng = np.random.default_rng(int(version.name.rsplit("_", 1)[1]))
        for r, rated in enumerate(ratings.values()):
            rows = version.rows_of[r]
            if limit is not None:
                rows = rng.permutation(rows)[:limit]
            for paper in rated:
                q = position[paper]
                scores[(q, r)] = aggregate(matrix[q, rows], how)
        result.append(scores)
    return result


def numerators_of(
    versions: list[Version], ratings: dict, per_version: list[dict[tuple[int, int], float]]
) -> np.ndarray:
    lookup = {v.name: s for v, s in zip(versions, per_version, strict=True)}
    return numerators(versions, ratings, lambda v, q, r: lookup[v.name][(q, r)])


def report(name: str, nums: np.ndarray, dens: np.ndarray, base: np.ndarray | None = None) -> str:
    low, high = bootstrap_interval(nums, dens, draws=2000)
    line = f"{name:<58} {nums.sum() / dens.sum():.4f} [{low:.3f}, {high:.3f}]"
    if base is not None:
        diff, dlow, dhigh = paired_difference(nums, base, dens, draws=2000)
        line += f"  vs base {diff:+.4f} [{dlow:+.3f}, {dhigh:+.3f}]"
    return line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=default_data(REPO))
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--models", default="use,e5")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    data = args.data.resolve()
    ratings = read_ratings(data)
    dens = denominators(ratings)
    versions = load(data, ratings)
    models = [m for m in args.models.split(",") if m]

    @cache
    def bm25(**kwargs) -> tuple[list[np.ndarray], list[np.ndarray]]:
        pairs = [bm25_matrix(v, **kwargs) for v in versions]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    @cache
    def dense(model: str, field_: str = "both") -> list[np.ndarray]:
        return [dense_matrix(v, model, args.work, field_) for v in versions]

    def sparse_shares(**kwargs) -> list[np.ndarray]:
        matrices, masses = bm25(**kwargs)
        return [m / mass[:, None] for m, mass in zip(matrices, masses, strict=True)]

    def plain(matrices: list[np.ndarray], how: str) -> np.ndarray:
        return numerators_of(versions, ratings, pair_scores(versions, matrices, how, ratings))

    groups = args.only.split(",") if args.only else None

    def wanted(group: str) -> bool:
        return groups is None or group in groups

    base = plain(sparse_shares(), "top3")
    print(report("BM25 share, top-3 mean (the current sparse channel)", base, dens))

    if wanted("aggregation"):
        print("\n# aggregation of the BM25 share over a reviewer's documents")
        candidates = {}
        for how in [
            "max",
            "top2",
            "top3",
            "top4",
            "top5",
            "mean",
            "frac0.2",
            "frac0.3",
            "soft0.02",
            "soft0.05",
            "soft0.1",
        ]:
            candidates[how] = plain(sparse_shares(), how)
            print(report(f"  {how}", candidates[how], dens, base))
        cv = cross_validate(candidates, dens)
        print(report("  chosen by CV among these", cv.numerators, dens, base), cv.chosen)

    if wanted("analysis"):
        print("\n# BM25 analysis (top-3 mean)")
        variants = {
            "no word pairs": {"analyzer": "nopairs"},
            "no query term counts": {"counts": False},
            "documents: title only": {"field_": "title"},
            "documents: abstract only": {"field_": "abstract"},
            "documents: title twice": {"field_": "title2"},
            "queries: title twice": {"query_field": "title2"},
        }
        for name, kwargs in variants.items():
            print(report(f"  {name}", plain(sparse_shares(**kwargs), "top3"), dens, base))
        grid = {}
        for k1 in (0.9, 1.2, 1.5, 2.0):
            for b in (0.5, 0.75, 0.9):
                grid[f"k1={k1} b={b}"] = plain(sparse_shares(k1=k1, b=b), "top3")
        cv = cross_validate(grid, dens)
        print(report("  k1, b chosen by CV (4 x 3 grid)", cv.numerators, dens, base), cv.chosen)

    for model in models:
        if not wanted("dense"):
            break
        print(f"\n# dense channel alone, {model}")
        for how in ["max", "top3", "mean", "soft0.02"]:
            print(report(f"  {model} cosine {how}", plain(dense(model), how), dens, base))
        print(
            report(
                f"  {model} title-only documents, top3",
                plain(dense(model, "title"), "top3"),
                dens,
                base,
            )
        )
    if wanted("query"):
        print("\n# query-term weighting and profile documents (top-3 unless said)")
        for name in QUERY_TRANSFORMS:
            if name != "count":
                print(
                    report(
                        f"  query weight idf x {name}",
                        plain(sparse_shares(query_transform=name), "top3"),
                        dens,
                        base,
                    )
                )
        print(
            report(
                "  one concatenated document per reviewer",
                plain(sparse_shares(profile_documents=True), "max"),
                dens,
                base,
            )
        )

    if wanted("more"):
        more_ideas(
            versions, ratings, dens, base, sparse_shares(), bm25, {m: dense(m) for m in models}
        )

    if wanted("robustness"):
        print("\n# short profiles: each reviewer keeps n random papers (BM25 share)")
        for limit in (1, 2, 3, 5, 10):
            PROFILE_LIMIT[0] = limit
            line = f"  n={limit:<3}" + "".join(
                f" {how} {plain(sparse_shares(), how).sum() / dens.sum():.4f}"
                for how in ("max", "top2", "top3", "mean")
            )
            for model in models:
                zs = [zscore_rows(m) for m in sparse_shares()]
                zd = [zscore_rows(m) for m in dense(model)]
                fused = plain([a + b for a, b in zip(zs, zd, strict=True)], "top3")
                line += f"  z-fusion+{model} {fused.sum() / dens.sum():.4f}"
            print(line, flush=True)
        PROFILE_LIMIT[0] = None

    if wanted("fusion"):
        fusion(versions, ratings, dens, base, sparse_shares(), {m: dense(m) for m in models})
    return 0


def more_ideas(versions, ratings, dens, base, sparse, bm25, denses) -> None:
    """Recency weights, pseudo-relevance feedback, per-reviewer calibration."""

    def plain(matrices, how="top3"):
        return numerators_of(versions, ratings, pair_scores(versions, matrices, how, ratings))

    print("\n# recency: document scores x 0.5 ** (age / half-life), age from the newest paper")
    grid = {"none": base}
    for half_life in (3, 5, 10):
        weighted = []
        for version, matrix in zip(versions, sparse, strict=True):
            years = np.array([d["year"] or 0 for d in version.documents], dtype=float)
            newest = np.array([years[version.rows_of[d["owner"]]].max() for d in version.documents])
            age = np.clip(newest - np.where(years > 0, years, newest), 0, None)
            weighted.append(matrix * 0.5 ** (age / half_life)[None, :])
        grid[f"half-life {half_life}"] = plain(weighted)
        print(
            report(
                f"  BM25 share, half-life {half_life} years",
                grid[f"half-life {half_life}"],
                dens,
                base,
            )
        )
    cv = cross_validate(grid, dens)
    print(report("  half-life chosen by CV (or none)", cv.numerators, dens, base), cv.chosen)

    print("\n# pseudo-relevance feedback (BM25): + 0.5 x the top-30 terms of the 10 best documents")
    expanded = []
    for version in versions:
        analyzer = ANALYZERS["pairs"]
        index = BM25Index(BM25Parameters())
        texts = [full(d["title"], d["abstract"]) for d in version.documents]
        for terms in analyzer.terms_many(texts):
            index.add(terms)
        rows = []
        for terms in analyzer.terms_many([full(*version.query_text[q]) for q in version.queries]):
            first = index.scores(terms, True)
            feedback: dict[str, float] = {}
            for row in np.argsort(-first)[:10]:
                document_terms = index.row_terms(int(row))
                total = sum(document_terms.values())
                for term, count in document_terms.items():
                    feedback[term] = feedback.get(term, 0.0) + count / total
            ids, _ = index.term_weights(list(feedback))
            idf = dict(zip((index.terms_by_id[i] for i in ids), index.idf(ids), strict=True))
            best = sorted(feedback, key=lambda t: -feedback[t] * idf.get(t, 0.0))[:30]
            query_counts = {
                t: float(c) for t, c in zip(*np.unique(terms, return_counts=True), strict=True)
            }
            length = sum(query_counts.values())
            mass = sum(feedback[t] for t in best) or 1.0
            for t in best:
                query_counts[t] = query_counts.get(t, 0.0) + 0.5 * length * feedback[t] / mass
            # BM25 with fractional query weights: repeat-free, via the weighted index
            weighted = WeightedBM25(BM25Parameters())
            weighted.__dict__.update(index.__dict__)
            weighted.transform = lambda c: c
            ids, _ = weighted.term_weights(list(query_counts))
            vocabulary_terms = [weighted.terms_by_id[i] for i in ids]
            weights = np.array([query_counts[t] for t in vocabulary_terms])
            mass_idf = float((weighted.idf(ids) * weights).sum()) or 1.0
            weighted.transform = lambda _c, w=weights: w
            rows.append(weighted.scores(vocabulary_terms, True) / mass_idf)
        expanded.append(np.stack(rows))
    print(report("  BM25 share with feedback terms", plain(expanded), dens, base))

    print("\n# per-reviewer calibration (batch only): each channel z-scored over the papers")
    print("# scored for that reviewer, then summed")
    for model, dense in denses.items():
        first = pair_scores(versions, sparse, "top3", ratings)
        second = pair_scores(versions, dense, "top3", ratings)
        combined = []
        for a, b in zip(first, second, strict=True):
            out = {}
            for r in range(len(ratings)):
                keys = [key for key in a if key[1] == r]
                for channel in (a, b):
                    values = np.array([channel[k] for k in keys])
                    spread = values.std() or 1.0
                    for k, v in zip(keys, values, strict=True):
                        out[k] = out.get(k, 0.0) + (v - values.mean()) / spread
            combined.append(out)
        print(
            report(
                f"  BM25 share + {model}, calibrated per reviewer",
                numerators_of(versions, ratings, combined),
                dens,
                base,
            )
        )


def zscore_rows(matrix: np.ndarray) -> np.ndarray:
    """Each query's document scores standardised over the index's documents."""
    spread = matrix.std(axis=1, keepdims=True)
    return (matrix - matrix.mean(axis=1, keepdims=True)) / np.where(spread > 0, spread, 1.0)


def reciprocal_ranks(matrix: np.ndarray, k: float = 60.0) -> np.ndarray:
    """1 / (k + rank) of each document per query (rank 1 = best)."""
    ranks = np.argsort(np.argsort(-matrix, axis=1, kind="stable"), axis=1) + 1
    return 1.0 / (k + ranks)


def fusion(versions, ratings, dens, base, sparse, denses) -> None:
    def plain(matrices, how="top3"):
        return numerators_of(versions, ratings, pair_scores(versions, matrices, how, ratings))

    def mixed(first, second, weight, how="top3"):
        """weight * agg(first) + (1 - weight) * agg(second), aggregated per channel."""
        one = pair_scores(versions, first, how, ratings)
        two = pair_scores(versions, second, how, ratings)
        combined = [
            {key: weight * a[key] + (1 - weight) * b[key] for key in a}
            for a, b in zip(one, two, strict=True)
        ]
        return numerators_of(versions, ratings, combined)

    print("\n# fusion of the BM25 share with each embedder (top-3 mean per channel)")
    for model, dense in denses.items():
        grid = {}
        for weight in (1.0, 0.97, 0.95, 0.9, 0.8, 0.7, 0.5):
            grid[f"w={weight}"] = mixed(sparse, dense, weight)
        print("  " + ", ".join(f"{k} {v.sum() / dens.sum():.4f}" for k, v in grid.items()))
        cv = cross_validate(grid, dens)
        print(
            report(f"  {model}: score mixing, weight chosen by CV", cv.numerators, dens, base),
            cv.chosen,
        )
        zs = [zscore_rows(m) for m in sparse]
        zd = [zscore_rows(m) for m in dense]
        print(
            report(
                f"  {model}: z over documents per query, summed per document",
                plain([a + b for a, b in zip(zs, zd, strict=True)]),
                dens,
                base,
            )
        )
        print(
            report(
                f"  {model}: z over documents per query, per-channel top-3, summed",
                mixed(zs, zd, 0.5),
                dens,
                base,
            )
        )
        grid = {f"z w={w}": mixed(zs, zd, w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)}
        print("  " + ", ".join(f"{k} {v.sum() / dens.sum():.4f}" for k, v in grid.items()))
        cv = cross_validate(grid, dens)
        print(
            report(f"  {model}: z per channel, weight chosen by CV", cv.numerators, dens, base),
            cv.chosen,
        )
        for how in ("top2", "top4", "top5", "max", "mean"):
            print(
                report(
                    f"  {model}: z per channel, {how}, summed", mixed(zs, zd, 0.5, how), dens, base
                )
            )
        rs = [reciprocal_ranks(m) for m in sparse]
        rd = [reciprocal_ranks(m) for m in dense]
        print(
            report(
                f"  {model}: RRF (k=60) per document, top-3",
                plain([a + b for a, b in zip(rs, rd, strict=True)]),
                dens,
                base,
            )
        )
    if len(denses) > 1:

        def z_mix(parts):
            scored = [
                pair_scores(versions, [zscore_rows(m) for m in part], "top3", ratings)
                for part in parts
            ]
            combined = [
                {key: sum(s[v][key] for s in scored) for key in scored[0][v]}
                for v in range(len(versions))
            ]
            return numerators_of(versions, ratings, combined)

        names = list(denses)
        for first, second in [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]:
            print(
                report(
                    f"  z per channel: BM25 x2 + {first} + {second}",
                    z_mix([sparse, sparse, denses[first], denses[second]]),
                    dens,
                    base,
                )
            )
        print(
            report(
                "  z per channel: BM25 + every embedder, equal",
                z_mix([sparse, *denses.values()]),
                dens,
                base,
            )
        )
        zs = [zscore_rows(m) for m in sparse]
        total = [z.copy() for z in zs]
        for dense in denses.values():
            for t, m in zip(total, dense, strict=True):
                t += zscore_rows(m) / len(denses)
        print(
            report(
                "  all embedders averaged + BM25, z per query, summed per document",
                plain(total),
                dens,
                base,
            )
        )
        total = [2 * z for z in zs]
        for dense in denses.values():
            for t, m in zip(total, dense, strict=True):
                t += zscore_rows(m)
        print(report("  BM25 (x2) + every embedder, z per query", plain(total), dens, base))


if __name__ == "__main__":
    sys.exit(main())
