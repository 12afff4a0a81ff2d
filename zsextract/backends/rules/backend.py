"""The offline rules backend: no model, no key.

Metrics (``metrics.py``), mechanisms (below), timeline rules (``readers/timelines.py``)
and projects (``projects.py``), from word lists and patterns in ``data/rules.json``.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ...datafiles import load_data
from ...readers.places import main_place
from ...readers.timelines import find_timelines
from ...report.schema import ArticleMeta, Evidence, Mechanism, Metric
from ...text.clean import CleanText
from .. import BackendBase, Extraction
from .metrics import find_metrics
from .projects import find_projects

__all__ = ["RulesBackend", "evidence_for"]


def evidence_for(doc: CleanText, start: int, end: int) -> Evidence:
    """Evidence for the cleaned span ``doc.text[start:end]``, quoted from the raw text."""
    raw_start, raw_end = doc.to_raw(start, end)
    return Evidence(quote=doc.raw[raw_start:raw_end], start=raw_start, end=raw_end)


@cache
def _mechanism_terms() -> list[tuple[str, re.Pattern[str]]]:
    """Per taxonomy code: its names, its examples and the patterns in rules.json."""
    patterns = load_data("rules")["mechanism_patterns"]
    terms = []
    for mech in load_data("taxonomy")["mechanisms"]:
        words = [w for w in mech["zh"].split("/") if w] + list(mech["examples"])
        alternatives = [re.escape(w) for w in words] + patterns.get(mech["code"], [])
        terms.append((mech["code"], re.compile("|".join(alternatives))))
    return terms


def _main_period(metrics: list[Metric]) -> str | None:
    """The period most metrics are stated for."""
    periods = Counter(m.period for m in metrics if m.period)
    return periods.most_common(1)[0][0] if periods else None


class RulesBackend(BackendBase):
    """Deterministic extraction from lexicons and patterns kept as data files."""

    name = "rules"

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        def evidence(start: int, end: int) -> Evidence:
            return evidence_for(doc, start, end)

        timelines = find_timelines(doc.text, evidence)
        taken = [(doc.to_clean(t.evidence.start), doc.to_clean(t.evidence.end)) for t in timelines]
        metrics = find_metrics(doc.text, evidence, taken)
        return Extraction(
            region=main_place(doc.text),
            period=_main_period(metrics),
            metrics=metrics,
            mechanisms=self._mechanisms(doc),
            timelines=timelines,
            projects=find_projects(doc.text, evidence),
        )

    @staticmethod
    def _mechanisms(doc: CleanText) -> list[Mechanism]:
        out = []
        for code, pattern in _mechanism_terms():
            m = pattern.search(doc.text)
            if m:
                out.append(Mechanism(code=code, evidence=evidence_for(doc, m.start(), m.end())))
        return out
