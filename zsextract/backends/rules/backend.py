"""The offline rules backend: no model, no key.

Metrics (``metrics.py``) and projects (``projects.py``) are the backend's own; the
mechanisms, timeline rules and places come from the shared readers (``readers/``).
Word lists and patterns are in ``data/rules.json``.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ...readers.evidence import evidence_for
from ...readers.mechanisms import find_mechanisms
from ...readers.places import main_place
from ...readers.timelines import find_timelines
from ...report.schema import ArticleMeta, Evidence, Metric
from ...text.clean import CleanText
from .. import Backend, BackendBase, Extraction
from .metrics import find_metrics
from .projects import find_projects

__all__ = ["RulesBackend"]


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
            mechanisms=find_mechanisms(doc),
            timelines=timelines,
            projects=find_projects(doc.text, evidence),
        )


if TYPE_CHECKING:  # mypy checks that the class follows the protocol
    _conforms: Backend = RulesBackend()
