"""USE embedding throughput on this machine: how it scales with threads, processes and length.

Embedding is almost all of the cost of indexing 100k profiles (see ``run.py``), so this
measures what could make it cheaper, each configuration in a fresh process (the BLAS thread
count is fixed when NumPy loads):

- ``threads2``: one process, OpenBLAS's default of one thread per core (what the index does);
- ``threads1``: one process, one BLAS thread;
- ``procs2``: two worker processes with one BLAS thread each, the texts split between them;

over synthetic bilingual documents of a given number of words (the vocabulary of
``run.py``; its documents have 40 words: an 8-word title and a 32-word text).

    .venv/bin/python bench/engine_speed/embedding_throughput.py [--words 12,20,28,40,80,160]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ENGLISH, KOREAN

from sangsaeng.engine.embedders import Embedder, create_embedder

MODES = ("threads2", "threads1", "procs2")
_worker_embedder: Embedder | None = None


def synthetic_texts(count: int, words: int, seed: int = 0) -> list[str]:
    """One in five Korean, as in ``run.py``."""
    rng = np.random.default_rng(seed)
    return [
        " ".join(rng.choice(KOREAN if i % 5 == 0 else ENGLISH, size=words)) for i in range(count)
    ]


def _embed_in_worker(texts: list[str]) -> np.ndarray:
    global _worker_embedder
    if _worker_embedder is None:
        _worker_embedder = create_embedder("use")
    return _worker_embedder.embed_documents(texts)


def documents_per_second(mode: str, words: int, count: int) -> float:
    texts = synthetic_texts(count, words)
    if mode == "procs2":
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            pool.map(_embed_in_worker, [["warm up"], ["warm up"]])
            chunks = [texts[i : i + 250] for i in range(0, len(texts), 250)]
            started = time.perf_counter()
            pool.map(_embed_in_worker, chunks)
            return count / (time.perf_counter() - started)
    embedder = create_embedder("use")
    embedder.embed_documents(["warm up"])
    started = time.perf_counter()
    embedder.embed_documents(texts)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", default="12,20,28,40,80,160")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--texts", type=int, default=3000)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        mode, words = args.one[0], int(args.one[1])
        print(
            json.dumps(
                {
                    "mode": mode,
                    "words": words,
                    "docs_per_s": round(documents_per_second(mode, words, args.texts)),
                }
            ),
            flush=True,
        )
        return 0
    for words in map(int, args.words.split(",")):
        for mode in args.modes.split(","):
            environment = dict(os.environ)
            if mode != "threads2":
                environment["OPENBLAS_NUM_THREADS"] = "1"
            command = [
                sys.executable,
                __file__,
                "--one",
                mode,
                str(words),
                "--texts",
                str(args.texts),
            ]
            result = subprocess.run(
                command, check=True, capture_output=True, text=True, env=environment
            )
            print(result.stdout.strip().splitlines()[-1], flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
