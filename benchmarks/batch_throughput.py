"""Batch runs against a local fake OpenAI-compatible server (in its own process).

Prints:
- throughput versus concurrency with 300 ms latency (ideal: concurrency / 0.3 per s);
- achieved request rate versus a configured requests/minute limit;
- library overhead per call with a zero-latency server;
- cache-hit latency;
- memory over a 10,000-document run (RSS sampled while it runs).

    python benchmarks/batch_throughput.py [--docs 10000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import zsextract


@contextmanager
def fake_server(latency: float) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "zsextract.testing", "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait()


def docs(n: int, tag: str) -> list[str]:
    return [f"{tag}第{i}篇：全县新签项目{i % 90 + 1}个。" for i in range(n)]


def run(
    base_url: str, texts: list[str], concurrency: int, **options: object
) -> tuple[float, object]:
    opts = {"base_url": base_url, "model": "m", "use_cache": False, **options}
    t0 = time.perf_counter()
    summary = zsextract.extract_many(
        texts, "llm", concurrency=concurrency, keep_results=False, **opts
    )
    return time.perf_counter() - t0, summary


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000, help="length of the memory run")
    args = parser.parse_args()

    print("== throughput versus concurrency, 300 ms latency")
    with fake_server(0.3) as url:
        run(url, docs(64, "warm"), 16)  # connections, caches and imports warmed up
        for concurrency in (1, 8, 16, 32, 64):
            n = max(30, concurrency * 30)
            elapsed, summary = run(url, docs(n, f"c{concurrency}"), concurrency)
            ideal = concurrency / 0.3
            rate = n / elapsed
            print(
                f"concurrency {concurrency:>3}: {rate:6.1f} articles/s, ideal {ideal:6.1f} "
                f"({rate / ideal:.0%}), failed {summary.failed}"
            )

    with fake_server(0.0) as url:
        print("== achieved rate versus a requests/minute limit (zero latency, 32 in flight)")
        for limit in (300, 1200):
            n = limit // 6  # about 10 s of traffic
            elapsed, _ = run(url, docs(n, f"r{limit}"), 32, requests_per_minute=limit)
            achieved = (n - 1) / elapsed * 60  # n requests span n-1 intervals
            print(f"limit {limit:>5}/min: achieved {achieved:7.1f}/min ({achieved / limit:.0%})")

        print("== library overhead per call (zero latency, one in flight)")
        elapsed, _ = run(url, docs(200, "o"), 1)
        print(f"{elapsed / 200 * 1000:.2f} ms per call, server and loopback HTTP included")

        print("== cache-hit latency")
        with tempfile.TemporaryDirectory() as cache:
            texts = docs(200, "h")
            run(url, texts, 8, use_cache=True, cache_dir=cache)
            elapsed, summary = run(url, texts, 1, use_cache=True, cache_dir=cache)
            print(f"{elapsed / 200 * 1000:.2f} ms per cached article ({summary.cached} hits)")

        print(f"== memory over a {args.docs}-document run (zero latency, 16 in flight)")
        samples: list[float] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append(rss_mb())
                time.sleep(0.5)

        with tempfile.TemporaryDirectory() as out:
            thread = threading.Thread(target=sample, daemon=True)
            thread.start()
            elapsed, summary = run(url, docs(args.docs, "m"), 16, output=Path(out) / "out.jsonl")
            stop.set()
            thread.join()
        tenth = max(1, len(samples) // 10)
        print(
            f"{args.docs} documents in {elapsed:.1f} s ({args.docs / elapsed:.0f}/s), "
            f"failed {summary.failed}"
        )
        print(
            f"RSS MB: after 10% {samples[tenth]:.1f}, at 50% {samples[len(samples) // 2]:.1f}, "
            f"at the end {samples[-1]:.1f}, max {max(samples):.1f}"
        )


if __name__ == "__main__":
    main()
