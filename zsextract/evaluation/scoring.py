"""Score predictions against gold by exactly the rules of ``eval/GOLD.md``.

- Metrics: same ``unit`` and value within 1e-6 relative (0.01 absolute for percent);
  greedy, most similar ``name`` first. The *named* score also needs the names to
  overlap (character Jaccard >= 0.3, or one containing the other).
- Mechanisms: set precision/recall of codes per article, summed over articles.
- Timelines: every gold stage is an item; a predicted stage matches when ``to`` is
  the same and the number (``months`` or ``every_months``) is equal.
- Projects: names overlap (Jaccard >= 0.5 after dropping 项目/有限公司/公司, or one
  containing the other); greedy. Amount agreement is reported separately.
All parts are micro-averaged over articles; ``mean_f1`` is the mean of the four F1s.

Period accuracy (this project's extension of GOLD.md, see tests/data/README.md): of
the matched metric pairs whose gold metric has dates (``period_start``/``period_end``
or ``as_of``), the share whose predicted dates are the same. A prediction without
dates but with a period text is dated from that text and the gold's ``publish_date``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from ..readers.intervals import ArticleTime, interval_of
from ..readers.names import project_key
from ..report.gold import GoldDoc, GoldMetric, GoldProject, GoldStage, GoldTimeline
from ..report.parts import PARTS as REPORT_PARTS

__all__ = ["EvalResult", "PartScore", "score", "score_doc"]

T = TypeVar("T")
U = TypeVar("U")
#: the report fields scored, in report order
PARTS = tuple(part.field for part in REPORT_PARTS)


@dataclass
class PartScore:
    """True positives, predicted and gold counts, and the scores they give."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PartScore) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class DocScore:
    """One article's scores, part by part, with the matched pairs."""

    doc: str
    parts: dict[str, PartScore] = field(default_factory=dict)
    metrics_named: PartScore = field(default_factory=PartScore)
    amount_agree: int = 0
    amount_checked: int = 0
    period_agree: int = 0
    period_checked: int = 0
    matches: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class EvalResult:
    """Scores over a whole gold set."""

    parts: dict[str, PartScore]
    metrics_named: PartScore
    amount_agree: int
    amount_checked: int
    docs: list[DocScore]
    missing_predictions: list[str] = field(default_factory=list)

    @property
    def mean_f1(self) -> float:
        return sum(self.parts[p].f1 for p in PARTS) / len(PARTS)

    @property
    def period_checked(self) -> int:
        return sum(d.period_checked for d in self.docs)

    @property
    def period_accuracy(self) -> float | None:
        """Matched metrics with the gold's dates, or None when no gold metric has dates."""
        checked = self.period_checked
        return sum(d.period_agree for d in self.docs) / checked if checked else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "parts": {p: self.parts[p].as_dict() for p in PARTS},
            "metrics_named": self.metrics_named.as_dict(),
            "project_amounts": {"agree": self.amount_agree, "checked": self.amount_checked},
            "periods": {
                "agree": sum(d.period_agree for d in self.docs),
                "checked": self.period_checked,
                "accuracy": None
                if self.period_accuracy is None
                else round(self.period_accuracy, 4),
            },
            "mean_f1": round(self.mean_f1, 4),
            "documents": [
                {
                    "doc": d.doc,
                    **{p: d.parts[p].as_dict() for p in PARTS},
                    "metrics_named": d.metrics_named.as_dict(),
                }
                for d in self.docs
            ],
            "missing_predictions": self.missing_predictions,
        }


def _chars(text: str) -> set[str]:
    return set(text)


def jaccard(a: str, b: str) -> float:
    """Character Jaccard similarity of two strings (0 when both are empty)."""
    sa, sb = _chars(a), _chars(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def _overlaps(a: str, b: str, threshold: float) -> bool:
    if not a or not b:
        return False
    return a in b or b in a or jaccard(a, b) >= threshold


def _greedy(
    preds: Sequence[T],
    golds: Sequence[U],
    compatible: Callable[[T, U], bool],
    similarity: Callable[[T, U], float],
) -> list[tuple[int, int]]:
    """One-to-one matching: compatible pairs, most similar first (ties by position)."""
    pairs = [
        (-similarity(p, g), i, j)
        for i, p in enumerate(preds)
        for j, g in enumerate(golds)
        if compatible(p, g)
    ]
    pairs.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[int, int]] = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


