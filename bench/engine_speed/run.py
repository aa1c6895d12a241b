"""Speed and memory of the expertise index at 1k, 10k and 100k profiles.

For each size, in a fresh process (so peak memory is that size's alone): build an index of
synthetic bilingual profiles (about five documents each), then run top-10 searches and
report build time, peak resident memory and query latency (median, p95).

Embedding every document with USE costs far more than everything else on a 2-core machine,
so the embedding throughput is measured on its own (documents per second), and sizes above
``--real-embeddings-up-to`` profiles are built with stand-in unit vectors: their build time is
the index's own cost (analysis, BM25, vector storage), and the embedding time to add is
documents / throughput. Queries are always embedded with the real model.

    .venv/bin/python bench/engine_speed/run.py [--sizes 1000,10000,100000] [--queries 1000]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from sangsaeng.engine.embedders import Embedder, create_embedder
from sangsaeng.engine.index import Document, ExpertiseIndex, Profile, Query

ENGLISH = [
    "neural",
    "processing",
    "unit",
    "accelerator",
    "inference",
    "training",
    "quantization",
    "transformer",
    "llm",
    "vision",
    "edge",
    "low",
    "power",
    "soc",
    "architecture",
    "cache",
    "interconnect",
    "noc",
    "risc-v",
    "vector",
    "memory",
    "controller",
    "lpddr5",
    "hbm3e",
    "dram",
    "sram",
    "interface",
    "phy",
    "serdes",
    "pcie",
    "ucie",
    "chiplet",
    "packaging",
    "verification",
    "uvm",
    "formal",
    "coverage",
    "dft",
    "scan",
    "atpg",
    "bist",
    "physical",
    "design",
    "placement",
    "routing",
    "timing",
    "closure",
    "eda",
    "synthesis",
    "analog",
    "rf",
    "lna",
    "pll",
    "adc",
    "dac",
    "pmic",
    "buck",
    "ldo",
    "regulator",
    "sensor",
    "camera",
    "isp",
    "compiler",
    "runtime",
    "kernel",
    "sparsity",
    "pruning",
    "distillation",
    "attention",
    "finfet",
    "3nm",
]
KOREAN = [
    "신경망",
    "가속기",
    "추론",
    "학습",
    "양자화",
    "저전력",
    "반도체",
    "설계",
    "검증",
    "메모리",
    "인터페이스",
    "패키징",
    "공정",
    "회로",
    "아날로그",
    "전력",
    "관리",
    "센서",
    "영상",
    "처리",
    "컴파일러",
    "칩렛",
    "배치",
    "배선",
    "타이밍",
    "합성",
]


def synthetic_profiles(count: int, documents: int, seed: int) -> list[Profile]:
    """Profiles that each lean on eight topics, as a real researcher does; 20% Korean."""
    rng = np.random.default_rng(seed)
    english, korean = np.array(ENGLISH), np.array(KOREAN)
    words_per_document = 40
    profiles = []
    for p in range(count):
        focus = rng.choice(len(ENGLISH), size=8, replace=False)
        is_korean = rng.random(documents) < 0.2
        from_focus = rng.random((documents, words_per_document)) < 0.6
        focus_pick = focus[rng.integers(0, 8, size=(documents, words_per_document))]
        any_pick = rng.integers(0, len(ENGLISH), size=(documents, words_per_document))
        picks = np.where(from_focus, focus_pick, any_pick)
        docs = []
        for d in range(documents):
            words = korean[picks[d] % len(KOREAN)] if is_korean[d] else english[picks[d]]
            docs.append(Document(f"p{p}-d{d}", " ".join(words[8:]), " ".join(words[:8])))
        profiles.append(Profile(f"p{p}", tuple(docs)))
    return profiles


def synthetic_queries(count: int, seed: int) -> list[Query]:
    rng = np.random.default_rng(seed)
    return [
        Query(f"q{i}", " ".join(rng.choice(KOREAN if i % 5 == 0 else ENGLISH, size=10)))
        for i in range(count)
    ]


class StandInVectors:
    """Deterministic unit vectors instead of document embeddings (queries stay real)."""

    def __init__(self, real: Embedder) -> None:
        self.real, self.name, self.dimension = real, real.name, real.dimension
        self._rng = np.random.default_rng(0)

    def embed_documents(self, texts):
        vectors = self._rng.standard_normal((len(texts), self.dimension)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def embed_queries(self, texts):
        return self.real.embed_queries(texts)


def run_one(size: int, queries: int, documents: int, real_embeddings: bool, model: str) -> dict:
    real = create_embedder(model)
    real.embed_queries(["warm up"])
    profiles = synthetic_profiles(size, documents, seed=size)
    embedder: Embedder = real if real_embeddings else StandInVectors(real)
    index = ExpertiseIndex(embedder)
    started = time.perf_counter()
    for first in range(0, size, 1000):
        index.add_profiles(profiles[first : first + 1000])
    build = time.perf_counter() - started
    started = time.perf_counter()
    index.optimise()
    optimise = time.perf_counter() - started
    del profiles
    latencies = []
    for query in synthetic_queries(queries, seed=1):
        started = time.perf_counter()
        index.search(query, top_k=10, explain=False)
        latencies.append(time.perf_counter() - started)
    explained = []
    for query in synthetic_queries(min(queries, 100), seed=2):
        started = time.perf_counter()
        index.search(query, top_k=10, explain=True)
        explained.append(time.perf_counter() - started)
    latencies.sort()
    return {
        "profiles": size,
        "documents": size * documents,
        "real_document_embeddings": real_embeddings,
        "build_s": round(build, 1),
        "optimise_s": round(optimise, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "query_median_ms": round(1000 * statistics.median(latencies), 1),
        "query_p95_ms": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "query_explained_median_ms": round(1000 * statistics.median(explained), 1),
    }


def embedding_throughput(model: str, texts: int = 2000) -> float:
    embedder = create_embedder(model)
    profiles = synthetic_profiles(texts // 5, 5, seed=99)
    batch = [d.full_text for p in profiles for d in p.documents]
    embedder.embed_documents(batch[:10])
    started = time.perf_counter()
    embedder.embed_documents(batch)
    return len(batch) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=5, help="documents per profile")
    parser.add_argument("--model", default="use", choices=["use", "e5"])
    parser.add_argument("--real-embeddings-up-to", type=int, default=1000)
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_size:
        real = args.one_size <= args.real_embeddings_up_to
        result = run_one(args.one_size, args.queries, args.documents, real, args.model)
        print(json.dumps(result), flush=True)
        return 0

    throughput = embedding_throughput(args.model)
    print(f"embedding throughput ({args.model}): {throughput:.0f} documents/s", flush=True)
    results = []
    for size in map(int, args.sizes.split(",")):
        command = [
            sys.executable,
            __file__,
            "--one-size",
            str(size),
            "--queries",
            str(args.queries),
            "--documents",
            str(args.documents),
            "--model",
            args.model,
            "--real-embeddings-up-to",
            str(args.real_embeddings_up_to),
        ]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        result["embedding_s_projected"] = round(result["documents"] / throughput)
        results.append(result)
        print(json.dumps(result), flush=True)
    header = (
        "profiles",
        "documents",
        "real_document_embeddings",
        "build_s",
        "optimise_s",
        "embedding_s_projected",
        "peak_rss_mib",
        "query_median_ms",
        "query_p95_ms",
        "query_explained_median_ms",
    )
    print("\n| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for result in results:
        print("| " + " | ".join(str(result[key]) for key in header) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
