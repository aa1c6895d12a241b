"""Choose the search box's name weights by cross-validation on the search test set.

A record's score in the search box is the engine's score plus ``NAME_WEIGHT`` times how
well the query names it plus ``AFFILIATION_WEIGHT`` times how well it names the record's
organisation (sangsaeng.search.ranking). This script loads the demo cluster into a
throw-away SQLite database, runs every query of ``tests/search/search_set.toml`` once to
get each related record's three parts, and then, for a grid of the two weights, ranks
offline and scores the ranking by R-precision (the share of the records a query must
find among its first |must find| results), averaged over queries.

The weights are chosen by 5-fold cross-validation over the queries (chosen on four folds,
measured on the fifth), and the figure reported is the held-out R-precision; the default
is then the best pair on all queries, printed last.

    .venv/bin/python bench/search/tune.py [--seed 7] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

NAME_WEIGHTS = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5)
AFFILIATION_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.75)
FOLDS = 5


def _components(
    entries: list[dict], by_name: bool = True
) -> list[tuple[list[tuple[str, float, float, float]], set]]:
    """For each query: every related record (name, engine score, name, affiliation) and
    the records it must find. ``by_name=False``: the engine alone, as the query is typed."""
    from functools import reduce
    from operator import or_

    from django.contrib.auth.models import AnonymousUser

    from sangsaeng.search import ranking, registry
    from sangsaeng.search.index import search_index
    from tests.search.test_search_set import expand

    process = search_index()
    indexes = process.current()
    queries = []
    for entry in entries:
        names = process.names if by_name else None
        text = ranking.expand_query(entry["text"], process.names) if by_name else entry["text"]
        related = []
        for searchable in registry.searchables():
            if not searchable.kinds:
                continue
            records = reduce(or_, (kind.visible_to(AnonymousUser()) for kind in searchable.kinds))
            for candidate in ranking.candidates(
                records, entry["text"], indexes=indexes, names=names, text=text
            ):
                engine = (
                    candidate.score
                    - ranking.NAME_WEIGHT * candidate.name
                    - ranking.AFFILIATION_WEIGHT * candidate.affiliation
                )
                related.append((candidate.key, engine, candidate.name, candidate.affiliation))
        must = set().union(*(expand(name) for name in entry["finds"]))
        queries.append((related, _keys(must)))
    return queries


def _keys(names: set[str]) -> set[str]:
    """Test-set names (organisation:<slug>, person:<slug>, need:<title>) as index keys."""
    from sangsaeng.directory.models import Organisation, Person
    from sangsaeng.matching.models import Need

    keys = set()
    for name in names:
        kind, _, value = name.partition(":")
        if kind == "organisation":
            keys.add(f"organisation:{Organisation.objects.get(slug=value).pk}")
        elif kind == "person":
            keys.add(f"person:{Person.objects.get(slug=value).pk}")
        else:
            keys.add(f"need:{Need.objects.get(title=value).pk}")
    return keys


def r_precision(query: tuple[list, set], name_weight: float, affiliation_weight: float) -> float:
    related, must = query
    ranked = sorted(related, key=lambda r: -(r[1] + name_weight * r[2] + affiliation_weight * r[3]))
    first = {key for key, *_ in ranked[: len(must)]}
    return len(first & must) / len(must)


def mean_score(queries: list, weights: tuple[float, float]) -> float:
    return statistics.mean(r_precision(query, *weights) for query in queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    entries = tomllib.loads((REPO / "tests/search/search_set.toml").read_text("utf-8"))["query"]
    with tempfile.TemporaryDirectory(prefix="sangsaeng-tune-") as folder:
        from run import _setup

        _setup(Path(folder))
        from sangsaeng.demo.loader import load_demo
        from sangsaeng.search import ranking

        load_demo(seed=args.seed, scale=args.scale)
        queries = _components(entries)
        engine_only = mean_score(_components(entries, by_name=False), (0.0, 0.0))
        print(f"the engine alone (no names, no transliteration): R-precision {engine_only:.3f}")
        grid = list(itertools.product(NAME_WEIGHTS, AFFILIATION_WEIGHTS))
        order = list(range(len(queries)))
        random.Random(0).shuffle(order)
        folds = [order[i::FOLDS] for i in range(FOLDS)]
        held_out = []
        for number, fold in enumerate(folds, 1):
            train = [queries[i] for i in order if i not in fold]
            test = [queries[i] for i in fold]
            chosen = max(grid, key=lambda weights: mean_score(train, weights))
            score = mean_score(test, chosen)
            held_out.append(score)
            print(f"fold {number}: chosen name {chosen[0]}, affiliation {chosen[1]}; "
                  f"held-out R-precision {score:.3f} over {len(test)} queries")  # fmt: skip
        print(f"cross-validated R-precision {statistics.mean(held_out):.3f} "
              f"(sd {statistics.pstdev(held_out):.3f})")  # fmt: skip
        for weights in ((0.0, 0.0), (ranking.NAME_WEIGHT, ranking.AFFILIATION_WEIGHT)):
            print(f"name {weights[0]}, affiliation {weights[1]}: R-precision "
                  f"{mean_score(queries, weights):.3f} on all {len(queries)} queries")  # fmt: skip
        best = max(grid, key=lambda weights: mean_score(queries, weights))
        ties = [w for w in grid if mean_score(queries, w) == mean_score(queries, best)]
        print(f"best on all queries: name {best[0]}, affiliation {best[1]} "
              f"(R-precision {mean_score(queries, best):.3f}; equally good: {ties})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