def _same_value(p: GoldMetric, g: GoldMetric) -> bool:
    if p.unit != g.unit:
        return False
    if p.unit == "percent":
        return abs(p.value - g.value) <= 0.01 + 1e-9  # float noise: 18.91 - 18.9 > 0.01
    return abs(p.value - g.value) <= 1e-6 * max(abs(g.value), abs(p.value))


def _named(p: GoldMetric, g: GoldMetric) -> bool:
    return _same_value(p, g) and _overlaps(p.name, g.name, 0.3)


def _stages(timelines: Iterable[GoldTimeline]) -> list[tuple[str, GoldStage]]:
    return [(t.kind, s) for t in timelines for s in t.stages]


def _stage_number(kind: str, s: GoldStage) -> float | None:
    return s.months if kind == "deadline" else s.every_months


def _same_stage(p: tuple[str, GoldStage], g: tuple[str, GoldStage]) -> bool:
    np_, ng = _stage_number(*p), _stage_number(*g)
    return (
        p[1].to_event == g[1].to_event
        and np_ is not None
        and ng is not None
        and abs(np_ - ng) <= 1e-9
    )


def _project_key(p: GoldProject) -> str:
    return project_key(p.name)


def _same_project(p: GoldProject, g: GoldProject) -> bool:
    return _overlaps(_project_key(p), _project_key(g), 0.5)


def score_doc(pred: GoldDoc, gold: GoldDoc) -> DocScore:
    """Score one article's prediction against its gold annotation."""
    out = DocScore(doc=gold.doc)
    name_sim: Callable[[GoldMetric, GoldMetric], float] = lambda p, g: jaccard(p.name, g.name)  # noqa: E731
    m = _greedy(pred.metrics, gold.metrics, _same_value, name_sim)
    out.parts["metrics"] = PartScore(len(m), len(pred.metrics), len(gold.metrics))
    mn = _greedy(pred.metrics, gold.metrics, _named, name_sim)
    out.metrics_named = PartScore(len(mn), len(pred.metrics), len(gold.metrics))

    pm, gm = set(pred.mechanisms), set(gold.mechanisms)
    out.parts["mechanisms"] = PartScore(len(pm & gm), len(pm), len(gm))

    ps, gs = _stages(pred.timelines), _stages(gold.timelines)
    t = _greedy(
        ps, gs, _same_stage, lambda p, g: jaccard(p[1].from_event or "", g[1].from_event or "")
    )
    out.parts["timelines"] = PartScore(len(t), len(ps), len(gs))

    pr = _greedy(
        pred.projects,
        gold.projects,
        _same_project,
        lambda p, g: jaccard(_project_key(p), _project_key(g)),
    )
    out.parts["projects"] = PartScore(len(pr), len(pred.projects), len(gold.projects))
    for i, j in pr:
        g_amount = gold.projects[j].investment_cny
        if g_amount is None:
            continue
        out.amount_checked += 1
        p_amount = pred.projects[i].investment_cny
        if p_amount is not None and abs(p_amount - g_amount) <= 1e-6 * abs(g_amount):
            out.amount_agree += 1
    for i, j in m:
        expected = gold.metrics[j].interval
        if expected is None:
            continue
        out.period_checked += 1
        out.period_agree += _dates(pred.metrics[i], gold.publish_date) == expected
    out.matches = {"metrics": m, "metrics_named": mn, "timelines": t, "projects": pr}
    return out


def _dates(
    metric: GoldMetric, published: str | None
) -> tuple[str | None, str | None, str | None] | None:
    """A predicted metric's dates: as given, else from its period text."""
    if metric.interval is not None or not metric.period:
        return metric.interval
    when = ArticleTime(published=date.fromisoformat(published) if published else None)
    found = interval_of(metric.period, when)
    return (found.start, found.end, found.as_of) if found else None


def score(preds: Mapping[str, GoldDoc], golds: Mapping[str, GoldDoc]) -> EvalResult:
    """Score every gold article; an article without a prediction counts as predicting nothing."""
    parts = {p: PartScore() for p in PARTS}
    named = PartScore()
    agree = checked = 0
    docs = []
    missing = []
    for key, gold in golds.items():
        pred = preds.get(key)
        if pred is None:
            missing.append(key)
            pred = GoldDoc(doc=gold.doc)
        ds = score_doc(pred, gold)
        docs.append(ds)
        for p in PARTS:
            parts[p].add(ds.parts[p])
        named.add(ds.metrics_named)
        agree += ds.amount_agree
        checked += ds.amount_checked
    return EvalResult(parts, named, agree, checked, docs, missing)
