"""Speed and memory of the offline rules backend.

Prints articles per second on one core for articles of about 4,000 characters
(median of per-article times after warm-up) and resident memory over a long run.

    python benchmarks/rules_speed.py                  # 10,000-article memory run
    python benchmarks/rules_speed.py --articles 2000  # shorter

Articles are built from ../shared/corpus when it is beside the repository, else from
examples/articles, cut or repeated to about 4,000 characters; each run gets a unique
sentence appended so that no two inputs are the same.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import zsextract

ROOT = Path(__file__).resolve().parent.parent
TARGET_CHARS = 4000


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _articles() -> tuple[str, list[str]]:
    corpus = ROOT.parent / "shared" / "corpus"
    source = corpus if corpus.is_dir() else ROOT / "examples" / "articles"
    texts = [p.read_text("utf-8") for p in sorted(source.glob("*.txt"))]
    sized = []
    for text in texts:
        while len(text) < TARGET_CHARS:
            text += "\n" + text
        sized.append(text[:TARGET_CHARS])
    return str(source), sized


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="length of the memory run")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--timed", type=int, default=1000, help="articles timed one by one")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    source, texts = _articles()
    print(f"articles from {source}: {len(texts)} texts of {TARGET_CHARS} characters")

    for i in range(args.warmup):
        zsextract.extract(texts[i % len(texts)] + f"\n第{i}次预热。")

    times = []
    for i in range(args.timed):
        text = texts[i % len(texts)] + f"\n样本{i}。"
        t0 = time.perf_counter()
        zsextract.extract(text)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10)[-1]
    print(
        f"speed: median {median * 1000:.2f} ms/article -> {1 / median:.0f} articles/s on one core "
        f"(p90 {p90 * 1000:.2f} ms, mean {len(times) / sum(times):.0f} articles/s)"
    )

    checkpoints = {}
    start_rss = _rss_mb()
    t0 = time.perf_counter()
    for i in range(1, args.articles + 1):
        zsextract.extract(texts[i % len(texts)] + f"\n批次{i}。")
        if i % max(1, args.articles // 10) == 0:
            checkpoints[i] = _rss_mb()
    elapsed = time.perf_counter() - t0
    print(
        f"memory run: {args.articles} articles in {elapsed:.1f} s ({args.articles / elapsed:.0f}/s)"
    )
    print("RSS MB at:", ", ".join(f"{n}: {mb:.1f}" for n, mb in checkpoints.items()))
    values = list(checkpoints.values())
    half = values[len(values) // 2 :]
    print(
        f"RSS before run {start_rss:.1f} MB; growth over the second half of the run "
        f"{half[-1] - half[0]:+.1f} MB"
    )


if __name__ == "__main__":
    main()
