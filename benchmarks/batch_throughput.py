"""Batch runs against a local fake OpenAI-compatible server (in its own process:
``benchmarks/lean_server.py`` by default, ``--server testing`` for zsextract.testing's).

Prints:
- zsextract (one process, and the default: one process per core) beside a bare
  ``AsyncOpenAI`` and bare
  instructor sending the same request (the same messages and tool schema), at 1 / 8 /
  32 / 64 / 128 in flight with 300 ms latency: articles per second, zsextract's share of
  each, and client CPU per article in this process (the server runs in its own; worker
  processes are not counted);
- throughput versus concurrency with 300 ms latency (ideal: concurrency / 0.3 per s);
- achieved request rate versus a configured requests/minute limit;
- library overhead per call with a zero-latency server;
- cache-hit latency;
- memory over a 10,000-document run (RSS sampled while it runs).

    python benchmarks/batch_throughput.py [--docs 10000]
    python benchmarks/batch_throughput.py --only compare [--repeat 3] [--in-flight 32,64]
        [--articles 600] [--server lean|testing]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import zsextract

#: the server each benchmark runs against (``--server``)
SERVERS = {
    "lean": [str(Path(__file__).resolve().parent / "lean_server.py")],
    "testing": ["-m", "zsextract.testing"],
}
_server = "lean"


@contextmanager
def fake_server(latency: float) -> Iterator[str]:
    global _server_pid
    proc = subprocess.Popen(
        [sys.executable, *SERVERS[_server], "--latency", str(latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    _server_pid = proc.pid
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait()


_server_pid = 0


def server_cpu() -> float:
    """CPU seconds the running fake server has used (Linux /proc), or 0."""
    try:
        with open(f"/proc/{_server_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def _requests(url: str, texts: list[str]) -> tuple[list[list[dict[str, object]]], dict]:
    """The messages zsextract sends for each text, and its tool schema (made before any
    timing: the bare clients only send)."""
    from instructor.v2.providers.openai.schema import generate_openai_schema

    from zsextract.llm.grounding import Grounder

    backend = zsextract.LLMBackend(base_url=url, model="m", api_key="x", use_cache=False)
    messages = []
    for text in texts:
        grounder = Grounder(zsextract.clean_text(text), backend.prompts)
        messages.append(backend._messages(grounder, (0, len(grounder.doc.text)), None))
    schema = dict(generate_openai_schema(backend.response_model))
    return messages, schema


async def _bare(kind: str, url: str, messages: list, schema: dict, concurrency: int) -> None:
    import instructor
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="x", max_retries=0)
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    from zsextract.llm.wire import LLMExtraction

    gate = asyncio.Semaphore(concurrency)

    async def one(sent: list) -> None:
        async with gate:
            if kind == "openai":
                await client.chat.completions.create(
                    model="m",
                    messages=sent,
                    tools=[{"type": "function", "function": schema}],
                    tool_choice={"type": "function", "function": {"name": schema["name"]}},
                )
            else:
                await patched.create_with_completion(
                    model="m", messages=sent, response_model=LLMExtraction, max_retries=0
                )

    await asyncio.gather(*(one(m) for m in messages))
    await client.close()


def _timed(work) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds of this process, CPU seconds of the fake server)."""
    wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu, server_cpu() - server


def compare(repeat: int, in_flight: tuple[int, ...], articles: int) -> None:
    from zsextract.batch.processes import available_cores

    cores = available_cores()
    print(
        "== zsextract beside bare AsyncOpenAI and bare instructor, 300 ms latency "
        f"({_server} server)"
    )
    print("   (articles/s, median of runs; CPU ms per article in this process)")
    with fake_server(0.3) as url:
        run(url, docs(64, "warm"), 16)
        for concurrency in in_flight:
            n = articles if concurrency >= 32 else 10 * concurrency
            texts = docs(n, f"v{concurrency}")
            messages, schema = _requests(url, texts)
            got: dict[str, list[tuple[float, float, float]]] = {
                "openai": [],
                "instructor": [],
                "zsextract": [],
                "zsextract_2p": [],
            }
            for _ in range(repeat):
                for kind in ("openai", "instructor"):
                    bare = _bare(kind, url, messages, schema, concurrency)
                    got[kind].append(_timed(lambda b=bare: asyncio.run(b)))
                got["zsextract"].append(
                    _timed(lambda t=texts, c=concurrency: run(url, t, c, processes=1))
                )
                got["zsextract_2p"].append(  # the default: one process per core
                    _timed(lambda t=texts, c=concurrency: run(url, t, c))
                )
            rate = {k: n / statistics.median(w for w, _, _ in v) for k, v in got.items()}
            cpu = {k: statistics.median(c for _, c, _ in v) / n * 1000 for k, v in got.items()}
            served = statistics.median(s for v in got.values() for _, _, s in v) / n * 1000
            print(
                f"in flight {concurrency:>3}: openai {rate['openai']:6.1f}, instructor "
                f"{rate['instructor']:6.1f}, zsextract {rate['zsextract']:6.1f} "
                f"(= {rate['zsextract'] / rate['openai']:.2f} of openai, "
                f"{rate['zsextract'] / rate['instructor']:.2f} of instructor), "
                f"default ({cores} processes) {rate['zsextract_2p']:6.1f} "
                f"(= {rate['zsextract_2p'] / rate['openai']:.2f}); CPU ms/article in this "
                f"process {cpu['openai']:.1f} / {cpu['instructor']:.1f} / {cpu['zsextract']:.1f}"
                f"; server CPU ms/request {served:.1f}"
            )


