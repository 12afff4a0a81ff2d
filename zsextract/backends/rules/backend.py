"""The offline rules backend: no model, no key.

Metrics (``metrics.py``) and projects (``projects.py``) are the backend's own; the
mechanisms, timeline rules and places come from the shared readers (``readers/``).
Word lists and patterns are in ``data/rules.json``.

A long article is read in sections of whole paragraphs (:data:`SECTION_CHARS`), the
way the LLM backend reads chunks, and the sections' items merged: the time of every
step that compares items with each other (projects named twice) stays bounded by the
section, so a 10 MB text takes about ten times as long as a 1 MB one. Mechanisms are
read over the whole text, and the place from its opening (readers/gazetteer.py).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ...readers.article_words import article_words
from ...readers.evidence import evidence_for
from ...readers.gazetteer import report_region
from ...readers.mechanisms import find_mechanisms
from ...readers.timelines import find_timelines
from ...report.schema import ArticleMeta, Evidence, Metric
from ...text.clean import CleanText
from .. import Backend, BackendBase, Extraction
from ..merge import merge_extractions
from ..paragraphs import split_paragraphs
from .metrics import find_metrics
from .projects import find_projects

__all__ = ["SECTION_CHARS", "RulesBackend"]

#: the longest section (in cleaned characters) read at once; paragraphs are not split
#: unless one alone is longer
SECTION_CHARS = 100_000


def _main_period(metrics: list[Metric]) -> str | None:
    """The period most metrics are stated for."""
    periods = Counter(m.period for m in metrics if m.period)
    return periods.most_common(1)[0][0] if periods else None


class RulesBackend(BackendBase):
    """Deterministic extraction from lexicons and patterns kept as data files."""

    name = "rules"

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        found = merge_extractions(
            [_section(doc, a, b) for a, b in split_paragraphs(doc.text, SECTION_CHARS, 0)]
        )
        names, openings = article_words(doc.text)  # one search for both readers
        found.region = report_region(doc.text, names)
        found.period = _main_period(found.metrics)
        found.mechanisms = find_mechanisms(doc, openings)
        return found


def _section(doc: CleanText, start: int, end: int) -> Extraction:
    """Metrics, timelines and projects of ``doc.text[start:end]``."""
    text = doc.text[start:end]

    def evidence(a: int, b: int) -> Evidence:
        return evidence_for(doc, start + a, start + b)

    timelines = find_timelines(text, evidence)
    taken = [
        (doc.to_clean(t.evidence.start) - start, doc.to_clean(t.evidence.end) - start)
        for t in timelines
    ]
    return Extraction(
        metrics=find_metrics(text, evidence, taken),
        timelines=timelines,
        projects=find_projects(text, evidence),
    )


if TYPE_CHECKING:  # mypy checks that the class follows the protocol
    _conforms: Backend = RulesBackend()
