"""Time and memory of ``zsextract.consolidate`` on synthetic collections.

    python benchmarks/consolidate_speed.py                    # 100,000 reports
    python benchmarks/consolidate_speed.py --reports 20000
    python benchmarks/consolidate_speed.py --ray --reports 20000   # the Ray path too

Each synthetic report is about a place (one of ``reports / 50``), a cumulative period of
2024 (1—N月), and carries eight metrics (the same figures in every report of one place
and month) and a text of about 600 characters drawn from
4,000 Chinese characters. A quarter of the reports are copies of another: a repost with
site chrome (every fourth of them with one figure rounded, every tenth with one figure
changed), so the run groups copies, meets figures and flags conflicts as a real one does.

Printed side by side, in the same run:

- **copies of one article**: ``--farm`` identical mirrors grouped, beside as many
  reports of the collection (a farm must not cost more than different articles);
- **consolidate**: the whole of ``zsextract.consolidate`` (copies found by MinHash and
  LSH, figures folded into facts, agreement), and its two stages timed apart;
- **baseline**: what a user does by hand in pandas: the long table of the reports
  (``zsextract.to_frame``) grouped by place, period and metric name, with the count and
  the distinct values of each group (no copies, no rounding, no sources kept);
- the peak resident memory of the process after each (``ru_maxrss``).

Building the reports is not timed.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import time
from decimal import Decimal
from pathlib import Path

import zsextract
from zsextract.report.schema import (
    Evidence,
    Interval,
    Metric,
    PromotionReport,
    Qualifier,
    Quantity,
    Source,
)

MEASURES = [
    ("招商引资到位资金", "funds_in_place", "CNY", 100_000_000),
    ("新签约项目", "projects", "count", 1),
    ("亿元以上项目", "projects", "count", 1),
    ("合同引资额", "contract_value", "CNY", 100_000_000),
    ("到位资金同比增长", "growth", "percent", 1),
    ("计划总投资", "investment", "CNY", 100_000_000),
    ("拜访企业", "enterprises", "count", 1),
    ("举办推介会", "events", "count", 1),
]
CHROME = "首页 > 新闻中心 > 本地要闻\n发布时间：2024-12-21  浏览次数：1234\n"


def _text(chance: random.Random, pool: str, figures: list[str]) -> str:
    body = "".join(chance.choice(pool) for _ in range(560))
    return body[:200] + "，".join(figures) + "。" + body[200:]


def _report(
    doc_id: str, place: str, month: int, values: list[Decimal], text: str
) -> PromotionReport:
    metrics = []
    for (name, category, unit, _), value in zip(MEASURES, values, strict=True):
        quote = f"{name}{value}"
        start = text.find(quote)
        metrics.append(
            Metric.model_construct(
                name=name,
                category=category,
                quantity=Quantity.model_construct(
                    value=value, unit=unit, unit_text="", qualifier=Qualifier.exact
                ),
                period=f"2024年1—{month}月",
                interval=Interval.model_construct(
                    start="2024-01", end=f"2024-{month:02d}", as_of=None
                ),
                scope=None,
                subject=None,
                evidence=Evidence.model_construct(
                    quote=quote, start=start, end=start + len(quote), alignment="exact"
                ),
                restated=[],
            )
        )
    return PromotionReport.model_construct(
        region=place,
        region_code=None,
        province=None,
        period=f"2024年1—{month}月",
        source=Source.model_construct(
            text=text,
            path=None,
            url=f"https://example.org/{doc_id}",
            title=None,
            publish_date="2024-12-20",
            from_html=False,
        ),
        metrics=metrics,
        mechanisms=[],
        timelines=[],
        projects=[],
        checks=[],
        provenance=None,
    )


def build(count: int, seed: int = 15) -> list[tuple[str, PromotionReport]]:
    chance = random.Random(seed)
    pool = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 4000))
    places = [f"桐川{n}区" for n in range(max(1, count // 50))]
    originals = count - count // 4
    made: list[tuple[str, PromotionReport]] = []
    for n in range(originals):
        place, month = chance.choice(places), chance.randint(1, 12)
        # one figure per place, month and measure: independent reports of it agree
        figures_of = random.Random(f"{place}{month}")
        values = [Decimal(figures_of.randint(100, 99999)) / 10 for _ in MEASURES]
        figures = [f"{name}{value}" for (name, *_), value in zip(MEASURES, values, strict=True)]
        made.append((f"d{n}", _report(f"d{n}", place, month, values, _text(chance, pool, figures))))
    for n in range(count - originals):
        doc_id, original = f"c{n}", made[chance.randrange(originals)][1]
        values = [m.quantity.value for m in original.metrics]
        if n % 4 == 0:
            values[0] = values[0].quantize(Decimal(1))  # a rounded reprint
        if n % 10 == 0:
            values[1] += 7  # a garbled figure
        figures = [f"{name}{value}" for (name, *_), value in zip(MEASURES, values, strict=True)]
        body = original.source.text
        for old, new in zip([m.evidence.quote for m in original.metrics], figures, strict=True):
            body = body.replace(old, new)
        month = int(original.metrics[0].interval.end[5:])  # type: ignore[union-attr]
        made.append((doc_id, _report(doc_id, original.region or "", month, values, CHROME + body)))
    return made


def _cpu() -> str:
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.machine()
    found = re.search(r"model name\s*:\s*(.+)", info)
    return found.group(1).strip() if found else platform.machine()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(reports: list[tuple[str, PromotionReport]]) -> int:
    frame = zsextract.to_frame(reports)
    metrics = frame[frame.part == "metric"]
    grouped = metrics.groupby(["region", "period_start", "period_end", "name"])["value"]
    table = grouped.agg(["count", "nunique"])
    return len(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--ray", action="store_true", help="also time the Ray path")
    parser.add_argument(
        "--farm", type=int, default=20_000, help="identical mirrors of one article to group"
    )
    args = parser.parse_args()
    print(f"machine: {_cpu()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    started = time.perf_counter()
    reports = build(args.reports)
    print(f"built {len(reports):,} reports in {time.perf_counter() - started:.1f} s (not timed)")
    print(f"peak RSS after building: {_peak_mb():,.0f} MB")

    from zsextract.dataset import fold, statements
    from zsextract.dataset.copies import CopyFinder

    started = time.perf_counter()
    finder = CopyFinder()
    for doc_id, report in reports:
        finder.add(doc_id, report.source.text)
    groups = [g for g in finder.groups() if len(g) > 1]
    copies_s = time.perf_counter() - started
    started = time.perf_counter()
    article_of = {d: g[0] for g in groups for d in g[1:]}
    stated = [s for n, (d, r) in enumerate(reports) for s in statements(n, d, r)]
    folded = fold(stated, article_of)
    fold_s = time.perf_counter() - started
    print(
        f"stages: copies {copies_s:.1f} s ({len(groups):,} groups), "
        f"facts {fold_s:.1f} s ({len(folded):,} facts)"
    )

    started = time.perf_counter()
    result = zsextract.consolidate(reports)
    whole = time.perf_counter() - started
    kinds = {
        k: sum(f.agreement == k for f in result.facts) for k in ("same", "rounding", "conflict")
    }
    print(
        f"consolidate: {whole:.1f} s for {len(reports):,} reports "
        f"({len(reports) / whole:,.0f} reports/s); {len(result.facts):,} facts {kinds}; "
        f"peak RSS {_peak_mb():,.0f} MB"
    )
    farm = min(args.farm, len(reports))
    started = time.perf_counter()
    one = CopyFinder()
    for n in range(farm):
        one.add(f"m{n}", reports[0][1].source.text)
    farm_s = time.perf_counter() - started
    started = time.perf_counter()
    many = CopyFinder()
    for doc_id, report in reports[:farm]:
        many.add(doc_id, report.source.text)
    print(
        f"copies: {farm:,} identical mirrors of one article {farm_s:.1f} s "
        f"({len(one.groups())} group, {one.indexed()} indexed); "
        f"{farm:,} reports of the collection {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    groups_by_hand = baseline(reports)
    hand = time.perf_counter() - started
    print(
        f"baseline (pandas groupby of the long table): {hand:.1f} s, {groups_by_hand:,} groups; "
        f"peak RSS {_peak_mb():,.0f} MB"
    )
    if args.ray:
        import zsextract.raydata as zr

        started = time.perf_counter()
        ds = zr.reports_dataset(reports)
        facts = zr.consolidate_dataset(ds).facts.count()
        print(f"ray: {time.perf_counter() - started:.1f} s, {facts:,} facts")


if __name__ == "__main__":
    main()
