"""How the rules backend's time grows with the input, on real and adversarial text.

For each family of text and each size (10 KB … 10 MB of UTF-8), one extraction on one
core in a fresh process (killed after --timeout seconds; the sizes take turns,
--repeat rounds, and each size's fastest run is kept), printed as seconds and
seconds per MB, beside a baseline run in the same process on the same text: folding
it to Simplified script (OpenCC), a linear pass that every extraction makes. The figure
that matters is the ratio of 10 MB to 1 MB, which stays near 10 when time grows
linearly (issue 12 asks for at most 12).

    python benchmarks/scaling.py                       # every family, up to 10 MB
    python benchmarks/scaling.py --sizes 10k 100k 1m   # smaller
    python benchmarks/scaling.py --families digit_run yi_run

Real text comes from ../shared/corpus and ../shared/corpus-extra when they are beside
the repository, else from examples/articles.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def _real() -> str:
    shared = ROOT.parent / "shared"
    folders = [shared / "corpus", shared / "corpus-extra"]
    if not all(f.is_dir() for f in folders):
        folders = [ROOT / "examples" / "articles"]
    from zsextract.text.clean import is_chrome_line

    text = "\n".join(
        p.read_text("utf-8", errors="replace")
        for f in folders
        for p in sorted(f.iterdir())
        if p.suffix in (".txt", ".html", ".htm")
    )
    # one long article, not pages: a footer line (免责声明, 相关新闻) ends an article and
    # everything after it would be dropped as chrome, so footer lines are left out
    return "\n".join(line for line in text.splitlines() if not is_chrome_line(line))


def _repeat(unit: str, size: int) -> str:
    """``unit`` repeated to about ``size`` bytes of UTF-8."""
    chars = int(size * len(unit) / len(unit.encode("utf-8")))
    return (unit * (chars // len(unit) + 1))[:chars]


#: ordinary characters for made-up names, 40**3 = 64,000 names of three
_NAME_CHARS = "安宝北昌达东丰福广海和恒华佳金锦久康乐龙茂美明南平庆荣瑞盛顺泰天通万祥新兴永裕元"


def _distinct(template: str, size: int) -> str:
    """``template`` repeated to about ``size`` bytes, its {} a different name each time."""
    n = len(_NAME_CHARS)
    parts: list[str] = []
    total = i = 0
    while total < size:
        name = "".join(_NAME_CHARS[i // n**k % n] for k in (2, 1, 0))
        part = template.format(name)
        parts.append(part)
        total += len(part.encode("utf-8"))
        i += 1
    return "".join(parts)


FAMILIES: dict[str, Callable[[int], str]] = {
    # real articles, one after another
    "real": lambda n: _repeat(_real() + "\n", n),
    # the same text with every punctuation mark and line break taken out
    "no_punctuation": lambda n: _repeat(re.sub(r"[^\w]", "", _real()), n),
    # one digit run before 亿元, and one run of 亿
    "digit_run": lambda n: "投资" + "1" * (n - 12) + "亿元",
    "yi_run": lambda n: "投资一" + "亿" * ((n - 12) // 3) + "元",
    # one clause of a project signing, repeated without a full stop
    "signing": lambda n: _repeat("与某某集团签订了新能源项目落户", n),
    # deadline words and numbers without end
    "deadlines": lambda n: _repeat("签约后2个月内注册、6个月内开工", n),
    # deadlines and limits set on events, mixed
    "limits": lambda n: _repeat("签约后2个月内注册，审批不超过5个工作日，", n),
    # a dense run of metrics in one sentence
    "metrics": lambda n: _repeat("到位资金484.5亿元，同比增长18.9%，新签项目157个，", n),
    # Chinese numerals and scales without a unit
    "numerals": lambda n: _repeat("一千二百三十四万五千六百七十八", n),
    # mechanisms' words over and over
    "mechanisms": lambda n: _repeat("一把手招商以商招商驻点招商产业链招商", n),
    # line breaks only between short lines
    "short_lines": lambda n: _repeat("招商\n", n),
    # a different company and project in every sentence, and a different place
    "many_projects": lambda n: _distinct("与{0}集团签约{0}新能源项目。", n),
    "many_places": lambda n: _distinct("{}县，", n),
}


def _run(family: str, size: int, out: mp.Queue) -> None:  # type: ignore[type-arg]
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    import zsextract
    from zsextract.text.script import fold

    text = FAMILIES[family](size)
    zsextract.extract("新签项目5个。")  # load the tables before timing
    started = time.perf_counter()
    fold(text)
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    try:
        zsextract.extract(text)
        error = ""
    except Exception as exc:  # reported; the benchmark goes on
        error = f"{type(exc).__name__}: {exc}"[:60]
    out.put((time.perf_counter() - started, baseline, len(text.encode("utf-8")), error))


def _timed(family: str, size: int, timeout: float) -> tuple[float, float, int, str] | None:
    queue: mp.Queue = mp.Queue()  # type: ignore[type-arg]
    process = mp.Process(target=_run, args=(family, size, queue))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.kill()
        process.join()
        return None
    return queue.get() if not queue.empty() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--families", nargs="+", default=list(FAMILIES), choices=list(FAMILIES))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size, the fastest kept")
    args = parser.parse_args()
    print(f"{'family':16}{'size':>6}{'MB':>7}{'seconds':>10}{'s/MB':>9}{'fold s':>9}  note")
    for family in args.families:
        per_mb: dict[str, float] = {}
        folds: dict[str, float] = {}
        # the sizes take turns, so that the machine's drift over minutes (shared or
        # throttled cores) falls on every size alike, not on the later ones
        turns: dict[str, list[tuple[float, float, int, str] | None]] = {n: [] for n in args.sizes}
        for _ in range(max(1, args.repeat)):
            for name in args.sizes:
                turns[name].append(_timed(family, SIZES[name], args.timeout))
        for name in args.sizes:
            runs = turns[name]
            done = [r for r in runs if r is not None]
            result = min(done) if len(done) == len(runs) else None
            if result is None:
                print(f"{family:16}{name:>6}{'':>7}{'>' + str(int(args.timeout)):>10}")
                per_mb[name] = float("inf")
                continue
            seconds, baseline, size, error = result
            mb = size / 1e6
            per_mb[name] = seconds
            folds[name] = baseline
            print(
                f"{family:16}{name:>6}{mb:>7.2f}{seconds:>10.3f}{seconds / mb:>9.2f}"
                f"{baseline:>9.3f}  {error}"
            )
        if "1m" in per_mb and "10m" in per_mb:
            ratio = per_mb["10m"] / per_mb["1m"]
            base = folds.get("10m", float("nan")) / folds["1m"] if folds.get("1m") else float("nan")
            print(f"{family:16}  10 MB / 1 MB = {ratio:.1f}   (fold, the baseline: {base:.1f})")


if __name__ == "__main__":
    main()
