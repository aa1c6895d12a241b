"""Quality when documents are embedded from their title and first N words only.

Embedding time grows linearly with a text's length, so embedding a shortened document would
make indexing faster. This measures what it costs: the reviewer-expertise dev loss of the
command's default configuration (``bench/engine_quality``) and the cross-lingual recall
(``bench/engine_crosslingual``), with every document's embedding made from its title plus
the first N words of its text (queries stay whole; BM25 always reads the whole text).

    .venv/bin/python bench/engine_speed/embedding_truncation.py [--words all,12,20,32,64]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import numpy as np

from sangsaeng.engine.embedders import CachedEmbedder, Embedder, create_embedder
from sangsaeng.engine.index import ExpertiseIndex
from sangsaeng.engine.scoring import tuned_config

BENCH = Path(__file__).resolve().parents[1]


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / name / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TitleAndFirstWords:
    """Embeds a document (``title\\ntext``) from its title and the first ``words`` words."""

    def __init__(self, inner: Embedder, words: int | None) -> None:
        self.inner, self.words = inner, words
        self.name, self.dimension = inner.name, inner.dimension

    def shorten(self, text: str) -> str:
        if self.words is None:
            return text
        title, newline, body = text.partition("\n")
        if not newline:
            title, body = "", text
        return (f"{title}\n" if title else "") + " ".join(body.split()[: self.words])

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_documents([self.shorten(text) for text in texts])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_queries(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", default="all,12,20,32,64")
    parser.add_argument(
        "--data", type=Path, default=BENCH.parent / ".." / "shared/data/reviewer-expertise"
    )
    parser.add_argument("--work", type=Path, default=BENCH / "engine_speed/.work")
    args = parser.parse_args()
    quality, crosslingual = _bench_module("engine_quality"), _bench_module("engine_crosslingual")
    data = args.data.resolve()
    ratings = quality.read_ratings(data)
    profiles, needs = crosslingual.load(crosslingual.HERE / "crosslingual.jsonl")
    cached = CachedEmbedder(create_embedder("use"), args.work / "embeddings-use.npz")
    config = tuned_config("use")
    for words in args.words.split(","):
        embedder = TitleAndFirstWords(cached, None if words == "all" else int(words))
        losses = quality.evaluate(data, args.work / "quality", embedder, config, ratings)
        cached.save()
        index = ExpertiseIndex(embedder, config)
        index.add_profiles(profiles)
        recall = crosslingual.measure(index, needs)
        line = {"words": words, "dev_loss": round(statistics.mean(losses), 4)}
        line["dev_loss_sd"] = round(statistics.pstdev(losses), 4)
        for direction, figures in sorted(recall.items()):
            line.update({f"{direction} {name}": round(v, 3) for name, v in figures.items()})
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
