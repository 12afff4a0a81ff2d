"""An honest model: answers built from gold annotations (zsextract.testing.answer_from_gold)
as a careful model would give them. Grounding must keep what is right: at least 99% of
the gold items survive (issue 11), and the figure is printed for the README.

Gold sets: the five articles of ../shared/eval/gold and the project's own
tests/data/gold and tests/data/heldout/gold. A gold mechanism that the mechanism reader
finds no quote for cannot be answered with a quote; those are counted apart.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import zsextract
from zsextract.testing import answer_from_gold
from zsextract.text.script import fold

from .conftest import CORPUS, GOLD, ROOT, extract_answered

SETS = [
    (CORPUS, GOLD),
    (ROOT / "tests" / "data" / "articles", ROOT / "tests" / "data" / "gold"),
    (
        ROOT / "tests" / "data" / "heldout" / "articles",
        ROOT / "tests" / "data" / "heldout" / "gold",
    ),
]
PARTS = ("metrics", "mechanisms", "timelines", "projects")


def _articles() -> list[tuple[Path, Path]]:
    found = []
    for corpus, gold in SETS:
        for path in sorted(gold.glob("*.json")):
            article = next(p for p in corpus.iterdir() if p.stem == path.stem)
            found.append((article, path))
    return found


def _stages(stages: list[dict[str, Any]], kind: str) -> frozenset[tuple[str, Decimal]]:
    key = "months" if kind == "deadline" else "every_months"
    return frozenset((fold(s["to"]), Decimal(str(s[key]))) for s in stages)


def _key(m: Any) -> tuple[Decimal, str, str]:
    return (m.quantity.value, m.quantity.unit, m.evidence.quote)


def _survivors(answer: dict[str, Any], report: zsextract.PromotionReport) -> dict[str, int]:
    """How many answered items of each part are in the report, as answered."""
    metrics = Counter((Decimal(str(m["value"])), m["unit"]) for m in answer["metrics"])
    got = Counter((m.quantity.value, m.quantity.unit) for m in report.metrics)
    timelines = [
        _stages([{**s, "to": s["to_event"]} for s in t["stages"]], t["kind"])
        for t in answer["timelines"]
    ]
    got_timelines = [
        frozenset(
            (s.to_event, Decimal(str(s.months if t.kind == "deadline" else s.every_months)))
            for s in t.stages
        )
        for t in report.timelines
    ]
    names = {fold(p.name) for p in report.projects}
    periods = {
        (Decimal(str(m["value"])), m["unit"], m["quote"]) for m in answer["metrics"] if m["period"]
    }
    codes = {m.code for m in report.mechanisms}
    return {
        "metrics": sum(min(n, got[key]) for key, n in metrics.items()),
        "mechanisms": sum(m["code"] in codes for m in answer["mechanisms"]),
        "timelines": sum(t in got_timelines for t in timelines),
        "projects": sum(fold(p["name"]) in names for p in answer["projects"]),
        # the periods kept, of the answered metrics that survived
        "periods": sum(1 for m in report.metrics if m.period and _key(m) in periods),
        "periods_answered": sum(1 for m in report.metrics if _key(m) in periods),
        "investors": sum(1 for p in report.projects if p.investor),
    }


def test_grounding_keeps_at_least_99_percent_of_an_honest_models_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answered: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    unquotable = 0
    dropped: list[str] = []
    for article, gold_path in _articles():
        gold = json.loads(gold_path.read_text("utf-8"))
        text = zsextract.read_article(article)
        answer = answer_from_gold(gold, text)
        unquotable += len(gold.get("mechanisms", [])) - len(answer["mechanisms"])
        report = extract_answered(text, answer, tmp_path)
        for part in PARTS:
            answered[part] += len(answer[part])
        answered["investors"] += sum(1 for p in answer["projects"] if p["investor"])
        survivors = _survivors(answer, report)
        answered["periods"] += survivors.pop("periods_answered")
        kept.update(survivors)
        dropped += [f"{article.stem}: {d}" for d in report.provenance.dropped]
    total = sum(answered[p] for p in PARTS)
    survived = sum(kept[p] for p in PARTS)
    with capsys.disabled():
        print(
            f"\nhonest model: {survived}/{total} items kept ({survived / total:.1%}); "
            + ", ".join(f"{p} {kept[p]}/{answered[p]}" for p in PARTS)
            + f"; fields: periods {kept['periods']}/{answered['periods']}, "
            f"investors {kept['investors']}/{answered['investors']}; "
            f"{unquotable} gold mechanisms had no quote to give"
        )
    assert survived / total >= 0.99, dropped
    assert kept["periods"] / answered["periods"] >= 0.99, dropped  # of the metrics kept
