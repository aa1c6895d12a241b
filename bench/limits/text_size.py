"""What one long text costs the search index: time to index it, the next search, memory.

Each size runs in a fresh process (so that its peak memory is its own): the process loads
the platform's embedder and Korean analyser as a web worker does, indexes 200 ordinary
profiles, then one profile whose text has SIZE characters (Korean and English sentences
repeated, as a pasted document would be), and searches once. It prints, per size, the
seconds to index that one text, the seconds of the search after it, and the process's
peak resident memory above what the models and the 200 profiles took.

    .venv/bin/python bench/limits/text_size.py                       # 2k … 1M characters
    .venv/bin/python bench/limits/text_size.py --sizes 10000 1000000

The platform caps a need's, a profile's and an organisation's text (sangsaeng.core.limits);
the largest size a person can now save is printed beside the others.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

SENTENCES = [
    "RISC-V 기반 NPU 서브시스템의 UVM 검증과 형식 검증을 함께 수행할 연구실을 찾습니다.",
    "We verify a RISC-V based NPU subsystem with a UVM testbench and formal property checking.",
    "저전력 이미지 센서 SoC 설계와 아날로그 레이아웃 경험이 필요합니다.",
    "Chiplet packaging, thermal simulation and HBM interposer signal integrity.",
]


def text_of(size: int) -> str:
    words: list[str] = []
    length = 0
    i = 0
    while length < size:
        sentence = SENTENCES[i % len(SENTENCES)] + f" ({i})"
        words.append(sentence)
        length += len(sentence) + 1
        i += 1
    return " ".join(words)[:size]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(size: int) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    from sangsaeng.engine.embedders import create_embedder
    from sangsaeng.engine.index import Document, ExpertiseIndex, Profile
    from sangsaeng.engine.text import TextAnalyzer

    index = ExpertiseIndex(embedder=create_embedder(), analyzer=TextAnalyzer(kiwi_threads=0))
    index.add_profiles(
        Profile(f"p:{i}", (Document(f"d:{i}", text_of(600 + i), title=f"Profile {i}"),))
        for i in range(200)
    )
    index.search("NPU 검증", top_k=5)
    baseline = peak_mib()
    started = time.perf_counter()
    index.update_profile(Profile("need:big", (Document("need:big", text_of(size)),)))
    indexed = time.perf_counter() - started
    started = time.perf_counter()
    index.search("RISC-V NPU verification", top_k=10)
    searched = time.perf_counter() - started
    return {
        "size": size,
        "index_s": round(indexed, 3),
        "search_s": round(searched, 3),
        "extra_peak_mib": round(peak_mib() - baseline, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[2_000, 20_000, 100_000, 1_000_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one is not None:
        print(json.dumps(measure(options.one)))
        return
    sys.path.insert(0, "src")
    from sangsaeng.core.limits import LONG_TEXT

    print(f"longest text a person may save in one field: {LONG_TEXT:,} characters")
    print(f"{'characters':>12} {'index s':>9} {'search s':>9} {'extra peak MiB':>15}")
    for size in sorted({*options.sizes, LONG_TEXT}):
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{row['size']:>12,} {row['index_s']:>9.2f} {row['search_s']:>9.2f} "
            f"{row['extra_peak_mib']:>15.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
