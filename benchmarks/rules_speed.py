"""Speed and memory of the offline rules backend.

Prints articles per second on one core for articles of about 4,000 characters
(median of per-article times after warm-up) and resident memory over a long run.

    python benchmarks/rules_speed.py                  # 10,000-article memory run
    python benchmarks/rules_speed.py --articles 2000  # shorter
    python benchmarks/rules_speed.py --baseline c69a7a6~1 [--rounds 100]
    python benchmarks/rules_speed.py --baseline c69a7a6~1 --instructions

``--baseline REF`` times the zsextract of git commit REF beside this tree's: one process
per tree, both pinned to the same core, asked in turns (which goes first alternates) to
time the same ``--timed`` new articles (10) each, for ``--rounds`` rounds (100). The
machine's drift (large on shared machines) falls on both trees within a fraction of a
second of each other. It prints the median time per article of all the articles each
tree timed, as the plain run does, and the throughput: the total times' ratio, over all
rounds and per round (the median and range of the rounds' ratios).

``--instructions`` counts instead the machine instructions each tree executes per article
(valgrind's cachegrind, which must be installed: a run of ``--counted`` articles less a
run of none, after the same warm-up, hash seed fixed). The count does not drift with the
machine's load; it is not a time, since an instruction of the regex engine costs less
than one of the interpreter.

Articles are built from ../shared/corpus when it is beside the repository, else from
examples/articles, cut or repeated to about 4,000 characters; each run gets a unique
sentence appended so that no two inputs are the same.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

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


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _warm_up(extract, texts: list[str], warmup: int) -> None:
    for i in range(warmup):
        extract(texts[i % len(texts)] + f"\n第{i}次预热。")


def _timed(extract, texts: list[str], warmup: int, timed: int, first: int = 0) -> list[float]:
    """Seconds per article of ``timed`` articles after ``warmup``; samples are numbered
    from ``first``, so that no text is read twice (nothing comes from a cache)."""
    _warm_up(extract, texts, warmup)
    times = []
    for i in range(first, first + timed):
        text = texts[i % len(texts)] + f"\n样本{i}。"
        t0 = time.perf_counter()
        extract(text)
        times.append(time.perf_counter() - t0)
    return times


def _tree_of(ref: str, into: Path) -> Path:
    """The package of git commit ``ref`` unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", ref, "zsextract", "prompts"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as t:
        t.extractall(into, filter="data")
    return into


def _warm_tree(tree: str, warmup: int) -> tuple[Any, list[str]]:
    """``extract`` of the zsextract in ``tree`` (a worker's), warmed up, and the articles."""
    sys.path.insert(0, tree)
    import zsextract

    assert Path(zsextract.__file__).resolve().is_relative_to(Path(tree).resolve())
    texts = _articles()[1]
    _warm_up(zsextract.extract, texts, warmup)
    return zsextract.extract, texts


def _serve(tree: str, warmup: int) -> None:
    """Time batches for a parent: one line per batch size read, one median printed."""
    _one_core()
    extract, texts = _warm_tree(tree, warmup)
    done = 0
    for line in sys.stdin:
        times = _timed(extract, texts, 0, int(line), done)
        done += int(line)
        print(json.dumps({"times": times}), flush=True)


def _extract_many(tree: str, warmup: int, articles: int) -> None:
    """Extract ``articles`` new articles after a warm-up (a worker counted by valgrind)."""
    extract, texts = _warm_tree(tree, warmup)
    for i in range(articles):
        extract(texts[i % len(texts)] + f"\n样本{i}。")


def _instructions(tree: Path, warmup: int, articles: int) -> float:
    """Instructions per article in ``tree``: a run of ``articles`` less a run of none."""

    def run(n: int) -> int:
        command = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
        command += ["--cachegrind-out-file=/dev/null", sys.executable, __file__]
        command += ["--_count", str(tree), "--warmup", str(warmup), "--articles", str(n)]
        done = subprocess.run(
            command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"}
        )
        found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise SystemExit(f"valgrind run of {n} articles failed:\n{done.stderr[-2000:]}")
        return int(found.group(1).replace(",", ""))

    return (run(articles) - run(0)) / articles