def per_call_and_cache_hit(calls: int) -> None:
    """``extract(text, backend="llm", ...)`` per call against a reused backend (zero
    latency), client CPU per call beside bare openai and bare instructor, and a cache
    hit on the shared corpus's articles (medians)."""
    print("== one call at a time, zero latency: a backend named per call / a reused one")
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    with fake_server(0.0) as url:
        options = {"base_url": url, "model": "m", "api_key": "x", "use_cache": False}
        backend = zsextract.LLMBackend(**options)
        texts = docs(calls, "p")
        for text in texts[:20]:  # warm both paths
            zsextract.extract(text, backend="llm", **options)
            zsextract.extract(text, backend=backend)
        named, reused = [], []
        for text in texts:  # in turns, so that drift falls on both alike
            t0 = time.perf_counter()
            zsextract.extract(text, backend="llm", **options)
            named.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            zsextract.extract(text, backend=backend)
            reused.append(time.perf_counter() - t0)
        a, b = statistics.median(named) * 1000, statistics.median(reused) * 1000
        print(f"named per call {a:.2f} ms, reused {b:.2f} ms (ratio {a / b:.2f})")

        print("== client CPU per call, one at a time, zero latency (this process)")
        messages, schema = _requests(url, texts)

        async def reused_calls() -> None:
            for text in texts:
                await zsextract.aextract(text, backend=backend)

        for kind, work in (
            ("bare openai", lambda: asyncio.run(_bare("openai", url, messages, schema, 1))),
            ("bare instructor", lambda: asyncio.run(_bare("instructor", url, messages, schema, 1))),
            ("zsextract, reused backend", lambda: asyncio.run(reused_calls())),
        ):
            work()  # warm
            _, cpu, _ = _timed(work)
            print(f"{kind}: {cpu / len(texts) * 1000:.2f} ms")

        print("== cache hit (median), shared corpus articles when beside the repository")
        folder = (
            corpus
            if corpus.is_dir()
            else Path(__file__).resolve().parent.parent / "examples" / "articles"
        )
        articles = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
        with tempfile.TemporaryDirectory() as cache:
            hits = zsextract.LLMBackend(**{**options, "use_cache": True, "cache_dir": cache})
            for text in articles:
                zsextract.extract(text, backend=hits)  # a miss, stored
            times = []
            for _ in range(50):
                for text in articles:
                    t0 = time.perf_counter()
                    report = zsextract.extract(text, backend=hits)
                    times.append(time.perf_counter() - t0)
                    assert report.provenance and report.provenance.cache == "hit"
        median, p90 = statistics.median(times), statistics.quantiles(times, n=10)[-1]
        print(
            f"{len(articles)} articles from {folder.name}: median {median * 1000:.3f} ms "
            f"per hit (p90 {p90 * 1000:.3f} ms)"
        )


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000, help="length of the memory run")
    parser.add_argument("--only", choices=["compare", "calls"], help="run only this part")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the comparison")
    parser.add_argument(
        "--in-flight",
        default="1,8,32,64,128",
        help="comma-separated numbers of articles in flight for the comparison",
    )
    parser.add_argument(
        "--articles",
        type=int,
        default=200,
        help="articles per comparison run from 32 in flight on (10 x in flight below)",
    )
    parser.add_argument(
        "--server",
        choices=sorted(SERVERS),
        default="lean",
        help="the fake server: lean (benchmarks/lean_server.py) or testing "
        "(zsextract.testing, which parses and keeps every request)",
    )
    args = parser.parse_args()
    global _server
    _server = args.server

    if args.only in (None, "calls"):
        per_call_and_cache_hit(200)
    if args.only in (None, "compare"):
        compare(args.repeat, tuple(int(n) for n in args.in_flight.split(",")), args.articles)
    if args.only:
        return

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