def _compare_instructions(ref: str, warmup: int, articles: int) -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind on PATH (apt install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        base = _instructions(_tree_of(ref, Path(tmp)), warmup, articles)
    this = _instructions(ROOT, warmup, articles)
    print(
        f"instructions per article ({articles} articles after {warmup} to warm up): {ref} "
        f"{base / 1e6:.2f} M, this tree {this / 1e6:.2f} M ({base / this:.2f} times fewer)"
    )


def _compare(ref: str, rounds: int, warmup: int, timed: int) -> None:
    """Two processes, one per tree, on the same core, asked in turns to time a batch:
    the machine's drift falls on both within seconds, and each round's ratio is paired."""
    with tempfile.TemporaryDirectory() as tmp:
        trees = {ref: _tree_of(ref, Path(tmp)), "this tree": ROOT}
        workers = {
            name: subprocess.Popen(
                [sys.executable, __file__, "--_tree", str(tree), "--warmup", str(warmup)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for name, tree in trees.items()
        }
        got: dict[str, list[float]] = {name: [] for name in trees}  # every article's time
        totals: dict[str, list[float]] = {name: [] for name in trees}  # seconds per round
        try:
            for r in range(rounds):
                turn = list(workers.items())
                for name, worker in turn if r % 2 == 0 else turn[::-1]:  # neither always first
                    assert worker.stdin is not None and worker.stdout is not None
                    worker.stdin.write(f"{timed}\n")
                    worker.stdin.flush()
                    line = worker.stdout.readline()
                    if not line:
                        raise SystemExit(f"the worker timing {name} ended (see its error above)")
                    times = json.loads(line)["times"]
                    got[name] += times
                    totals[name].append(sum(times))
                base_r, this_r = (v[-1] for v in totals.values())
                print(
                    f"round {r + 1}: {ref} {base_r * 1000 / timed:.2f}, this tree "
                    f"{this_r * 1000 / timed:.2f} ms/article ({base_r / this_r:.2f}x)",
                    flush=True,
                )
        finally:
            for worker in workers.values():
                if worker.stdin is not None:
                    worker.stdin.close()
                worker.wait()
    base, this = (statistics.median(v) for v in got.values())
    print(
        f"median time per article, of all {rounds * timed} articles: {ref} {base * 1000:.2f} ms "
        f"({1 / base:.0f} articles/s), this tree {this * 1000:.2f} ms ({1 / this:.0f} "
        f"articles/s): {base / this:.2f} times as fast"
    )
    base_all, this_all = (sum(v) for v in totals.values())
    throughput = sorted(b / t for b, t in zip(*totals.values(), strict=True))
    print(
        f"throughput: {ref} {rounds * timed / base_all:.0f}, this tree "
        f"{rounds * timed / this_all:.0f} articles/s; paired ratio of the rounds' total "
        f"times: median {statistics.median(throughput):.2f} times as fast (ranged "
        f"{throughput[0]:.2f} to {throughput[-1]:.2f}); of all rounds together "
        f"{base_all / this_all:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="length of the memory run")
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument(
        "--timed",
        type=int,
        help="articles timed one by one (default 1000; with --baseline, 10 per turn)",
    )
    parser.add_argument("--baseline", metavar="REF", help="time git commit REF beside this tree")
    parser.add_argument("--rounds", type=int, default=100, help="turns of --baseline")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="with --baseline: count instructions per article (valgrind) instead of timing",
    )
    parser.add_argument(
        "--counted", type=int, default=50, help="articles counted by --instructions"
    )
    parser.add_argument("--_tree", help=argparse.SUPPRESS)  # a worker timing batches
    parser.add_argument("--_count", help=argparse.SUPPRESS)  # a worker run under valgrind
    args = parser.parse_args()

    if args._tree:
        _serve(args._tree, args.warmup)
        return
    if args._count:
        _extract_many(args._count, args.warmup, args.articles)
        return
    if args.instructions:
        if not args.baseline:
            parser.error("--instructions compares with --baseline REF")
        _compare_instructions(args.baseline, args.warmup, args.counted)
        return
    if args.baseline:
        _compare(args.baseline, args.rounds, args.warmup, args.timed or 10)
        return
    _one_core()
    args.timed = args.timed or 1000
    import zsextract

    source, texts = _articles()
    print(f"articles from {source}: {len(texts)} texts of {TARGET_CHARS} characters")

    median = statistics.median(_timed(zsextract.extract, texts, args.warmup, args.timed))
    print(
        f"speed: median {median * 1000:.2f} ms/article -> {1 / median:.0f} articles/s on one core"
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
